"""Normalisation for matching (the citizens' text itself is never changed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from keikaku.analysis.domain.normalize import (
    match_key,
    normalize,
    normalize_text,
    sentence_spans,
    split_sentences,
)


def test_halfwidth_katakana_becomes_fullwidth_with_voiced_marks_composed() -> None:
    assert normalize_text("ｺﾐｭﾆﾃｨﾊﾞｽ") == "コミュニティバス"
    assert normalize_text("ﾊﾟﾌﾞﾘｯｸｺﾒﾝﾄ") == "パブリックコメント"


def test_fullwidth_latin_and_digits_become_halfwidth() -> None:
    assert normalize_text("ＷｉＦｉを１００か所に") == "WiFiを100か所に"


def test_list_markers_become_line_breaks_or_go() -> None:
    text = "公園について\n①遊具\n②トイレ\n・照明\n１．ベンチ\n(2) 砂場\n- 水飲み場"
    assert normalize_text(text) == "公園について\n遊具\nトイレ\n照明\nベンチ\n砂場\n水飲み場"


def test_inline_circled_numbers_split_items() -> None:
    assert normalize_text("①保育料②学童③児童館") == "保育料\n学童\n児童館"


def test_blanks_and_punctuation_are_unified() -> None:
    # full-width space → one space; "，" → "、"; "．" (not between digits) → "。"; "！！" → "!"
    assert normalize_text("  バス　　停が遠い，本数も少ない．1.5倍にして！！  ") == (
        "バス 停が遠い、本数も少ない。1.5倍にして!"
    )


def test_crlf_and_blank_lines() -> None:
    assert normalize_text("一行目\r\n\r\n  二行目  \r三行目") == "一行目\n二行目\n三行目"


def test_match_key_drops_blanks_punctuation_and_case() -> None:
    assert match_key(normalize_text("Ｗｉ－Ｆｉ が、ほしい！")) == "wifiがほしい"
    assert match_key(normalize_text("ただ、利用できる日数が少ない。")) == match_key(
        normalize_text("ただ利用できる日数が少ない！")
    )


def test_original_span_points_into_the_original_text() -> None:
    original = "ｺﾐｭﾆﾃｨﾊﾞｽの本数！！増やして"
    norm = normalize(original)
    assert norm.text == "コミュニティバスの本数!増やして"
    begin = norm.text.index("増やし")
    start, end = norm.original_span(begin, begin + 3)
    assert original[start:end] == "増やし"
    # 8 normalised characters came from 9 original ones (ﾊﾞ is two)
    assert norm.original_span(0, 8) == (0, 9)
    assert original[0:9] == "ｺﾐｭﾆﾃｨﾊﾞｽ"


def test_sentences() -> None:
    text = normalize_text("バスが少ない。駅まで遠い！\nなんとかして")
    assert split_sentences(text) == ["バスが少ない。", "駅まで遠い!", "なんとかして"]
    assert sentence_spans("") == []


@given(st.text(max_size=60))
def test_origin_is_monotone_and_in_range(text: str) -> None:
    norm = normalize(text)
    assert len(norm.origin) == len(norm.text)
    assert all(0 <= o < max(1, len(text)) for o in norm.origin)
    assert list(norm.origin) == sorted(norm.origin)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_normalising_twice_changes_nothing_more(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
