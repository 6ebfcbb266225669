"""Demo data of the formulation of Tsurugashima's latter basic plan (後期基本計画).

What is from the published sources [S]: the organisation (seed §4: 策定本部 本体会議 of the
deputy mayor and directors, 5 specialist subcommittees led by directors, 部会長会議, the
secretariat in 総合政策部 政策推進課, a consultant, the management council deciding the final
draft), the schedule by fiscal quarter (seed §5), the dates of the two assembly votes
(2024-11-29 basic concept amendment, 2024-12-19 latter basic plan, both 15–2), the public
comment (the city calls it 市民コメント) with 2 opinions and no change, 6 council meetings in
2024, in force 2025-04-01.

Illustrative [U] (デモ用の架空データ): every person's name, which directors lead which
subcommittee, how the 7 policy areas are shared among the 5 subcommittees, the day-level
dates inside each quarter and the review history of the drafts.

The data are in ``demo/formulation.json`` (next to this module; the keys are the fields of the
dataclasses below, a field left out takes its default, dates are ``YYYY-MM-DD``). This module
reads the file once, at import, and keeps the names the demo loader (demo.py) uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from keikaku.plans.demo import datafile


@dataclass(frozen=True)
class PersonSpec:
    username: str
    last_name: str
    first_name: str
    section: str | None  # department code of keikaku.plans.demo (e.g. "0101"); None: none


@dataclass(frozen=True)
class MemberSpec:
    username: str
    role: str  # chair / vice_chair / member
    title: str


@dataclass(frozen=True)
class BodySpec:
    key: str
    kind: str
    name: str
    description: str
    members: tuple[MemberSpec, ...]
    areas: tuple[int, ...] = ()
    department: str | None = None


@dataclass(frozen=True)
class TaskSpec:
    key: str
    title: str
    kind: str
    start: dt.date
    end: dt.date
    owner: str  # body key
    public: bool = False
    note: str = ""
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseSpec:
    fiscal_year: int
    quarter: int
    title: str
    tasks: tuple[TaskSpec, ...]
    description: str = ""


@dataclass(frozen=True)
class HistorySpec:
    """One step of the review history: the action, its day, the actor's username, a comment."""

    action: str
    date: dt.date
    actor: str  # a username, or "@lead" for the lead of the draft's subcommittee
    comment: str


@dataclass(frozen=True)
class FormulationFile:
    """The whole of demo/formulation.json."""

    note: str
    summary: str
    return_comment: str
    returned_measure_code_index: int
    people: tuple[PersonSpec, ...]
    bodies: tuple[BodySpec, ...]
    phases: tuple[PhaseSpec, ...]
    history: tuple[HistorySpec, ...]


DATA_PACKAGE = "keikaku.workflow"
DATA_PATH = ("demo", "formulation.json")

_FILE = datafile.load(FormulationFile, DATA_PACKAGE, *DATA_PATH)

# People (fictional names). "jimukyoku" (𠮷田 花子) and "henshu" (髙橋 一郎) come from load-demo.
PEOPLE: tuple[PersonSpec, ...] = _FILE.people
BODIES: tuple[BodySpec, ...] = _FILE.bodies
PHASES: tuple[PhaseSpec, ...] = _FILE.phases

# Review history of the demo drafts (illustrative): (action, date, actor username, comment).
HISTORY: tuple[tuple[str, dt.date, str, str], ...] = tuple(
    (step.action, step.date, step.actor, step.comment) for step in _FILE.history
)

# One measure gets a return-and-revise cycle before the history above, so that the demo shows
# a returned draft and a diff between versions.
RETURNED_MEASURE_CODE_INDEX = _FILE.returned_measure_code_index  # the first measure of area 1
RETURN_COMMENT = _FILE.return_comment

SUMMARY = _FILE.summary
