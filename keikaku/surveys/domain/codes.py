"""One-time access codes (回答用コード) printed on the survey letters.

A code is 8 characters drawn uniformly from a 30-symbol alphabet without the characters
people confuse when they read a letter and type it on a phone: no 0/O, no 1/I/L and no
S (read as 5). 30⁸ ≈ 6.6 × 10¹¹ possible codes (≈ 39 bits), so even with 10,000 codes issued a guess
succeeds with probability ≈ 1.5 × 10⁻⁸. Codes come from the operating system's CSPRNG
(``secrets``) unless the caller passes its own random source (tests, demo data).

Codes are shown as ``XXXX-XXXX``; what a citizen types is normalised (NFKC, upper case,
blanks and hyphens removed) before it is looked up.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Collection
from typing import Final

from keikaku.core.domain.i18n import _

ALPHABET: Final = "23456789ABCDEFGHJKMNPQRTUVWXYZ"
CODE_LENGTH: Final = 8
MAX_BATCH: Final = 20000
_SEPARATORS = re.compile(r"[\s\-‐－ー―]+")

assert len(ALPHABET) == 30 and len(set(ALPHABET)) == 30


def generate_codes(
    count: int,
    *,
    existing: Collection[str] = (),
    choice: Callable[[str], str] = secrets.choice,
) -> list[str]:
    """``count`` new distinct codes, none of them in ``existing`` (stored form, no hyphen)."""
    if count < 1 or count > MAX_BATCH:
        raise ValueError(_("一度に作れる回答用コードは1〜%(max)d件です。") % {"max": MAX_BATCH})
    taken = set(existing)
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(choice(ALPHABET) for _unused in range(CODE_LENGTH))
        if code in taken:
            continue
        taken.add(code)
        codes.append(code)
    return codes


def format_code(code: str) -> str:
    """``ABCD2345`` → ``ABCD-2345`` (as printed on the letter)."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == CODE_LENGTH else code


def normalize_code(text: str) -> str:
    """What a citizen typed → the stored form: NFKC, upper case, without blanks and hyphens."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def code_problem(text: str) -> str | None:
    """A Japanese message when ``text`` cannot be a code at all (before any look-up)."""
    code = normalize_code(text)
    if not code:
        return _("回答用コードを入力してください。")
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return _(
            "回答用コードに使われない文字「%(chars)s」が含まれています。"
            "お手紙に印刷された8文字（英字と数字）をご確認ください。"
            "数字の0・1と英字のO・I・L・Sは使っていません。"
        ) % {"chars": "".join(bad)}
    if len(code) != CODE_LENGTH:
        return _(
            "回答用コードは%(n)d文字です（入力は%(got)d文字）。お手紙に印刷されたコードをご確認ください。"
        ) % {"n": CODE_LENGTH, "got": len(code)}
    return None
