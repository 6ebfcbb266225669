"""Reads of the participation app. Public reads return published rounds only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from keikaku.participation.models import (
    DraftParagraph,
    DraftSection,
    Hearing,
    Opinion,
    PublicCommentRound,
)


def opinion_list(
    *,
    source: str = "",
    round_id: int | None = None,
    hearing_id: int | None = None,
    status: str = "",
    department_id: int | None = None,
    hidden: str = "",
    q: str = "",
) -> QuerySet[Opinion]:
    """Opinions for staff lists; `hidden`: "" visible only, "all", "only"."""
    qs = Opinion.objects.select_related(
        "round", "hearing", "department", "paragraph__section", "section", "target_measure"
    )
    if source:
        qs = qs.filter(source=source)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if hearing_id is not None:
        qs = qs.filter(hearing_id=hearing_id)
    if status:
        qs = qs.filter(status=status)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    if hidden == "only":
        qs = qs.filter(is_hidden=True)
    elif hidden != "all":
        qs = qs.filter(is_hidden=False)
    if q:
        qs = qs.filter(
            Q(receipt_number__iexact=q)
            | Q(text__icontains=q)
            | Q(topic__icontains=q)
            | Q(district__icontains=q)
        )
    return qs


def opinion_get(*, pk: int) -> Opinion | None:
    return (
        Opinion.objects.select_related(
            "round",
            "hearing",
            "department",
            "paragraph__section",
            "section",
            "target_measure",
            "group",
            "hidden_by",
            "recorded_by",
        )
        .prefetch_related("measures", "notes", "replies")
        .filter(pk=pk)
        .first()
    )


def opinion_by_submission_key(*, key: str) -> Opinion | None:
    return (
        Opinion.objects.select_related("round", "paragraph__section", "section", "target_measure")
        .filter(submission_key=key)
        .first()
    )


def round_list() -> QuerySet[PublicCommentRound]:
    return (
        PublicCommentRound.objects.select_related("edition")
        .annotate(opinion_count=Count("opinions", distinct=True))
        .order_by("-starts_at", "-id")
    )


def round_get(*, pk: int) -> PublicCommentRound | None:
    return PublicCommentRound.objects.select_related("edition").filter(pk=pk).first()


def round_public_list() -> QuerySet[PublicCommentRound]:
    return PublicCommentRound.objects.filter(is_published=True).select_related("edition")


def round_public_get(*, pk: int) -> PublicCommentRound | None:
    return round_public_list().filter(pk=pk).first()


def round_sections(*, round: PublicCommentRound) -> list[DraftSection]:
    return list(
        DraftSection.objects.filter(round=round)
        .order_by("order")
        .prefetch_related(Prefetch("paragraphs", queryset=DraftParagraph.objects.order_by("order")))
    )


def round_target(*, round: PublicCommentRound, target: str) -> dict[str, Any] | None:
    """Resolve a comment target: "" / "whole", "s:<section key>" or "p:<paragraph key>"."""
    if target in ("", "whole"):
        return {"kind": "whole", "value": "whole", "section": None, "paragraph": None}
    kind, _, key = target.partition(":")
    if kind == "s":
        section = DraftSection.objects.filter(round=round, key=key).first()
        if section is not None:
            return {"kind": "section", "value": target, "section": section, "paragraph": None}
    if kind == "p":
        paragraph = (
            DraftParagraph.objects.select_related("section").filter(round=round, key=key).first()
        )
        if paragraph is not None:
            return {
                "kind": "paragraph",
                "value": target,
                "section": paragraph.section,
                "paragraph": paragraph,
            }
    return None


def hearing_list() -> QuerySet[Hearing]:
    return (
        Hearing.objects.select_related("department")
        .annotate(opinion_count=Count("opinions"))
        .order_by("-held_on", "-id")
    )
