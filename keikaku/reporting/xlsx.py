"""Formatted Excel workbooks with XlsxWriter, shared by every export of Keikaku.

Formula conversion is switched off (``strings_to_formulas=False``, also for URLs and
numbers): a cell whose text starts with 「=」 stays text, so exports cannot carry formula
injection. One value per cell, no merged cells in data tables, units in the headers
(総務省's rules for machine-readable tables).

    book = XlsxBook(title="…")
    ws = book.sheet("施策別評価")
    row = book.write_title(ws, "令和6年度 施策評価", note="…")
    book.write_table(ws, row, headers, rows, formats=["text", "int", "pct"])
    data = book.close()
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from typing import Any

import xlsxwriter

WORKBOOK_OPTIONS: dict[str, Any] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",
}
FONT = "Noto Sans CJK JP"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

FORMAT_SPECS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"bold": True, "font_size": 11},
    "note": {"font_color": "#595959", "text_wrap": False},
    "header": {
        "bold": True,
        "bg_color": "#E8E8EB",
        "border": 1,
        "text_wrap": True,
        "valign": "top",
    },
    "text": {"border": 1, "valign": "top"},
    "wrap": {"border": 1, "valign": "top", "text_wrap": True},
    "int": {"border": 1, "num_format": "#,##0", "valign": "top"},
    "float": {"border": 1, "num_format": "#,##0.0###", "valign": "top"},
    "float1": {"border": 1, "num_format": "#,##0.0", "valign": "top"},
    "pct": {"border": 1, "num_format": '0.0"%"', "valign": "top"},
    "date": {"border": 1, "num_format": "yyyy-mm-dd", "valign": "top"},
    "grade": {"border": 1, "bold": True, "align": "center", "valign": "top"},
}


def safe_sheet_name(name: str, used: set[str] | None = None) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique within ``used``."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "Sheet"
    base = base[:31]
    if used is None:
        return base
    candidate, n = base, 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate)
    return candidate


class XlsxBook:
    """An in-memory workbook with Keikaku's formats; :meth:`close` returns the bytes."""

    def __init__(
        self, *, title: str = "", author: str = "Keikaku", created: dt.datetime | None = None
    ) -> None:
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self._buffer, WORKBOOK_OPTIONS)
        properties: dict[str, Any] = {"title": title, "author": author, "company": ""}
        if created is not None:
            properties["created"] = created
        self.workbook.set_properties(properties)
        self.formats: dict[str, Any] = {}
        for name, spec in FORMAT_SPECS.items():
            self.formats[name] = self.workbook.add_format({"font_name": FONT, **spec})
        self._names: set[str] = set()

    def fmt(self, name: str) -> Any:
        return self.formats[name]

    def add_format(self, name: str, spec: dict[str, Any]) -> Any:
        self.formats[name] = self.workbook.add_format({"font_name": FONT, **spec})
        return self.formats[name]

    def sheet(self, name: str) -> Any:
        ws = self.workbook.add_worksheet(safe_sheet_name(name, self._names))
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        return ws

    def write_title(self, ws: Any, title: str, *, note: str = "", row: int = 0) -> int:
        """Title (and a note) at ``row``; returns the first free row after a blank one."""
        ws.write_string(row, 0, title, self.fmt("title"))
        row += 1
        if note:
            ws.write_string(row, 0, note, self.fmt("note"))
            row += 1
        return row + 1

    def write_cell(self, ws: Any, row: int, col: int, value: Any, fmt: str = "text") -> None:
        cell_format = self.fmt(fmt)
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            ws.write_blank(row, col, None, cell_format)
        elif isinstance(value, bool):
            ws.write_string(row, col, "はい" if value else "いいえ", cell_format)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, cell_format)
        elif isinstance(value, dt.datetime | dt.date):
            ws.write_datetime(row, col, value, self.fmt("date"))
        else:
            ws.write_string(row, col, str(value), cell_format)

    def write_table(
        self,
        ws: Any,
        first_row: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        formats: Sequence[str] | None = None,
        widths: Sequence[float] | None = None,
        first_col: int = 0,
        freeze: bool = True,
        autofilter: bool = True,
    ) -> int:
        """A header row and data rows; returns the row after the table."""
        for j, header in enumerate(headers):
            ws.write_string(first_row, first_col + j, header, self.fmt("header"))
        for i, values in enumerate(rows, start=1):
            for j, value in enumerate(values):
                fmt = formats[j] if formats and j < len(formats) else "text"
                self.write_cell(ws, first_row + i, first_col + j, value, fmt)
        if widths:
            for j, width in enumerate(widths):
                ws.set_column(first_col + j, first_col + j, width)
        if freeze:
            ws.freeze_panes(first_row + 1, 0)
        if autofilter and rows:
            ws.autofilter(first_row, first_col, first_row + len(rows), first_col + len(headers) - 1)
        ws.repeat_rows(first_row)
        return first_row + len(rows) + 2

    def close(self) -> bytes:
        self.workbook.close()
        return self._buffer.getvalue()
