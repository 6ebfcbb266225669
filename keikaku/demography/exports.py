"""Excel export of a projection run (machine-readable: 総務省の機械判読可能なデータの表記方法).

One sheet 「実行条件」 (item, value), one sheet per scenario (long table: one value per cell,
Gregorian years, 全国地方公共団体コード column, units in the headers, no merged cells) and one
sheet 「指標」 (every scenario × year). Populations are unrounded. Formula conversion is off,
so no cell can become a formula.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.demography import selectors
from keikaku.demography.domain.agegroups import SEXES, sex_label_ja
from keikaku.demography.models import ProjectionRun
from keikaku.demography.presentation import age_label

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_MAX = 31


def population_header() -> list[str]:
    return [
        _("全国地方公共団体コード"),
        _("団体名"),
        _("シナリオ"),
        _("年"),
        _("性別"),
        _("年齢区分"),
        _("人口（人）"),
    ]


def indicator_header() -> list[str]:
    return [
        _("全国地方公共団体コード"),
        _("団体名"),
        _("シナリオ"),
        _("年"),
        _("総人口（人）"),
        _("0～14歳（人）"),
        _("15～64歳（人）"),
        _("65歳以上（人）"),
        _("75歳以上（人）"),
        _("0～14歳の割合（%）"),
        _("15～64歳の割合（%）"),
        _("65歳以上の割合（%）"),
        _("75歳以上の割合（%）"),
        _("20～39歳の女性（人）"),
    ]


INDICATOR_FIELDS = (
    ("total", 1.0),
    ("age_0_14", 1.0),
    ("age_15_64", 1.0),
    ("age_65_plus", 1.0),
    ("age_75_plus", 1.0),
    ("share_0_14", 100.0),
    ("share_15_64", 100.0),
    ("share_65_plus", 100.0),
    ("share_75_plus", 100.0),
    ("women_20_39", 1.0),
)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or _("シナリオ")
    base = base[:SHEET_MAX]
    candidate = base
    number = 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"_{number}"
        candidate = base[: SHEET_MAX - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def run_conditions(run: ProjectionRun) -> list[tuple[str, Any]]:
    sources = run.inputs.get("sources", {})
    return [
        (_("全国地方公共団体コード"), run.municipality_code),
        (_("団体名"), run.municipality_name),
        (_("推計の方法"), _("コーホート要因法（5歳階級・5年刻み）")),
        (_("生残率と純移動率の組合せ方"), run.convention),
        (_("基準年"), run.base_year),
        (_("推計の最終年"), run.until),
        (_("基準人口の出典"), sources.get("base", "")),
        (_("仮定値"), sources.get("assumptions", "")),
        (_("仮定値の出典"), sources.get("assumptions_source", "")),
        (_("推計エンジンの版"), run.engine_version),
        (_("実行日時"), timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("実行番号"), run.pk),
        (_("デモ用の架空データ"), _("はい") if run.is_illustrative else _("いいえ")),
    ]


def run_workbook_bytes(run: ProjectionRun) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = workbook.add_format({"bold": True})
    taken: set[str] = set()
    sheet = workbook.add_worksheet(sheet_name(_("実行条件"), taken))
    sheet.write_row(0, 0, [_("項目"), _("値")], header)
    for row, (item, value) in enumerate(run_conditions(run), start=1):
        sheet.write_string(row, 0, item)
        if isinstance(value, int):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, str(value))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 48)

    labels = [age_label(g) for g in run.age_groups.labels]
    sex_labels = [sex_label_ja(s) for s in range(len(SEXES))]
    results = list(run.results.order_by("order"))
    for result in results:
        sheet = workbook.add_worksheet(sheet_name(result.name, taken))
        sheet.write_row(0, 0, population_header(), header)
        row = 1
        for t, year in enumerate(result.years):
            for s, sex in enumerate(sex_labels):
                for g, label in enumerate(labels):
                    sheet.write_string(row, 0, run.municipality_code)
                    sheet.write_string(row, 1, run.municipality_name)
                    sheet.write_string(row, 2, result.name)
                    sheet.write_number(row, 3, year)
                    sheet.write_string(row, 4, sex)
                    sheet.write_string(row, 5, label)
                    sheet.write_number(row, 6, float(result.population[t][s][g]))
                    row += 1
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 2, 14)
        sheet.set_column(5, 6, 14)

    sheet = workbook.add_worksheet(sheet_name(_("指標"), taken))
    sheet.write_row(0, 0, indicator_header(), header)
    row = 1
    for result in results:
        indicators = selectors.result_indicators(result)
        for t, year in enumerate(result.years):
            sheet.write_string(row, 0, run.municipality_code)
            sheet.write_string(row, 1, run.municipality_name)
            sheet.write_string(row, 2, result.name)
            sheet.write_number(row, 3, year)
            for col, (name, factor) in enumerate(INDICATOR_FIELDS, start=4):
                value = float(indicators.get(name)[t])
                if math.isfinite(value):
                    sheet.write_number(row, col, value * factor)
                else:
                    sheet.write_blank(row, col, None)
            row += 1
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def run_filename(run: ProjectionRun) -> str:
    return f"population-run-{run.pk}-{run.municipality_code}.xlsx"
