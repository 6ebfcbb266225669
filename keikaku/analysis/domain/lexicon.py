"""Stop words, synonym table and user dictionary: plain data that staff can edit.

- stop words: one term per line (``#`` starts a comment); compared with a token's canonical
  form and with its Sudachi normalised form;
- synonym table: canonical form → variants (``canonical,variant`` rows in the CSV); a token
  whose Sudachi normalised form or surface is a variant takes the canonical form;
- user dictionary: terms (measure, place and programme names) protected from being cut by
  the tokenizer, each with the canonical form it counts as and a category
  (``term,canonical,category`` rows in the CSV).

All three are compared after :func:`~keikaku.analysis.domain.normalize.normalize_text`, so
``ｺﾐｭﾆﾃｨﾊﾞｽ`` in the table matches ``コミュニティバス`` in a text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from keikaku.analysis.domain.normalize import normalize_text
from keikaku.core.domain.i18n import _
from keikaku.core.domain.textio import (
    CsvFormatError,
    TextDecodeError,
    decode_bytes,
    read_csv_dicts,
    read_csv_rows,
)

__all__ = [
    "RESOURCES_DIR",
    "Lexicon",
    "LexiconError",
    "UserTerm",
    "default_lexicon",
    "parse_stop_words",
    "parse_synonyms_csv",
    "parse_user_dictionary_csv",
]

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


class LexiconError(ValueError):
    """A lexicon file cannot be read."""


@dataclass(frozen=True)
class UserTerm:
    term: str
    canonical: str
    category: str = ""


def _key(text: str) -> str:
    return normalize_text(text).strip()


@dataclass(frozen=True)
class Lexicon:
    """Normalised lookup tables built from plain data (see :meth:`from_data`)."""

    stop_words: frozenset[str] = frozenset()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    user_terms: tuple[UserTerm, ...] = ()

    @classmethod
    def from_data(
        cls,
        *,
        stop_words: Iterable[str] = (),
        synonyms: Mapping[str, Iterable[str]] | None = None,
        user_terms: Iterable[str | tuple[str, str] | tuple[str, str, str] | UserTerm] = (),
    ) -> Lexicon:
        """Build from lists and dicts: ``synonyms`` maps a canonical form to its variants;
        a user term is a string, ``(term, canonical)`` or ``(term, canonical, category)``."""
        table: dict[str, str] = {}
        for canonical, variants in (synonyms or {}).items():
            canon = _key(canonical)
            if not canon:
                continue
            for variant in variants:
                v = _key(variant)
                if v and v != canon:
                    table[v] = canon
        terms: list[UserTerm] = []
        seen: set[str] = set()
        for item in user_terms:
            if isinstance(item, UserTerm):
                term, canonical, category = item.term, item.canonical, item.category
            elif isinstance(item, str):
                term, canonical, category = item, item, ""
            elif len(item) == 2:
                term, canonical, category = item[0], item[1], ""
            else:
                term, canonical, category = item[0], item[1], item[2]
            t = _key(term)
            if not t or t in seen:
                continue
            seen.add(t)
            canon = _key(canonical) or t
            terms.append(UserTerm(t, table.get(canon, canon), category.strip()))
        stops = frozenset(s for s in (_key(w) for w in stop_words) if s)
        return cls(stop_words=stops, synonyms=table, user_terms=tuple(terms))

    def canonical(self, form: str) -> str:
        return self.synonyms.get(form, form)


def parse_stop_words(data: bytes, *, source: str = "") -> list[str]:
    """One stop word per line; blank lines and ``#`` comments are ignored."""
    try:
        text = decode_bytes(data, source=source).text
    except TextDecodeError as exc:
        raise LexiconError(" ".join(str(exc).split())) from exc
    words = []
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


def _read(data: bytes, source: str) -> list[tuple[int, dict[str, str]]]:
    try:
        header, rows = read_csv_dicts(data, source=source)
        raw = read_csv_rows(data, source=source)
    except (TextDecodeError, CsvFormatError) as exc:
        raise LexiconError(" ".join(str(exc).split())) from exc
    numbers = [n for n, r in enumerate(raw[1:], start=2) if any(c.strip() for c in r)]
    return list(zip(numbers, rows, strict=True))


def _header(data: bytes, source: str) -> list[str]:
    raw = read_csv_rows(data, source=source)
    return [h.strip() for h in raw[0]] if raw else []


def _require(header: list[str], columns: tuple[str, ...], source: str) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise LexiconError(
            _(
                "%(source)s: 見出し行に %(columns)s 列がありません。1 行目に %(expected)s と書いてください。"
            )
            % {
                "source": source,
                "columns": "、".join(missing),
                "expected": ",".join(columns),
            }
        )


def parse_synonyms_csv(data: bytes, *, source: str = "synonyms.csv") -> dict[str, list[str]]:
    """``canonical,variant`` rows → {canonical: [variants]}."""
    rows = _read(data, source)
    _require(_header(data, source), ("canonical", "variant"), source)
    table: dict[str, list[str]] = {}
    for number, row in rows:
        canonical = row["canonical"].strip()
        variant = row["variant"].strip()
        if not canonical or not variant:
            raise LexiconError(
                _("%(source)s %(row)d 行目: canonical 列と variant 列の両方に語を書いてください。")
                % {"source": source, "row": number}
            )
        table.setdefault(canonical, []).append(variant)
    return table


def parse_user_dictionary_csv(
    data: bytes, *, source: str = "user_dictionary.csv"
) -> list[tuple[str, str, str]]:
    """``term,canonical,category`` rows (canonical and category may be empty)."""
    rows = _read(data, source)
    _require(_header(data, source), ("term",), source)
    out: list[tuple[str, str, str]] = []
    for number, row in rows:
        term = row["term"].strip()
        if not term:
            raise LexiconError(
                _("%(source)s %(row)d 行目: term 列が空です。語を書くか、行を削除してください。")
                % {"source": source, "row": number}
            )
        out.append(
            (term, row.get("canonical", "").strip() or term, row.get("category", "").strip())
        )
    return out


_DEFAULT: Lexicon | None = None


def default_lexicon() -> Lexicon:
    """The lexicon shipped in ``keikaku/analysis/resources/`` (read once)."""
    global _DEFAULT
    if _DEFAULT is None:
        stop = parse_stop_words(
            (RESOURCES_DIR / "stop_words.txt").read_bytes(), source="stop_words.txt"
        )
        syn = parse_synonyms_csv((RESOURCES_DIR / "synonyms.csv").read_bytes())
        user = parse_user_dictionary_csv((RESOURCES_DIR / "user_dictionary.csv").read_bytes())
        _DEFAULT = Lexicon.from_data(stop_words=stop, synonyms=syn, user_terms=user)
    return _DEFAULT
