"""The bulk-entry template (実績値・事業費の入力用ファイル) of one round, as .xlsx.

It lists the indicators and programmes the user may enter, with the year's current values,
in exactly the layout :mod:`keikaku.evaluation.domain.actuals_upload` reads back (see
docs/formats/evaluation-upload.md). Formula conversion is off: a text starting with 「=」
stays text.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from keikaku.evaluation import rules, selectors
from keikaku.evaluation.domain.actuals_upload import (
    ACTUAL_COLUMNS,
    ACTUALS_SHEET,
    COST_COLUMNS,
    COSTS_SHEET,
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
        if ind.measure is None or not rules.can_enter_for_measure(user, ind.measure):
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
