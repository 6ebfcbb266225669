"""Pure rules of the formulation: states and roles, version comparison, schedule (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.core.domain.textdiff import Segment
from keikaku.workflow.domain.schedule import (
    PhaseState,
    TaskInput,
    TaskStatus,
    assess_tasks,
    find_cycle,
    phase_progress,
    quarter_label,
    window,
)
from keikaku.workflow.domain.states import (
    EDIT_ROLES,
    STATE_ORDER,
    TRANSITIONS,
    Role,
    State,
    TransitionRefused,
    allowed_transitions,
    can_edit,
    check_transition,
    state_index,
    state_label,
)
from keikaku.workflow.domain.versions import (
    compare,
    field_choices,
    flatten,
    format_value,
)

D = dt.date

# --- states -------------------------------------------------------------------------------------


def _actions(state: State, *roles: Role) -> tuple[str, ...]:
    return tuple(t.action for t in allowed_transitions(state, roles))


def test_labels_follow_the_seed_order():
    assert [state_label(s) for s in STATE_ORDER] == [
        "作成中",
        "部会案",
        "本部調整",
        "素案",
        "原案",
        "最終案（経営会議決定）",
        "議決済",
    ]


def test_each_role_gets_its_own_steps():
    assert _actions(State.DRAFTING, Role.AUTHOR) == ("submit",)
    assert _actions(State.DRAFTING, Role.HEADQUARTERS) == ()
    assert _actions(State.PROPOSED, Role.AUTHOR) == ()
    assert _actions(State.PROPOSED, Role.AUTHOR_LEAD) == ("withdraw",)
    assert _actions(State.PROPOSED, Role.HEADQUARTERS) == ("approve", "return")
    assert _actions(State.HQ_REVIEW, Role.HEADQUARTERS) == ("return",)
    assert _actions(State.HQ_REVIEW, Role.SECRETARIAT) == ("promote_draft",)
    assert _actions(State.DRAFT, Role.SECRETARIAT) == ("promote_final",)
    assert _actions(State.DRAFT, Role.HEADQUARTERS) == ("reopen", "promote_final")
    assert _actions(State.FINAL_DRAFT, Role.MANAGEMENT_COUNCIL) == ("decide", "send_back")
    assert _actions(State.DECIDED, Role.SECRETARIAT) == ("enact",)
    assert _actions(State.ENACTED, Role.SUPERUSER) == ()
    assert _actions(State.FINAL_DRAFT, Role.CONSULTANT, Role.STAFF) == ()
    assert _actions(State.PROPOSED, Role.SUPERUSER) == ("withdraw", "approve", "return")


def test_refusals_say_why_in_japanese():
    with pytest.raises(TransitionRefused) as err:
        check_transition(State.DRAFTING, "approve", {Role.HEADQUARTERS}, "")
    assert str(err.value) == "「作成中」の状態からは「承認して本部調整へ進める」はできません。"
    with pytest.raises(TransitionRefused) as err:
        check_transition(State.PROPOSED, "approve", {Role.AUTHOR}, "")
    assert str(err.value) == "「承認して本部調整へ進める」は策定本部だけが行えます。"
    with pytest.raises(TransitionRefused) as err:
        check_transition(State.DRAFTING, "submit", {Role.CONSULTANT}, "")
    assert str(err.value) == (
        "「部会案として提出」は作成担当（専門部会員）・作成担当の長（部会長）・事務局だけが行えます。"
    )
    with pytest.raises(TransitionRefused) as err:
        check_transition(State.PROPOSED, "return", {Role.HEADQUARTERS}, " \n ")
    assert str(err.value) == (
        "「コメントを付けて差し戻す」には理由のコメントが必要です。コメント欄に入力してください。"
    )
    step = check_transition(State.PROPOSED, "return", {Role.HEADQUARTERS}, "根拠を書いてください")
    assert (step.source, step.target) == (State.PROPOSED, State.DRAFTING)


def test_who_edits_in_which_state():
    assert can_edit(State.DRAFTING, {Role.AUTHOR})
    assert not can_edit(State.PROPOSED, {Role.AUTHOR})
    assert can_edit(State.PROPOSED, {Role.AUTHOR_LEAD})
    assert not can_edit(State.HQ_REVIEW, {Role.HEADQUARTERS, Role.AUTHOR_LEAD})
    assert can_edit(State.FINAL_DRAFT, {Role.SECRETARIAT})
    assert not can_edit(State.DECIDED, {Role.SECRETARIAT})
    assert can_edit(State.ENACTED, {Role.SUPERUSER})
    assert not can_edit(State.DRAFTING, {Role.STAFF, Role.CONSULTANT, Role.MANAGEMENT_COUNCIL})
    assert set(EDIT_ROLES) == set(State)


def test_the_table_is_coherent():
    # every state is reachable from 作成中 and 議決済 is final
    reached = {State.DRAFTING}
    frontier = [State.DRAFTING]
    while frontier:
        state = frontier.pop()
        for t in TRANSITIONS:
            if t.source == state and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(State)
    assert not [t for t in TRANSITIONS if t.source == State.ENACTED]
    for t in TRANSITIONS:
        forward = state_index(t.target) > state_index(t.source)
        # returns need a reason and keep no version; forward steps other than the ones that
        # only hand the draft back and forth keep a version
        if t.comment_required:
            assert not forward and not t.snapshot, t
        if t.snapshot:
            assert forward, t


@given(st.sets(st.sampled_from(list(Role))), st.sampled_from(list(State)))
def test_allowed_steps_are_exactly_those_check_transition_accepts(roles, state):
    allowed = {t.action for t in allowed_transitions(state, roles)}
    for t in TRANSITIONS:
        if t.source != state:
            continue
        try:
            check_transition(state, t.action, roles, "理由")
            accepted = True
        except TransitionRefused:
            accepted = False
        assert accepted == (t.action in allowed)


# --- versions -----------------------------------------------------------------------------------


def test_side_by_side_keeps_shared_text_on_both_sides():
    # 子育て支援の[+拡]充[-実]: left shows 充 and the deleted 実, right the inserted 拡 and 充
    result = compare("measure", {"title": "子育て支援の充実"}, {"title": "子育て支援の拡充"})
    title = next(f for f in result.fields if f.key == "title")
    assert title.changed
    assert title.before == (
        Segment("equal", "子育て支援の"),
        Segment("equal", "充"),
        Segment("delete", "実"),
    )
    assert title.after == (
        Segment("equal", "子育て支援の"),
        Segment("insert", "拡"),
        Segment("equal", "充"),
    )
    assert result.changed_count == 1


def test_flatten_renders_lists_indicators_and_initiatives():
    data = {
        "code": "1-1",
        "title": "子育て支援の充実",
        "departments": ["こども支援課", "保育課"],
        "sdgs": [3, 4],
        "related_plans": ["子ども・子育て支援事業計画", "母子保健計画"],
        "initiatives": [
            {"title": "保育の受け皿の確保", "description": "", "section": "保育課"},
            {"title": "相談支援", "description": "窓口を一つにします", "section": ""},
        ],
        "indicators": [
            {
                "code": "1-1-1",
                "name": "待機児童数",
                "unit": "人",
                "baseline_value": 12.0,
                "baseline_fy": 2023,
                "target_value": 0.0,
                "target_fy": 2029,
            },
            {"code": "1-1-2", "name": "満足度", "unit": "", "baseline_value": None},
        ],
    }
    texts = {f.key: f.text for f in flatten("measure", data)}
    assert texts["departments"] == "こども支援課、保育課"
    assert texts["sdgs"] == "3、4"
    assert texts["related_plans"] == "子ども・子育て支援事業計画\n母子保健計画"
    assert texts["initiatives"] == "・保育の受け皿の確保（保育課）\n・相談支援：窓口を一つにします"
    assert texts["indicators"] == (
        "1-1-1 待機児童数（人） 基準値 12（2023年度） → 目標値 0（2029年度）\n"
        "1-1-2 満足度 基準値 — → 目標値 —"
    )
    assert texts["plain_summary"] == ""


def test_format_value():
    assert format_value(1234.5) == "1,234.5"
    assert format_value(3.0) == "3"
    assert format_value(0.125) == "0.125"
    assert format_value(70255) == "70,255"
    assert format_value(None) == ""
    assert format_value(True) == "はい"


def test_field_choices_and_unknown_kind():
    assert field_choices("introduction") == (("title", "基本計画の名称"), ("introduction", "序論"))
    with pytest.raises(ValueError) as err:
        flatten("programme", {})
    assert str(err.value) == (
        "区分「programme」の版は比較できません。施策・重点戦略・序論のいずれかです。"
    )


@given(st.text(max_size=40), st.text(max_size=40))
def test_each_side_of_a_comparison_rebuilds_its_version(before, after):
    result = compare("introduction", {"introduction": before}, {"introduction": after})
    field = next(f for f in result.fields if f.key == "introduction")
    assert "".join(s.text for s in field.before) == before
    assert "".join(s.text for s in field.after) == after
    assert field.changed == (before != after)


# --- schedule -----------------------------------------------------------------------------------


def _task(key, start, end, status, *deps):
    return TaskInput(key, f"作業{key}", start, end, TaskStatus(status), tuple(deps))


def test_assess_tasks_marks_late_waiting_and_conflicting_work():
    tasks = [
        _task(1, D(2024, 4, 1), D(2024, 5, 15), "done"),
        _task(2, D(2024, 5, 1), D(2024, 6, 30), "in_progress", 1),
        _task(3, D(2024, 7, 1), D(2024, 7, 31), "not_started", 2),
        _task(4, D(2024, 4, 1), D(2024, 4, 30), "cancelled"),
    ]
    result = assess_tasks(tasks, today=D(2024, 7, 10))
    assert result[1].late is False  # done
    assert result[2].late is True  # ended 6/30, still in progress on 7/10
    assert result[2].waiting_on == ()  # task 1 is done
    assert result[2].conflicts == (1,)  # task 1 ends 5/15, after task 2 starts 5/1
    assert result[3].late is False  # ends 7/31
    assert result[3].waiting_on == (2,)
    assert result[3].conflicts == ()  # task 2 ends 6/30, before 7/1
    assert result[4].late is False  # cancelled work is never late


def test_find_cycle():
    assert find_cycle({1: [2], 2: [3], 3: [1]}) == (1, 2, 3, 1)
    assert find_cycle({1: [2], 2: []}) is None
    assert find_cycle({5: [5]}) == (5, 5)
    assert find_cycle({1: [2, 3], 2: [3], 3: []}) is None


@given(st.integers(min_value=2, max_value=12))
def test_a_chain_has_no_cycle_until_it_is_closed(n):
    chain = {i: [i + 1] for i in range(1, n)}
    assert find_cycle(chain) is None
    chain[n] = [1]
    cycle = find_cycle(chain)
    assert cycle is not None and cycle[0] == cycle[-1] and len(cycle) == n + 1


def test_phase_progress():
    q = (D(2024, 4, 1), D(2024, 6, 30))
    empty = phase_progress([], *q, today=D(2024, 7, 1))
    assert (empty.state, empty.total, empty.share) == (PhaseState.DONE, 0, None)
    assert phase_progress([], *q, today=D(2024, 3, 1)).state == PhaseState.PLANNED
    started = phase_progress(["done", "not_started"], *q, today=D(2024, 3, 1))
    assert (started.state, started.closed, started.share) == (PhaseState.IN_PROGRESS, 1, 0.5)
    assert phase_progress(["not_started"], *q, today=D(2024, 3, 1)).state == PhaseState.PLANNED
    assert phase_progress(["not_started"], *q, today=D(2024, 4, 1)).state == PhaseState.IN_PROGRESS
    done = phase_progress(["done", "cancelled"], *q, today=D(2024, 3, 1))
    assert (done.state, done.share) == (PhaseState.DONE, 1.0)


def test_quarter_labels_and_window():
    assert quarter_label(2023, 1) == "令和5（2023）年度 4～6月"
    assert quarter_label(2023, 4) == "令和5（2023）年度 1～3月"
    assert quarter_label(2019, 2) == "令和元（2019）年度 7～9月"
    assert quarter_label(2023, 1, lang="en") == "FY2023 Apr–Jun"
    assert quarter_label(2023, 4, lang="en-gb") == "FY2023 Jan–Mar"
    assert quarter_label(2023, 4, lang="ja") == "令和5（2023）年度 1～3月"
    with pytest.raises(ValueError) as err:
        quarter_label(2023, 5)
    assert str(err.value) == "第5四半期はありません。四半期は1から4で指定してください。"
    assert window([D(2023, 5, 10)], [D(2024, 11, 29)]) == (D(2023, 4, 1), D(2024, 12, 31))
    assert window([], []) is None
