"""What other apps may read of citizens' voices (the analysis and the public site).

Never personal data: no names, addresses or contacts, and the opinion text is masked
(phone, e-mail, postal code, address). Hidden (moderated) opinions are left out.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from keikaku.participation import selectors, services
from keikaku.participation.domain.masking import mask_personal_data
from keikaku.participation.models import Opinion


@dataclass(frozen=True)
class OpinionRecord:
    receipt_number: str
    source: str
    channel: str
    received_at: dt.datetime
    text: str  # masked
    measure_codes: tuple[str, ...]
    eligibility: str
    age_band: str
    district: str
    round_id: int | None


@dataclass(frozen=True)
class PublicRound:
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str  # "upcoming", "open" or "closed"
    has_result: bool
    is_demo: bool


def opinions_for_analysis(*, source: str = "", round_id: int | None = None) -> list[OpinionRecord]:
    """Visible opinions, oldest first; `source` is one of participation.models.Source or ""."""
    qs = selectors.opinion_list(source=source, round_id=round_id).prefetch_related("measures")
    out: list[OpinionRecord] = []
    for o in qs.order_by("received_at", "id"):
        codes = {m.code for m in o.measures.all()}
        if o.target_measure is not None:
            codes.add(o.target_measure.code)
        out.append(
            OpinionRecord(
                receipt_number=o.receipt_number,
                source=o.source,
                channel=o.channel,
                received_at=o.received_at,
                text=mask_personal_data(o.text),
                measure_codes=tuple(sorted(codes)),
                eligibility=o.eligibility,
                age_band=o.age_band,
                district=o.district,
                round_id=o.round_id,
            )
        )
    return out


def public_rounds() -> list[PublicRound]:
    """Published public comment rounds, newest first (for the public site's pages)."""
    now = timezone.now()
    return [
        PublicRound(
            id=r.pk,
            title=r.title,
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            state=services.round_state(r, now),
            has_result=bool(r.result_data),
            is_demo=r.is_demo,
        )
        for r in selectors.round_public_list()
    ]


def published_result(round_id: int) -> dict[str, Any] | None:
    """The published result of a round: the snapshot the result page, its Excel and PDF show
    (keys: round, note, submitter_count, opinion_count, reflected_count, withheld_count,
    categories, rows, changes, published_at). None if the round is not public or has none.
    It holds no personal data."""
    rnd = selectors.round_public_get(pk=round_id)
    if rnd is None or not rnd.result_data:
        return None
    return copy.deepcopy(rnd.result_data)


def opinion_count(*, source: str = "") -> int:
    qs = Opinion.objects.filter(is_hidden=False)
    if source:
        qs = qs.filter(source=source)
    return qs.count()
