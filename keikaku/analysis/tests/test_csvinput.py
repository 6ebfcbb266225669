"""Reading opinions, measures and confirmations from CSV."""

from __future__ import annotations

import pytest

from keikaku.analysis.domain.csvinput import (
    AnalysisInputError,
    read_confirmations_csv,
    read_measures_csv,
    read_opinions_csv,
    split_list,
)
from keikaku.analysis.domain.model import MeasureProfile, Opinion


def test_opinions_utf8_with_bom_keep_text_as_written() -> None:
    data = 'id,text,年代\r\nA1,"ｺﾐｭﾆﾃｨﾊﾞｽを\r\n増やして",70代\r\nA2,𠮷野の髙橋です,\r\n'.encode(
        "utf-8-sig"
    )
    assert read_opinions_csv(data) == [
        Opinion("A1", "ｺﾐｭﾆﾃｨﾊﾞｽを\r\n増やして", (("年代", "70代"),)),
        Opinion("A2", "𠮷野の髙橋です", (("年代", ""),)),
    ]


def test_opinions_cp932_and_other_column_names() -> None:
    data = "番号,意見,地区\r\n1,バスが少ない①,西台\r\n".encode("cp932")
    assert read_opinions_csv(data, id_column="番号", text_column="意見") == [
        Opinion("1", "バスが少ない①", (("地区", "西台"),))
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "no,text\n1,a\n",
            "ops.csv: 見出し行に「id」列がありません（ある列: no、text）。列名を確かめてください。",
        ),
        (
            "id,text\n1,a\n\n1,b\n",
            "ops.csv 4 行目: ID「1」は 2 行目と重複しています。ID を一意にしてください。",
        ),
        ("id,text\n,a\n", "ops.csv 2 行目: 「id」列が空です。意見の ID を入れてください。"),
        (
            "id,text\n1, \n",
            "ops.csv 2 行目: 「text」列が空です。意見の本文を入れるか、行を削除してください。",
        ),
        ("id,text\n", "ops.csv: 意見が 1 件もありません。2 行目から意見を書いてください。"),
        ("", "ops.csv: ファイルが空です。1 行目に見出し行を書いてください。"),
    ],
)
def test_opinion_errors_say_where_and_what_to_do(content: str, message: str) -> None:
    with pytest.raises(AnalysisInputError) as error:
        read_opinions_csv(content.encode(), source="ops.csv")
    assert str(error.value) == message


def test_measures_with_optional_columns_and_lists() -> None:
    data = (
        "code,title,description,vision,initiatives,indicators,keywords\n"
        "4-2,公共交通,バスの運行,移動できる,さくらバス|デマンドタクシー,利用者数,バス；本数 | 駅\n"
        "4-3,公園,,,,,\n"
    ).encode()
    assert read_measures_csv(data) == [
        MeasureProfile(
            "4-2",
            "公共交通",
            "バスの運行",
            "移動できる",
            ("さくらバス", "デマンドタクシー"),
            ("利用者数",),
            ("バス", "本数", "駅"),
        ),
        MeasureProfile("4-3", "公園"),
    ]


def test_measures_with_japanese_headers() -> None:
    data = "施策コード,施策名,説明,目指す姿\n1-1,子育て支援,保育所の整備,安心\n".encode("cp932")
    assert read_measures_csv(data) == [MeasureProfile("1-1", "子育て支援", "保育所の整備", "安心")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "code,title\n1,a\n",
            "m.csv: 見出し行に「description」列がありません（ある列: code、title）。列名を確かめてください。",
        ),
        (
            "code,title,description\n,a,b\n",
            "m.csv 2 行目: 「code」列が空です。施策コードを入れてください。",
        ),
        (
            "code,title,description\n1,,b\n",
            "m.csv 2 行目: 「title」列が空です。施策名を入れてください。",
        ),
        (
            "code,title,description\n1,a,b\n1,c,d\n",
            "m.csv 3 行目: 施策コード「1」は 2 行目と重複しています。コードを一意にしてください。",
        ),
        (
            "code,title,description\n",
            "m.csv: 施策が 1 件もありません。2 行目から施策を書いてください。",
        ),
    ],
)
def test_measure_errors(content: str, message: str) -> None:
    with pytest.raises(AnalysisInputError) as error:
        read_measures_csv(content.encode(), source="m.csv")
    assert str(error.value) == message


def test_confirmations() -> None:
    data = b"id,measure\nA1,4-2\n"
    assert read_confirmations_csv(data, opinion_ids=["A1", "A2"], measure_codes=["4-2"]) == {
        "A1": "4-2"
    }
    with pytest.raises(AnalysisInputError) as unknown_id:
        read_confirmations_csv(
            b"id,measure\nA9,4-2\n", opinion_ids=["A1"], measure_codes=["4-2"], source="c.csv"
        )
    assert (
        str(unknown_id.value)
        == "c.csv 2 行目: 意見 ID「A9」は意見ファイルにありません。ID を確かめてください。"
    )
    with pytest.raises(AnalysisInputError) as unknown_code:
        read_confirmations_csv(
            b"id,measure\nA1,9-9\n", opinion_ids=["A1"], measure_codes=["4-2"], source="c.csv"
        )
    assert str(unknown_code.value) == (
        "c.csv 2 行目: 施策コード「9-9」は施策ファイルにありません。コードを確かめてください。"
    )


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(AnalysisInputError) as error:
        read_opinions_csv(b"id,text\n1,\xff\xfe\xfa\n", source="bad.csv")
    assert str(error.value).startswith("bad.csv")


def test_split_list() -> None:
    assert split_list(" a | b｜c;d；e\nf || ") == ("a", "b", "c", "d", "e", "f")
