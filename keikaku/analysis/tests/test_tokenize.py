"""Content words with SudachiPy, the synonym table, stop words and the user dictionary."""

from __future__ import annotations

from keikaku.analysis.domain.lexicon import Lexicon, default_lexicon
from keikaku.analysis.domain.normalize import normalize_text
from keikaku.analysis.domain.tokenize import Tokenizer, TokenizerConfig, sudachi_dictionary

TOKENIZER = Tokenizer(default_lexicon())


def terms(text: str, tokenizer: Tokenizer = TOKENIZER) -> list[str]:
    return [w[0] for w in tokenizer.terms(normalize_text(text))]


def test_kodomo_spellings_are_one_term() -> None:
    assert terms("子ども") == terms("こども") == terms("子供") == ["子ども"]
    assert terms("子どもたち") == ["子ども"]


def test_community_bus_spellings_are_one_term() -> None:
    assert terms("ｺﾐｭﾆﾃｨﾊﾞｽ") == terms("コミュニティバス") == ["コミュニティバス"]
    assert terms("コミバス") == ["コミュニティバス"]


def test_gomi_spellings_are_one_term() -> None:
    # Sudachi normalises ゴミ出し to 塵出し; the synonym table brings it back to ごみ出し
    assert terms("ゴミ出し") == terms("ごみ出し") == ["ごみ出し"]


def test_content_words_and_stop_words() -> None:
    assert TOKENIZER.terms(normalize_text("バスの本数を増やしてほしいです。")) == (
        ("バス", "名詞", "バス"),
        ("本数", "名詞", "本数"),
        ("増やす", "動詞", "増やす"),
    )


def test_labels_use_the_dictionary_form_not_sudachis_normalised_kanji() -> None:
    # normalised form of まとめる is 纏める; the label keeps the reader's spelling
    assert TOKENIZER.terms(normalize_text("意見をまとめてほしい")) == (
        ("纏める", "動詞", "まとめる"),
    )


def test_user_dictionary_protects_compound_terms() -> None:
    plain = Tokenizer(Lexicon())
    # without the user dictionary Sudachi cuts the programme name (and normalises さくら to 桜)
    assert terms("さくらバスが便利", plain) == ["桜", "バス", "便利"]
    assert terms("さくらバスが便利") == ["さくらバス", "便利"]
    assert terms("桜ヶ丘市民プールを残して") == ["市民プール", "残す"]


def test_user_dictionary_corrects_a_typo_that_sudachi_splits() -> None:
    assert terms("非難所の場所") == ["避難所", "場所"]


def test_tokens_carry_offsets_into_the_normalised_text() -> None:
    text = normalize_text("ｺﾐｭﾆﾃｨﾊﾞｽとさくらバス")
    tokens = TOKENIZER.tokens(text)
    assert [(t.surface, t.term, t.begin, t.end, t.user_term) for t in tokens] == [
        ("コミュニティバス", "コミュニティバス", 0, 8, False),
        ("さくらバス", "さくらバス", 9, 14, True),
    ]
    assert [text[t.begin : t.end] for t in tokens] == ["コミュニティバス", "さくらバス"]


def test_part_of_speech_is_configurable() -> None:
    nouns_only = Tokenizer(default_lexicon(), TokenizerConfig(pos_classes=("名詞",)))
    assert terms("歩道が狭くて危ない", nouns_only) == ["歩道"]
    assert terms("歩道が狭くて危ない") == ["歩道", "狭い", "危ない"]


def test_lexicon_from_plain_data() -> None:
    lexicon = Lexicon.from_data(
        stop_words=["歩道"],
        synonyms={"でこぼこ道": ["悪路"]},
        user_terms=[("西台二丁目", "西台2丁目", "地名")],
    )
    tokenizer = Tokenizer(lexicon)
    assert terms("西台二丁目の歩道は悪路", tokenizer) == ["西台2丁目", "でこぼこ道"]


def test_cache_returns_the_same_answer_object() -> None:
    tokenizer = Tokenizer(default_lexicon())
    first = tokenizer.terms("公園の遊具が古い")
    assert tokenizer.terms("公園の遊具が古い") is first
    assert tokenizer.terms_batch(["公園の遊具が古い", "公園"]) == [
        first,
        (("公園", "名詞", "公園"),),
    ]


def test_long_text_is_analysed_in_chunks() -> None:
    text = "公園の遊具が古い。" * 1000  # 9,000 characters, 27 KB: more than one Sudachi call
    assert len(TOKENIZER.terms(text)) == 3000


def test_the_sudachi_dictionary_is_created_once() -> None:
    assert sudachi_dictionary() is sudachi_dictionary()
