"""Uploaded population files (CSV or Excel) as rows of text, numbered as the user sees them.

CSV: UTF-8 (with or without BOM) or CP932. Excel: ``.xlsx`` / ``.xlsm``, the first sheet.
Every row is kept (blank ones too), so row numbers in messages match the spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from keikaku.core.domain.textio import TextDecodeError, read_csv_rows, write_csv_bytes
from keikaku.demography.domain.tables import InputError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class UploadedTable:
    """``source`` names the file (and the sheet) in messages; ``csv_bytes`` holds the same
    rows as CSV (UTF-8 with BOM) for the long-layout readers of ``domain.tables``."""

    source: str
    rows: list[list[str]]
    csv_bytes: bytes


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _excel_rows(data: bytes, filename: str) -> tuple[str, list[list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InputError(
            [
                _(
                    "%(file)s: Excel ファイル（.xlsx）として読めません。Excel で開いて .xlsx か CSV で保存し直してください。"
                )
                % {"file": filename}
            ]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        title = sheet.title
    finally:
        workbook.close()
    return _("%(file)s（シート「%(sheet)s」）") % {"file": filename, "sheet": title}, rows


def read_upload(data: bytes, filename: str) -> UploadedTable:
    """Rows of a CSV or Excel upload; :class:`InputError` (Japanese, names the file) if unreadable."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            [
                _("%(file)s: ファイルが大きすぎます（10 MB まで）。必要な表だけにしてください。")
                % {"file": filename}
            ]
        )
    if not data.strip():
        raise InputError([_("%(file)s: ファイルが空です。") % {"file": filename}])
    lower = filename.lower()
    if data.startswith(OLE_MAGIC) or lower.endswith(".xls"):
        raise InputError(
            [
                _(
                    "%(file)s: 古い Excel 形式（.xls）は読めません。.xlsx か CSV で保存し直してください。"
                )
                % {"file": filename}
            ]
        )
    if lower.endswith(EXCEL_SUFFIXES) or data.startswith(ZIP_MAGIC):
        source, rows = _excel_rows(data, filename)
        width = max((len(r) for r in rows), default=0)
        padded = [r + [""] * (width - len(r)) for r in rows]
        return UploadedTable(source, padded, write_csv_bytes(padded, guard=False))
    try:
        rows = read_csv_rows(data, source=filename)
    except TextDecodeError as exc:
        raise InputError([str(exc)]) from None
    return UploadedTable(filename, rows, data)
