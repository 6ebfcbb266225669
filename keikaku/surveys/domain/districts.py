"""Districts (地区) of a city as groups of its town areas (町域), read from a CSV table.

Layout (keikaku/surveys/data/README.md): header ``town,reading,postal_code,district``; one
row per 町域; districts keep the order of their first appearance.
"""

from __future__ import annotations

from dataclasses import dataclass

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import TextDecodeError, read_csv_rows
from keikaku.surveys.domain.design import match_key
from keikaku.surveys.domain.problems import Parsed, Problem


@dataclass(frozen=True)
class District:
    name: str
    towns: tuple[str, ...]

    def description(self) -> str:
        return _("%(district)s（%(towns)s）") % {
            "district": self.name,
            "towns": "・".join(self.towns),
        }


def parse_district_table(
    data: bytes, *, source: str = "districts.csv"
) -> Parsed[tuple[District, ...]]:
    try:
        records = read_csv_rows(data, source=source)
    except TextDecodeError as exc:
        return Parsed.failure([Problem(source, None, "", str(exc))])
    header = [match_key(h).lower() for h in records[0]] if records else []
    problems: list[Problem] = []
    for required in ("town", "district"):
        if required not in header:
            problems.append(
                Problem(
                    source,
                    1,
                    required,
                    _("見出しに「%(name)s」列がありません。") % {"name": required},
                )
            )
    if problems:
        return Parsed.failure(problems)
    town_at, district_at = header.index("town"), header.index("district")
    groups: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        cells = list(record) + [""] * (len(header) - len(record))
        town = cells[town_at].strip()
        district = cells[district_at].strip()
        if not town and not district:
            continue
        if not town or not district:
            column = "town" if not town else "district"
            problems.append(Problem(source, number, column, _("空欄です。入力してください。")))
            continue
        key = match_key(town)
        if key in seen:
            problems.append(
                Problem(
                    source,
                    number,
                    "town",
                    _("町域「%(town)s」が重複しています（%(first)d行目と同じ）。")
                    % {"town": town, "first": seen[key]},
                )
            )
            continue
        seen[key] = number
        groups.setdefault(district, []).append(town)
    if not groups and not problems:
        problems.append(Problem(source, None, "", _("町域が1件もありません。")))
    if problems:
        return Parsed.failure(problems)
    return Parsed.success(tuple(District(name, tuple(towns)) for name, towns in groups.items()))
