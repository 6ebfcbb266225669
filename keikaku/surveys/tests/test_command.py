"""keikaku analyze-survey on the sample files in docs/formats/samples/survey/."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keikaku.surveys.management.commands.analyze_survey import Command

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "docs" / "formats" / "samples" / "survey"


def run(tmp_path: Path, *extra: str, responses: Path | None = None) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "out.json"
    call_command(
        "analyze_survey",
        "--responses",
        str(responses or SAMPLES / "responses.csv"),
        "--measures",
        str(SAMPLES / "measures.csv"),
        "--output",
        str(out),
        *extra,
    )
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_sample_files_run(tmp_path: Path) -> None:
    doc = run(
        tmp_path,
        "--design",
        str(SAMPLES / "design.json"),
        "--previous",
        str(SAMPLES / "previous.csv"),
        "--crosstab-by",
        "district",
    )
    assert (doc["format"], doc["version"], doc["respondents"], doc["population"]) == (
        "keikaku.survey-analysis",
        1,
        8,
        59000,
    )
    a03 = doc["measures"]["A03"]
    # hand-computed in test_domain_portfolio: satisfaction −1, importance 11/7,
    # T = 50 + 10·(−65/√2906) and 50 + 10·(55/√4826), need = 55/√4826 + 65/√2906
    assert a03["title"] == "防災対策の推進"
    assert (a03["n_satisfaction"], a03["n_importance"]) == (7, 7)
    assert a03["satisfaction_score"] == -1.0
    assert a03["importance_score"] == pytest.approx(11 / 7)
    assert a03["satisfaction_t"] == pytest.approx(50 - 650 / math.sqrt(2906))
    assert a03["importance_t"] == pytest.approx(50 + 550 / math.sqrt(4826))
    assert (a03["quadrant"], a03["quadrant_key"]) == ("重点改善分野", "priority_improvement")
    assert a03["improvement_need"] == pytest.approx(55 / math.sqrt(4826) + 65 / math.sqrt(2906))
    assert a03["derived_importance"] == pytest.approx(-7 / math.sqrt(5376))
    assert set(doc["measures"]) == {"A01", "A02", "A03"}
    # previous.csv has no A03 columns → no comparison for A03
    assert doc["comparison"]["previous_missing_measures"] == ["A03"]
    assert a03["comparison"]["satisfaction"]["score_p_value"] is None
    a01 = doc["measures"]["A01"]["comparison"]
    # A01 satisfaction, previous codes 2,3,3,4,2,5 → scores 1,0,0,−1,1,−2: mean −1/6;
    # now 5/6 → difference +1
    assert a01["satisfaction"]["score_difference"] == pytest.approx(1.0)
    # A01 importance, previous 1,1,2,1,2,1 → mean 10/6; now 10/7 → 10/7 − 5/3 = −5/21
    assert a01["importance"]["score_difference"] == pytest.approx(-5 / 21)
    # overall, previous 2,3,3,4,2,4 → mean 0; now 2,1,1,0,2,−1,1,−2 → 4/8
    assert doc["comparison"]["overall"]["score_difference"] == pytest.approx(0.5)
    assert doc["comparison"]["alpha"] == 0.05
    q2 = doc["questions"]["Q2"]
    assert q2 == {
        "type": "multiple",
        "title": "よく利用する交通手段（あてはまるものすべて）",
        "total": 8,
        "no_answer": 1,
        "base": 7,
        "options": [
            # margin = 100·1.96·√(p(1−p)/7)·√((59000−7)/58999): 4/7 → 36.66…, 3/7 → 36.66…
            {"code": 1, "label": "自家用車", "n": 4, "percent": 57.1, "margin": 36.7},
            {"code": 2, "label": "鉄道", "n": 3, "percent": 42.9, "margin": 36.7},
            {"code": 3, "label": "路線バス", "n": 3, "percent": 42.9, "margin": 36.7},
        ],
        "percent_total": 142.9,
    }
    assert doc["questions"]["overall"]["options"][1] == {
        # overall codes 1,2,2,3,1,4,2,5: n2 = 3 of 8 = 37.5 %
        "code": 2,
        "label": "やや満足",
        "n": 3,
        "percent": 37.5,
        "margin": 33.5,
    }
    # default threshold 10: every district group of 8 respondents is withheld
    rows = doc["crosstabs"]["district"]["S:A01"]["rows"]
    assert [(r["category"], r["suppressed"], r["base"]) for r in rows] == [
        ("北", True, None),
        ("南", True, None),
        ("無回答", True, None),
    ]


def test_without_design_columns_are_inferred(tmp_path: Path) -> None:
    doc = run(tmp_path)
    assert doc["population"] is None
    assert list(doc["questions"]) == ["overall", "Q1", "Q2", "Q3"]
    assert doc["questions"]["Q2"]["type"] == "multiple"
    assert doc["questions"]["Q2"]["options"][0] == {
        "code": 1,
        "label": "",
        "n": 4,
        "percent": 57.1,
        # no population → no finite-population correction: 100·1.96·√((4/7)(3/7)/7)
        "margin": 36.7,
    }
    assert doc["questions"]["Q3"]["type"] == "text"


def test_cp932_responses(tmp_path: Path) -> None:
    text = (SAMPLES / "responses.csv").read_text(encoding="utf-8").replace("𠮷", "吉")
    path = tmp_path / "cp932.csv"
    path.write_bytes(text.encode("cp932"))
    doc = run(tmp_path, "--threshold", "1", "--crosstab-by", "gender", responses=path)
    assert doc["measures"]["A02"]["satisfaction_score"] == -0.125
    # no design: categories in code-point order, 女性 (U+5973) before 男性 (U+7537)
    female, male = doc["crosstabs"]["gender"]["S:A02"]["rows"]
    assert female["category"] == "女性"
    # men R01 R04 R06: codes 3,5,3 → score (0 − 2 + 0)/3
    assert (male["category"], male["base"], male["score"]) == ("男性", 3, pytest.approx(-2 / 3))


def test_help_documents_every_option() -> None:
    text = Command().create_parser("keikaku", "analyze_survey").format_help()
    for option in (
        "--responses",
        "--measures",
        "--design",
        "--output",
        "--previous",
        "--crosstab-by",
        "--threshold",
        "--box-base",
        "--errors",
    ):
        assert option in text


def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "respondent_id,S:A01,I:A01,S:A02,I:A02,S:A03,I:A03\nr1,6,1,1,1,1,1\nr1,1,1,1,1,1,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    args = [
        "--responses",
        str(bad),
        "--measures",
        str(SAMPLES / "measures.csv"),
        "--output",
        str(out),
    ]
    with pytest.raises(CommandError) as excinfo:
        call_command("analyze_survey", *args)
    assert str(excinfo.value) == (
        "2件の問題があります。最初の問題: bad.csv 3行目「respondent_id」列: "
        "回答者ID「r1」が重複しています（2行目と同じ）。IDを見直してください。 "
        "すべての問題を見るには --errors FILE.csv を付けてください。"
    )
    assert not out.exists()
    errors = tmp_path / "errors.csv"
    with pytest.raises(CommandError) as excinfo:
        call_command("analyze_survey", *args, "--errors", str(errors))
    assert str(excinfo.value).endswith(f"すべての問題を {errors} に書き出しました。")
    assert errors.read_bytes().decode("utf-8-sig").splitlines() == [
        "ファイル,行,列,内容",
        "bad.csv,3,respondent_id,回答者ID「r1」が重複しています（2行目と同じ）。IDを見直してください。",
        "bad.csv,2,S:A01,「6」は回答コードとして使えません。1〜5、9（わからない）または空欄（無回答）にしてください。",
    ]


def test_missing_file_and_unknown_attribute(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, responses=tmp_path / "nothing.csv")
    assert str(excinfo.value) == (
        f"ファイル「{tmp_path / 'nothing.csv'}」が見つかりません。パスを確かめてください。"
    )
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, "--crosstab-by", "ward")
    assert str(excinfo.value) == (
        "コマンドの指定「--crosstab-by」: 属性「ward」は回答ファイルにありません"
        "（ある属性: gender、age_band、district）。"
    )
    small = tmp_path / "design.json"
    small.write_text('{"population": 5}', encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, "--design", str(small))
    assert str(excinfo.value) == (
        "design.json「population」: 母集団の人数（5人）が回答者数（8人）より少なくなっています。"
    )


def test_console_exit_codes(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    base = [
        sys.executable,
        "-m",
        "keikaku",
        "analyze-survey",
        "--measures",
        str(SAMPLES / "measures.csv"),
    ]
    ok = subprocess.run(
        [*base, "--responses", str(SAMPLES / "responses.csv"), "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == f"集計しました: 回答者 8人、施策 3件、設問 4件 → {out}\n"
    bad = subprocess.run(
        [*base, "--responses", str(SAMPLES / "previous.csv"), "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith(
        "CommandError: 2件の問題があります。"
    )
