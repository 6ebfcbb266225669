"""What the CSV importers of the resilience app share: the error that lists every problem,
the header lookup by accepted names (English or Japanese), and a data row that knows its
spreadsheet row number for the messages (「3行目「code」列: …」)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from keikaku.core.domain.i18n import _


class ProblemsError(ValueError):
    """Nothing was imported or written; ``problems`` names every faulty row and column."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


def find_headers(header: Sequence[str], columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Column key → the first header of the file that is one of its accepted names, or ""."""
    return {key: next((h for h in header if h in names), "") for key, names in columns.items()}


def row_numbers(raw_rows: Sequence[Sequence[str]]) -> list[int]:
    """The row number, as a spreadsheet numbers it (the header is row 1), of every data row
    that is not blank: the rows ``read_csv_dicts`` returns, in the same order."""
    return [i for i, row in enumerate(raw_rows[1:], start=2) if any(c.strip() for c in row)]


@dataclass(frozen=True)
class SheetRow:
    cells: Mapping[str, str]  # header → value, as read
    number: int  # the spreadsheet row number
    headers: Mapping[str, str]  # column key → the header used in the file ("" when missing)
    columns: Mapping[str, tuple[str, ...]]  # column key → accepted names, English first
    where: str  # "file.csv: " or ""

    def get(self, key: str) -> str:
        """The value of a column, stripped; "" when the file has no such column."""
        name = self.headers.get(key)
        return self.cells.get(name, "").strip() if name else ""

    def at(self, key: str) -> str:
        """The start of a message about one cell of this row."""
        return self.where + _("%(row)s行目「%(col)s」列: ") % {
            "row": self.number,
            "col": self.headers.get(key) or self.columns[key][0],
        }


def sheet_rows(
    rows: Sequence[Mapping[str, str]],
    raw_rows: Sequence[Sequence[str]],
    headers: Mapping[str, str],
    columns: Mapping[str, tuple[str, ...]],
    where: str,
) -> list[SheetRow]:
    """The rows of ``read_csv_dicts`` with their row numbers (from ``read_csv_rows``)."""
    return [
        SheetRow(cells=row, number=number, headers=headers, columns=columns, where=where)
        for row, number in zip(rows, row_numbers(raw_rows), strict=True)
    ]
