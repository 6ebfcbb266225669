"""The whole analysis: contract of the result, determinism, no network, LLM summaries."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from keikaku.analysis.domain.backends import FakeLLM
from keikaku.analysis.domain.csvinput import AnalysisInputError
from keikaku.analysis.domain.model import AnalysisConfig, MeasureProfile, Opinion
from keikaku.analysis.domain.pipeline import analyze
from keikaku.analysis.domain.serialize import result_to_dict, result_to_json
from keikaku.analysis.tests.labelled import load_labelled

MEASURES = [
    MeasureProfile(
        "4-2", "公共交通", "路線バスとコミュニティバスの運行", keywords=("バス", "本数")
    ),
    MeasureProfile("4-3", "公園・緑地", "公園の遊具やトイレの更新", keywords=("公園", "遊具")),
]
OPINIONS = [
    Opinion("1", "ｺﾐｭﾆﾃｨﾊﾞｽの本数を増やしてほしい", (("地区", "西台"),)),
    Opinion("2", "コミュニティバスの本数を増やしてほしい！", (("地区", "東原"),)),
    Opinion("3", "公園の遊具が古くて危ない", (("地区", "西台"),)),
    Opinion("4", "いつもご苦労さまです。", (("地区", "本町"),)),
    Opinion("5", "公園のトイレが汚い。遊具も古い。", (("地区", "東原"),)),
]


def test_result_contract() -> None:
    data = result_to_dict(analyze(OPINIONS, MEASURES))
    assert list(data) == [
        "format",
        "version",
        "parameters",
        "counts",
        "opinions",
        "duplicate_groups",
        "campaigns",
        "clusters",
        "keywords",
        "keywords_by_pos",
        "kwic",
        "cooccurrence",
        "characteristic_words",
        "summaries",
        "map",
    ]
    assert (data["format"], data["version"]) == ("keikaku-opinion-analysis", 1)
    first = data["opinions"][0]
    assert list(first) == ["id", "measures", "duplicate_group", "campaign", "cluster", "confirmed"]
    # opinions 1 and 2 differ only in ｺﾐｭﾆﾃｨﾊﾞｽ/コミュニティバス and punctuation: one text
    assert [(o["id"], o["duplicate_group"]) for o in data["opinions"]] == [
        ("1", "dup-0001"),
        ("2", "dup-0001"),
        ("3", None),
        ("4", None),
        ("5", None),
    ]
    assert data["duplicate_groups"] == [
        {"id": "dup-0001", "representative": "1", "size": 2, "exact": True, "members": ["1", "2"]}
    ]
    assert [o["measures"][0]["code"] if o["measures"] else None for o in data["opinions"]] == [
        "4-2",
        "4-2",
        "4-3",
        None,
        "4-3",
    ]
    assert data["counts"] == {
        "opinions": 5,
        "voices": 4,
        "duplicate_groups": 1,
        "in_duplicate_groups": 2,
        "campaigns": 0,
        "in_campaigns": 0,
        "unassigned": 1,
    }
    assert [(c["id"], c["members"]) for c in data["clusters"]] == [
        ("4-2/1", ["1", "2"]),
        ("4-3/1", ["3", "5"]),
        ("none/1", ["4"]),
    ]
    assert [o["cluster"] for o in data["opinions"]] == [
        "4-2/1",
        "4-2/1",
        "4-3/1",
        "none/1",
        "4-3/1",
    ]
    assert [(s["measure"], s["opinions"], s["voices"]) for s in data["summaries"]] == [
        ("4-2", 2, 1),
        ("4-3", 2, 2),
        (None, 1, 1),
    ]
    # six terms have DF 2 and TF 2; the tie is broken by code point: コ (U+30B3) comes first
    assert data["keywords"][0] == {
        "term": "コミュニティバス",
        "normalized": "コミュニティバス",
        "pos": "名詞",
        "tf": 2,
        "df": 2,
    }
    assert data["kwic"][0]["lines"] == [
        {"id": "1", "left": "", "keyword": "ｺﾐｭﾆﾃｨﾊﾞｽ", "right": "の本数を増やしてほしい"},
        {"id": "2", "left": "", "keyword": "コミュニティバス", "right": "の本数を増やしてほしい！"},
    ]
    assert list(data["keywords_by_pos"]) == ["名詞", "動詞", "形容詞"]
    # 古い: opinions 3 and 5 (古くて, 古い); 危ない and 汚い once each
    assert data["keywords_by_pos"]["形容詞"] == [
        {"term": "古い", "normalized": "古い", "tf": 2, "df": 2},
        {"term": "危ない", "normalized": "危ない", "tf": 1, "df": 1},
        {"term": "汚い", "normalized": "汚い", "tf": 1, "df": 1},
    ]
    assert {c["dimension"] for c in data["characteristic_words"]} == {"measure", "地区"}
    assert [p["id"] for p in data["map"]] == ["1", "2", "3", "4", "5"]
    assert json.loads(result_to_json(analyze(OPINIONS, MEASURES))) == data


def test_same_seed_same_result() -> None:
    data = load_labelled()
    opinions = data.opinions[:150]
    first = result_to_json(analyze(opinions, data.measures, config=AnalysisConfig(seed=7)))
    second = result_to_json(analyze(opinions, data.measures, config=AnalysisConfig(seed=7)))
    assert first == second


def test_nothing_reaches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    data = load_labelled()
    result = analyze(data.opinions[:120], data.measures)
    assert len(result.opinions) == 120


def test_llm_summaries_when_a_backend_is_given() -> None:
    result = analyze(OPINIONS, MEASURES, llm=FakeLLM())
    assert [s.llm_summary for s in result.summaries] == [
        "1件の意見。例: ｺﾐｭﾆﾃｨﾊﾞｽの本数を増やしてほしい",
        # the pair is equally central: a tie goes to the first opinion (on every CPU)
        "2件の意見。例: 公園の遊具が古くて危ない",
        "1件の意見。例: いつもご苦労さまです。",
    ]
    assert analyze(OPINIONS, MEASURES).summaries[0].llm_summary is None


def test_bad_input() -> None:
    with pytest.raises(AnalysisInputError) as twice:
        analyze([Opinion("1", "a"), Opinion("1", "b")], MEASURES)
    assert str(twice.value) == "意見 ID「1」が重複しています。ID を一意にしてください。"
    with pytest.raises(AnalysisInputError) as unknown:
        analyze(OPINIONS, MEASURES, confirmations={"1": "9-9"})
    assert str(unknown.value) == "確定した施策コード「9-9」が施策の中にありません。"
    with pytest.raises(AnalysisInputError) as missing:
        analyze(OPINIONS, MEASURES, confirmations={"99": "4-2"})
    assert str(missing.value) == "確定した意見 ID「99」が意見の中にありません。"


def test_no_measures_means_everything_is_unassigned() -> None:
    result = analyze(OPINIONS, [])
    assert [o.measures for o in result.opinions] == [(), (), (), (), ()]
    assert result.counts.unassigned == 5
