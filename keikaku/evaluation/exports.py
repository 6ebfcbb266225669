"""Files this app writes itself (formula conversion off: a text starting with 「=」 stays text).

- The bulk-entry template (実績値・事業費の入力用ファイル) of one round, as .xlsx: it lists
  the indicators and programmes the user may enter, with the year's current values, in
  exactly the layout :mod:`keikaku.evaluation.domain.actuals_upload` reads back (see
  docs/formats/evaluation-upload.md).
- The comparison of two editions (前期 → 後期) as .xlsx (one sheet per table: measures,
  priority strategies, programmes, indicators) and as CSV (UTF-8 with BOM, the tables one
  after the other, the first column saying which).
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from keikaku.core.domain.textio import write_csv_bytes
from keikaku.evaluation import rules, selectors
from keikaku.evaluation.domain.actuals_upload import (
    ACTUAL_COLUMNS,
    ACTUALS_SHEET,
    COST_COLUMNS,
    COSTS_SHEET,
)
from keikaku.evaluation.domain.comparison import (
    ComparisonTable,
    EditionComparison,
    comparison_tables,
)
from keikaku.evaluation.models import EvaluationRound, ProgrammeEvaluation

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def template_filename(round_: EvaluationRound) -> str:
    code = round_.edition.plan.municipality.code
    return f"keikaku-actuals-{code}-{round_.edition.kind}-{round_.fiscal_year}.xlsx"


def _write(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def entry_template_bytes(round_: EvaluationRound, user: Any) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    book.set_properties({"title": _("実績値・事業費の入力"), "author": "Keikaku"})
    header = book.add_format({"bold": True, "bg_color": "#E8E8EB", "border": 1, "text_wrap": True})
    locked = book.add_format({"border": 1, "bg_color": "#F2F2F2"})
    entry = book.add_format({"border": 1, "bg_color": "#FFFFFF", "locked": False})
    fy = round_.fiscal_year

    # 実績値: the first four columns are read; 単位・基準値・目標値 are for reference.
    ws = book.add_worksheet(ACTUALS_SHEET)
    headers = [c.header for c in ACTUAL_COLUMNS] + ["単位", "基準値", "目標値"]
    for j, text in enumerate(headers):
        ws.write_string(0, j, text, header)
    values = selectors.values_for_year(round_)
    row = 1
    for ind in selectors.indicators_for_round(round_):
        if not rules.can_enter_for_indicator(user, ind):
            continue
        current = values.get(ind.pk)
        cells = [
            (ind.code, locked),
            (ind.name, locked),
            (fy, locked),
            (current.value if current else None, entry),
            (current.as_of.isoformat() if current and current.as_of else None, entry),
            (current.note if current else None, entry),
            (ind.unit, locked),
            (ind.baseline_value, locked),
            (ind.target_value, locked),
        ]
        for j, (value, fmt) in enumerate(cells):
            _write(ws, row, j, value, fmt)
        row += 1
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 5, 12)
    ws.freeze_panes(1, 2)

    # 事業費 (決算)
    ws = book.add_worksheet(COSTS_SHEET)
    for j, col in enumerate(COST_COLUMNS):
        ws.write_string(0, j, col.header, header)
    actual = selectors.costs_for_year(round_, is_plan=False)
    sheets = {s.programme_id: s for s in ProgrammeEvaluation.objects.filter(round=round_)}
    row = 1
    for prog in selectors.programmes_of(round_.edition):
        if not rules.can_enter_for_programme(user, prog):
            continue
        cost = actual.get(prog.pk)
        sheet = sheets.get(prog.pk)
        amounts = [
            getattr(cost, n) if cost else None
            for n in ("total", "national", "prefectural", "bonds", "other", "general")
        ]
        cells = [
            (prog.code, locked),
            (prog.name, locked),
            (fy, locked),
            ("決算", locked),
            *[(a, entry) for a in amounts],
            (sheet.staff_cost if sheet else None, entry),
            (float(sheet.staff_fte) if sheet and sheet.staff_fte is not None else None, entry),
            (cost.note if cost else None, entry),
        ]
        for j, (value, fmt) in enumerate(cells):
            _write(ws, row, j, value, fmt)
        row += 1
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 32)
    ws.set_column(2, 12, 13)
    ws.freeze_panes(1, 2)
    book.close()
    return buffer.getvalue()


# --------------------------------------------------------------------------- comparison


def comparison_filename(municipality_code: str, kind: str, fmt: str) -> str:
    return f"keikaku-comparison-{municipality_code}-{kind}.{fmt}"


def _column_widths(table: ComparisonTable) -> list[int]:
    widths = []
    for j, head in enumerate(table.header):
        longest = max([len(head), *(len(r[j]) for r in table.rows)]) if table.rows else len(head)
        widths.append(min(max(8, longest * 2), 60))
    return widths


def comparison_xlsx_bytes(comparison: EditionComparison, *, former: str, latter: str) -> bytes:
    """One sheet per table; row 1 the title, row 3 the header, data from row 4."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    book.set_properties(
        {"title": _("%(a)s と %(b)s の比較") % {"a": former, "b": latter}, "author": "Keikaku"}
    )
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#E8E8EB", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    for table in comparison_tables(comparison):
        ws = book.add_worksheet(_("%(t)sの変更") % {"t": table.title})
        ws.write_string(
            0,
            0,
            _("%(t)sの変更（%(a)s → %(b)s）") % {"t": table.title, "a": former, "b": latter},
            title_fmt,
        )
        for j, text in enumerate(table.header):
            ws.write_string(2, j, text, header)
        for i, row in enumerate(table.rows, start=3):
            for j, text in enumerate(row):
                if text:
                    ws.write_string(i, j, text, cell)
                else:
                    ws.write_blank(i, j, None, cell)
        for j, width in enumerate(_column_widths(table)):
            ws.set_column(j, j, width)
        ws.freeze_panes(3, 0)
        if table.rows:
            ws.autofilter(2, 0, 2 + len(table.rows), len(table.header) - 1)
    book.close()
    return buffer.getvalue()


def comparison_csv_bytes(comparison: EditionComparison) -> bytes:
    """The tables one after the other, each starting with its header row; the first column
    (対象) says which table a row belongs to. UTF-8 with BOM."""
    tables = comparison_tables(comparison)
    width = max(len(t.header) for t in tables) + 1
    rows: list[list[str]] = []

    def pad(values: list[str]) -> list[str]:
        return values + [""] * (width - len(values))

    for table in tables:
        rows.append(pad([_("対象"), *table.header]))
        rows += [pad([table.title, *r]) for r in table.rows]
    return write_csv_bytes(rows)
