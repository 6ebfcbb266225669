"""Normalisation of citizens' text for matching, and sentence segmentation.

Citizens' text is always kept exactly as written; what this module returns is used only to
match, count and compare. The steps, in order:

1. circled and parenthesised numbers (①, ⑴, ❶ …), which mark list items anywhere in a line,
   become line breaks;
2. each character is put in Unicode NFKC form on its own (full-width Latin letters and digits
   become half-width, half-width katakana become full-width, with a following half-width
   voiced mark composed into one character: ｶﾞ → ガ); control and zero-width characters go;
3. list markers at the start of a line (・, -, *, ●, ■, ※, 1. 1) (1) 一、 …) go;
4. runs of blanks become one space, blanks around line breaks go, empty lines go;
5. punctuation is unified: ，→、 a full stop "." (not between digits) → 。, repeated
   !/?/。/、 become one.

Every step keeps, for each character of the result, the position of the character of the
original text it came from, so that a keyword found in the normalised text can be shown in the
original (KWIC). :func:`match_key` goes further for duplicate detection: lower case, no blanks,
no punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "NormalizedText",
    "match_key",
    "normalize",
    "normalize_text",
    "sentence_spans",
    "split_sentences",
]

_CIRCLED = re.compile(
    r"[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u24f5-\u24fe\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]"
)
_DROP = re.compile(
    r"[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u2060\ufeff]"
)
_LIST_MARKER = re.compile(
    r"(?m)^[ \t]*(?:"
    r"[・･●○◯◎■□◆◇▪▫▶▷►※*\-‐‑‒–—―•∙]+"
    r"|\(\d{1,2}\)|\d{1,2}[.)、:](?!\d)"
    r"|[一二三四五六七八九十]{1,2}[、.]"
    r"|\([一二三四五六七八九十]{1,2}\)"
    r")[ \t]*"
)
_BLANKS = re.compile(r"[ \t\u3000]+")
_BLANK_AROUND_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")
_COMMA = re.compile(r",(?!\d)|(?<!\d),")
_PERIOD = re.compile(r"\.(?!\d)|(?<!\d)\.")
_REPEATED = re.compile(r"([!?。、~・])\1+")
_EDGE_BLANKS = re.compile(r"^[ \n]+|[ \n]+$")

_SENTENCE_END = re.compile(r"[。!?]+[」』)\]]*|\n")
_MATCH_DROP = re.compile(r"[\s!-/:-@\[-`{-~、。「」『』【】()（）・…‥〜~゛゜]+")


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text and, for each of its characters, the index of its original character."""

    text: str
    origin: tuple[int, ...]
    original_length: int

    def original_span(self, begin: int, end: int) -> tuple[int, int]:
        """The span of the original text behind ``text[begin:end]`` (end exclusive)."""
        if begin >= len(self.text):
            return self.original_length, self.original_length
        start = self.origin[begin]
        stop = self.origin[end] if end < len(self.text) else self.original_length
        # A character may expand into several (e.g. ㈱ → (株)); never cut one in half.
        return start, max(stop, start + 1) if end > begin else start


@lru_cache(maxsize=4096)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


_VOICED = {"\u3099", "\u309a"}


def _nfkc_tracked(text: str, origin: list[int]) -> tuple[str, list[int]]:
    if unicodedata.is_normalized("NFKC", text) and not _DROP.search(text):
        return text, origin
    out: list[str] = []
    out_origin: list[int] = []
    for ch, o in zip(text, origin, strict=True):
        if _DROP.match(ch):
            continue
        n = ch if ch.isascii() else _nfkc_char(ch)
        for c in n:
            if c in _VOICED and out:
                composed = unicodedata.normalize("NFC", out[-1] + c)
                if len(composed) == 1:
                    out[-1] = composed
                    continue
            out.append(c)
            out_origin.append(o)
    return "".join(out), out_origin


def _sub_tracked(
    pattern: re.Pattern[str],
    replacement: str | Callable[[re.Match[str]], str],
    text: str,
    origin: list[int],
) -> tuple[str, list[int]]:
    """``pattern.sub`` that also carries the origin of each character through."""
    pieces: list[str] = []
    new_origin: list[int] = []
    last = 0
    matched = False
    for m in pattern.finditer(text):
        matched = True
        start, end = m.span()
        pieces.append(text[last:start])
        new_origin.extend(origin[last:start])
        rep = replacement if isinstance(replacement, str) else replacement(m)
        if rep:
            anchor = origin[start] if start < len(origin) else (origin[-1] + 1 if origin else 0)
            pieces.append(rep)
            new_origin.extend([anchor] * len(rep))
        last = end
    if not matched:
        return text, origin
    pieces.append(text[last:])
    new_origin.extend(origin[last:])
    return "".join(pieces), new_origin


def normalize(text: str) -> NormalizedText:
    """Normalise one text for matching, keeping the origin of every character."""
    origin = list(range(len(text)))
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(t) != len(text):  # CRLF became LF: rebuild the origin
        origin = []
        i = 0
        while i < len(text):
            origin.append(i)
            i += 2 if text[i] == "\r" and text[i + 1 : i + 2] == "\n" else 1
    t, origin = _sub_tracked(_CIRCLED, "\n", t, origin)
    t, origin = _nfkc_tracked(t, origin)
    t, origin = _sub_tracked(_LIST_MARKER, "", t, origin)
    t, origin = _sub_tracked(_BLANKS, " ", t, origin)
    t, origin = _sub_tracked(_BLANK_AROUND_BREAK, "\n", t, origin)
    t, origin = _sub_tracked(_COMMA, "、", t, origin)
    t, origin = _sub_tracked(_PERIOD, "。", t, origin)
    t, origin = _sub_tracked(_REPEATED, lambda m: m.group(1), t, origin)
    t, origin = _sub_tracked(_EDGE_BLANKS, "", t, origin)
    return NormalizedText(t, tuple(origin), len(text))


def normalize_text(text: str) -> str:
    """The normalised text only (see :func:`normalize`)."""
    return normalize(text).text


def match_key(normalized: str) -> str:
    """Key for exact-duplicate detection and character shingles: lower case, no blanks or
    punctuation. Takes text already passed through :func:`normalize_text`."""
    return _MATCH_DROP.sub("", normalized.lower())


def sentence_spans(normalized: str) -> list[tuple[int, int]]:
    """Sentences of a normalised text as (begin, end) spans; ends at 。!? and line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(normalized):
        end = m.end() if m.group() != "\n" else m.start()
        if normalized[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if normalized[start:].strip():
        spans.append((start, len(normalized)))
    return spans


def split_sentences(normalized: str) -> list[str]:
    """Sentences of a normalised text (see :func:`sentence_spans`)."""
    return [normalized[b:e].strip() for b, e in sentence_spans(normalized)]
