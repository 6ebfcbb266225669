"""Expectations of the public site's staff URLs (/staff/publication/) for
tests/test_permission_matrix.py.

From keikaku.publication.staff and docs/user-guide/public-site.md: every staff role sees the
overview (generated documents, size of the search index) and the furigana exceptions.
Adding, changing and deleting an exception changes every public page, so it needs the right
to publish ``plans.change_edition`` (the secretariat) or a superuser. Rebuilding the search
index and the plan documents needs the plan editors' right ``plans.change_measure``
(subcommittee members and the secretariat) or a superuser: it re-derives the index and the
documents from what is already published and publishes nothing. POST-only URLs check the
method first (405 even to an anonymous visitor).
"""

from __future__ import annotations

from typing import Any

from keikaku.publication import services
from tests.test_permission_matrix import EDITORS, EVERY_STAFF, METHOD, SECRETARIAT, Case, only


def objects(world: Any) -> dict[str, Any]:
    exception = services.furigana_exception_save(
        surface="鶴ヶ島", reading="つるがしま", note="市の名前", actor="matrix"
    )
    return {"p_furigana": exception}


EDIT = only(*EDITORS)
PUBLISH = only(*SECRETARIAT)

CASES = [
    Case("staff:publication_home", EVERY_STAFF, EVERY_STAFF),
    Case(
        "staff:publication_furigana",
        EVERY_STAFF,
        PUBLISH,
        data=lambda m: {"surface": "脚折", "reading": "すねおり", "note": "地名"},
    ),
    Case(
        "staff:publication_furigana",
        EVERY_STAFF,
        PUBLISH,
        data=lambda m: {"surface": "鶴ヶ島", "reading": "つるがしま", "note": "市の名前（確認済）"},
        label="change an exception",
    ),
    Case(
        "staff:publication_furigana_delete",
        METHOD,
        PUBLISH,
        lambda m: {"pk": m.objects["p_furigana"].pk},
    ),
    Case("staff:publication_rebuild", METHOD, EDIT),
]
