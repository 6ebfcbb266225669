"""Japanese text helpers of the public site: Sudachi morphemes, kana and kanji, folding.

- One Sudachi core dictionary per process (:func:`sudachi`); texts are cut into chunks below
  Sudachi's input limit (49,149 bytes) at line or sentence ends.
- :func:`fold` is the matching form used by the site search: NFKC, lower case, katakana as
  hiragana, small ヶ/ヵ as ケ/カ, spaces removed. It is never shown or stored as content.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from sudachipy import Dictionary, SplitMode

__all__ = [
    "Morpheme",
    "fold",
    "has_kanji",
    "is_kanji",
    "katakana_to_hiragana",
    "morphemes",
    "normalized_text",
    "sudachi",
]

_LOCK = threading.Lock()
_DICTIONARY: Dictionary | None = None
_LOCAL = threading.local()
MAX_CHUNK = 4000  # characters per Sudachi call; 4000 × 4 bytes stays below its limit

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_FOLD_EXTRA = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "ゖ": "け", "ゕ": "か"})
_SPACES = re.compile(r"\s+")
_CHUNK_END = re.compile(r"[\n。！？!?]")


@dataclass(frozen=True)
class Morpheme:
    surface: str
    normalized: str
    reading: str  # katakana, as Sudachi gives it (the surface itself when unknown)


def sudachi() -> Dictionary:
    """The process-wide Sudachi core dictionary (created on first use)."""
    global _DICTIONARY
    with _LOCK:
        if _DICTIONARY is None:
            _DICTIONARY = Dictionary(dict="core")
        return _DICTIONARY


def _tokenizer() -> object:
    tok = getattr(_LOCAL, "tokenizer", None)
    if tok is None:
        tok = sudachi().tokenizer(
            mode=SplitMode.C, fields={"normalized_form", "reading_form", "surface"}
        )
        _LOCAL.tokenizer = tok
    return tok


def _chunks(text: str) -> list[str]:
    if len(text) <= MAX_CHUNK:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + MAX_CHUNK, len(text))
        if end < len(text):
            cut = None
            for match in _CHUNK_END.finditer(text, start, end):
                cut = match.end()
            if cut is not None and cut > start:
                end = cut
        out.append(text[start:end])
        start = end
    return out


def morphemes(text: str) -> list[Morpheme]:
    """Sudachi (mode C) morphemes of a text, in order; their surfaces join to the text."""
    if not text:
        return []
    tok = _tokenizer()
    out: list[Morpheme] = []
    for chunk in _chunks(text):
        for m in tok.tokenize(chunk):  # type: ignore[attr-defined]
            out.append(Morpheme(m.surface(), m.normalized_form(), m.reading_form()))
    return out


def katakana_to_hiragana(text: str) -> str:
    return text.translate(_KATAKANA_TO_HIRAGANA)


def is_kanji(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or ch in "々〆"
    )


def has_kanji(text: str) -> bool:
    return any(is_kanji(ch) for ch in text)


def fold(text: str) -> str:
    """The matching form: NFKC, lower case, hiragana for katakana, ケ for ヶ, no spaces."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD_EXTRA)
    return _SPACES.sub("", katakana_to_hiragana(text))


def normalized_text(text: str) -> str:
    """The text with every morpheme replaced by Sudachi's normalised form, then folded:
    「こどもの居場所」 and 「子どもの居場所」 both give 「子供の居場所」."""
    return fold("".join(m.normalized for m in morphemes(text)))
