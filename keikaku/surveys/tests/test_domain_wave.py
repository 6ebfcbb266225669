"""The wave layer on top of the engine: codes, web answers, paper rows, round trips,
indicator values, districts and synthetic data (no database)."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.surveys.domain.codes import (
    ALPHABET,
    code_problem,
    format_code,
    generate_codes,
    normalize_code,
)
from keikaku.surveys.domain.districts import parse_district_table
from keikaku.surveys.domain.report import analyze
from keikaku.surveys.domain.responses import parse_responses
from keikaku.surveys.domain.results import indicator_value, response_rate, tabulate_attribute
from keikaku.surveys.domain.synthetic import synthetic_rows
from keikaku.surveys.domain.wave import (
    QuestionDef,
    WaveSpec,
    clean_web_answers,
    normalize_paper_cell,
    parse_wave_rows,
    parsed_to_rows,
    question_problems,
    rows_to_csv,
)

SPEC = WaveSpec(
    questions=(
        QuestionDef("gender", "single", "性別", ("男性", "女性", "その他"), attribute=True),
        QuestionDef("district", "single", "地区", ("北部地区", "南部地区"), attribute=True),
        QuestionDef("overall", "scale", "総合満足度"),
        QuestionDef("Q1", "single", "住み続けたいですか", ("はい", "いいえ")),
        QuestionDef("Q2", "multiple", "魅力", ("駅", "公園", "店", "学校"), max_picks=2),
        QuestionDef("1-1", "measure", "子育て支援の充実"),
        QuestionDef("2-1", "measure", "健康づくりの推進"),
        QuestionDef("free", "text", "ご意見"),
    ),
    population=1000,
)


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


# --- access codes ----------------------------------------------------------------------


def test_alphabet_has_30_unambiguous_symbols():
    assert len(ALPHABET) == 30
    assert not set("01OILS") & set(ALPHABET)


def test_generate_codes_is_distinct_avoids_existing_and_uses_the_alphabet():
    rng = random.Random(7)
    codes = generate_codes(500, existing={"AAAAAAAA"}, choice=rng.choice)
    assert len(codes) == 500 == len(set(codes))
    assert "AAAAAAAA" not in codes
    assert all(len(c) == 8 and set(c) <= set(ALPHABET) for c in codes)


def test_code_normalisation_and_messages():
    assert normalize_code(" abcd-2345 ") == "ABCD2345"
    assert normalize_code("ＡＢＣＤ－２３４６") == "ABCD2346"
    assert format_code("ABCD2345") == "ABCD-2345"
    assert code_problem("ABCD-2346") is None
    assert code_problem("") == "回答用コードを入力してください。"
    assert code_problem("ABCD-0I23") == (
        "回答用コードに使われない文字「0I」が含まれています。"
        "お手紙に印刷された8文字（英字と数字）をご確認ください。"
        "数字の0・1と英字のO・I・L・Sは使っていません。"
    )
    assert code_problem("ABC") == (
        "回答用コードは8文字です（入力は3文字）。お手紙に印刷されたコードをご確認ください。"
    )


# --- design -----------------------------------------------------------------------------


def test_spec_columns_design_and_measures():
    assert SPEC.columns() == (
        "respondent_id", "gender", "district", "overall", "Q1", "Q2",
        "S:1-1", "I:1-1", "S:2-1", "I:2-1", "free",
    )  # fmt: skip
    design = SPEC.design()
    assert [a.name for a in design.attributes or ()] == ["gender", "district"]
    assert design.attributes[0].categories == ("男性", "女性", "その他")
    assert [(q.code, q.type) for q in design.questions] == [
        ("Q1", "single"),
        ("Q2", "multiple"),
        ("free", "text"),
    ]
    assert [m.code for m in SPEC.measures()] == ["1-1", "2-1"]


def test_question_problems():
    ok = QuestionDef("Q9", "single", "質問", ("a", "b"))
    assert question_problems(ok, SPEC.questions) == {}
    assert question_problems(QuestionDef("Q1", "text", "x"), SPEC.questions) == {
        "code": "設問コード「Q1」はこの調査で既に使われています。"
    }
    assert question_problems(QuestionDef("overall", "single", "x", ("a", "b")), ()) == {
        "code": "「overall」は総合満足度（満足度の5段階）の設問だけに使えます。"
    }
    assert question_problems(QuestionDef("問1", "text", ""), ()) == {
        "code": "設問コードは半角英数字で始め、半角英数字・「-」「_」「.」だけにしてください（例: Q5、gender、1-1）。",
        "title": "設問文を入力してください。",
    }
    assert question_problems(QuestionDef("Q5", "multiple", "x", ("a", "b"), max_picks=3), ()) == {
        "max_picks": "選べる数は1から選択肢の数までにしてください。"
    }
    assert question_problems(QuestionDef("sex", "text", "x", attribute=True), ()) == {
        "attribute": "属性（性別・年齢・地区など）は単一回答の設問にしてください。"
    }


# --- web answers ------------------------------------------------------------------------


def test_clean_web_answers_builds_cells_and_locates_errors():
    posted = {
        "gender": ["2"],
        "overall": ["9"],
        "Q1": ["1"],
        "Q2": ["3", "1"],
        "S:1-1": ["1"],
        "I:1-1": [""],
        "free": ["夜道が暗い。\r\n街灯を（髙橋）"],
    }
    cleaned = clean_web_answers(SPEC.questions, lambda c: posted.get(c, []))
    assert cleaned.errors == {}
    assert cleaned.cells == {
        "gender": "女性",
        "overall": "9",
        "Q1": "1",
        "Q2": "1;3",
        "S:1-1": "1",
        "free": "夜道が暗い。\n街灯を（髙橋）",
    }
    bad = {"gender": ["4"], "overall": ["6"], "Q2": ["1", "2", "3"], "S:2-1": ["1", "2"]}
    cleaned = clean_web_answers(SPEC.questions, lambda c: bad.get(c, []))
    assert cleaned.cells == {}
    assert cleaned.errors == {
        "gender": "選択肢の中から1つ選んでください。",
        "overall": "選択肢の中から1つ選んでください。",
        "Q2": "選べるのは2つまでです（いま3つ選ばれています）。",
        "S:2-1": "選択肢の中から1つ選んでください。",
    }


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "gender": st.sampled_from(["", "1", "2", "3"]),
                "overall": st.sampled_from(["", "1", "2", "3", "4", "5", "9"]),
                "Q2": st.lists(st.sampled_from(["1", "2", "3", "4"]), max_size=2, unique=True),
                "S:1-1": st.sampled_from(["", "1", "5", "9"]),
                "free": st.text(max_size=30),
            }
        ),
        min_size=1,
        max_size=8,
    )
)
def test_web_answers_always_pass_the_import_validation(posts):
    """Whatever the web form accepts, the import's validation accepts unchanged."""
    rows = []
    for i, post in enumerate(posts):

        def get(column, post=post):
            value = post.get(column, [])
            return value if isinstance(value, list) else [value]

        cleaned = clean_web_answers(SPEC.questions, get)
        assert cleaned.errors == {}
        rows.append((f"W{i}", cleaned.cells))
    parsed = parse_wave_rows(SPEC, rows_to_csv(SPEC, rows), source="x.csv")
    assert parsed.problems == ()
    assert parsed_to_rows(parsed.unwrap()) == rows


# --- paper rows -------------------------------------------------------------------------


def test_normalize_paper_cell():
    gender, q2, free = SPEC.questions[0], SPEC.questions[4], SPEC.questions[7]
    assert normalize_paper_cell(gender, "", "２") == "女性"
    assert normalize_paper_cell(gender, "", "女性") == "女性"
    assert normalize_paper_cell(gender, "", "7") == "7"  # left for validation to report
    assert normalize_paper_cell(q2, "", "13") == "1;3"
    assert normalize_paper_cell(q2, "", "1.3") == "1;3"
    assert normalize_paper_cell(q2, "", "1 ３") == "1;3"
    assert normalize_paper_cell(free, "", " そのまま ") == " そのまま "


def test_parse_wave_rows_reports_every_problem_with_row_and_column():
    data = _csv(
        "respondent_id,gender,overall,Q2,S:1-1,I:1-1,S:2-1,I:2-1,extra\n"
        "P1,1,2,13,1,2,3,4,\n"
        "P2,4,6,12,,,,,\n"
        "P3,2,,,,,,,\n"
    )
    parsed = parse_wave_rows(SPEC, data, source="r.csv", taken_ids={"P3": "調査票（画面で入力）"})
    assert [str(p) for p in parsed.problems] == [
        "r.csv 1行目「extra」列: 列「extra」はこの調査の設問にありません。列名を設問コード（S:施策コード・I:施策コード・属性名・設問コード）に合わせるか、列を削除してください。",
        "r.csv 1行目「Q1」列: 設計ファイルにある設問「Q1」の列がありません。",
        "r.csv 1行目「free」列: 設計ファイルにある設問「free」の列がありません。",
        "r.csv 1行目「district」列: 設計ファイルにある属性「district」の列がありません。",
        "r.csv 3行目「gender」列: 「4」は属性「gender」の区分にありません。次のいずれかにしてください: 男性、女性、その他",
        "r.csv 3行目「overall」列: 「6」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。",
        "r.csv 4行目「respondent_id」列: 回答者ID「P3」はこの調査で既に登録されています（調査票（画面で入力））。別のIDにしてください。",
    ]
    assert parsed.value is None


def test_parse_wave_rows_round_trip_of_a_cp932_file():
    header = ",".join(SPEC.columns())
    body = "P1,2,北部地区,1,1,1;4,1,2,,9,駅前が（𠮷）\n"
    # 𠮷 cannot be written in CP932: the UTF-8 file is used for it, CP932 for the rest
    parsed = parse_wave_rows(SPEC, (header + "\n" + body).encode("utf-8"), source="u.csv")
    rows = parsed_to_rows(parsed.unwrap())
    assert rows == [
        (
            "P1",
            {
                "gender": "女性",
                "district": "北部地区",
                "overall": "1",
                "Q1": "1",
                "Q2": "1;4",
                "S:1-1": "1",
                "I:1-1": "2",
                "I:2-1": "9",
                "free": "駅前が（𠮷）",
            },
        )
    ]
    cp932 = (header + "\nP2,男性,南部地区,３,2,2,5,5,,,髙橋です\n").encode("cp932")
    rows = parsed_to_rows(parse_wave_rows(SPEC, cp932, source="c.csv").unwrap())
    assert rows == [
        (
            "P2",
            {
                "gender": "男性",
                "district": "南部地区",
                "overall": "3",
                "Q1": "2",
                "Q2": "2",
                "S:1-1": "5",
                "I:1-1": "5",
                "free": "髙橋です",
            },
        )
    ]


# --- indicator values -------------------------------------------------------------------


def test_indicator_values_golden():
    rows = [
        ("A", {"gender": "男性", "overall": "1", "Q1": "1", "Q2": "1;2", "S:1-1": "1", "I:1-1": "1"}),
        ("B", {"gender": "女性", "overall": "2", "Q1": "1", "Q2": "2", "S:1-1": "2", "I:1-1": "3"}),
        ("C", {"gender": "女性", "overall": "4", "Q1": "2", "S:1-1": "5", "I:1-1": "9"}),
        ("D", {"overall": "9", "S:1-1": "9"}),
    ]  # fmt: skip
    responses = parse_responses(
        rows_to_csv(SPEC, rows), SPEC.measures(), SPEC.design(), source="g.csv"
    ).unwrap()
    analysis = analyze(responses, SPEC.design())

    def value(**kw):
        return indicator_value(analysis, **kw)

    # S:1-1 answered by A, B, C, D (base 4): top-2 = (1 + 1)/4 = 50.0 %
    assert value(metric="satisfaction_top2", measure_code="1-1").value == 50.0
    assert value(metric="satisfaction_top2", measure_code="1-1").base == 4
    # score over 1–5 only: (+2 + 1 − 2)/3 = 0.333… → 0.33
    assert value(metric="satisfaction_score", measure_code="1-1").value == 0.33
    # I:1-1: (+2 + 0)/2 = 1.00; top-2 = 1/3 (9 counts in the base) = 33.3 %
    assert value(metric="importance_score", measure_code="1-1").value == 1.0
    assert value(metric="importance_top2", measure_code="1-1").value == 33.3
    # overall: codes 1, 2, 4, 9 → top-2 = 2/4 = 50.0 %
    assert value(metric="question_top2", question_code="overall").value == 50.0
    # Q1 option 1: 2 of 3 answered = 66.7 %
    assert value(metric="option_share", question_code="Q1", option=1).value == 66.7
    # Q2 option 2: 2 of 2 answered = 100.0 %
    assert value(metric="option_share", question_code="Q2", option=2).value == 100.0
    # attribute gender option 2 (女性): 2 of 3 answered = 66.7 %
    assert (
        value(
            metric="option_share",
            question_code="gender",
            option=2,
            attribute_options=("男性", "女性", "その他"),
        ).value
        == 66.7
    )
    assert value(metric="satisfaction_top2", measure_code="9-9").value is None
    assert value(metric="option_share", question_code="Q1", option=3).value is None


def test_tabulate_attribute_and_response_rate():
    responses = parse_responses(
        _csv("respondent_id,gender\nA,女性\nB,女性\nC,\nD,男性\n"), ()
    ).unwrap()
    tab = tabulate_attribute(responses.attribute("gender"), ("男性", "女性", "その他"))
    assert (tab.total, tab.no_answer, tab.base) == (4, 1, 3)
    assert [(o.label, o.n, round(o.percent, 4)) for o in tab.options] == [
        ("男性", 1, 33.3333),
        ("女性", 2, 66.6667),
        ("その他", 0, 0.0),
    ]
    assert response_rate(900, 3000) == 30.0
    assert response_rate(1, 3) == 33.3
    assert response_rate(5, None) is None


# --- districts and synthetic data -------------------------------------------------------


def test_district_table_of_the_demo_city():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "tsurugashima_districts.csv"
    districts = parse_district_table(path.read_bytes()).unwrap()
    assert [d.name for d in districts] == [
        "北部地区",
        "東部地区",
        "南部地区",
        "西部地区",
        "中部地区",
    ]
    assert sum(len(d.towns) for d in districts) == 23
    assert districts[0].description() == "北部地区（高倉・町屋・上新田・中新田・下新田）"


def test_district_table_problems():
    parsed = parse_district_table(_csv("town,district\n高倉,北\n高倉,南\n,東\n"), source="d.csv")
    assert [str(p) for p in parsed.problems] == [
        "d.csv 3行目「town」列: 町域「高倉」が重複しています（2行目と同じ）。",
        "d.csv 4行目「town」列: 空欄です。入力してください。",
    ]


def test_synthetic_rows_are_deterministic_and_valid():
    a = synthetic_rows(SPEC, 200, seed=5)
    b = synthetic_rows(SPEC, 200, seed=5)
    assert a == b
    assert a != synthetic_rows(SPEC, 200, seed=6)
    parsed = parse_wave_rows(SPEC, rows_to_csv(SPEC, a), source="s.csv")
    assert parsed.problems == ()
    responses = parsed.unwrap()
    assert responses.n_respondents == 200
    assert set(np.unique(responses.satisfaction).tolist()) <= {0, 1, 2, 3, 4, 5, 9}
