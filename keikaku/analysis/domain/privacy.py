"""Keeping personal data out of analysis inputs (DESIGN.md rule 6).

An uploaded opinions CSV must not carry names, addresses or contacts: a column whose header
names personal data is refused with a message that says which column and what to do. The
text of each opinion is masked by the opinion store's masking before it is stored or
analysed (the caller's job).
"""

from __future__ import annotations

from collections.abc import Sequence

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import normalize_for_match

__all__ = ["PERSONAL_COLUMN_WORDS", "personal_columns", "personal_column_message"]

# A header is refused when, after NFKC and lower case, it equals one of these or contains one
# of the longer ones (氏名, 住所, 電話, メール …).
PERSONAL_COLUMN_WORDS: tuple[str, ...] = (
    "氏名",
    "名前",
    "お名前",
    "ふりがな",
    "フリガナ",
    "住所",
    "電話",
    "携帯",
    "メール",
    "連絡先",
    "e-mail",
    "email",
    "mail",
    "address",
    "phone",
    "tel",
    "fax",
    "name",
)
_EXACT_ONLY = frozenset({"name", "tel", "fax", "mail"})


def personal_columns(header: Sequence[str]) -> list[str]:
    """The headers that name personal data, in header order."""
    out: list[str] = []
    for column in header:
        key = normalize_for_match(column).replace(" ", "").replace("_", "")
        if not key:
            continue
        for word in PERSONAL_COLUMN_WORDS:
            w = normalize_for_match(word)
            if key == w or (w not in _EXACT_ONLY and w in key):
                out.append(column)
                break
    return out


def personal_column_message(source: str, columns: Sequence[str]) -> str:
    return _(
        "%(source)s: 「%(columns)s」列は個人情報（氏名・住所・連絡先）です。"
        "分析には使えないので、列を削除したファイルを選んでください。"
    ) % {"source": source, "columns": "」「".join(columns)}
