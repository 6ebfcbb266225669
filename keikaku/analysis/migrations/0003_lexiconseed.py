"""The marker that the shipped lexicon was written once (see keikaku/analysis/lexicon_seed.py).

Databases migrated with 0002 already hold the seed: writing it again adds nothing that exists
and sets the marker, so staff may later empty a table without the seed coming back."""

from __future__ import annotations

from django.db import migrations, models


def mark(apps, schema_editor):
    from keikaku.analysis.lexicon_seed import seed_lexicon

    seed_lexicon(
        apps.get_model("analysis", "StopWord"),
        apps.get_model("analysis", "SynonymEntry"),
        apps.get_model("analysis", "UserDictionaryEntry"),
        apps.get_model("analysis", "LexiconSeed"),
    )


class Migration(migrations.Migration):
    dependencies = [("analysis", "0002_seed_lexicon")]

    operations = [
        migrations.CreateModel(
            name="LexiconSeed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seeded_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
            ],
            options={
                "verbose_name": "辞書の初期登録",
                "verbose_name_plural": "辞書の初期登録",
            },
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
