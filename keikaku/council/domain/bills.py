"""Bills (議案) before the city assembly and what their results mean for the plan.

The basic concept (基本構想) and the basic plan (基本計画) are adopted by the assembly's vote
(鶴ヶ島市議会基本条例). A bill's facts are checked here (dates in order, vote counts that agree
with the result) and the plan's state is derived from its bills: 議決済 (enacted) once the
basic-plan bill has passed, as proposed or amended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from keikaku.core.domain.i18n import _


class BillResult(StrEnum):
    PENDING = "pending"  # 審議中
    PASSED = "passed"  # 原案可決
    AMENDED = "amended"  # 修正可決
    REJECTED = "rejected"  # 否決
    WITHDRAWN = "withdrawn"  # 撤回


DECIDED = frozenset({BillResult.PASSED, BillResult.AMENDED, BillResult.REJECTED})
ADOPTING = frozenset({BillResult.PASSED, BillResult.AMENDED})


def result_label(result: BillResult | str) -> str:
    labels = {
        BillResult.PENDING: _("審議中"),
        BillResult.PASSED: _("原案可決"),
        BillResult.AMENDED: _("修正可決"),
        BillResult.REJECTED: _("否決"),
        BillResult.WITHDRAWN: _("撤回"),
    }
    return labels[BillResult(result)]


class BillTarget(StrEnum):
    BASIC_CONCEPT = "basic_concept"
    BASIC_PLAN = "basic_plan"
    OTHER = "other"


@dataclass(frozen=True)
class BillFacts:
    number: str
    result: BillResult
    submitted_on: dt.date | None = None
    committee: str = ""
    committee_decided_on: dt.date | None = None
    committee_result: str = ""
    vote_on: dt.date | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    effective_on: dt.date | None = None


def bill_problems(bill: BillFacts) -> list[tuple[str, str]]:
    """(field, message) for every fact that cannot be saved; empty when all is well.

    A tie is allowed either way: the chair casts the deciding vote (議長裁決).
    """
    problems: list[tuple[str, str]] = []
    decided = bill.result in DECIDED
    if decided and bill.vote_on is None:
        problems.append(
            (
                "vote_on",
                _("「%(result)s」の議案には議決日を入力してください。")
                % {"result": result_label(bill.result)},
            )
        )
    if bill.result in (BillResult.PENDING, BillResult.WITHDRAWN):
        if bill.votes_for is not None or bill.votes_against is not None:
            problems.append(
                (
                    "votes_for",
                    _("採決していない議案（審議中・撤回）には賛成・反対の数を入力できません。"),
                )
            )
        if bill.result == BillResult.PENDING and bill.vote_on is not None:
            problems.append(("result", _("議決日が入力されています。議決の結果を選んでください。")))
    if (bill.votes_for is None) != (bill.votes_against is None):
        problems.append(
            ("votes_against", _("賛成と反対の数は両方入力してください（全会一致なら反対は 0）。"))
        )
    for name, value in (("votes_for", bill.votes_for), ("votes_against", bill.votes_against)):
        if value is not None and value < 0:
            problems.append((name, _("賛成・反対の数は 0 以上にしてください。")))
    if bill.votes_for is not None and bill.votes_against is not None:
        if bill.result in ADOPTING and bill.votes_for < bill.votes_against:
            problems.append(
                (
                    "votes_for",
                    _("可決なのに賛成（%(f)s）が反対（%(a)s）より少なくなっています。")
                    % {"f": bill.votes_for, "a": bill.votes_against},
                )
            )
        if bill.result == BillResult.REJECTED and bill.votes_for > bill.votes_against:
            problems.append(
                (
                    "votes_for",
                    _("否決なのに賛成（%(f)s）が反対（%(a)s）より多くなっています。")
                    % {"f": bill.votes_for, "a": bill.votes_against},
                )
            )
    if bill.submitted_on and bill.vote_on and bill.vote_on < bill.submitted_on:
        problems.append(("vote_on", _("議決日は提出日以降の日にしてください。")))
    if bill.committee_decided_on is not None:
        if not bill.committee:
            problems.append(
                (
                    "committee",
                    _("委員会の審査日を入力したときは、付託した委員会名も入力してください。"),
                )
            )
        if bill.submitted_on and bill.committee_decided_on < bill.submitted_on:
            problems.append(
                ("committee_decided_on", _("委員会の審査日は提出日以降の日にしてください。"))
            )
        if bill.vote_on and bill.committee_decided_on > bill.vote_on:
            problems.append(
                (
                    "committee_decided_on",
                    _("委員会の審査日は本会議の議決日以前の日にしてください。"),
                )
            )
    if bill.committee_result and bill.committee_decided_on is None:
        problems.append(
            (
                "committee_decided_on",
                _("委員会の審査結果を入力したときは、審査日も入力してください。"),
            )
        )
    if bill.effective_on is not None and bill.result not in ADOPTING:
        problems.append(("effective_on", _("施行日は可決した議案にだけ入力できます。")))
    if bill.effective_on and bill.vote_on and bill.effective_on < bill.vote_on:
        problems.append(("effective_on", _("施行日は議決日以降の日にしてください。")))
    return problems


def vote_summary(votes_for: int | None, votes_against: int | None) -> str:
    """(15, 2) → 「賛成15、反対2」; (18, 0) → 「全会一致（賛成18）」; unknown → ""."""
    if votes_for is None or votes_against is None:
        return ""
    if votes_against == 0:
        return _("全会一致（賛成%(f)s）") % {"f": votes_for}
    return _("賛成%(f)s、反対%(a)s") % {"f": votes_for, "a": votes_against}


class AdoptionState(StrEnum):
    NONE = "none"  # no bill yet
    SUBMITTED = "submitted"  # 議案提出済み（審議中）
    ENACTED = "enacted"  # 議決済
    REJECTED = "rejected"  # 否決


def adoption_state_label(state: AdoptionState | str) -> str:
    labels = {
        AdoptionState.NONE: _("議案未提出"),
        AdoptionState.SUBMITTED: _("市議会で審議中"),
        AdoptionState.ENACTED: _("議決済"),
        AdoptionState.REJECTED: _("否決"),
    }
    return labels[AdoptionState(state)]


@dataclass(frozen=True)
class BillRef:
    """What the adoption needs to know of one bill about a plan edition."""

    id: int
    target: BillTarget
    result: BillResult
    submitted_on: dt.date | None
    vote_on: dt.date | None
    effective_on: dt.date | None


@dataclass(frozen=True)
class Adoption:
    state: AdoptionState
    plan_bill_id: int | None = None
    adopted_on: dt.date | None = None
    concept_bill_id: int | None = None
    concept_adopted_on: dt.date | None = None
    effective_on: dt.date | None = None


def _latest(bills: list[BillRef]) -> BillRef | None:
    """The bill that decides: the last one voted on, else the last one submitted."""
    live = [b for b in bills if b.result != BillResult.WITHDRAWN]
    if not live:
        return None
    return max(
        live,
        key=lambda b: (
            b.result in DECIDED,
            b.vote_on or dt.date.min,
            b.submitted_on or dt.date.min,
            b.id,
        ),
    )


def adoption_of(bills: Iterable[BillRef]) -> Adoption:
    """The adoption of a plan edition from its bills.

    The basic-plan bill decides the state: passed (as proposed or amended) → 議決済 on its vote
    day; rejected → 否決 (until a later bill passes); submitted → 審議中. A passed basic-concept
    bill is reported beside it. Withdrawn bills do not count.
    """
    items = list(bills)
    plan = _latest([b for b in items if b.target == BillTarget.BASIC_PLAN])
    concept = _latest([b for b in items if b.target == BillTarget.BASIC_CONCEPT])
    concept_passed = concept is not None and concept.result in ADOPTING
    concept_id = concept.id if concept_passed and concept is not None else None
    concept_on = concept.vote_on if concept_passed and concept is not None else None
    if plan is None:
        return Adoption(
            state=AdoptionState.NONE, concept_bill_id=concept_id, concept_adopted_on=concept_on
        )
    if plan.result in ADOPTING:
        state = AdoptionState.ENACTED
    elif plan.result == BillResult.REJECTED:
        state = AdoptionState.REJECTED
    else:
        state = AdoptionState.SUBMITTED
    enacted = state == AdoptionState.ENACTED
    return Adoption(
        state=state,
        plan_bill_id=plan.id,
        adopted_on=plan.vote_on if enacted else None,
        concept_bill_id=concept_id,
        concept_adopted_on=concept_on,
        effective_on=plan.effective_on if enacted else None,
    )
