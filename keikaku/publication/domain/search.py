"""Site search in Japanese: matching forms, character bigrams, matching, scoring, snippets.

Every document is indexed twice: its *surface* form (:func:`fold`: NFKC, lower case,
hiragana for katakana, no spaces) and its *normalised* form (each Sudachi morpheme replaced
by its normalised form, then folded). A query term matches a document when its surface
form occurs in the document's surface form (partial words: 「子育」 finds 「子育て」) or its
normalised form occurs in the document's normalised form (表記ゆれ: 「こども」 finds
「子ども」 and 「子供」; 「取組」 finds 「取り組み」).

The database keeps the set of character bigrams of both forms per document
(:func:`grams`), so that candidates are found with one indexed query on any database; the
candidates are then checked exactly here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from keikaku.publication.domain.japanese import fold, morphemes, normalized_text

__all__ = [
    "IndexedText",
    "QueryTerm",
    "SEPARATOR",
    "grams",
    "index_text",
    "parse_query",
    "rank",
    "score",
    "snippet",
    "term_grams",
    "term_matches",
]

SEPARATOR = "｜"  # between title and body in the indexed forms (never part of a query)
MAX_TERMS = 8
MAX_TERM_CHARS = 40
_SPLIT = re.compile(r"\s+")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


@dataclass(frozen=True)
class IndexedText:
    surface: str
    normalized: str
    grams: frozenset[str]


@dataclass(frozen=True)
class QueryTerm:
    text: str  # as typed
    surface: str
    normalized: str


def grams(text: str) -> set[str]:
    """Character bigrams of a folded text; a one-character text is its own gram."""
    if len(text) == 1:
        return {text}
    return {text[i : i + 2] for i in range(len(text) - 1)}


def index_text(title: str, body: str) -> IndexedText:
    surface = fold(title) + SEPARATOR + fold(body)
    normalized = normalized_text(title) + SEPARATOR + normalized_text(body)
    all_grams = {g for g in grams(surface) | grams(normalized) if SEPARATOR not in g}
    return IndexedText(surface=surface, normalized=normalized, grams=frozenset(all_grams))


def parse_query(query: str) -> list[QueryTerm]:
    """Terms of a query (split at spaces, full-width too); at most 8 terms of 40 characters."""
    text = unicodedata.normalize("NFKC", query or "").strip()
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for raw in _SPLIT.split(text):
        raw = raw[:MAX_TERM_CHARS].replace(SEPARATOR, "")
        surface = fold(raw)
        if not surface or surface in seen:
            continue
        seen.add(surface)
        normalized = normalized_text(raw) or surface
        terms.append(QueryTerm(text=raw, surface=surface, normalized=normalized))
        if len(terms) == MAX_TERMS:
            break
    return terms


def term_grams(term: QueryTerm) -> tuple[frozenset[str], frozenset[str]]:
    """The bigrams a matching document must hold: (of the surface form, of the normalised)."""
    return frozenset(grams(term.surface)), frozenset(grams(term.normalized))


def term_matches(term: QueryTerm, surface: str, normalized: str) -> bool:
    return term.surface in surface or term.normalized in normalized


def score(terms: Sequence[QueryTerm], surface: str, normalized: str) -> float:
    """Relevance: matches in the title weigh 5, in the body 1 (at most 10 per term)."""
    title, _, body = surface.partition(SEPARATOR)
    n_title, _, n_body = normalized.partition(SEPARATOR)
    total = 0.0
    for term in terms:
        in_title = max(title.count(term.surface), n_title.count(term.normalized))
        in_body = max(body.count(term.surface), n_body.count(term.normalized))
        total += 5 * min(in_title, 3) + min(in_body, 10)
    return total


def _fold_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of its original character."""
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = fold(ch)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def snippet(body: str, terms: Sequence[QueryTerm], *, width: int = 110) -> list[tuple[str, bool]]:
    """A short excerpt of the body around the first match, as (text, highlighted) pieces.

    Matches of the surface form are highlighted, and so are the words that match only
    through the normalised form (「こども」 highlights 「子ども」 and 「子供」: the whole
    Sudachi morphemes whose normalised forms make up the match). Without any match: the
    start of the body.
    """
    sentences = [s.strip() for s in _SENTENCE.findall(body) if s.strip()]
    chosen = ""
    for sentence in sentences:
        folded = fold(sentence)
        if any(t.surface in folded for t in terms):
            chosen = sentence
            break
    if not chosen:
        for sentence in sentences:
            if any(t.normalized in normalized_text(sentence) for t in terms):
                chosen = sentence
                break
    if not chosen:
        chosen = sentences[0] if sentences else ""
    folded, origin = _fold_map(chosen)
    marks = [False] * len(chosen)
    for term in terms:
        start = folded.find(term.surface)
        while start >= 0 and term.surface:
            end = start + len(term.surface)
            for i in range(origin[start], origin[end - 1] + 1):
                marks[i] = True
            start = folded.find(term.surface, end)
    for i, marked in enumerate(_normalized_marks(chosen, terms)):
        marks[i] = marks[i] or marked
    first = marks.index(True) if True in marks else 0
    lo = max(0, min(first - width // 3, len(chosen) - width))
    hi = min(len(chosen), lo + width)
    pieces: list[tuple[str, bool]] = []
    if lo > 0:
        pieces.append(("…", False))
    for i in range(lo, hi):
        if pieces and pieces[-1][1] == marks[i] and pieces[-1][0] != "…":
            pieces[-1] = (pieces[-1][0] + chosen[i], marks[i])
        else:
            pieces.append((chosen[i], marks[i]))
    if hi < len(chosen):
        pieces.append(("…", False))
    return pieces


def _normalized_marks(text: str, terms: Sequence[QueryTerm]) -> list[bool]:
    """For each character of the text: is it part of a word matching a term's normalised
    form? (Whole morphemes are marked: 「子ども」 for 「こども」.)"""
    marks = [False] * len(text)
    wanted = [t.normalized for t in terms if t.normalized and t.normalized != t.surface]
    if not wanted or not text:
        return marks
    pieces: list[str] = []
    owner: list[int] = []  # for each character of the joined normalised form: its morpheme
    spans: list[tuple[int, int]] = []  # each morpheme's (start, end) in the text
    pos = 0
    for index, m in enumerate(morphemes(text)):
        folded = fold(m.normalized)
        pieces.append(folded)
        owner.extend([index] * len(folded))
        spans.append((pos, pos + len(m.surface)))
        pos += len(m.surface)
    joined = "".join(pieces)
    for needle in wanted:
        start = joined.find(needle)
        while start >= 0:
            end = start + len(needle)
            lo, hi = spans[owner[start]][0], spans[owner[end - 1]][1]
            for i in range(lo, min(hi, len(text))):
                marks[i] = True
            start = joined.find(needle, end)
    return marks


def rank(
    terms: Sequence[QueryTerm], documents: Iterable[tuple[int, str, str]]
) -> list[tuple[int, float]]:
    """(document id, score) of the documents matching every term, best first."""
    out: list[tuple[int, float]] = []
    for doc_id, surface, normalized in documents:
        if all(term_matches(t, surface, normalized) for t in terms):
            out.append((doc_id, score(terms, surface, normalized)))
    out.sort(key=lambda pair: (-pair[1], pair[0]))
    return out
