"""Tables of the public site: furigana exceptions (staff-edited), the site-search index,
the open-data update dates, and the generated plan documents.

None of these holds content of its own: the index, the dataset dates and the documents are
derived from what the feature apps publish and are rebuilt when the public content version
(keikaku.core ContentVersion "public") changes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FuriganaException(models.Model):
    """A reading that wins over Sudachi's (e.g. place names); an empty reading means no ruby."""

    surface = models.CharField(
        _("表記"), max_length=50, unique=True, help_text=_("漢字を含む語（例: 鶴ヶ島）")
    )
    reading = models.CharField(
        _("読み（ひらがな）"),
        max_length=100,
        blank=True,
        help_text=_("ひらがなで書きます。空にすると、この語にはふりがなを付けません。"),
    )
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.CharField(_("更新者"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("ふりがなの例外")
        verbose_name_plural = _("ふりがなの例外")
        ordering = ["surface"]

    def __str__(self) -> str:
        return f"{self.surface}（{self.reading or '—'}）"


class PublicState(models.Model):
    """What the public site last derived, per purpose ("site", "search", "datasets"): the
    content version it was derived from and when that version was first seen."""

    key = models.CharField(max_length=30, primary_key=True)
    content_version = models.BigIntegerField(default=-1)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("公開サイトの状態")
        verbose_name_plural = _("公開サイトの状態")

    def __str__(self) -> str:
        return f"{self.key}@{self.content_version}"


class SearchDocument(models.Model):
    """One public page in the site-search index (derived; rebuilt on publish)."""

    key = models.CharField(max_length=120, unique=True)
    url = models.CharField(max_length=300)
    kind = models.CharField(max_length=40)
    kind_label = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    surface = models.TextField()
    normalized = models.TextField()
    fingerprint = models.CharField(max_length=64)
    date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("検索索引の文書")
        verbose_name_plural = _("検索索引の文書")

    def __str__(self) -> str:
        return self.key


class SearchGram(models.Model):
    """A character bigram of a document's matching forms: the inverted index."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="grams")
    gram = models.CharField(max_length=4)

    class Meta:
        verbose_name = _("検索索引の文字組")
        verbose_name_plural = _("検索索引の文字組")
        constraints = [
            models.UniqueConstraint(fields=["gram", "document"], name="uniq_search_gram")
        ]

    def __str__(self) -> str:
        return self.gram


class DatasetState(models.Model):
    """When an open dataset's content last changed (by a fingerprint of its rows)."""

    key = models.CharField(max_length=60, primary_key=True)
    fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField()
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("オープンデータの更新日")
        verbose_name_plural = _("オープンデータの更新日")

    def __str__(self) -> str:
        return self.key


class PlanDocument(models.Model):
    """A generated plan document (PDF, Word, summary), cached by the fingerprint of its data."""

    kind = models.CharField(max_length=20)  # plan / summary
    fmt = models.CharField(max_length=10)  # pdf / docx
    language = models.CharField(max_length=10, default="ja")
    fingerprint = models.CharField(max_length=64)
    content_version = models.BigIntegerField(default=0)
    path = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    generated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("計画書ファイル")
        verbose_name_plural = _("計画書ファイル")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "fmt", "language", "fingerprint"], name="uniq_plan_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} ({self.fingerprint[:8]})"
