"""Staff-side reads of the council app: lists with search and sort, and access functions.

The public side never reads here; it reads :mod:`keikaku.council.api` (published records).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keikaku.council import rules
from keikaku.council.models import (
    Application,
    AssemblyReport,
    Bill,
    Council,
    CouncilDocument,
    CouncilMember,
    Meeting,
    Recruitment,
)


@dataclass(frozen=True)
class Listing:
    """What a staff list may be searched and sorted by."""

    search: tuple[str, ...]
    sorts: dict[str, str]  # sort key shown in the URL → ORM ordering
    default_sort: str


def council_current() -> Council | None:
    return Council.objects.order_by("pk").first()


def _search(qs: QuerySet[Any], q: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    q = q.strip()
    if not q:
        return qs
    cond = Q()
    for name in fields:
        cond |= Q(**{f"{name}__icontains": q})
    return qs.filter(cond)


def listed(qs: QuerySet[Any], listing: Listing, *, q: str, sort: str) -> tuple[QuerySet[Any], str]:
    """Search and sort a staff list; an unknown sort key falls back to the default."""
    key = sort if sort.lstrip("-") in listing.sorts else listing.default_sort
    desc = key.startswith("-")
    order = listing.sorts[key.lstrip("-")]
    if desc:
        order = order[1:] if order.startswith("-") else f"-{order}"
    return _search(qs, q, listing.search).order_by(order, "pk"), key


MEMBERS = Listing(
    search=("name", "name_kana", "affiliation"),
    sorts={
        "order": "order",
        "name": "name_kana",
        "category": "category",
        "term": "term_start",
    },
    default_sort="order",
)
RECRUITMENTS = Listing(
    search=("title", "essay_theme"),
    sorts={"starts": "starts_at", "ends": "ends_at", "title": "title"},
    default_sort="-starts",
)
APPLICATIONS = Listing(
    search=("receipt_number", "essay", "decision_note"),
    sorts={"received": "submitted_at", "receipt": "receipt_number", "status": "status"},
    default_sort="received",
)
MEETINGS = Listing(
    search=("title", "place", "agenda"),
    sorts={"held": "held_on", "number": "number"},
    default_sort="-held",
)
DOCUMENTS = Listing(
    search=("title", "summary", "addressee"),
    sorts={"dated": "dated_on", "kind": "kind", "title": "title"},
    default_sort="-dated",
)
ASSEMBLY_REPORTS = Listing(
    search=("title", "committee", "summary"),
    sorts={"reported": "reported_on", "committee": "committee", "title": "title"},
    default_sort="-reported",
)
BILLS = Listing(
    search=("number", "title", "session", "committee"),
    sorts={"submitted": "submitted_on", "vote": "vote_on", "number": "number", "result": "result"},
    default_sort="-submitted",
)


def member_list() -> QuerySet[CouncilMember]:
    return CouncilMember.objects.select_related("council")


def recruitment_list() -> QuerySet[Recruitment]:
    return Recruitment.objects.select_related("council").annotate(
        n_applications=Count("applications")
    )


def application_list(*, recruitment: Recruitment) -> QuerySet[Application]:
    return Application.objects.filter(recruitment=recruitment).select_related("member")


def meeting_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("council", "minutes").annotate(
        n_materials=Count("materials", distinct=True)
    )


def document_list() -> QuerySet[CouncilDocument]:
    return CouncilDocument.objects.select_related("council", "meeting")


def assembly_report_list() -> QuerySet[AssemblyReport]:
    return AssemblyReport.objects.annotate(n_materials=Count("materials"))


def bill_list() -> QuerySet[Bill]:
    return Bill.objects.select_related("edition")


def application_get_for_user(*, user: Any, pk: int) -> Application:
    """An application for a user who may read applications; 404 if there is none (the view's
    permission check comes first, so a denied user learns nothing)."""
    if not rules.can_view_applications(user):
        raise Http404(_("その応募は見つかりません。"))
    application = (
        Application.objects.select_related("recruitment__council", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404(_("その応募は見つかりません。"))
    return application
