"""Furigana (ruby readings) for kanji in an HTML page.

:func:`add_furigana` rewrites the text of an HTML document so that every word written with
kanji carries its reading in hiragana::

    行政評価 → <ruby>行政<rp>（</rp><rt>ぎょうせい</rt><rp>）</rp></ruby><ruby>評価…

- Readings come from Sudachi (``reading_form``, katakana → hiragana). Okurigana stay outside
  the ruby: 育てる → <ruby>育<rt>そだ</rt></ruby>てる.
- An exceptions list (surface → reading) wins over Sudachi; an empty reading means "no ruby"
  (names Sudachi cannot read, such as 髙橋).
- Never touched: tags and attribute values, comments, ``<head>`` (so ``<title>``),
  ``<script>``, ``<style>``, ``<textarea>``, ``<select>``, ``<svg>``, ``<code>``, ``<kbd>``,
  ``<samp>``, text already inside ``<ruby>``, and any element marked ``translate="no"`` or
  ``data-no-furigana``.
- The input is HTML as Django renders it: text is escaped, so an entity never hides a kanji.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from keikaku.publication.domain.japanese import has_kanji, katakana_to_hiragana, morphemes

__all__ = ["Annotator", "add_furigana", "ruby", "split_okurigana", "sudachi_readings"]

Readings = Callable[[str], Sequence[tuple[str, str]]]
"""text → [(surface, reading in katakana or hiragana)], whose surfaces join to the text."""

RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
SKIP_SUBTREE = frozenset({"head", "svg", "math", "ruby", "select", "code", "kbd", "samp"})
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
_NO_FURIGANA = re.compile(r"""\b(?:data-no-furigana\b|translate\s*=\s*["']?no\b)""", re.I)
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]")


def ruby(text: str, reading: str) -> str:
    """One ruby element; ``text`` and ``reading`` must already be HTML-safe."""
    return f"<ruby>{text}<rp>（</rp><rt>{reading}</rt><rp>）</rp></ruby>"


def _segments(surface: str) -> list[tuple[str, bool]]:
    """Runs of the surface: (text, is_kana). Kanji, digits and others form the other runs."""
    runs: list[tuple[str, bool]] = []
    for ch in surface:
        kana = bool(_KANA.fullmatch(ch)) and ch != "ヶ"
        if runs and runs[-1][1] == kana:
            runs[-1] = (runs[-1][0] + ch, kana)
        else:
            runs.append((ch, kana))
    return runs


def split_okurigana(surface: str, reading: str) -> list[tuple[str, str]]:
    """Pieces of a word with their readings ("" for kana pieces that need none).

    split_okurigana("育てる", "そだてる") → [("育", "そだ"), ("てる", "")]. When the reading
    cannot be aligned with the kana of the surface, the whole word gets the whole reading.
    """
    runs = _segments(surface)
    if len(runs) == 1:
        return [(surface, "" if runs[0][1] else reading)]
    pattern = "".join(
        re.escape(katakana_to_hiragana(text)) if kana else "(.+?)" for text, kana in runs
    )
    match = re.fullmatch(pattern, reading)
    if match is None:
        return [(surface, reading)]
    groups = iter(match.groups())
    return [(text, "" if kana else next(groups)) for text, kana in runs]


def sudachi_readings(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.reading) for m in morphemes(text)]


@dataclass
class Annotator:
    """Adds ruby to plain (already escaped) text; reusable across pages of one request."""

    readings: Readings = sudachi_readings
    exceptions: Mapping[str, str] = field(default_factory=dict)
    _memo: dict[str, str] = field(default_factory=dict, repr=False)
    _exception_re: re.Pattern[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        words = sorted((w for w in self.exceptions if w), key=len, reverse=True)
        if words:
            self._exception_re = re.compile("|".join(re.escape(w) for w in words))

    def _word(self, surface: str, reading: str) -> str:
        reading = katakana_to_hiragana(reading)
        if not has_kanji(surface) or not reading or has_kanji(reading) or reading == surface:
            return surface
        return "".join(
            ruby(piece, piece_reading) if piece_reading and has_kanji(piece) else piece
            for piece, piece_reading in split_okurigana(surface, reading)
        )

    def _plain(self, text: str) -> str:
        if not has_kanji(text):
            return text
        return "".join(self._word(s, r) for s, r in self.readings(text))

    def _with_exceptions(self, text: str) -> str:
        if self._exception_re is None:
            return self._plain(text)
        out: list[str] = []
        pos = 0
        for match in self._exception_re.finditer(text):
            out.append(self._plain(text[pos : match.start()]))
            word = match.group(0)
            reading = self.exceptions[word]
            out.append(ruby(word, reading) if reading else word)
            pos = match.end()
        out.append(self._plain(text[pos:]))
        return "".join(out)

    def text(self, text: str) -> str:
        """Ruby for an escaped text node (entities are left as they are)."""
        if not has_kanji(text):
            return text
        cached = self._memo.get(text)
        if cached is not None:
            return cached
        out: list[str] = []
        pos = 0
        for match in _ENTITY.finditer(text):
            out.append(self._with_exceptions(text[pos : match.start()]))
            out.append(match.group(0))
            pos = match.end()
        out.append(self._with_exceptions(text[pos:]))
        result = "".join(out)
        if len(self._memo) < 20000:
            self._memo[text] = result
        return result


def add_furigana(html: str, annotator: Annotator | None = None) -> str:
    """The HTML with ruby readings on the kanji of its visible text (see the module doc)."""
    annotator = annotator or Annotator()
    out: list[str] = []
    pos = 0
    skip_name = ""
    skip_depth = 0
    lower = html.lower()
    while True:
        match = _TOKEN.search(html, pos)
        end = match.start() if match else len(html)
        if end > pos:
            text = html[pos:end]
            out.append(text if skip_name else annotator.text(text))
        if match is None:
            break
        closing, name = match.group(1), (match.group(2) or "").lower()
        attrs = match.group(3) or ""
        out.append(match.group(0))
        pos = match.end()
        if not name:
            continue  # comment, doctype, CDATA, processing instruction
        self_closing = attrs.rstrip().endswith("/") or name in VOID
        if closing:
            if skip_name == name:
                skip_depth -= 1
                if skip_depth == 0:
                    skip_name = ""
            continue
        if name in RAW_TEXT:
            close = lower.find(f"</{name}", pos)
            close = len(html) if close < 0 else close
            out.append(html[pos:close])
            pos = close
            continue
        if skip_name:
            if name == skip_name and not self_closing:
                skip_depth += 1
            continue
        if self_closing:
            continue
        if name in SKIP_SUBTREE or _NO_FURIGANA.search(attrs):
            skip_name, skip_depth = name, 1
    return "".join(out)
