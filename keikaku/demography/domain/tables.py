"""CSV inputs and outputs of the projection (format: docs/formats/population.md).

Inputs (UTF-8 with or without BOM, or CP932):

* base population ``year,sex,age_group,population`` — one year, every sex × age group;
* rates ``period_start,sex,age_group,survival_rate,net_migration_rate`` — for each period
  given, every sex × age group; the rate of the cohort aged ``age_group`` at
  ``period_start`` moving to the next group at ``period_start + 5`` (top group: staying);
* births ``year,child_woman_ratio,sex_ratio_at_birth``.

Every problem is collected (not just the first) as a Japanese message that names the
file, the row (the header is row 1) and the column; :class:`InputError` carries them all.
Output: ``year,sex,age_group,population`` (UTF-8 with BOM, unrounded floats).
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import (
    TextDecodeError,
    parse_number,
    read_csv_rows,
    unguard_formula,
    write_csv_bytes,
)
from keikaku.demography.domain.agegroups import (
    MAX_TOP_AGE,
    MIN_TOP_AGE,
    SEXES,
    AgeGroups,
    ParsedAgeGroup,
    parse_age_group,
    parse_sex,
    sex_label_ja,
)
from keikaku.demography.domain.arrays import FloatArray, as_float_array
from keikaku.demography.domain.indicators import INDICATOR_NAMES
from keikaku.demography.domain.projection import Convention, ProjectionInput, ProjectionResult

BASE_COLUMNS = ("year", "sex", "age_group", "population")
RATE_COLUMNS = ("period_start", "sex", "age_group", "survival_rate", "net_migration_rate")
BIRTH_COLUMNS = ("year", "child_woman_ratio", "sex_ratio_at_birth")
OUTPUT_COLUMNS = ("year", "sex", "age_group", "population")
INDICATOR_COLUMNS = ("year", "convention", *INDICATOR_NAMES)

SURVIVAL_RANGE = (0.0, 1.0)
NET_MIGRATION_RANGE = (-1.0, 5.0)
SEX_RATIO_RANGE = (0.0, 200.0)  # exclusive bounds


def _labels() -> dict[str, str]:
    return {
        "year": _("年"),
        "period_start": _("期間の始まりの年"),
        "sex": _("性別（male または female）"),
        "age_group": _("年齢区分"),
        "population": _("人口"),
        "survival_rate": _("生残率"),
        "net_migration_rate": _("純移動率"),
        "child_woman_ratio": _("子ども女性比"),
        "sex_ratio_at_birth": _("出生性比"),
    }


class InputError(ValueError):
    """The inputs cannot be used; ``messages`` lists every problem found (Japanese)."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


Record = tuple[int, dict[str, str]]


class _Sheet:
    """Rows of one CSV file, with message helpers that say where a problem is."""

    def __init__(
        self, data: bytes, *, source: str, columns: Sequence[str], messages: list[str]
    ) -> None:
        self.source = source
        self.messages = messages
        self.columns = tuple(columns)
        self.records: list[Record] = []
        self.ok = False
        try:
            rows = read_csv_rows(data, source=source)
        except TextDecodeError as exc:
            messages.append(str(exc))
            return
        if not rows or not any(cell.strip() for cell in rows[0]):
            self.file(
                _(
                    "データがありません。1 行目を見出し（%(header)s）にして、その下にデータを入れてください。"
                )
                % {"header": ",".join(self.columns)}
            )
            return
        header = [unicodedata.normalize("NFKC", h).strip().lower() for h in rows[0]]
        missing = [c for c in self.columns if c not in header]
        if missing:
            self.messages.append(
                _(
                    "%(source)s 1行目: 見出しに列%(missing)sがありません。見出しを「%(header)s」にしてください。"
                )
                % {
                    "source": source,
                    "missing": "、".join(f"「{c}」" for c in missing),
                    "header": ",".join(self.columns),
                }
            )
            return
        index = {c: header.index(c) for c in self.columns}
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            values = {c: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
            self.records.append((number, values))
        if not self.records:
            self.file(
                _("見出しの下にデータの行がありません。%(header)s の順に値を入れてください。")
                % {"header": ",".join(self.columns)}
            )
            return
        self.ok = True

    def file(self, message: str) -> None:
        self.messages.append(f"{self.source}: {message}")

    def row(self, number: int, message: str) -> None:
        self.messages.append(
            _("%(source)s %(row)d行目: %(message)s")
            % {"source": self.source, "row": number, "message": message}
        )

    def cell(self, number: int, column: str, message: str) -> None:
        self.messages.append(
            _("%(source)s %(row)d行目 %(column)s列: %(message)s")
            % {"source": self.source, "row": number, "column": column, "message": message}
        )

    def text(self, record: Record, column: str) -> str | None:
        number, values = record
        value = values[column]
        if value == "":
            self.cell(
                number,
                column,
                _("値が空です。%(what)sを入れてください。") % {"what": _labels()[column]},
            )
            return None
        return value

    def number(self, record: Record, column: str) -> float | None:
        value = self.text(record, column)
        if value is None:
            return None
        try:
            # A cell written by a formula-guarding export ('-0.05) reads back as its number.
            parsed = parse_number(unguard_formula(value))
        except ValueError:
            parsed = None
        if parsed is None or not math.isfinite(parsed):
            self.cell(
                record[0],
                column,
                _("「%(value)s」は数値ではありません。%(what)sを数値で入れてください。")
                % {"value": value, "what": _labels()[column]},
            )
            return None
        return parsed

    def year(self, record: Record, column: str) -> int | None:
        value = self.text(record, column)
        if value is None:
            return None
        try:
            parsed = parse_number(value)
        except ValueError:
            parsed = None
        if parsed is None or not math.isfinite(parsed) or not parsed.is_integer():
            self.cell(
                record[0],
                column,
                _("「%(value)s」は年として読めません。西暦の年を整数で入れてください（例: 2020）。")
                % {"value": value},
            )
            return None
        return int(parsed)

    def sex(self, record: Record) -> int | None:
        value = self.text(record, "sex")
        if value is None:
            return None
        sex = parse_sex(value)
        if sex is None:
            self.cell(
                record[0],
                "sex",
                _("「%(value)s」は性別として読めません。male または female を入れてください。")
                % {"value": value},
            )
        return sex

    def age_group(self, record: Record) -> ParsedAgeGroup | None:
        value = self.text(record, "age_group")
        if value is None:
            return None
        parsed = parse_age_group(value)
        if parsed is None:
            self.cell(
                record[0],
                "age_group",
                _(
                    "「%(value)s」は年齢区分として読めません。0-4、5-9、…、90+ のように 5 歳刻みで、最上位は「+」を付けて入れてください。"
                )
                % {"value": value},
            )
        return parsed


def _infer_age_groups(
    sheet: _Sheet, parsed: list[tuple[Record, ParsedAgeGroup]]
) -> AgeGroups | None:
    """The scheme from the open ("+") label(s) of a file; messages when none or several."""
    top: tuple[int, str] | None = None
    for record, group in parsed:
        if not group.is_open:
            continue
        label = record[1]["age_group"]
        if not MIN_TOP_AGE <= group.start <= MAX_TOP_AGE:
            sheet.cell(
                record[0],
                "age_group",
                _(
                    "最上位の区分「%(value)s」は使えません。%(min)d+ から %(max)d+ までの 5 歳刻みにしてください。"
                )
                % {"value": label, "min": MIN_TOP_AGE, "max": MAX_TOP_AGE},
            )
            return None
        if top is None:
            top = (group.start, label)
        elif top[0] != group.start:
            sheet.cell(
                record[0],
                "age_group",
                _(
                    "最上位の区分が「%(first)s」と「%(second)s」の 2 つあります。1 つにそろえてください。"
                )
                % {"first": top[1], "second": label},
            )
            return None
    if top is None:
        sheet.file(
            _(
                "最上位の年齢区分の行がありません。最上位は「90+」のように「+」を付けて入れてください。"
            )
        )
        return None
    return AgeGroups(top[0])


def _group_index(
    sheet: _Sheet, record: Record, group: ParsedAgeGroup, age_groups: AgeGroups, hint: str
) -> int | None:
    index = age_groups.index_of(group)
    if index is None:
        sheet.cell(
            record[0],
            "age_group",
            _("「%(value)s」は年齢区分（%(groups)s）にありません。%(hint)s")
            % {"value": record[1]["age_group"], "groups": age_groups.describe(), "hint": hint},
        )
    return index


@dataclass(frozen=True, eq=False)
class BaseTable:
    year: int
    age_groups: AgeGroups
    population: FloatArray  # (2, G)


@dataclass(frozen=True, eq=False)
class RateTable:
    age_groups: AgeGroups
    period_starts: tuple[int, ...]  # ascending
    survival: FloatArray  # (P, 2, G)
    net_migration: FloatArray  # (P, 2, G)

    def index_for(self, period_start: int) -> int:
        """The latest period given with start ≤ ``period_start``; before the first: the first."""
        return max(bisect_right(self.period_starts, period_start) - 1, 0)


@dataclass(frozen=True, eq=False)
class BirthTable:
    years: tuple[int, ...]  # ascending
    child_woman_ratio: FloatArray  # (Y,)
    sex_ratio_at_birth: FloatArray  # (Y,)

    def index_for(self, year: int) -> int:
        """The latest year given ≤ ``year``; before the first: the first."""
        return max(bisect_right(self.years, year) - 1, 0)


def _read_base(data: bytes, source: str, messages: list[str]) -> BaseTable | None:
    sheet = _Sheet(data, source=source, columns=BASE_COLUMNS, messages=messages)
    if not sheet.ok:
        return None
    start = len(messages)
    rows: list[tuple[Record, int | None, ParsedAgeGroup | None, float | None]] = []
    first_year: int | None = None
    for record in sheet.records:
        year = sheet.year(record, "year")
        if year is not None:
            if first_year is None:
                first_year = year
            elif year != first_year:
                sheet.cell(
                    record[0],
                    "year",
                    _(
                        "年 %(year)d が最初の行の年 %(first)d と異なります。基準人口は 1 つの年だけにしてください。"
                    )
                    % {"year": year, "first": first_year},
                )
        sex = sheet.sex(record)
        group = sheet.age_group(record)
        value = sheet.number(record, "population")
        if value is not None and value < 0:
            sheet.cell(
                record[0],
                "population",
                _("人口が負の値（%(value)s）です。0 以上にしてください。")
                % {"value": record[1]["population"]},
            )
        rows.append((record, sex, group, value))
    age_groups = _infer_age_groups(
        sheet, [(rec, grp) for rec, _s, grp, _v in rows if grp is not None]
    )
    if age_groups is None or first_year is None:
        return None
    population = np.zeros((2, age_groups.size))
    seen: dict[tuple[int, int], int] = {}
    hint = _("最上位の区分より上の年齢は最上位の区分にまとめてください。")
    for record, sex, group, value in rows:
        if group is None:
            continue
        index = _group_index(sheet, record, group, age_groups, hint)
        if sex is None or index is None:
            continue
        key = (sex, index)
        if key in seen:
            sheet.row(
                record[0],
                _("%(sex)s %(group)s の行が %(first)d行目と重複しています。1 行にしてください。")
                % {
                    "sex": sex_label_ja(sex),
                    "group": age_groups.label(index),
                    "first": seen[key],
                },
            )
            continue
        seen[key] = record[0]
        if value is not None:
            population[sex, index] = value
    for sex in range(2):
        for index in range(age_groups.size):
            if (sex, index) not in seen:
                sheet.file(
                    _(
                        "%(sex)s %(group)s の行がありません。男女それぞれ全年齢区分（%(rows)d 行）を入れてください。"
                    )
                    % {
                        "sex": sex_label_ja(sex),
                        "group": age_groups.label(index),
                        "rows": 2 * age_groups.size,
                    }
                )
    if len(messages) > start:
        return None
    return BaseTable(first_year, age_groups, as_float_array(population))


def _factor_problem(
    survival: float, migration: float, convention: Convention, migration_scale: float
) -> str | None:
    effective = migration * migration_scale
    factor = survival + effective if convention is Convention.IPSS else survival * (1.0 + effective)
    if factor >= 0:
        return None
    shown = f"{effective:.6g}"
    if migration_scale != 1.0:
        shown += _("（--migration-scale %(scale)s 適用後）") % {"scale": f"{migration_scale:g}"}
    return _(
        "生残率 %(s)s と純移動率 %(m)s では %(convention)s 方式の係数 %(formula)s = %(factor)s が負になり、人口が負になります。純移動率を見直してください。"
    ) % {
        "s": f"{survival:.6g}",
        "m": shown,
        "convention": convention.value,
        "formula": convention.formula,
        "factor": f"{factor:.6g}",
    }


def _read_rates(
    data: bytes,
    source: str,
    messages: list[str],
    age_groups: AgeGroups | None,
    convention: Convention,
    migration_scale: float,
) -> RateTable | None:
    sheet = _Sheet(data, source=source, columns=RATE_COLUMNS, messages=messages)
    if not sheet.ok:
        return None
    start = len(messages)
    rows: list[
        tuple[Record, int | None, int | None, ParsedAgeGroup | None, float | None, float | None]
    ] = []
    for record in sheet.records:
        period = sheet.year(record, "period_start")
        sex = sheet.sex(record)
        group = sheet.age_group(record)
        survival = sheet.number(record, "survival_rate")
        migration = sheet.number(record, "net_migration_rate")
        low, high = SURVIVAL_RANGE
        if survival is not None and not low <= survival <= high:
            sheet.cell(
                record[0],
                "survival_rate",
                _("生残率 %(value)s が範囲外です。0 以上 1 以下にしてください。")
                % {"value": record[1]["survival_rate"]},
            )
            survival = None
        low, high = NET_MIGRATION_RANGE
        if migration is not None and not low <= migration <= high:
            sheet.cell(
                record[0],
                "net_migration_rate",
                _("純移動率 %(value)s が範囲外です。-1 以上 5 以下にしてください。")
                % {"value": record[1]["net_migration_rate"]},
            )
            migration = None
        if survival is not None and migration is not None:
            problem = _factor_problem(survival, migration, convention, migration_scale)
            if problem:
                sheet.row(record[0], problem)
        rows.append((record, period, sex, group, survival, migration))
    if age_groups is None:
        age_groups = _infer_age_groups(
            sheet, [(rec, grp) for rec, _p, _s, grp, _sv, _m in rows if grp is not None]
        )
        hint = ""
        if age_groups is None:
            return None
    else:
        hint = _("基準人口と同じ年齢区分にしてください。")
    size = age_groups.size
    periods = sorted({p for _r, p, *_rest in rows if p is not None})
    position = {p: i for i, p in enumerate(periods)}
    survival_grid = np.zeros((len(periods), 2, size))
    migration_grid = np.zeros((len(periods), 2, size))
    seen: dict[tuple[int, int, int], int] = {}
    for record, period, sex, group, survival, migration in rows:
        if group is None:
            continue
        index = _group_index(sheet, record, group, age_groups, hint)
        if period is None or sex is None or index is None:
            continue
        key = (period, sex, index)
        if key in seen:
            sheet.row(
                record[0],
                _(
                    "期間 %(period)d年 の %(sex)s %(group)s の行が %(first)d行目と重複しています。1 行にしてください。"
                )
                % {
                    "period": period,
                    "sex": sex_label_ja(sex),
                    "group": age_groups.label(index),
                    "first": seen[key],
                },
            )
            continue
        seen[key] = record[0]
        if survival is not None:
            survival_grid[position[period], sex, index] = survival
        if migration is not None:
            migration_grid[position[period], sex, index] = migration
    for period in periods:
        for sex in range(2):
            for index in range(size):
                if (period, sex, index) not in seen:
                    sheet.file(
                        _(
                            "期間 %(period)d年 の %(sex)s %(group)s の行がありません。期間ごとに男女それぞれ全年齢区分（%(rows)d 行）を入れてください。"
                        )
                        % {
                            "period": period,
                            "sex": sex_label_ja(sex),
                            "group": age_groups.label(index),
                            "rows": 2 * size,
                        }
                    )
    if len(messages) > start or not periods:
        return None
    return RateTable(
        age_groups, tuple(periods), as_float_array(survival_grid), as_float_array(migration_grid)
    )


def _read_births(data: bytes, source: str, messages: list[str]) -> BirthTable | None:
    sheet = _Sheet(data, source=source, columns=BIRTH_COLUMNS, messages=messages)
    if not sheet.ok:
        return None
    start = len(messages)
    seen: dict[int, int] = {}
    values: dict[int, tuple[float, float]] = {}
    for record in sheet.records:
        year = sheet.year(record, "year")
        ratio = sheet.number(record, "child_woman_ratio")
        sex_ratio = sheet.number(record, "sex_ratio_at_birth")
        if ratio is not None and ratio < 0:
            sheet.cell(
                record[0],
                "child_woman_ratio",
                _("子ども女性比が負の値（%(value)s）です。0 以上にしてください。")
                % {"value": record[1]["child_woman_ratio"]},
            )
        low, high = SEX_RATIO_RANGE
        if sex_ratio is not None and not low < sex_ratio < high:
            sheet.cell(
                record[0],
                "sex_ratio_at_birth",
                _(
                    "出生性比 %(value)s が範囲外です。0 より大きく 200 より小さい値（女児 100 人あたりの男児数、例: 105）にしてください。"
                )
                % {"value": record[1]["sex_ratio_at_birth"]},
            )
        if year is None:
            continue
        if year in seen:
            sheet.row(
                record[0],
                _("%(year)d年 の行が %(first)d行目と重複しています。1 行にしてください。")
                % {"year": year, "first": seen[year]},
            )
            continue
        seen[year] = record[0]
        if ratio is not None and sex_ratio is not None:
            values[year] = (ratio, sex_ratio)
    if len(messages) > start:
        return None
    years = tuple(sorted(values))
    return BirthTable(
        years,
        as_float_array([values[y][0] for y in years]),
        as_float_array([values[y][1] for y in years]),
    )


def read_base(data: bytes, *, source: str) -> BaseTable:
    """The base population; raises :class:`InputError` with every problem found."""
    messages: list[str] = []
    table = _read_base(data, source, messages)
    if table is None:
        raise InputError(messages)
    return table


def read_rates(
    data: bytes,
    *,
    source: str,
    age_groups: AgeGroups | None = None,
    convention: Convention = Convention.IPSS,
    migration_scale: float = 1.0,
) -> RateTable:
    """The rate table; the age groups come from the base (or, if None, from the file)."""
    messages: list[str] = []
    table = _read_rates(data, source, messages, age_groups, convention, migration_scale)
    if table is None:
        raise InputError(messages)
    return table


def read_births(data: bytes, *, source: str) -> BirthTable:
    messages: list[str] = []
    table = _read_births(data, source, messages)
    if table is None:
        raise InputError(messages)
    return table


def until_problem(base_year: int, until: int) -> str | None:
    if until > base_year and (until - base_year) % 5 == 0:
        return None
    return _(
        "--until %(until)d は使えません。基準年 %(base)d年 より後で、5 年刻みの年（%(next)d、%(after)d、…）にしてください。"
    ) % {"until": until, "base": base_year, "next": base_year + 5, "after": base_year + 10}


def build_projection_input(
    base: BaseTable,
    rates: RateTable,
    births: BirthTable,
    *,
    until: int,
    convention: Convention = Convention.IPSS,
) -> ProjectionInput:
    """Step arrays for ``base.year → until``, picking the rates period by period."""
    problem = until_problem(base.year, until)
    if problem:
        raise InputError([problem])
    if rates.age_groups != base.age_groups:
        raise InputError(
            [
                _("生残率・純移動率の年齢区分（%(rates)s）が基準人口（%(base)s）と異なります。")
                % {"rates": rates.age_groups.describe(), "base": base.age_groups.describe()}
            ]
        )
    steps = (until - base.year) // 5
    starts = [base.year + 5 * k for k in range(steps)]
    rate_index = [rates.index_for(y) for y in starts]
    birth_index = [births.index_for(y + 5) for y in starts]
    return ProjectionInput(
        base_year=base.year,
        population=base.population,
        survival=rates.survival[rate_index],
        net_migration=rates.net_migration[rate_index],
        child_woman_ratio=births.child_woman_ratio[birth_index],
        sex_ratio_at_birth=births.sex_ratio_at_birth[birth_index],
        convention=convention,
        age_groups=base.age_groups,
    )


def load_projection_input(
    *,
    base: bytes,
    rates: bytes,
    births: bytes,
    base_source: str,
    rates_source: str,
    births_source: str,
    until: int,
    convention: Convention = Convention.IPSS,
    migration_scale: float = 1.0,
) -> ProjectionInput:
    """Read and check the three files at once; :class:`InputError` lists every problem."""
    messages: list[str] = []
    base_table = _read_base(base, base_source, messages)
    rate_table = _read_rates(
        rates,
        rates_source,
        messages,
        None if base_table is None else base_table.age_groups,
        convention,
        migration_scale,
    )
    birth_table = _read_births(births, births_source, messages)
    if base_table is not None:
        problem = until_problem(base_table.year, until)
        if problem:
            messages.append(problem)
    if messages or base_table is None or rate_table is None or birth_table is None:
        raise InputError(messages)
    return build_projection_input(
        base_table, rate_table, birth_table, until=until, convention=convention
    )


def projection_rows(result: ProjectionResult) -> list[tuple[int, str, str, float]]:
    """``(year, sex, age_group, population)`` rows of a single (unbatched) projection."""
    if result.population.ndim != 3:
        raise ValueError("projection_rows needs a projection without batch axes")
    labels = result.age_groups.labels
    rows: list[tuple[int, str, str, float]] = []
    for t, year in enumerate(result.years):
        for sex, sex_name in enumerate(SEXES):
            for g, label in enumerate(labels):
                rows.append((year, sex_name, label, float(result.population[t, sex, g])))
    return rows


def projection_csv_bytes(result: ProjectionResult) -> bytes:
    """OUT.csv: header + rows, floats unrounded (``repr``), UTF-8 with BOM."""
    return write_csv_bytes([OUTPUT_COLUMNS, *projection_rows(result)])


def indicators_csv_bytes(result: ProjectionResult) -> bytes:
    """Indicators per year (see indicators.py); NaN (undefined ratio) is an empty cell."""
    if result.population.ndim != 3:
        raise ValueError("indicators_csv_bytes needs a projection without batch axes")
    indicators = result.indicators()
    rows: list[Sequence[object]] = [INDICATOR_COLUMNS]
    for t, year in enumerate(result.years):
        row: list[object] = [year, result.convention.value]
        for name in INDICATOR_NAMES:
            value = float(indicators.get(name)[t])
            row.append(value if math.isfinite(value) else "")
        rows.append(row)
    return write_csv_bytes(rows)
