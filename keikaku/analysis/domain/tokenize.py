"""Content words of Japanese text: SudachiPy (SplitMode.C, normalised forms) plus the lexicon.

- The Sudachi dictionary is created once per process (:func:`sudachi_dictionary`) and each
  :class:`Tokenizer` keeps one Sudachi tokenizer; both are reused for every text.
- User-dictionary terms are protected by longest-match pre-tokenisation: they are cut out of
  the text first and become one token each; Sudachi analyses the pieces between them.
- A token is kept when its part of speech is one of ``pos_classes`` (first level: 名詞, 動詞,
  形容詞 by default) and none of ``excluded_subclasses``; its term is the synonym table's
  canonical form of its Sudachi normalised form (or surface, or dictionary form), else the
  normalised form itself; stop words are dropped. Synonyms apply to single tokens: a variant
  that Sudachi cuts into several tokens (a typo such as 非難所) belongs in the user dictionary,
  with its canonical form.
- :meth:`Tokenizer.terms` caches its answer by normalised text, so repeated and duplicated
  opinions cost nothing the second time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sudachipy import Dictionary, SplitMode

from keikaku.analysis.domain.lexicon import Lexicon

__all__ = ["Term", "Token", "Tokenizer", "TokenizerConfig", "Word", "sudachi_dictionary"]

Term = tuple[str, str]
"""(canonical term, part of speech): what is counted and matched."""
Word = tuple[str, str, str]
"""(canonical term, part of speech, label): the label is how the word is shown — the
canonical form when the lexicon gives one, else the surface of a noun or the dictionary form
of a verb or adjective (Sudachi's normalised forms such as 纏める or 御襁褓 read oddly)."""

_LOCK = threading.Lock()
_DICTIONARY: Dictionary | None = None
_MAX_CHUNK = 4000  # characters per Sudachi call (its limit is 49,149 bytes)
_KANA_ONE = re.compile(r"^[\u3041-\u309f\u30a0-\u30ffー]$")
_NO_WORD = re.compile(r"^[\d\W_]+$")


def sudachi_dictionary() -> Dictionary:
    """The process-wide Sudachi core dictionary (created on first use)."""
    global _DICTIONARY
    with _LOCK:
        if _DICTIONARY is None:
            _DICTIONARY = Dictionary(dict="core")
        return _DICTIONARY


@dataclass(frozen=True)
class TokenizerConfig:
    pos_classes: tuple[str, ...] = ("名詞", "動詞", "形容詞")
    excluded_subclasses: tuple[str, ...] = ("数詞", "代名詞", "非自立可能", "助動詞語幹")
    cache_size: int = 500_000


@dataclass(frozen=True)
class Token:
    """A content word; ``begin``/``end`` index the normalised text."""

    surface: str
    term: str
    pos: str
    begin: int
    end: int
    label: str = ""
    user_term: bool = False


class Tokenizer:
    """Content-word tokenizer; one instance can be shared by every analysis step."""

    def __init__(self, lexicon: Lexicon | None = None, config: TokenizerConfig | None = None):
        self.lexicon = lexicon or Lexicon()
        self.config = config or TokenizerConfig()
        self._sudachi = sudachi_dictionary().tokenizer(
            mode=SplitMode.C, fields={"pos", "normalized_form", "dictionary_form"}
        )
        self._pos_cache: dict[int, str | None] = {}
        # (Sudachi word id, surface) → content word or None: the same word costs one lookup
        self._memo: dict[tuple[int, str], Word | None] = {}
        self._cache: dict[str, tuple[Word, ...]] = {}
        self._interned: dict[Word, Word] = {}
        terms = sorted(self.lexicon.user_terms, key=lambda t: (-len(t.term), t.term))
        self._user = {t.term.lower(): t.canonical for t in terms}
        self._user_re = (
            re.compile("|".join(re.escape(t.term) for t in terms), re.IGNORECASE) if terms else None
        )
        self._stop = self.lexicon.stop_words
        self._synonyms = self.lexicon.synonyms

    # -- part of speech -------------------------------------------------------------------
    def _pos_class(self, pos_id: int) -> str | None:
        try:
            return self._pos_cache[pos_id]
        except KeyError:
            pass
        pos = sudachi_dictionary().pos_of(pos_id) or ("",)
        label: str | None = pos[0] if pos[0] in self.config.pos_classes else None
        if label is not None and any(p in self.config.excluded_subclasses for p in pos[1:]):
            label = None
        self._pos_cache[pos_id] = label
        return label

    # -- scanning ---------------------------------------------------------------------------
    def _pieces(self, text: str) -> Iterator[tuple[int, str, str | None]]:
        """(offset, piece, canonical if the piece is a user term)."""
        pos = 0
        if self._user_re is not None:
            for m in self._user_re.finditer(text):
                if m.start() > pos:
                    yield from self._chunks(pos, text[pos : m.start()])
                yield m.start(), m.group(), self._user[m.group().lower()]
                pos = m.end()
        if pos < len(text):
            yield from self._chunks(pos, text[pos:])

    @staticmethod
    def _chunks(offset: int, text: str) -> Iterator[tuple[int, str, str | None]]:
        while len(text) > _MAX_CHUNK:
            cut = max(text.rfind("。", 0, _MAX_CHUNK), text.rfind("\n", 0, _MAX_CHUNK))
            cut = cut + 1 if cut > 0 else _MAX_CHUNK
            yield offset, text[:cut], None
            offset += cut
            text = text[cut:]
        if text:
            yield offset, text, None

    def _accept(
        self, surface: str, normalized: str, dictionary: str, pos: str
    ) -> tuple[str, str] | None:
        """(term, label) of a content word, or None for a stop word or a non-word."""
        syn = self._synonyms
        canonical = syn.get(normalized) or syn.get(surface) or syn.get(dictionary)
        if canonical is not None:
            term = label = canonical
        else:
            term = normalized
            label = surface if pos == "名詞" else dictionary
        stop = self._stop
        if term in stop or normalized in stop or surface in stop or dictionary in stop:
            return None
        if _KANA_ONE.match(term) or _NO_WORD.match(term):
            return None
        return term, label

    def _words(self, normalized: str) -> Iterator[tuple[Word, str, int, int, bool]]:
        """(word, surface, begin, end, is user term) of each content word."""
        for offset, piece, user in self._pieces(normalized):
            if user is not None:
                if user not in self._stop:
                    yield (user, "名詞", user), piece, offset, offset + len(piece), True
                continue
            memo = self._memo
            for m in self._sudachi.tokenize(piece):
                pos = self._pos_class(m.part_of_speech_id())
                if pos is None:
                    continue
                surface = m.surface()
                key = (m.word_id(), surface)
                if key in memo:
                    word = memo[key]
                else:
                    accepted = self._accept(surface, m.normalized_form(), m.dictionary_form(), pos)
                    word = None if accepted is None else (accepted[0], pos, accepted[1])
                    if len(memo) < self.config.cache_size:
                        memo[key] = word
                if word is not None:
                    yield word, surface, offset + m.begin(), offset + m.end(), False

    def tokens(self, normalized: str) -> list[Token]:
        """Content-word tokens of a normalised text, with their offsets."""
        return [
            Token(surface, word[0], word[1], begin, end, word[2], user)
            for word, surface, begin, end, user in self._words(normalized)
        ]

    def terms(self, normalized: str) -> tuple[Word, ...]:
        """(term, part of speech, label) of each content word, in order; cached by text."""
        cached = self._cache.get(normalized)
        if cached is not None:
            return cached
        interned = self._interned
        result = tuple(interned.setdefault(w, w) for w, *_rest in self._words(normalized))
        if len(self._cache) >= self.config.cache_size:
            self._cache.clear()
        self._cache[normalized] = result
        return result

    def terms_batch(self, texts: Sequence[str]) -> list[tuple[Word, ...]]:
        """:meth:`terms` of many normalised texts (each distinct text is analysed once)."""
        return [self.terms(t) for t in texts]
