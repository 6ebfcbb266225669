"""Pure functions of the public site: furigana and the Japanese site search (no database)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.publication.domain.furigana import Annotator, add_furigana, ruby, split_okurigana
from keikaku.publication.domain.japanese import fold, katakana_to_hiragana, normalized_text
from keikaku.publication.domain.search import (
    grams,
    index_text,
    parse_query,
    rank,
    snippet,
    term_matches,
)

# --------------------------------------------------------------------------- furigana


def test_okurigana_stay_outside_the_ruby():
    assert split_okurigana("育てる", "そだてる") == [("育", "そだ"), ("てる", "")]
    assert split_okurigana("取り組み", "とりくみ") == [
        ("取", "と"),
        ("り", ""),
        ("組", "く"),
        ("み", ""),
    ]
    # katakana in the surface match the hiragana reading: 三ツ木 = み + ツ + ぎ
    assert split_okurigana("三ツ木新町", "みつぎしんまち") == [
        ("三", "み"),
        ("ツ", ""),
        ("木新町", "ぎしんまち"),
    ]
    # a reading that does not fit the kana of the surface: the whole word gets it
    assert split_okurigana("見る", "ごらん") == [("見る", "ごらん")]


def test_ruby_markup():
    assert ruby("計画", "けいかく") == "<ruby>計画<rp>（</rp><rt>けいかく</rt><rp>）</rp></ruby>"


def test_katakana_becomes_hiragana():
    assert katakana_to_hiragana("ケイカク・コメント") == "けいかく・こめんと"


def _fixed(pairs: dict[str, list[tuple[str, str]]]):
    """A reading function for tests: known texts → morphemes, others → unread."""
    return lambda text: pairs.get(text, [(text, "")])


def test_furigana_on_text_only_never_in_title_attributes_scripts_or_existing_ruby():
    readings = _fixed(
        {
            "計画の内容": [("計画", "ケイカク"), ("の", "ノ"), ("内容", "ナイヨウ")],
            "市民": [("市民", "シミン")],
        }
    )
    html = (
        "<html><head><title>計画の内容</title></head><body>"
        '<a href="/計画/" title="計画の内容">計画の内容</a>'
        '<script>var t = "計画の内容";</script>'
        "<ruby>市民<rt>しみん</rt></ruby>"
        "<svg><text>市民</text></svg>"
        "<textarea>市民</textarea>"
        '<p translate="no">市民</p>'
        "<p data-no-furigana><span>市民</span></p>"
        "<select><option>市民</option></select>"
        "<p>市民</p><br>市民"
        "</body></html>"
    )
    out = add_furigana(html, Annotator(readings=readings))
    r = "<ruby>市民<rp>（</rp><rt>しみん</rt><rp>）</rp></ruby>"
    assert out == (
        "<html><head><title>計画の内容</title></head><body>"
        '<a href="/計画/" title="計画の内容">'
        "<ruby>計画<rp>（</rp><rt>けいかく</rt><rp>）</rp></ruby>の"
        "<ruby>内容<rp>（</rp><rt>ないよう</rt><rp>）</rp></ruby></a>"
        '<script>var t = "計画の内容";</script>'
        "<ruby>市民<rt>しみん</rt></ruby>"
        "<svg><text>市民</text></svg>"
        "<textarea>市民</textarea>"
        '<p translate="no">市民</p>'
        "<p data-no-furigana><span>市民</span></p>"
        "<select><option>市民</option></select>"
        f"<p>{r}</p><br>{r}"
        "</body></html>"
    )


def test_exceptions_win_over_the_dictionary_and_an_empty_reading_means_no_ruby():
    readings = _fixed({"市": [("市", "シ")]})
    ann = Annotator(readings=readings, exceptions={"鶴ヶ島": "つるがしま", "髙橋": ""})
    out = add_furigana("<p>髙橋さんの鶴ヶ島市</p>", ann)
    assert out == (
        "<p>髙橋さんの<ruby>鶴ヶ島<rp>（</rp><rt>つるがしま</rt><rp>）</rp></ruby>"
        "<ruby>市<rp>（</rp><rt>し</rt><rp>）</rp></ruby></p>"
    )


def test_entities_are_kept_and_unread_words_stay_as_they_are():
    readings = _fixed({"子育て": [("子育て", "コソダテ")], " ": [(" ", " ")]})
    out = add_furigana("<p>子育て&amp;&lt;b&gt;</p>", Annotator(readings=readings))
    assert out == "<p><ruby>子育<rp>（</rp><rt>こそだ</rt><rp>）</rp></ruby>て&amp;&lt;b&gt;</p>"


def test_sudachi_readings_end_to_end():
    out = add_furigana("<p>行政評価の結果</p>")
    assert out == (
        "<p><ruby>行政<rp>（</rp><rt>ぎょうせい</rt><rp>）</rp></ruby>"
        "<ruby>評価<rp>（</rp><rt>ひょうか</rt><rp>）</rp></ruby>の"
        "<ruby>結果<rp>（</rp><rt>けっか</rt><rp>）</rp></ruby></p>"
    )


_STRIP = re.compile(r"<rp>[^<]*</rp>|<rt>[^<]*</rt>|</?ruby>")

_html_text = st.text(
    alphabet=st.sampled_from(list("計画市民の子育て支援まちづくり将来像ア漢字 、。&;<>\"'=/abp")),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["p", "a", "span", "title", "script"]), _html_text)))
def test_removing_the_ruby_gives_back_the_page(parts):
    """Property: furigana only adds ruby; stripped of it, the page is unchanged."""
    from html import escape

    html = "".join(
        f"<{tag}>{escape(text, quote=False)}</{tag}>"
        if tag not in ("script",)
        else f"<script>{text.replace('<', '')}</script>"
        for tag, text in parts
    )
    out = add_furigana(html)
    assert _STRIP.sub("", out) == html


# --------------------------------------------------------------------------- search


def test_fold_unifies_width_case_kana_and_small_ke():
    # ヶ → ケ → け: 「鶴ヶ島」「鶴ケ島」「鶴が島」 spellings meet at 「鶴け島」 / 「鶴が島」 stays apart
    assert fold("ＫＥＩＫＡＫＵ　ｺﾐｭﾆﾃｨ 鶴ヶ島") == "keikakuこみゅにてぃ鶴け島"
    assert fold("鶴ケ島") == fold("鶴ヶ島")


def test_normalized_text_unifies_spelling_variants():
    # 子ども / こども / 子供 → 子供 ; まちづくり → 町作り (Sudachi normalised forms)
    assert normalized_text("こどもの居場所") == normalized_text("子どもの居場所") == "子供の居場所"
    assert normalized_text("まちづくり") == "町作り"


def test_grams_are_character_bigrams():
    assert grams("子育て") == {"子育", "育て"}
    assert grams("市") == {"市"}


def test_query_terms_and_matching():
    terms = parse_query("こども　居場所 居場所")
    assert [(t.text, t.surface, t.normalized) for t in terms] == [
        ("こども", "こども", "子供"),
        ("居場所", "居場所", "居場所"),
    ]
    doc = index_text("子ども・子育て支援の充実", "放課後の子どもの居場所づくり")
    assert all(term_matches(t, doc.surface, doc.normalized) for t in terms)
    # partial word: 「子育」 is not a word, but it is in the text
    assert term_matches(parse_query("子育")[0], doc.surface, doc.normalized)
    assert not term_matches(parse_query("高齢者")[0], doc.surface, doc.normalized)
    # 表記ゆれ the other way round: 「取組」 finds 「取り組み」 (both → 取り組み)
    doc2 = index_text("主な取り組み", "")
    assert term_matches(parse_query("取組")[0], doc2.surface, doc2.normalized)


def test_rank_needs_every_term_and_prefers_the_title():
    a = index_text("子育て支援の充実", "保育の受け皿")
    b = index_text("学校教育", "子育て世帯の学び")
    c = index_text("環境", "ごみの分別")
    terms = parse_query("子育て")
    # a: title 1 × 5 = 5 ; b: body 1 × 1 = 1 ; c: no match
    assert rank(
        terms,
        [(1, a.surface, a.normalized), (2, b.surface, b.normalized), (3, c.surface, c.normalized)],
    ) == [
        (1, 5.0),
        (2, 1.0),
    ]
    assert rank(
        parse_query("子育て 保育"), [(1, a.surface, a.normalized), (2, b.surface, b.normalized)]
    ) == [(1, 6.0)]


def test_snippet_highlights_the_surface_match():
    body = "市の将来像です。放課後の子どもの居場所づくりを進めます。ｺﾐｭﾆﾃｨも大切です。"
    assert snippet(body, parse_query("居場所")) == [
        ("放課後の子どもの", False),
        ("居場所", True),
        ("づくりを進めます。", False),
    ]
    # half-width katakana in the text, full-width in the query
    assert snippet(body, parse_query("コミュニティ")) == [("ｺﾐｭﾆﾃｨ", True), ("も大切です。", False)]


def test_snippet_highlights_the_spelling_variants_too():
    # 「こども」 is found in 「子ども」 and 「子供」 through Sudachi's normalised form (子供):
    # the whole words are highlighted, as an exact match would be
    body = "子どもと子育て家庭を支えます。子供の居場所をつくります。"
    assert snippet(body, parse_query("こども")) == [
        ("子ども", True),
        ("と子育て家庭を支えます。", False),  # the first matching sentence only
    ]
    assert snippet("子供の居場所をつくります。", parse_query("こども 居場所")) == [
        ("子供", True),
        ("の", False),
        ("居場所", True),
        ("をつくります。", False),
    ]
    # 「取組」 finds 「取り組み」
    assert snippet("地域の取り組みを広げます。", parse_query("取組")) == [
        ("地域の", False),
        ("取り組み", True),
        ("を広げます。", False),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("計画市民子育て支援まちづくり将来像アイウ123abc")),
        min_size=2,
        max_size=30,
    ),
    st.data(),
)
def test_any_part_of_a_text_finds_it(text, data):
    """Property: every substring (partial word) of a document matches the document."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    doc = index_text("", text)
    terms = parse_query(text[start:end])
    assert terms and all(term_matches(t, doc.surface, doc.normalized) for t in terms)
    surface_grams, _normal = (frozenset(grams(terms[0].surface)), None)
    assert surface_grams <= doc.grams or len(terms[0].surface) == 1
