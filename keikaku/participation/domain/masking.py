"""Masking of personal data inside free text (意見本文の個人情報のマスキング).

Citizens sometimes write their phone number, e-mail or address into the opinion itself.
Staff without the personal-data permission, exports and analysis inputs see such parts
replaced by a label (「［電話番号］」 …). The stored text is never changed.

Matching runs on a view of the text in which every character is mapped on its own
(full-width digits and letters → ASCII, dash-like characters → "-"), so positions in the
view are positions in the original and the replacement keeps the rest of the text exactly
as written. Over-masking is preferred to under-masking: an ambiguous number sequence that
looks like a telephone number is masked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from keikaku.core.domain.i18n import _

Kind = Literal["email", "phone", "postal_code", "address"]

# Dashes people type between digits: hyphen-minus, hyphens, dashes, minus signs, the
# katakana prolonged sound mark (ー, ｰ) and the full-width hyphen.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70\ufe63\uff0d"
_KANJI_DIGITS = "〇一二三四五六七八九十百千"

_PREFECTURES = (
    "北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|"
    "神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|"
    "大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|"
    "福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県"
)
# Characters of place names: kanji (incl. 々〆), katakana, small ヶ/ケ/ノ.
_PLACE = r"[\u4e00-\u9fff々〆ヶケノのが\u30a0-\u30ff]"
_CITY_CHAR = r"[\u4e00-\u9fff々〆ヶケノ\u3041-\u3096\u30a0-\u30ff]"
_NUM = rf"(?:[0-9]+|[{_KANJI_DIGITS}]+)"
# After a number: a unit (丁目・番地・番・号), or a dash / の that another number follows.
_SEP = rf"(?:丁目|番地の(?={_NUM})|番地|番|号|-(?={_NUM})|の(?={_NUM}))"

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# A candidate telephone number; _is_phone() checks the digit count.
_PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z\-])(?:\+81[ \-]?\(?0?\)?|\(0|0)[0-9]{1,4}\)?(?:[ \-]?\(?[0-9]{1,4}\)?){1,3}(?![0-9])"
)
_POSTAL_RE = re.compile(r"〒 ?[0-9]{3}-?[0-9]{4}(?![0-9])|(?<![0-9\-])[0-9]{3}-[0-9]{4}(?![0-9\-])")
# An address: optional prefecture, a municipality (…市/区/町/村, or …郡…町/村), the town
# and the block numbers (丁目・番地・番・号 or digits joined by dashes). The numbers are
# required, so 「鶴ヶ島市の公園」 is not an address.
_ADDRESS_RE = re.compile(
    rf"(?:(?:{_PREFECTURES}) ?)?"
    rf"(?:{_CITY_CHAR}{{1,8}}?郡)?{_CITY_CHAR}{{1,8}}?[市区町村]"
    rf"(?:{_CITY_CHAR}{{1,6}}?区)?"
    rf"(?:{_PLACE}{{0,12}}?)"
    rf"(?:大字{_PLACE}{{1,8}}?)?"
    rf"{_NUM}{_SEP}(?:{_NUM}{_SEP}?)*"
    rf"(?:[ ]?[\u30a0-\u30ffA-Za-z0-9\u4e00-\u9fff]{{0,20}}?(?:[0-9]+号室|[0-9]+号(?!室)))?"
)

LABELS: dict[Kind, str] = {
    "email": "メールアドレス",
    "phone": "電話番号",
    "postal_code": "郵便番号",
    "address": "住所",
}


@dataclass(frozen=True)
class PersonalSpan:
    kind: Kind
    start: int
    end: int


def _map_char(ch: str) -> str:
    if ch in _DASHES:
        return "-"
    if ch == "\u3000":
        return " "
    if ch in "（）":
        return "(" if ch == "（" else ")"
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def matching_view(text: str) -> str:
    """The text with each character folded for matching; same length as the input."""
    return "".join(_map_char(ch) for ch in text)


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"[^0-9]", "", candidate)
    if candidate.startswith("+81"):
        national = digits[2:]
        national = national if national.startswith("0") else "0" + national
        return len(national) in (10, 11)
    if not digits.startswith("0"):
        return False
    # 0120-123-456 (10 digits), 03-1234-5678 (10), 090-1234-5678 (11). Bare digit runs
    # without separators must be 10 or 11 digits long.
    return len(digits) in (10, 11)


def find_personal_data(text: str) -> list[PersonalSpan]:
    """Spans of e-mail addresses, telephone numbers, postal codes and addresses.

    Overlapping matches are not split: the kind found first wins (e-mail, then address,
    telephone number, postal code).
    """
    view = matching_view(text)
    spans: list[PersonalSpan] = []
    taken = [False] * len(text)

    def add(kind: Kind, start: int, end: int) -> None:
        if start >= end or any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        spans.append(PersonalSpan(kind, start, end))

    for m in _EMAIL_RE.finditer(view):
        add("email", m.start(), m.end())
    for m in _ADDRESS_RE.finditer(view):
        add("address", m.start(), m.end())
    for m in _PHONE_RE.finditer(view):
        candidate = m.group(0).rstrip(" -")
        if _is_phone(candidate):
            add("phone", m.start(), m.start() + len(candidate))
    for m in _POSTAL_RE.finditer(view):
        add("postal_code", m.start(), m.end())
    return sorted(spans, key=lambda s: s.start)


def mask_label(kind: Kind) -> str:
    return "［" + _(LABELS[kind]) + "］"


def mask_personal_data(text: str) -> str:
    """The text with personal data replaced by 「［電話番号］」「［メールアドレス］」 etc."""
    spans = find_personal_data(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for span in spans:
        out.append(text[pos : span.start])
        out.append(mask_label(span.kind))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def contains_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))
