"""Parsing the response file, the measure list and the design file (no database)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from keikaku.core.domain.textio import TextDecodeError, decode_bytes
from keikaku.surveys.domain.design import (
    AttributeSpec,
    Measure,
    Option,
    QuestionSpec,
    SurveyDesign,
    parse_design,
    parse_measures,
)
from keikaku.surveys.domain.portfolio import QuadrantLabels
from keikaku.surveys.domain.problems import SurveyInputError
from keikaku.surveys.domain.responses import ChoiceQuestion, TextQuestion, parse_responses

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "formats" / "samples" / "survey"
MEASURES = (Measure("A01", "子育て"), Measure("A02", "交通"))


def messages(parsed: object) -> list[str]:
    return [str(p) for p in parsed.problems]  # type: ignore[attr-defined]


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def sample_design() -> SurveyDesign:
    return parse_design((SAMPLES / "design.json").read_bytes()).unwrap()


def sample_measures() -> tuple[Measure, ...]:
    return parse_measures((SAMPLES / "measures.csv").read_bytes()).unwrap()


# ---------------------------------------------------------------------------------------
# the sample survey (8 respondents, 3 measures)


def test_sample_survey_is_parsed_into_code_matrices() -> None:
    parsed = parse_responses(
        (SAMPLES / "responses.csv").read_bytes(), sample_measures(), sample_design()
    )
    r = parsed.unwrap()
    assert r.respondent_ids == ("R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08")
    assert r.measure_codes == ("A01", "A02", "A03")
    # columns S:A01, S:A02, S:A03 as written; empty cells become 0
    assert r.satisfaction.tolist() == [
        [1, 3, 5],
        [2, 4, 4],
        [2, 3, 9],
        [3, 5, 4],
        [1, 2, 5],
        [4, 3, 3],
        [9, 1, 2],
        [0, 4, 5],
    ]
    assert r.importance[:, 0].tolist() == [1, 1, 2, 1, 2, 0, 3, 1]
    assert r.satisfaction.dtype == np.int8
    assert r.overall is not None and r.overall.tolist() == [1, 2, 2, 3, 1, 4, 2, 5]
    district = r.attribute("district")
    # designed categories in design order, no-answer ("") appended last
    assert district.categories == ("北", "南", "")
    assert district.codes.tolist() == [0, 0, 1, 1, 0, 1, 2, 0]
    assert r.attribute("gender").categories == ("男性", "女性", "その他")
    q1, q2, q3 = r.questions
    assert isinstance(q1, ChoiceQuestion) and q1.type == "single"
    assert q1.options == (
        Option(1, "住み続けたい"),
        Option(2, "どちらともいえない"),
        Option(3, "転出したい"),
    )
    assert q1.selected.argmax(axis=1).tolist() == [0, 1, 0, 1, 0, 2, 0, 0]
    assert q1.answered.tolist() == [True] * 6 + [False, True]
    assert isinstance(q2, ChoiceQuestion) and q2.type == "multiple"
    assert q2.selected.astype(int).tolist() == [
        [1, 1, 0],
        [0, 1, 0],
        [1, 0, 1],
        [0, 0, 0],
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 1],
        [1, 0, 0],
    ]
    assert isinstance(q3, TextQuestion)
    # citizens' text is kept exactly as written (髙, 𠮷, the line break inside the cell)
    assert q3.answers[0] == "駅前の歩道を広くしてほしい（髙橋）"
    assert q3.answers[2] == "夜道が暗い。\n街灯を増やしてほしい（𠮷田）"
    assert q3.answered.tolist() == [True, False, True, False, False, False, False, False]


def test_arrays_are_read_only() -> None:
    r = parse_responses(
        (SAMPLES / "responses.csv").read_bytes(), sample_measures(), sample_design()
    ).unwrap()
    with pytest.raises(ValueError):
        r.satisfaction[0, 0] = 3


def test_cp932_file_with_full_width_digits_and_separators() -> None:
    text = (
        "respondent_id,gender,S:A01,I:A01,S:A02,I:A02,overall,Q1\n"
        "髙01,男性,１,２, ５ ,９,３,１；３\n"
        "髙02,女性,,1,2,1,,２\n"
    )
    data = csv_bytes(text, "cp932")
    r = parse_responses(data, MEASURES).unwrap()
    assert r.respondent_ids == ("髙01", "髙02")
    assert r.satisfaction.tolist() == [[1, 5], [0, 2]]
    assert r.importance.tolist() == [[2, 9], [1, 1]]
    assert r.overall is not None and r.overall.tolist() == [3, 0]
    (q1,) = r.questions
    # undesigned: "1;3" makes it a multiple-choice question, options = codes found
    assert isinstance(q1, ChoiceQuestion) and q1.type == "multiple"
    assert q1.options == (Option(1), Option(2), Option(3))
    assert q1.selected.astype(int).tolist() == [[1, 0, 1], [0, 1, 0]]


def test_utf8_with_bom_and_blank_lines_are_skipped() -> None:
    text = "respondent_id,S:A01,I:A01,S:A02,I:A02\nr1,1,1,1,1\n,,,,\nr2,2,2,2,2\n"
    r = parse_responses(b"\xef\xbb\xbf" + csv_bytes(text), MEASURES).unwrap()
    assert r.respondent_ids == ("r1", "r2")
    assert r.overall is None
    assert r.attributes == () and r.questions == ()


def test_undesigned_columns_default_attributes_and_type_inference() -> None:
    text = (
        "respondent_id,age_band,district,S:A01,I:A01,S:A02,I:A02,Q9,Q10,memo\n"
        "a,30～39歳,10,1,1,1,1,2,自由,x\n"
        "b,18～29歳,2,1,1,1,1,10,,\n"
        "c,,2,1,1,1,1,,記述,y\n"
    )
    r = parse_responses(csv_bytes(text), MEASURES).unwrap()
    assert [a.name for a in r.attributes] == ["age_band", "district"]
    # code-point order without a design; integer-looking categories in numeric order
    assert r.attribute("age_band").categories == ("18～29歳", "30～39歳", "")
    assert r.attribute("district").categories == ("2", "10")
    q9, q10, memo = r.questions
    assert isinstance(q9, ChoiceQuestion) and q9.type == "single"
    assert q9.options == (Option(2), Option(10))
    assert isinstance(q10, TextQuestion) and isinstance(memo, TextQuestion)


def test_measures_only_reads_measure_columns_and_lists_missing_ones() -> None:
    text = "respondent_id,S:A01,I:A01,S:Z99,gender\np1,1,2,3,男性\n"
    r = parse_responses(csv_bytes(text), MEASURES, measures_only=True).unwrap()
    assert r.missing_measures == ("A02",)
    assert r.satisfaction.tolist() == [[1, 0]]
    assert r.attributes == () and r.questions == ()


# ---------------------------------------------------------------------------------------
# problems: every one located, all reported, nothing returned


def test_every_cell_problem_is_reported_with_row_and_column() -> None:
    design = SurveyDesign(
        attributes=(AttributeSpec("district", ("北", "南")),),
        questions=(
            QuestionSpec("Q1", "single", options=(Option(1, "はい"), Option(2, "いいえ"))),
            QuestionSpec("Q2", "multiple", options=(Option(1), Option(2), Option(3))),
        ),
    )
    text = (
        "respondent_id,district,S:A01,I:A01,S:A02,I:A02,overall,Q1,Q2\n"
        "r1,北,6,1,1,1,1,1,1;2\n"
        "r2,東,1,0,1,1,1,3,1;1\n"
        "r1,南,1,1,1,1,x,1;2,4\n"
        ",南,1,1,1,1,1,a,\n"
        "r5,南,1,1,1,1,1,1,1,extra\n"
    )
    parsed = parse_responses(csv_bytes(text), MEASURES, design)
    assert parsed.value is None
    assert messages(parsed) == [
        "responses.csv 6行目: 見出しより列が多い行です（見出し 9列、この行 10列）。カンマの数を確かめてください。",
        "responses.csv 4行目「respondent_id」列: 回答者ID「r1」が重複しています（2行目と同じ）。IDを見直してください。",
        "responses.csv 5行目「respondent_id」列: 回答者IDが空です。IDを入力してください。",
        "responses.csv 3行目「district」列: 「東」は属性「district」の区分にありません。次のいずれかにしてください: 北、南",
        "responses.csv 2行目「S:A01」列: 「6」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。",
        "responses.csv 3行目「I:A01」列: 「0」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。",
        "responses.csv 4行目「overall」列: 「x」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。",
        "responses.csv 4行目「Q1」列: 「1;2」: この設問は単一回答です。選択肢コードを1つだけ入力してください。",
        "responses.csv 5行目「Q1」列: 「a」: 選択肢コードは0以上の整数で入力してください。",
        "responses.csv 3行目「Q1」列: 「3」: 選択肢コード 3 は設問の選択肢にありません（使えるのは 1, 2）。",
        "responses.csv 3行目「Q2」列: 「1;1」: 同じ選択肢コードが2回以上書かれています。1回だけにしてください。",
        "responses.csv 4行目「Q2」列: 「4」: 選択肢コード 4 は設問の選択肢にありません（使えるのは 1, 2, 3）。",
    ]
    with pytest.raises(SurveyInputError) as excinfo:
        parsed.unwrap()
    assert str(excinfo.value) == (
        "12件の問題があります。最初の問題: responses.csv 6行目: "
        "見出しより列が多い行です（見出し 9列、この行 10列）。カンマの数を確かめてください。"
    )


def test_header_problems() -> None:
    design = SurveyDesign(
        attributes=(AttributeSpec("gender"),), questions=(QuestionSpec("Q5", "text"),)
    )
    text = "id,S:A01,S:A01,I:A01,S:B07,,overall\nr1,1,1,1,1,1,1\n"
    parsed = parse_responses(csv_bytes(text), MEASURES, design, source="2024.csv")
    assert messages(parsed) == [
        "2024.csv 1行目「S:A01」列: 列名「S:A01」が重複しています（2列目と同じ）。",
        "2024.csv 1行目「S:B07」列: 施策コード「B07」は施策一覧（MEASURES.csv）にありません。施策一覧に加えるか、列名を直してください。",
        "2024.csv 1行目「6列目」列: 列名（見出し）が空です。列名を入力するか、列を削除してください。",
        "2024.csv 1行目「respondent_id」列: 回答者IDの列「respondent_id」がありません。見出しに加えてください。",
        "2024.csv 1行目「S:A02」列: 施策「A02」の満足度列「S:A02」がありません。",
        "2024.csv 1行目「I:A02」列: 施策「A02」の重要度列「I:A02」がありません。",
        "2024.csv 1行目「Q5」列: 設計ファイルにある設問「Q5」の列がありません。",
        "2024.csv 1行目「gender」列: 設計ファイルにある属性「gender」の列がありません。",
    ]


def test_undecodable_empty_and_header_only_files() -> None:
    broken = b"respondent_id\r\n\x81\x20\r\n"
    with pytest.raises(TextDecodeError) as excinfo:
        decode_bytes(broken)
    # the shared decoder's message (it names the line), prefixed with the file name
    assert messages(parse_responses(broken, MEASURES)) == [f"responses.csv: {excinfo.value}"]
    assert str(excinfo.value).endswith(
        "UTF-8 または Shift_JIS（CP932）で保存したファイルを使ってください。"
    )
    assert messages(parse_responses(b"", MEASURES)) == [
        "responses.csv: 見出し行がありません。1行目に列名を書いてください。"
    ]
    assert messages(parse_responses(b"respondent_id,S:A01,I:A01,S:A02,I:A02\r\n", MEASURES)) == [
        "responses.csv: 回答が1件もありません。"
    ]


# ---------------------------------------------------------------------------------------
# MEASURES.csv


def test_measures_parse_and_problems() -> None:
    ok = parse_measures(csv_bytes("code,title\nA01,子育て支援\n Ａ02 ,交通\n"))
    assert ok.unwrap() == (Measure("A01", "子育て支援"), Measure("Ａ02", "交通"))
    bad = parse_measures(csv_bytes("code,title\nA01,子育て\n,無題\nＡ01,重複\nA:3,\n"))
    assert messages(bad) == [
        "measures.csv 3行目「code」列: 施策コードが空です。コードを入力してください。",
        "measures.csv 4行目「code」列: 施策コード「Ａ01」が重複しています（2行目と同じ）。",
        "measures.csv 5行目「code」列: 施策コード「A:3」に「:」は使えません。",
        "measures.csv 5行目「title」列: 施策名が空です。施策名を入力してください。",
    ]
    assert messages(parse_measures(csv_bytes("コード,名称\nA01,x\n"))) == [
        "measures.csv 1行目「code」列: 見出しに「code」列がありません。1行目を code,title にしてください。",
        "measures.csv 1行目「title」列: 見出しに「title」列がありません。1行目を code,title にしてください。",
    ]


def test_full_width_measure_codes_match_header() -> None:
    measures = parse_measures(csv_bytes("code,title\nＡ01,子育て\n")).unwrap()
    r = parse_responses(csv_bytes("respondent_id,S:A01,Ｉ：A01\nx,1,2\n"), measures).unwrap()
    assert r.satisfaction.tolist() == [[1]] and r.importance.tolist() == [[2]]


# ---------------------------------------------------------------------------------------
# design file


def test_sample_design() -> None:
    design = sample_design()
    assert design.population == 59000
    assert design.attributes is not None
    assert [a.name for a in design.attributes] == ["gender", "age_band", "district"]
    assert design.question("Q2") == QuestionSpec(
        "Q2",
        "multiple",
        "よく利用する交通手段（あてはまるものすべて）",
        (Option(1, "自家用車"), Option(2, "鉄道"), Option(3, "路線バス")),
    )
    assert design.quadrant_labels == QuadrantLabels()


def test_design_problems_are_all_reported() -> None:
    data = (
        b'{"population": 0, "attribute": [], "attributes": ["gender", "gender"],'
        b' "questions": {"Q1": {"type": "choice"}, "Q2": {"type": "text", "options": {"1": "a"}},'
        b' "Q3": {"type": "single", "options": {"x": "a"}, "note": 1}, "overall": {"type": "single"},'
        b' "gender": {"type": "text"}},'
        b' "quadrant_labels": {"priority_improvement": "A"}}'
    )
    assert messages(parse_design(data)) == [
        "design.json「attribute」: 知らない項目です。使えるのは population, attributes, questions, quadrant_labels です。",
        "design.json「population」: population（母集団の人数）は1以上の整数にしてください。",
        "design.json「attributes」: 属性「gender」が重複しています。",
        "design.json「questions.Q1.type」: type は single（単一回答）、multiple（複数回答）、text（自由記述）のいずれかにしてください。",
        "design.json「questions.Q2.options」: 自由記述（text）の設問に選択肢は書けません。",
        "design.json「questions.Q3.note」: 知らない項目です。使えるのは type, title, options です。",
        "design.json「questions.Q3.options.x」: 選択肢コード「x」は0以上の整数にしてください。",
        "design.json「questions.overall」: 「overall」は設問コードに使えません（回答者ID・総合満足度・施策の列名です）。",
        "design.json「questions.gender」: 「gender」は属性にも設問にも書かれています。どちらか一方にしてください。",
        "design.json「quadrant_labels」: quadrant_labels には priority_improvement, improvement, priority_maintenance, maintenance の4つを空でない文字列で書いてください。",
    ]
    assert messages(parse_design(b'{"population": 1,}')) == [
        "design.json 1行目: JSON として読めません（17文字目）。括弧・引用符・カンマを確かめてください。"
    ]


def test_custom_quadrant_labels() -> None:
    data = (
        '{"quadrant_labels": {"priority_improvement": "優先的課題領域", "improvement": "課題領域",'
        ' "priority_maintenance": "強み維持領域", "maintenance": "現状維持領域"}}'
    ).encode()
    design = parse_design(data).unwrap()
    assert design.quadrant_labels == QuadrantLabels(
        "優先的課題領域", "課題領域", "強み維持領域", "現状維持領域"
    )
    assert design.attributes is None and design.population is None
