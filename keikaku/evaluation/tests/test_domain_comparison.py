"""Edition comparison by lineage (no database)."""

from __future__ import annotations

from keikaku.evaluation.domain.comparison import (
    IndicatorChangeKind,
    IndicatorNode,
    LineageNode,
    MeasureChangeKind,
    MeasureNode,
    compare_editions,
    compare_items,
    comparison_rows,
    comparison_tables,
)

FORMER = [
    MeasureNode(1, "1-1", "子育て支援の充実", 1, "子育て・教育"),
    MeasureNode(2, "1-2", "保育サービスの充実", 1, "子育て・教育"),
    MeasureNode(3, "1-3", "学校教育の充実", 1, "子育て・教育"),
    MeasureNode(4, "2-1", "健康づくり", 2, "健康"),
    MeasureNode(5, "2-2", "地域医療", 2, "健康"),
    MeasureNode(6, "3-1", "防犯", 3, "安全"),
]
LATTER = [
    # 1-1 renamed
    MeasureNode(11, "1-1", "こども・子育て支援の充実", 1, "子育て・教育", predecessor_id=1),
    # 1-2 merged into 1-3
    MeasureNode(13, "1-2", "学校教育と保育の充実", 1, "子育て・教育", 3, merged_from=(2,)),
    # 2-1 split into 2-1 and 2-3
    MeasureNode(14, "2-1", "健康づくり", 2, "健康", predecessor_id=4),
    MeasureNode(16, "2-3", "こころの健康", 2, "健康", predecessor_id=4),
    # 2-2 continued, renumbered and moved to area 3
    MeasureNode(15, "3-2", "地域医療", 3, "安全・医療", predecessor_id=5),
    # new
    MeasureNode(17, "4-1", "デジタル化の推進", 4, "行財政"),
]


def test_measure_changes() -> None:
    result = compare_editions(FORMER, LATTER, [], [])
    kinds = [
        (c.kind, [r.code for r in c.former], [r.code for r in c.latter]) for c in result.measures
    ]
    assert kinds == [
        (MeasureChangeKind.RENAMED, ["1-1"], ["1-1"]),
        (MeasureChangeKind.MERGED, ["1-3", "1-2"], ["1-2"]),
        (MeasureChangeKind.SPLIT, ["2-1"], ["2-1", "2-3"]),
        (MeasureChangeKind.CONTINUED, ["2-2"], ["3-2"]),
        (MeasureChangeKind.ADDED, [], ["4-1"]),
        (MeasureChangeKind.REMOVED, ["3-1"], []),
    ]
    renamed, merged, split, moved, _added, _removed = result.measures
    assert renamed.details == ("名称「子育て支援の充実」→「こども・子育て支援の充実」",)
    assert merged.details == ("1-3・1-2 を 1-2 に統合",)
    assert split.details == ("2-1 を 2-1・2-3 に分割",)
    assert moved.details == ("施策番号 2-2 → 3-2", "政策分野 2. 健康 → 3. 安全・医療")
    assert result.measure_counts() == {
        MeasureChangeKind.ADDED: 1,
        MeasureChangeKind.REMOVED: 1,
        MeasureChangeKind.MERGED: 1,
        MeasureChangeKind.SPLIT: 1,
        MeasureChangeKind.RENAMED: 1,
        MeasureChangeKind.CONTINUED: 1,
    }
    assert [c.kind_label for c in result.measures] == [
        "名称変更",
        "統合",
        "分割",
        "継続",
        "新設",
        "廃止",
    ]


def test_title_match_ignores_width_and_spaces() -> None:
    former = [MeasureNode(1, "1-1", "ＩＣＴ 教育", 1, "教育")]
    latter = [MeasureNode(2, "1-1", "ICT教育", 1, "教育", predecessor_id=1)]
    # NFKC + lower case + single spaces: 「ＩＣＴ 教育」 and 「ICT教育」 differ only by a space
    change = compare_editions(former, latter, [], []).measures[0]
    assert change.kind is MeasureChangeKind.RENAMED
    same = [MeasureNode(2, "1-1", "ICT 教育", 1, "教育", predecessor_id=1)]
    assert compare_editions(former, same, [], []).measures[0].kind is MeasureChangeKind.CONTINUED


def node(i: int, code: str, **kw: object) -> IndicatorNode:
    base = dict(
        name="利用者数",
        unit="人",
        direction="increase",
        baseline=40.0,
        baseline_fy=2018,
        target=50.0,
        target_fy=2024,
        measure_code="1-1",
    )
    base.update(kw)
    return IndicatorNode(id=i, code=code, **base)  # type: ignore[arg-type]


def test_indicator_changes() -> None:
    former = [node(1, "1-1-1"), node(2, "1-1-2", name="待機児童数"), node(3, "1-1-3")]
    latter = [
        node(
            11,
            "1-1-1",
            baseline=48.0,
            baseline_fy=2024,
            target=60.0,
            target_fy=2029,
            predecessor_id=1,
        ),
        node(12, "1-1-2", name="待機児童数", predecessor_id=2),
        node(13, "1-1-4", name="相談件数", unit="件"),
    ]
    result = compare_editions([], [], former, latter)
    assert [(c.kind, c.former_code, c.latter_code) for c in result.indicators] == [
        (IndicatorChangeKind.CHANGED, "1-1-1", "1-1-1"),
        (IndicatorChangeKind.CONTINUED, "1-1-2", "1-1-2"),
        (IndicatorChangeKind.ADDED, "", "1-1-4"),
        (IndicatorChangeKind.REMOVED, "1-1-3", ""),
    ]
    changed = result.indicators[0]
    assert [(f.label, f.before, f.after) for f in changed.changes] == [
        ("基準値", "40", "48"),
        ("基準値の年度", "平成30（2018）年度", "令和6（2024）年度"),
        ("目標値", "50", "60"),
        ("目標年度", "令和6（2024）年度", "令和11（2029）年度"),
    ]
    assert changed.change("target") is not None
    assert changed.change("unit") is None


def test_rows_for_export() -> None:
    former = [node(1, "1-1-1")]
    latter = [node(2, "1-1-1", target=None, predecessor_id=1)]
    result = compare_editions(FORMER[:1], LATTER[:1], former, latter)
    m_header, m_rows, i_header, i_rows = comparison_rows(result)
    assert m_header[0] == "区分"
    assert m_rows == [
        [
            "名称変更",
            "1-1",
            "子育て支援の充実",
            "1-1",
            "こども・子育て支援の充実",
            "名称「子育て支援の充実」→「こども・子育て支援の充実」",
        ],
    ]
    assert i_header[-3:] == ["変更した項目", "変更前", "変更後"]
    assert i_rows == [
        [
            "変更",
            "1-1",
            "1-1-1",
            "利用者数",
            "1-1",
            "1-1-1",
            "利用者数",
            "目標値",
            "目標値: 50",
            "目標値: —",
        ],
    ]


FORMER_PROGRAMMES = [
    LineageNode(1, "P-1", "地域子育て支援拠点事業", parent="1-1"),
    LineageNode(2, "P-2", "子育て相談事業", parent="1-1"),
    LineageNode(3, "P-3", "健康マイレージ事業", parent="2-1"),
    LineageNode(4, "P-4", "がん検診事業", parent="2-1"),
    LineageNode(5, "P-5", "防犯灯設置事業", parent="3-1"),
]
LATTER_PROGRAMMES = [
    # P-1 and P-2 merged into one
    LineageNode(11, "P-1", "子育て拠点・相談事業", (1, 2), parent="1-1"),
    # P-3 split in two
    LineageNode(13, "P-3", "健康マイレージ事業", (3,), parent="2-1"),
    LineageNode(14, "P-6", "健康アプリ事業", (3,), parent="2-3"),
    # P-4 renumbered, renamed and moved to another measure
    LineageNode(15, "P-7", "がん検診・健診事業", (4,), parent="2-3"),
    # new; a link to an item that is not in the former edition is ignored
    LineageNode(16, "P-8", "デジタル窓口事業", (99,), parent="4-1"),
]


def test_programme_changes_by_lineage() -> None:
    changes = compare_items(FORMER_PROGRAMMES, LATTER_PROGRAMMES, parent_label="施策")
    assert [
        (c.kind, [r.code for r in c.former], [r.code for r in c.latter], c.details) for c in changes
    ] == [
        (MeasureChangeKind.MERGED, ["P-1", "P-2"], ["P-1"], ("P-1・P-2 を P-1 に統合",)),
        (MeasureChangeKind.SPLIT, ["P-3"], ["P-3", "P-6"], ("P-3 を P-3・P-6 に分割",)),
        (
            MeasureChangeKind.RENAMED,
            ["P-4"],
            ["P-7"],
            (
                "番号 P-4 → P-7",
                "施策 2-1 → 2-3",
                "名称「がん検診事業」→「がん検診・健診事業」",
            ),
        ),
        (MeasureChangeKind.ADDED, [], ["P-8"], ()),
        (MeasureChangeKind.REMOVED, ["P-5"], [], ()),
    ]
    assert [c.kind_label for c in changes] == ["統合", "分割", "名称変更", "新設", "廃止"]


def test_strategies_in_the_comparison_and_its_tables() -> None:
    former = [LineageNode(1, "重点戦略1", "子育て"), LineageNode(2, "重点戦略2", "健康")]
    latter = [
        LineageNode(11, "重点戦略1", "こどもにやさしいまちづくり", (1,)),
        LineageNode(12, "重点戦略2", "健康", (2,)),
    ]
    result = compare_editions([], [], [], [], former, latter, FORMER_PROGRAMMES[4:], [])
    assert [(c.kind_label, c.details) for c in result.strategies] == [
        ("名称変更", ("名称「子育て」→「こどもにやさしいまちづくり」",)),
        ("継続", ()),
    ]
    assert result.strategy_counts()[MeasureChangeKind.RENAMED] == 1
    assert result.programme_counts()[MeasureChangeKind.REMOVED] == 1
    tables = comparison_tables(result)
    assert [(t.key, t.title, len(t.rows)) for t in tables] == [
        ("measures", "施策", 0),
        ("strategies", "重点戦略", 2),
        ("programmes", "事務事業", 1),
        ("indicators", "成果指標", 0),
    ]
    assert tables[1].header == (
        "区分",
        "前期の重点戦略番号",
        "前期の重点戦略名",
        "後期の重点戦略番号",
        "後期の重点戦略名",
        "内容",
    )
    assert tables[1].rows[0] == (
        "名称変更",
        "重点戦略1",
        "子育て",
        "重点戦略1",
        "こどもにやさしいまちづくり",
        "名称「子育て」→「こどもにやさしいまちづくり」",
    )
    assert tables[2].rows == (("廃止", "P-5", "防犯灯設置事業", "", "", ""),)
