"""Pure rules of citizens' voices: masking, receipts, keys, periods, drafts, results (no DB)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.participation.domain import draft, intake, masking
from keikaku.participation.domain.result import (
    DEFAULT_CATEGORIES,
    Category,
    CategoryFormatError,
    GroupFact,
    OpinionFact,
    build_result,
    parse_categories,
    result_problems,
)

# --- masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("電話は090-1234-5678です。", "電話は［電話番号］です。"),
        ("０４９－２７１－１１１１までお電話ください", "［電話番号］までお電話ください"),
        ("連絡先 taro@example.jp まで", "連絡先 ［メールアドレス］ まで"),
        ("〒350-2292", "［郵便番号］"),
        ("埼玉県鶴ヶ島市三ツ木新町一丁目1番1号に住んでいます。", "［住所］に住んでいます。"),
        (
            "〒350-2292 埼玉県鶴ヶ島市三ツ木新町一丁目1番1号 鶴ヶ島太郎",
            "［郵便番号］ ［住所］ 鶴ヶ島太郎",
        ),
        ("携帯 09012345678 に", "携帯 ［電話番号］ に"),
        ("(049)271-1111", "［電話番号］"),
        ("＋８１－９０－１２３４－５６７８", "［電話番号］"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "［メールアドレス］"),
        ("鶴ヶ島市脚折町6-1-2の者です", "［住所］の者です"),
        ("鶴ヶ島市藤金800番地の1に", "［住所］に"),
        ("東京都千代田区霞が関1-3-1", "［住所］"),
        ("049ー271ー1111（代表）", "［電話番号］（代表）"),
    ],
)
def test_personal_data_is_masked_in_japanese_examples(text: str, expected: str) -> None:
    assert masking.mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "鶴ヶ島市の公園をもっと増やしてほしい。",
        "2024年6月1日の説明会で施策3-1について聞きました。",
        "第6次総合計画の3番目の目標に賛成です。",
        "鶴ヶ島市は県内で3番目に若いまちだそうです。",
        "人口は70,255人（2015年）がピークでした。",
        "予算1,234,567千円は多すぎる。R6.7.1に提出。",
        "髙橋さんと𠮷田さんの意見に賛成です。",
    ],
)
def test_text_without_personal_data_is_unchanged(text: str) -> None:
    assert masking.mask_personal_data(text) == text
    assert masking.contains_personal_data(text) is False


def test_spans_point_into_the_original_text() -> None:
    text = "ＴＥＬ：０９０－１２３４－５６７８"
    [span] = masking.find_personal_data(text)
    assert (span.kind, text[span.start : span.end]) == ("phone", "０９０－１２３４－５６７８")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="あいうえお市町村丁目番号-0123456789０１２３@.abc〒ー 　", max_size=60))
def test_masking_keeps_every_unmasked_character(text: str) -> None:
    # Removing the spans from the text leaves exactly the text outside the spans.
    spans = masking.find_personal_data(text)
    outside = "".join(
        ch for i, ch in enumerate(text) if not any(s.start <= i < s.end for s in spans)
    )
    masked = masking.mask_personal_data(text)
    for label in ("［電話番号］", "［メールアドレス］", "［郵便番号］", "［住所］"):
        masked = masked.replace(label, "")
    assert masked == outside
    assert masking.matching_view(text).__len__() == len(text)


# --- receipts and keys ------------------------------------------------------------------------


def test_receipt_format_and_parse() -> None:
    assert intake.format_receipt("C", 2024, 7) == "C-2024-00007"
    assert intake.format_receipt("P", 2025, 123456) == "P-2025-123456"
    assert intake.parse_receipt(" H-2025-00012 ") == intake.Receipt("H", 2025, 12)
    with pytest.raises(ValueError, match="受付番号の形"):
        intake.parse_receipt("X-2024-00001")
    with pytest.raises(ValueError, match="受付番号の種類「Z」は使えません"):
        intake.format_receipt("Z", 2024, 1)


def test_submission_key_same_form_same_content_only() -> None:
    token = "0123456789abcdef0123456789abcdef"
    fields = ["public_comment", "3", "p:measure-1-1-target-1", "保育所を増やしてください。"]
    key = intake.submission_key(token, fields)
    assert key == intake.submission_key(token, list(fields))
    assert len(key) == 64
    assert key != intake.submission_key(token, fields[:-1] + ["保育所を増やしてください"])
    assert key != intake.submission_key("f" * 32, fields)
    # The separator prevents two fields from running into one another.
    assert intake.submission_key(token, ["ab", "c"]) != intake.submission_key(token, ["a", "bc"])
    assert intake.is_form_token(token) is True
    assert intake.is_form_token(token.upper()) is False
    assert intake.is_form_token("") is False


def test_submitter_key_ignores_spacing_and_width() -> None:
    a = intake.submitter_key("secret", "鶴ヶ島 太郎", "鶴ヶ島市三ツ木新町1-1-1")
    b = intake.submitter_key("secret", "鶴ヶ島　太郎", "鶴ヶ島市三ツ木新町１－１－１")
    c = intake.submitter_key("secret", "鶴ヶ島 花子", "鶴ヶ島市三ツ木新町1-1-1")
    assert a == b
    assert a != c
    assert intake.submitter_key("secret", "", "  ") == ""
    assert intake.submitter_key("other", "鶴ヶ島 太郎", "鶴ヶ島市三ツ木新町1-1-1") != a


def test_period_counts_both_days() -> None:
    # 2024-06-01 … 2024-06-30: 29 days apart + the first day = 30 days.
    assert intake.period_days(date(2024, 6, 1), date(2024, 6, 30)) == 30
    assert intake.period_problem(date(2024, 6, 1), date(2024, 6, 30), "") is None
    assert intake.period_problem(date(2024, 6, 1), date(2024, 6, 29), "") == (
        "意見募集の期間が29日間で、30日に足りません。30日未満とする理由を「期間を短くする理由」に書いてください。"
    )
    assert intake.period_problem(date(2024, 6, 1), date(2024, 6, 20), "軽微な変更のため") is None
    assert intake.period_problem(date(2024, 6, 2), date(2024, 6, 1), "x") == (
        "締切日は募集開始日より後にしてください。"
    )


def test_plain_text_problems_say_where_and_what() -> None:
    assert intake.plain_text_problem("ok", label="ご意見", max_chars=10, required=True) is None
    assert intake.plain_text_problem(" \n", label="ご意見", max_chars=10, required=True) == (
        "「ご意見」を入力してください。"
    )
    assert intake.plain_text_problem(
        "あ" * 4001, label="ご意見", max_chars=4000, required=True
    ) == (
        "「ご意見」は4,000文字以内で入力してください（いまは4,001文字です）。長い場合は、いくつかに分けて送ってください。"
    )
    assert intake.plain_text_problem(
        "一行目\n二行目\x07", label="ご意見", max_chars=99, required=True
    ) == (
        "「ご意見」の2行目に、文字として表示できない制御文字があります。その文字を消してください。"
    )
    assert intake.normalise_newlines("a\r\nb\rc") == "a\nb\nc"


# --- drafts -----------------------------------------------------------------------------------


def _measure(code: str, area: int, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": code,
        "title": f"施策{code}",
        "plain_summary": "",
        "target_state": "",
        "current_issues": "",
        "role_citizens": "",
        "role_businesses": "",
        "role_city": "",
        "area": {"number": area, "title": f"分野{area}"},
        "initiatives": [],
        "indicators": [],
    }
    data.update(extra)
    return data


def test_draft_from_measures_has_stable_keys_and_labels() -> None:
    sections = draft.draft_from_measures(
        [
            _measure(
                "1-1",
                1,
                target_state="安心して子どもを産み育てられるまち",
                current_issues="共働き世帯が増えています。\n保育の需要が高まっています。",
                initiatives=[{"title": "保育の受け皿の確保", "description": "小規模保育を増やす"}],
                indicators=[
                    {
                        "code": "1-1-1",
                        "name": "待機児童数",
                        "unit": "人",
                        "baseline_value": 12.0,
                        "baseline_fy": 2023,
                        "target_value": 0.0,
                        "target_fy": 2029,
                    }
                ],
            ),
            _measure("2-1", 2, role_city="道路を直します。"),
        ]
    )
    assert [(s.key, s.level, s.heading) for s in sections] == [
        ("area-1", 1, "政策分野1 分野1"),
        ("measure-1-1", 2, "施策1-1 施策1-1"),
        ("area-2", 1, "政策分野2 分野2"),
        ("measure-2-1", 2, "施策2-1 施策2-1"),
    ]
    assert [(p.key, p.label, p.text) for p in sections[1].paragraphs] == [
        ("measure-1-1-target-1", "目指す姿", "安心して子どもを産み育てられるまち"),
        ("measure-1-1-issues-1", "現状と課題", "共働き世帯が増えています。"),
        ("measure-1-1-issues-2", "現状と課題", "保育の需要が高まっています。"),
        ("measure-1-1-initiative-1", "主な取組", "保育の受け皿の確保：小規模保育を増やす"),
        (
            "measure-1-1-indicator-1-1-1",
            "成果指標",
            "待機児童数：基準値 12人（令和5（2023）年度）　→　目標値 0人（令和11（2029）年度）",
        ),
    ]
    assert sections[3].paragraphs[0].key == "measure-2-1-role-city-1"
    assert sections[1].measure_code == "1-1"


def test_markdown_draft_sections_paragraphs_and_lists() -> None:
    text = (
        "この素案は説明用です。\n\n"
        "# 第1章 計画の概要\n"
        "計画の期間は\n令和7年度から令和11年度です。\n\n"
        "## 1 計画の目的\n"
        "- 人口減少に向き合う\n"
        "- 誰にもわかりやすい計画\n"
        "#### 深い見出し\n"
        "本文\n"
    )
    sections = draft.draft_from_markdown(text, source="soan.md")
    assert [(s.key, s.level, s.heading) for s in sections] == [
        ("s1", 1, "はじめに"),
        ("s2", 1, "第1章 計画の概要"),
        ("s3", 2, "1 計画の目的"),
        ("s4", 3, "深い見出し"),
    ]
    assert [p.text for p in sections[1].paragraphs] == ["計画の期間は令和7年度から令和11年度です。"]
    assert [(p.key, p.text) for p in sections[2].paragraphs] == [
        ("s3-p1", "- 人口減少に向き合う"),
        ("s3-p2", "- 誰にもわかりやすい計画"),
    ]


def test_empty_draft_is_refused_with_the_file_name() -> None:
    with pytest.raises(draft.DraftFormatError) as err:
        draft.draft_from_markdown("\n\n  \n", source="soan.md")
    assert (
        str(err.value)
        == "soan.md: 素案に見出しも本文もありません。内容のあるファイルを選んでください。"
    )


def test_word_styles_map_to_heading_levels() -> None:
    assert draft.heading_level_of_style("Heading 1") == 1
    assert draft.heading_level_of_style("見出し 2") == 2
    assert draft.heading_level_of_style("見出し ４") == 3
    assert draft.heading_level_of_style("Title") == 1
    assert draft.heading_level_of_style("Normal") == 0
    assert draft.heading_level_of_style("List Paragraph") == 0


def test_paragraph_location() -> None:
    assert draft.section_location("施策1-1 子育て", "目指す姿", 1) == "施策1-1 子育て（目指す姿）"
    assert draft.section_location("第2章", "", 3) == "第2章（第3段落）"


# --- categories and the result ----------------------------------------------------------------


def test_categories_parse_with_reflected_codes() -> None:
    cats = parse_categories("A 反映し修正\nＢ　既に趣旨を含む\n\nC: 今後の検討課題", "a")
    assert cats == (
        Category("A", "反映し修正", True),
        Category("B", "既に趣旨を含む", False),
        Category("C", "今後の検討課題", False),
    )
    with pytest.raises(CategoryFormatError) as err:
        parse_categories("A 反映\nA 重複", "A")
    assert str(err.value) == (
        "反映区分の記号「A」が1行目と2行目にあります。記号は重ならないようにしてください。"
    )
    with pytest.raises(CategoryFormatError) as err:
        parse_categories("反映し修正", "")
    assert "反映区分の1行目「反映し修正」を読み取れません。" in str(err.value)
    with pytest.raises(CategoryFormatError) as err:
        parse_categories("A 反映", "Z")
    assert str(err.value) == "「反映した意見として数える区分」の「Z」が反映区分にありません。"


def _groups() -> list[GroupFact]:
    return [
        GroupFact(1, "施策1-1（目指す姿）", "保育所を増やす", "既に記載しています。", "B"),
        GroupFact(
            2,
            "施策1-1（現状と課題）",
            "共働きの記述",
            "修正します。",
            "A",
            paragraph_key="measure-1-1-issues-1",
            paragraph_location="施策1-1（現状と課題）",
            before_text="共働き世帯が増えています。",
            after_text="共働き世帯とひとり親世帯が増えています。",
        ),
    ]


def test_result_counts_rows_and_changes() -> None:
    opinions = [
        # Submitter s1 wrote two opinions (both in group 1); s2 one in group 2; an organised
        # campaign of 3 identical submissions (s3, s4, s5) all in group 1; one hidden.
        OpinionFact(1, "s1", 1, False),
        OpinionFact(2, "s1", 1, False),
        OpinionFact(3, "s2", 2, False),
        OpinionFact(4, "s3", 1, False),
        OpinionFact(5, "s4", 1, False),
        OpinionFact(6, "s5", 1, False),
        OpinionFact(7, "s6", None, True),
    ]
    result = build_result(opinions, _groups(), DEFAULT_CATEGORIES)
    # visible: 6 opinions; submitters s1..s5 = 5; reflected = group 2 (A) = 1 opinion.
    assert (result.opinion_count, result.submitter_count, result.reflected_count) == (6, 5, 1)
    assert result.withheld_count == 1
    assert [
        (r.number, r.opinion_count, r.submitter_count, r.reflection_label) for r in result.rows
    ] == [
        (1, 5, 4, "既に趣旨を含む"),
        (2, 1, 1, "反映し修正"),
    ]
    assert [(c.code, c.opinion_count, c.group_count) for c in result.categories] == [
        ("A", 1, 1),
        ("B", 5, 1),
        ("C", 0, 0),
        ("D", 0, 0),
        ("E", 0, 0),
    ]
    [change] = result.changes
    assert change.group_number == 2
    assert [(s.op, s.text) for s in change.segments] == [
        ("equal", "共働き"),
        ("insert", "世帯とひとり親"),
        ("equal", "世帯が増えています。"),
    ]
    assert result_problems(opinions, _groups(), DEFAULT_CATEGORIES) == []


def test_anonymous_opinions_count_one_submitter_each() -> None:
    opinions = [OpinionFact(1, "", 1, False), OpinionFact(2, "", 1, False)]
    result = build_result(opinions, _groups()[:1], DEFAULT_CATEGORIES)
    assert (result.opinion_count, result.submitter_count) == (2, 2)


def test_result_problems_list_what_is_missing() -> None:
    opinions = [OpinionFact(1, "s1", None, False), OpinionFact(2, "s2", 3, False)]
    groups = [
        GroupFact(3, "", "", "", "Z"),
        GroupFact(
            4, "x", "概要", "考え方", "A", paragraph_key="k", before_text="同じ", after_text="同じ"
        ),
    ]
    assert result_problems(opinions, groups, DEFAULT_CATEGORIES) == [
        "まだ整理（グループ分け）していない意見が1件あります。",
        "番号3の「意見の概要」「市の考え方」「反映区分」がまだ書かれていません。",
        "番号4には意見が1件もありません。意見を入れるか、グループを削除してください。",
        "番号4は修正する段落を選んでいますが、修正後の文が修正前と同じです。",
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", ""]), st.sampled_from([1, 2]), st.booleans()),
        max_size=40,
    )
)
def test_every_visible_opinion_is_in_exactly_one_row(items: list[tuple[str, int, bool]]) -> None:
    opinions = [OpinionFact(i, key, group, hidden) for i, (key, group, hidden) in enumerate(items)]
    result = build_result(opinions, _groups(), DEFAULT_CATEGORIES)
    visible = [o for o in opinions if not o.hidden]
    assert sum(r.opinion_count for r in result.rows) == len(visible) == result.opinion_count
    assert result.withheld_count == len(opinions) - len(visible)
    assert sum(c.opinion_count for c in result.categories) == result.opinion_count
    assert result.submitter_count <= result.opinion_count
    assert all(r.submitter_count <= r.opinion_count for r in result.rows)
