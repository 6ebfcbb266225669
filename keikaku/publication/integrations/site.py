"""The public site's own pages: participation hub, search, open data, plan documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import lines
from keikaku.publication.registry import (
    SearchItem,
    Section,
    register_search_source,
    register_section,
)

register_section(
    Section(
        key="participate",
        title=_("参加する"),
        url_name="public:participate",
        description=_("アンケート、意見募集、提案、審議会の委員募集、会議の予定"),
        order=80,
        also_current=("participation", "survey"),
    )
)
register_section(
    Section(
        key="documents",
        title=_("計画書のダウンロード"),
        url_name="public:documents",
        description=_("計画書（PDF・Word）と概要版"),
        order=85,
        in_header=False,
    )
)
register_section(
    Section(
        key="data",
        title=_("オープンデータ"),
        url_name="public:data",
        description=_("計画と指標のデータ（CSV・API）、CC BY 4.0"),
        order=90,
        in_header=False,
    )
)
register_section(
    Section(
        key="search",
        title=_("サイト内検索"),
        url_name="public:search",
        order=95,
        in_header=False,
    )
)


def _pages() -> tuple[tuple[str, str, Any, tuple[Any, ...]], ...]:
    """The guide pages of the site: (key, URL name, title, what the search finds them by)."""
    return (
        (
            "participate",
            "public:participate",
            _("参加する"),
            (
                _("市民意識調査（アンケート）"),
                _("パブリックコメント（市民コメント）"),
                _("意見・提案"),
                _("まちづくり審議会の委員募集"),
                _("会議の予定"),
            ),
        ),
        (
            "data",
            "public:data",
            _("オープンデータ"),
            (_("CSV"), _("API"), _("クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）")),
        ),
        (
            "documents",
            "public:documents",
            _("計画書のダウンロード"),
            (_("計画書（PDF）"), _("計画書（Word）"), _("概要版")),
        ),
        (
            "accessibility",
            "public:accessibility",
            _("ウェブアクセシビリティ方針"),
            ("JIS X 8341-3:2016", "WCAG 2.2", _("ふりがな"), _("やさしい日本語")),
        ),
    )


def search_items() -> Iterator[SearchItem]:
    for key, url_name, title, words in _pages():
        yield SearchItem(
            key=f"site:{key}",
            url=reverse(url_name),
            kind="page",
            kind_label=str(_("案内")),
            title=str(title),
            body=lines(*words),
        )


register_search_source("site", search_items)
