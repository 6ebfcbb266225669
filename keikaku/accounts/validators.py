"""Password rules added to Django's (length, common passwords, all digits, similarity)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> set[str]:
    classes: set[str] = set()
    for ch in password:
        if ch.isascii() and ch.isalpha():
            classes.add("letter")
        elif ch.isdigit():
            classes.add("digit")
        elif ch.isspace():
            continue
        else:
            classes.add("symbol")  # symbols and non-ASCII letters (kana, kanji) alike
    return classes


class CharacterClassValidator:
    """At least `min_classes` kinds of character among letters, digits and symbols/others."""

    def __init__(self, min_classes: int = 2) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                _("パスワードには、英字・数字・記号のうち %(n)d 種類以上を組み合わせてください。")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("英字・数字・記号のうち %(n)d 種類以上を組み合わせてください。") % {
            "n": self.min_classes
        }
