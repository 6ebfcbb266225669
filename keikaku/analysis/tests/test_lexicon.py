"""Lexicon files: stop words, synonym table, user dictionary."""

from __future__ import annotations

import pytest

from keikaku.analysis.domain.lexicon import (
    Lexicon,
    LexiconError,
    UserTerm,
    default_lexicon,
    parse_stop_words,
    parse_synonyms_csv,
    parse_user_dictionary_csv,
)


def test_stop_words_file_with_comments_in_cp932() -> None:
    data = "# コメント\n為る\n\n欲しい  # 形容詞\n".encode("cp932")
    assert parse_stop_words(data) == ["為る", "欲しい"]


def test_synonyms_csv() -> None:
    data = "canonical,variant\r\n子ども,子供\r\n子ども,こども\r\nごみ,ゴミ\r\n".encode("utf-8-sig")
    assert parse_synonyms_csv(data) == {"子ども": ["子供", "こども"], "ごみ": ["ゴミ"]}


def test_synonyms_csv_errors_say_where() -> None:
    with pytest.raises(LexiconError) as missing:
        parse_synonyms_csv(b"word,variant\n", source="syn.csv")
    assert str(missing.value) == (
        "syn.csv: 見出し行に canonical 列がありません。1 行目に canonical,variant と書いてください。"
    )
    with pytest.raises(LexiconError) as empty:
        parse_synonyms_csv("canonical,variant\nごみ,\n".encode(), source="syn.csv")
    assert (
        str(empty.value) == "syn.csv 2 行目: canonical 列と variant 列の両方に語を書いてください。"
    )


def test_user_dictionary_csv() -> None:
    data = "term,canonical,category\nさくらバス,,事業\n非難所,避難所,誤記\n".encode()
    assert parse_user_dictionary_csv(data) == [
        ("さくらバス", "さくらバス", "事業"),
        ("非難所", "避難所", "誤記"),
    ]
    with pytest.raises(LexiconError) as empty:
        parse_user_dictionary_csv("term,canonical\n\n,避難所\n".encode(), source="user.csv")
    assert (
        str(empty.value) == "user.csv 3 行目: term 列が空です。語を書くか、行を削除してください。"
    )


def test_from_data_normalises_every_entry() -> None:
    lexicon = Lexicon.from_data(
        stop_words=["ﾃｽﾄ", " "],
        synonyms={"コミュニティバス": ["ｺﾐﾊﾞｽ", "コミュニティバス"]},
        user_terms=["ｻｸﾗﾊﾞｽ", ("非難所", "避難所"), UserTerm("西台", "西台", "地名"), "サクラバス"],
    )
    assert lexicon.stop_words == frozenset({"テスト"})
    assert dict(lexicon.synonyms) == {"コミバス": "コミュニティバス"}
    assert lexicon.user_terms == (
        UserTerm("サクラバス", "サクラバス", ""),  # the second サクラバス is a repeat: dropped
        UserTerm("非難所", "避難所", ""),
        UserTerm("西台", "西台", "地名"),
    )
    assert lexicon.canonical("コミバス") == "コミュニティバス"
    assert lexicon.canonical("バス") == "バス"


def test_user_term_canonical_follows_the_synonym_table() -> None:
    lexicon = Lexicon.from_data(synonyms={"子ども": ["子供"]}, user_terms=[("子供食堂", "子供")])
    assert lexicon.user_terms == (UserTerm("子供食堂", "子ども", ""),)


def test_shipped_lexicon_loads() -> None:
    lexicon = default_lexicon()
    assert "為る" in lexicon.stop_words
    assert lexicon.synonyms["子供"] == "子ども"
    assert UserTerm("さくらバス", "さくらバス", "事業") in lexicon.user_terms
    assert default_lexicon() is lexicon
