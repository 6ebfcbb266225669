"""The formulation demo data file (keikaku/workflow/demo/formulation.json) and what it holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from keikaku.plans.demo import datafile
from keikaku.plans.demo.datafile import DemoDataError
from keikaku.plans.demo.measures import AREAS
from keikaku.plans.demo.organisation import DEPARTMENTS, STAFF
from keikaku.workflow import demo_data as data
from keikaku.workflow.demo_data import (
    BodySpec,
    FormulationFile,
    HistorySpec,
    MemberSpec,
    PersonSpec,
    PhaseSpec,
    TaskSpec,
)
from keikaku.workflow.models import Body, Membership, Task

ROOT = Path(__file__).resolve().parents[3]


def _raw() -> dict:
    text = resources.files(data.DATA_PACKAGE).joinpath(*data.DATA_PATH).read_text("utf-8")
    return json.loads(text)


def _tasks() -> list[TaskSpec]:
    return [t for phase in data.PHASES for t in phase.tasks]


def _fields(spec: type) -> tuple[set[str], set[str]]:
    required = {
        f.name
        for f in dataclasses.fields(spec)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    return required, {f.name for f in dataclasses.fields(spec)}


def test_the_file_sits_next_to_the_module_and_is_not_a_package():
    path = Path(str(resources.files(data.DATA_PACKAGE).joinpath(*data.DATA_PATH)))
    assert path == ROOT / "keikaku" / "workflow" / "demo" / "formulation.json"
    # An __init__.py there would make keikaku.workflow.demo this folder instead of demo.py.
    assert not (ROOT / "keikaku" / "workflow" / "demo" / "__init__.py").exists()
    from keikaku.workflow import demo

    assert Path(demo.__file__).name == "demo.py"


def test_counts_and_first_entries():
    assert len(data.PEOPLE) == 27
    assert data.PEOPLE[0] == PersonSpec("shicho", "鶴田", "正和", None)
    assert data.PEOPLE[-1] == PersonSpec("consultant", "計画", "太郎", None)
    assert [b.key for b in data.BODIES] == [
        "hq", "sub1", "sub2", "sub3", "sub4", "sub5", "leads", "secretariat", "council", "consultant",
    ]  # fmt: skip
    assert data.BODIES[0].name == "第6次鶴ヶ島市総合計画策定本部（本体会議）"
    assert data.BODIES[0].members[0] == MemberSpec("fukushicho", "chair", "副市長（本部長）")
    assert sum(len(b.members) for b in data.BODIES) == 47
    assert [(p.fiscal_year, p.quarter) for p in data.PHASES] == [
        (2023, 1), (2023, 2), (2023, 2), (2023, 3), (2023, 4),
        (2024, 1), (2024, 1), (2024, 2), (2024, 3), (2024, 4),
    ]  # fmt: skip
    tasks = _tasks()
    assert len(tasks) == 22
    assert tasks[0] == TaskSpec(
        "policy", "策定方針の決定", "decision", dt.date(2023, 4, 3), dt.date(2023, 5, 31), "hq"
    )
    assert sum(t.public for t in tasks) == 11
    assert [h[0] for h in data.HISTORY] == [
        "submit", "approve", "promote_draft", "promote_final", "decide", "enact",
    ]  # fmt: skip
    assert data.HISTORY[-1] == (
        "enact",
        dt.date(2024, 12, 19),
        "kacho-seisaku",
        "後期基本計画は令和6年12月19日に市議会で議決されました。",
    )
    assert data.RETURNED_MEASURE_CODE_INDEX == 0
    assert data.SUMMARY.startswith(
        "市は、令和7年度から令和11年度までの後期基本計画をつくりました。"
    )
    assert data.RETURN_COMMENT.endswith("目指す姿は市民に分かる言葉にしてください。")


def test_every_object_has_the_required_keys_and_no_others():
    raw = _raw()
    required, allowed = _fields(FormulationFile)
    assert set(raw) == required == allowed
    checks = [
        (PersonSpec, raw["people"]),
        (BodySpec, raw["bodies"]),
        (MemberSpec, [m for b in raw["bodies"] for m in b["members"]]),
        (PhaseSpec, raw["phases"]),
        (TaskSpec, [t for p in raw["phases"] for t in p["tasks"]]),
        (HistorySpec, raw["history"]),
    ]
    for spec, items in checks:
        required, allowed = _fields(spec)
        for item in items:
            assert required <= set(item) <= allowed, (spec.__name__, item)


def test_keys_are_unique_and_references_resolve():
    usernames = [p.username for p in data.PEOPLE]
    assert len(set(usernames)) == len(usernames)
    # jimukyoku and henshu are demo staff of load-demo, not people of this file.
    known = set(usernames) | {"jimukyoku", "henshu"}
    assert {"jimukyoku", "henshu"} <= {s.username for s in STAFF}
    assert not set(usernames) & {s.username for s in STAFF}
    body_keys = [b.key for b in data.BODIES]
    assert len(set(body_keys)) == len(body_keys)
    for body in data.BODIES:
        members = [m.username for m in body.members]
        assert set(members) <= known and len(set(members)) == len(members), body.key
        chairs = Counter(m.role for m in body.members)["chair"]
        assert chairs == (0 if body.kind == "consultant" else 1), body.key
        assert {m.role for m in body.members} <= set(Membership.Role.values), body.key
        assert body.kind in Body.Kind.values
    task_keys = [t.key for t in _tasks()]
    assert len(set(task_keys)) == len(task_keys)
    seen: set[str] = set()
    for task in _tasks():
        assert task.owner in body_keys, task.key
        assert set(task.depends_on) <= seen, task.key  # only on earlier tasks
        assert task.kind in Task.Kind.values
        seen.add(task.key)
    assert {h[2] for h in data.HISTORY} <= known | {"@lead"}


def test_dates_parse_and_lie_in_their_fiscal_quarter():
    # Fiscal year y: q1 Apr–Jun, q2 Jul–Sep, q3 Oct–Dec of y, q4 Jan–Mar of y+1.
    # quarter: ((years after y, month) of its first day, (…) of the day after it)
    bounds = {1: ((0, 4), (0, 7)), 2: ((0, 7), (0, 10)), 3: ((0, 10), (1, 1)), 4: ((1, 1), (1, 4))}
    for phase in data.PHASES:
        (dy1, m1), (dy2, m2) = bounds[phase.quarter]
        first = dt.date(phase.fiscal_year + dy1, m1, 1)
        after = dt.date(phase.fiscal_year + dy2, m2, 1)
        for task in phase.tasks:
            assert isinstance(task.start, dt.date) and isinstance(task.end, dt.date)
            assert task.start <= task.end, task.key
            assert first <= task.start < after, task.key
    days = [h[1] for h in data.HISTORY]
    assert days == sorted(days)
    assert days[-1] == dt.date(2024, 12, 19)


def test_sections_and_areas_point_into_the_demo_plan():
    sections = {s.code for d in DEPARTMENTS for s in d.sections}
    assert {p.section for p in data.PEOPLE if p.section is not None} <= sections
    assert {b.department for b in data.BODIES if b.department is not None} == {"0101"}
    areas = [n for b in data.BODIES for n in b.areas]
    # The 5 subcommittees share the 7 policy areas, each area once.
    assert sorted(areas) == [a.number for a in AREAS] == [1, 2, 3, 4, 5, 6, 7]
    assert {b.kind for b in data.BODIES if b.areas} == {"subcommittee"}
    first_measure = AREAS[0].measures[data.RETURNED_MEASURE_CODE_INDEX]
    assert first_measure.code == "1-1"


def test_a_bad_date_in_the_file_is_reported_with_its_place():
    raw = _raw()
    raw["phases"][3]["tasks"][1]["end"] = "2023-12-32"
    with pytest.raises(DemoDataError) as err:
        datafile.build(FormulationFile, raw, "demo/formulation.json")
    assert str(err.value) == (
        "demo/formulation.json: phases[3].tasks[1].end: 日付（YYYY-MM-DD） を書いてください"
        '（いまは "2023-12-32"）。'
    )
