"""Staff decisions over the engine's groups (pure, no database) and the personal-data guard."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.analysis.domain.decisions import (
    EffectiveGroup,
    EngineGroup,
    GroupDecision,
    apply_group_decisions,
    examples_by_measure,
    voice_count,
    voice_keys,
)
from keikaku.analysis.domain.privacy import personal_column_message, personal_columns

ORDER = ["a", "b", "c", "d", "e", "f"]
ENGINE = [
    EngineGroup("dup-0001", ("a", "b", "c"), "a"),
    EngineGroup("dup-0002", ("d", "e"), "d"),
]


def test_no_decisions_keep_the_engine_groups() -> None:
    assert apply_group_decisions(ORDER, ENGINE, [], prefix="dup") == (
        EffectiveGroup("dup-0001", ("a", "b", "c"), "a", False),
        EffectiveGroup("dup-0002", ("d", "e"), "d", False),
    )


def test_split_takes_one_opinion_out_and_a_pair_falls_apart() -> None:
    # b leaves dup-0001 (a, c remain); e leaves dup-0002, whose d is then alone: no group
    out = apply_group_decisions(
        ORDER, ENGINE, [GroupDecision("b", "split"), GroupDecision("e", "split")], prefix="dup"
    )
    assert out == (EffectiveGroup("dup-0001", ("a", "c"), "a", True),)


def test_split_of_the_representative_passes_it_to_the_first_member() -> None:
    out = apply_group_decisions(ORDER, ENGINE, [GroupDecision("a", "split")], prefix="dup")
    assert out[0] == EffectiveGroup("dup-0001", ("b", "c"), "b", True)


def test_merge_a_whole_group_into_another() -> None:
    # d and e join a's group: one group of five, keeping dup-0001's id and representative
    decisions = [GroupDecision("d", "merge", "a"), GroupDecision("e", "merge", "a")]
    assert apply_group_decisions(ORDER, ENGINE, decisions, prefix="dup") == (
        EffectiveGroup("dup-0001", ("a", "b", "c", "d", "e"), "a", True, ("d", "e")),
    )


def test_merge_of_two_ungrouped_opinions_makes_a_staff_group() -> None:
    out = apply_group_decisions(ORDER, [], [GroupDecision("f", "merge", "b")], prefix="camp")
    assert out == (EffectiveGroup("camp-s001", ("b", "f"), "b", True, ("f",)),)


def test_decisions_outside_the_run_are_ignored() -> None:
    decisions = [GroupDecision("x", "split"), GroupDecision("f", "merge", "y")]
    out = apply_group_decisions(ORDER, ENGINE, decisions, prefix="dup")
    assert out == apply_group_decisions(ORDER, ENGINE, [], prefix="dup")


def test_a_split_opinion_can_be_merged_again_by_others() -> None:
    # c stands alone, then f is merged with c: a new staff group (c, f)
    decisions = [GroupDecision("c", "split"), GroupDecision("f", "merge", "c")]
    out = apply_group_decisions(ORDER, ENGINE, decisions, prefix="dup")
    # ordered by first member: a (0), c (2), d (3)
    assert out == (
        EffectiveGroup("dup-0001", ("a", "b"), "a", True),
        EffectiveGroup("dup-s001", ("c", "f"), "c", True, ("f",)),
        EffectiveGroup("dup-0002", ("d", "e"), "d", False),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ORDER), st.sampled_from(["merge", "split"]), st.sampled_from(ORDER)
        ),
        max_size=8,
    )
)
def test_groups_partition_and_order_does_not_matter(raw: list[tuple[str, str, str]]) -> None:
    decisions: dict[str, GroupDecision] = {}
    for oid, action, anchor in raw:  # one decision per opinion, as stored
        decisions[oid] = GroupDecision(oid, action, anchor if action == "merge" else "")  # type: ignore[arg-type]
    items = list(decisions.values())
    forward = apply_group_decisions(ORDER, ENGINE, items, prefix="dup")
    backward = apply_group_decisions(ORDER, ENGINE, list(reversed(items)), prefix="dup")
    assert forward == backward
    seen = [m for g in forward for m in g.members]
    assert len(seen) == len(set(seen))
    assert all(len(g.members) >= 2 and g.representative in g.members for g in forward)
    # an opinion merged with an anchor in the run is in the anchor's group
    for d in items:
        if d.action == "merge" and d.anchor_id != d.opinion_id:
            group = next(g for g in forward if d.opinion_id in g.members)
            assert d.anchor_id in group.members


def test_voices_join_duplicates_and_campaigns() -> None:
    dups = (EffectiveGroup("dup-0001", ("a", "b"), "a", False),)
    camps = (EffectiveGroup("camp-0001", ("b", "c", "e"), "b", False),)
    voices = voice_keys(ORDER, dups, camps)
    # a–b (duplicate) and b–c–e (campaign) are one voice; d and f are their own
    assert voices == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "a", "f": "f"}
    assert voice_count(ORDER, voices) == 3
    assert voice_count(["c", "d"], voices) == 2


def test_examples_by_measure_leave_out_the_run_and_cap() -> None:
    decisions = [
        ("o1", "1-1", "保育園を増やして"),
        ("o2", "1-1", "学童を増やして"),
        ("o3", "1-1", "児童館がほしい"),
        ("o4", "4-2", "  "),
        ("o5", "4-2", "バスの本数"),
    ]
    assert examples_by_measure(decisions, ["o2"], limit=1) == {
        "1-1": ("保育園を増やして",),
        "4-2": ("バスの本数",),
    }


def test_personal_columns_are_found_by_name() -> None:
    header = [
        "id",
        "text",
        "氏名",
        "年代",
        "ご住所",
        "電話番号",
        "E-Mail",
        "name",
        "地区名",
        "施策名",
    ]
    assert personal_columns(header) == ["氏名", "ご住所", "電話番号", "E-Mail", "name"]
    assert personal_columns(["id", "text", "年代", "地区"]) == []
    assert personal_column_message("ikensho.csv", ["氏名", "住所"]) == (
        "ikensho.csv: 「氏名」「住所」列は個人情報（氏名・住所・連絡先）です。"
        "分析には使えないので、列を削除したファイルを選んでください。"
    )
