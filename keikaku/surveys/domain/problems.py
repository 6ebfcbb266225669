"""Located input problems and the all-or-nothing parse result shared by the survey parsers."""

from __future__ import annotations

from dataclasses import dataclass

from keikaku.core.domain.i18n import _


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, with where it is and what to do.

    ``row`` is the record number in the CSV file counting the header as row 1 (so it is the
    line number Excel shows), or ``None`` for a problem of the whole file or its header;
    ``column`` is the column name as written in the file (or a JSON path for the design
    file), or ``""`` when the problem concerns a whole row or file.
    """

    source: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            where = _("%(source)s %(row)d行目「%(column)s」列") % {
                "source": self.source,
                "row": self.row,
                "column": self.column,
            }
        elif self.row is not None:
            where = _("%(source)s %(row)d行目") % {"source": self.source, "row": self.row}
        elif self.column:
            where = _("%(source)s「%(column)s」") % {
                "source": self.source,
                "column": self.column,
            }
        else:
            where = self.source
        return f"{where}: {self.message}"


class SurveyInputError(ValueError):
    """Raised by :meth:`Parsed.unwrap` when a file had problems; carries all of them."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__(summarize_problems(problems))


def summarize_problems(problems: tuple[Problem, ...]) -> str:
    """One line: the count and the first problem (what a command prints)."""
    if not problems:
        return ""
    first = str(problems[0])
    if len(problems) == 1:
        return first
    return _("%(count)d件の問題があります。最初の問題: %(first)s") % {
        "count": len(problems),
        "first": first,
    }


@dataclass(frozen=True, eq=False)
class Parsed[T]:
    """All-or-nothing outcome: either a value and no problems, or problems and no value."""

    value: T | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def unwrap(self) -> T:
        if self.problems or self.value is None:
            raise SurveyInputError(self.problems)
        return self.value

    @staticmethod
    def success(value: T) -> Parsed[T]:
        return Parsed(value, ())

    @staticmethod
    def failure(problems: list[Problem]) -> Parsed[T]:
        return Parsed(None, tuple(problems))
