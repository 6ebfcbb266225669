"""Seed the staff-editable lexicon from keikaku/analysis/resources/ (the shipped files)."""

from __future__ import annotations

from django.db import migrations


def seed(apps, schema_editor):
    from keikaku.analysis.domain.lexicon import (
        RESOURCES_DIR,
        parse_stop_words,
        parse_synonyms_csv,
        parse_user_dictionary_csv,
    )

    StopWord = apps.get_model("analysis", "StopWord")
    SynonymEntry = apps.get_model("analysis", "SynonymEntry")
    UserDictionaryEntry = apps.get_model("analysis", "UserDictionaryEntry")
    if StopWord.objects.exists() or SynonymEntry.objects.exists():
        return
    words = parse_stop_words(
        (RESOURCES_DIR / "stop_words.txt").read_bytes(), source="stop_words.txt"
    )
    StopWord.objects.bulk_create([StopWord(word=w) for w in dict.fromkeys(words)])
    synonyms = parse_synonyms_csv((RESOURCES_DIR / "synonyms.csv").read_bytes())
    seen: set[str] = set()
    rows = []
    for canonical, variants in synonyms.items():
        for v in variants:
            if v not in seen:
                seen.add(v)
                rows.append(SynonymEntry(canonical=canonical, variant=v))
    SynonymEntry.objects.bulk_create(rows)
    terms = parse_user_dictionary_csv((RESOURCES_DIR / "user_dictionary.csv").read_bytes())
    seen = set()
    entries = []
    for term, canonical, category in terms:
        if term not in seen:
            seen.add(term)
            entries.append(UserDictionaryEntry(term=term, canonical=canonical, category=category))
    UserDictionaryEntry.objects.bulk_create(entries)


def unseed(apps, schema_editor):
    for name in ("StopWord", "SynonymEntry", "UserDictionaryEntry"):
        apps.get_model("analysis", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
