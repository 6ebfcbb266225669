"""Seeding the staff-editable lexicon from keikaku/analysis/resources/ (the shipped files).

Used by the data migration and by :func:`keikaku.analysis.services.lexicon_ensure_seeded`:
the marker row (LexiconSeed) says the seed was written once, so staff may later empty a table
without it coming back, while a database flushed by a test framework is seeded again.
"""

from __future__ import annotations

from typing import Any


def seed_lexicon(stop_word: Any, synonym: Any, user_term: Any, marker: Any) -> bool:
    """Write the shipped lexicon unless the marker exists; returns whether it wrote."""
    from keikaku.analysis.domain.lexicon import (
        RESOURCES_DIR,
        parse_stop_words,
        parse_synonyms_csv,
        parse_user_dictionary_csv,
    )

    if marker.objects.exists():
        return False
    words = parse_stop_words(
        (RESOURCES_DIR / "stop_words.txt").read_bytes(), source="stop_words.txt"
    )
    known = set(stop_word.objects.values_list("word", flat=True))
    stop_word.objects.bulk_create(
        [stop_word(word=w) for w in dict.fromkeys(words) if w not in known]
    )
    seen = set(synonym.objects.values_list("variant", flat=True))
    rows = []
    for canonical, variants in parse_synonyms_csv(
        (RESOURCES_DIR / "synonyms.csv").read_bytes()
    ).items():
        for v in variants:
            if v not in seen:
                seen.add(v)
                rows.append(synonym(canonical=canonical, variant=v))
    synonym.objects.bulk_create(rows)
    seen = set(user_term.objects.values_list("term", flat=True))
    entries = []
    for term, canonical, category in parse_user_dictionary_csv(
        (RESOURCES_DIR / "user_dictionary.csv").read_bytes()
    ):
        if term not in seen:
            seen.add(term)
            entries.append(user_term(term=term, canonical=canonical, category=category))
    user_term.objects.bulk_create(entries)
    marker.objects.create()
    return True
