"""Five-year age groups with an open top group, and the two sexes.

Groups are ``0-4, 5-9, …, (top−5)-(top−1), top+``; the open top group is configurable
(``90+`` in recent IPSS vintages, ``85+`` in older ones). Index ``g`` covers ages
``5g … 5g+4``; the last index is the open group.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from keikaku.core.domain.i18n import _

SEXES: Final = ("male", "female")
MALE: Final = 0
FEMALE: Final = 1

MIN_TOP_AGE: Final = 75
MAX_TOP_AGE: Final = 120

_SEX_ALIASES: Final = {
    "male": MALE,
    "m": MALE,
    "男": MALE,
    "男性": MALE,
    "female": FEMALE,
    "f": FEMALE,
    "女": FEMALE,
    "女性": FEMALE,
}

_CLOSED = re.compile(r"^(\d+)(?:歳)?[-~～〜−ー―‐](\d+)(?:歳)?$")
_OPEN = re.compile(r"^(\d+)(?:歳)?(?:\+|以上|歳以上)$")


def sex_label_ja(sex: int) -> str:
    """Japanese label of a sex index (0 → 男性, 1 → 女性)."""
    return _("男性") if sex == MALE else _("女性")


def parse_sex(text: str) -> int | None:
    """0 for male, 1 for female; also accepts 男/女/男性/女性; None if unreadable."""
    key = unicodedata.normalize("NFKC", text).strip().lower()
    return _SEX_ALIASES.get(key)


@dataclass(frozen=True)
class ParsedAgeGroup:
    """A label read from a file: ``start`` and whether it is the open top group."""

    start: int
    is_open: bool


def parse_age_group(text: str) -> ParsedAgeGroup | None:
    """Read ``0-4``, ``０～４``, ``0～4歳``, ``90+``, ``90歳以上``; None if unreadable.

    A closed group must span exactly five years starting at a multiple of five.
    """
    key = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    match = _CLOSED.match(key)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if start % 5 != 0 or end != start + 4:
            return None
        return ParsedAgeGroup(start, False)
    match = _OPEN.match(key)
    if match:
        start = int(match.group(1))
        if start % 5 != 0:
            return None
        return ParsedAgeGroup(start, True)
    return None


@dataclass(frozen=True)
class AgeGroups:
    """The age-group scheme: five-year groups up to an open group starting at ``top_age``."""

    top_age: int = 90

    def __post_init__(self) -> None:
        if self.top_age % 5 != 0 or not MIN_TOP_AGE <= self.top_age <= MAX_TOP_AGE:
            raise ValueError(
                _(
                    "最上位の年齢区分は %(min)d 歳以上 %(max)d 歳以下の 5 の倍数にしてください（指定: %(top)d）。"
                )
                % {"min": MIN_TOP_AGE, "max": MAX_TOP_AGE, "top": self.top_age}
            )

    @property
    def size(self) -> int:
        """Number of groups (19 for ``90+``)."""
        return self.top_age // 5 + 1

    @property
    def top(self) -> int:
        """Index of the open top group."""
        return self.size - 1

    @property
    def labels(self) -> tuple[str, ...]:
        closed = tuple(f"{5 * g}-{5 * g + 4}" for g in range(self.top))
        return (*closed, f"{self.top_age}+")

    def label(self, index: int) -> str:
        return self.labels[index]

    def index_of_age(self, age: int) -> int:
        """Index of the group holding single age ``age``."""
        return min(age // 5, self.top)

    def index_of(self, parsed: ParsedAgeGroup) -> int | None:
        """Index of a parsed label in this scheme, or None if it does not belong to it."""
        if parsed.is_open:
            return self.top if parsed.start == self.top_age else None
        if parsed.start < self.top_age:
            return parsed.start // 5
        return None

    def span(self, first_age: int, last_age: int | None) -> slice:
        """Slice of groups covering ages ``first_age … last_age`` (None: up to the top)."""
        start = self.index_of_age(first_age)
        stop = self.size if last_age is None else self.index_of_age(last_age) + 1
        return slice(start, stop)

    def describe(self) -> str:
        """``0-4、5-9、…、90+`` for messages."""
        return f"0-4、5-9、…、{self.labels[-2]}、{self.labels[-1]}"
