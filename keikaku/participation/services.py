"""Every write of the participation app: receiving opinions, handling them, hearings,
public comment rounds, their draft, groups and result. Keyword-only, atomic, audited.

Opinions are never deleted. Personal data is written only here and read only through
:func:`personal_data_view`, which logs every view (AuditEvent action ``view_personal``).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.domain.fiscal import fiscal_year_of
from keikaku.core.domain.textio import TextDecodeError, decode_bytes
from keikaku.core.services import (
    audit_record,
    audited_create,
    content_version_bump,
    published_flag_set,
    versioned_save,
)
from keikaku.participation.domain import draft as draft_domain
from keikaku.participation.domain import intake
from keikaku.participation.domain.result import (
    DEFAULT_CATEGORIES,
    Category,
    GroupFact,
    OpinionFact,
    RoundResult,
    build_result,
    result_problems,
)
from keikaku.participation.models import (
    DraftParagraph,
    DraftSection,
    Hearing,
    Opinion,
    OpinionGroup,
    OpinionNote,
    OpinionReply,
    PersonalData,
    PublicCommentRound,
    ReceiptSequence,
    RoundMaterial,
    Source,
    TargetKind,
)
from keikaku.plans.models import Edition, Measure

PREFIX_BY_SOURCE = {
    Source.PROPOSAL: intake.PREFIX_PROPOSAL,
    Source.PUBLIC_COMMENT: intake.PREFIX_PUBLIC_COMMENT,
    Source.HEARING: intake.PREFIX_HEARING,
    Source.SURVEY: intake.PREFIX_SURVEY,
}
MAX_MATERIAL_BYTES = 30 * 1024 * 1024
MAX_DRAFT_BYTES = 10 * 1024 * 1024


class RoundClosedError(Exception):
    """The deadline has passed (server time); nothing was stored."""


class RoundNotOpenError(Exception):
    """The round has not started, or is not published; nothing was stored."""


class ParticipationError(Exception):
    """A staff action that cannot be done as asked; the message says why and what to do."""


class ResultNotReadyError(ParticipationError):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _actor_name(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_full_name() or actor.get_username())
    return str(actor or "")


# --- receipt numbers --------------------------------------------------------------------------


def receipt_next(*, prefix: str, fiscal_year: int) -> str:
    """The next receipt number of a prefix and fiscal year; must run inside a transaction.

    One UPDATE … SET last = last + 1 takes the row lock (PostgreSQL) or the write lock
    (SQLite, BEGIN IMMEDIATE); the value read back in the same transaction is ours alone.
    """
    key = intake.sequence_key(prefix, fiscal_year)
    if not ReceiptSequence.objects.filter(key=key).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReceiptSequence.objects.create(key=key, last=1)
        except IntegrityError:
            # Another transaction created the row first: draw from it.
            ReceiptSequence.objects.filter(key=key).update(last=F("last") + 1)
    last = ReceiptSequence.objects.filter(key=key).values_list("last", flat=True).get()
    return intake.format_receipt(prefix, fiscal_year, int(last))


# --- receiving opinions -----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalInput:
    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    wants_reply: bool = False

    def is_empty(self) -> bool:
        return not (self.name or self.address or self.phone or self.email)


@dataclass(frozen=True)
class OpinionInput:
    source: str
    channel: str
    text: str
    round: PublicCommentRound | None = None
    hearing: Hearing | None = None
    target_kind: str = TargetKind.WHOLE
    section: DraftSection | None = None
    paragraph: DraftParagraph | None = None
    target_measure: Measure | None = None
    topic: str = ""
    eligibility: str = ""
    age_band: str = ""
    district: str = ""
    personal: PersonalInput | None = None

    def key_fields(self) -> list[str]:
        p = self.personal or PersonalInput()
        return [
            self.source,
            self.channel,
            str(self.round.pk if self.round else ""),
            str(self.hearing.pk if self.hearing else ""),
            self.target_kind,
            self.section.key if self.section else "",
            self.paragraph.key if self.paragraph else "",
            str(self.target_measure.pk if self.target_measure else ""),
            self.topic,
            self.text,
            self.eligibility,
            self.age_band,
            self.district,
            p.name,
            p.address,
            p.phone,
            p.email,
            "1" if p.wants_reply else "0",
        ]


@dataclass(frozen=True)
class SubmitResult:
    opinion: Opinion
    created: bool


def round_state(round: PublicCommentRound, now: dt.datetime | None = None) -> str:
    """ "draft" (not published), "upcoming", "open" or "closed" at `now` (server time)."""
    now = now or timezone.now()
    if not round.is_published:
        return "draft"
    if now < round.starts_at:
        return "upcoming"
    if now >= round.ends_at:
        return "closed"
    return "open"


def _retention_until(now: dt.datetime) -> dt.date:
    days = int(setting("KEIKAKU_PERSONAL_DATA_RETENTION_DAYS", 1825))
    return timezone.localdate(now) + dt.timedelta(days=days)


def _create_opinion(
    data: OpinionInput, *, now: dt.datetime, key: str | None, actor: Any = None
) -> Opinion:
    prefix = PREFIX_BY_SOURCE[Source(data.source)]
    receipt = receipt_next(prefix=prefix, fiscal_year=fiscal_year_of(timezone.localdate(now)))
    personal = data.personal if data.personal and not data.personal.is_empty() else None
    quoted = data.paragraph.text if data.paragraph else ""
    opinion = Opinion.objects.create(
        receipt_number=receipt,
        source=data.source,
        channel=data.channel,
        round=data.round,
        hearing=data.hearing,
        target_kind=data.target_kind,
        section=data.section or (data.paragraph.section if data.paragraph else None),
        paragraph=data.paragraph,
        target_measure=data.target_measure,
        topic=data.topic,
        quoted_text=quoted,
        text=data.text,
        received_at=now,
        eligibility=data.eligibility,
        age_band=data.age_band,
        district=data.district,
        submission_key=key,
        submitter_key=intake.submitter_key(
            settings.SECRET_KEY,
            personal.name if personal else "",
            personal.address if personal else "",
        ),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if data.target_measure is not None:
        opinion.measures.add(data.target_measure)
    if personal is not None:
        PersonalData.objects.create(
            opinion=opinion,
            name=personal.name,
            address=personal.address,
            phone=personal.phone,
            email=personal.email,
            wants_reply=personal.wants_reply,
            retention_until=_retention_until(now),
        )
    return opinion


def opinion_submit(
    *, data: OpinionInput, form_token: str, now: dt.datetime | None = None
) -> SubmitResult:
    """Receive an opinion from a public web form.

    The same form (token) posted twice with the same content stores one opinion and returns
    it again (created=False). A round's deadline is checked in server time at the moment of
    receipt: after it, RoundClosedError and nothing is stored.
    """
    if not intake.is_form_token(form_token):
        raise ValueError("form_token")
    key = intake.submission_key(form_token, data.key_fields())
    existing = Opinion.objects.filter(submission_key=key).first()
    if existing is not None:
        return SubmitResult(existing, False)
    now = now or timezone.now()
    if data.round is not None:
        state = round_state(data.round, now)
        if state == "closed":
            raise RoundClosedError(data.round.pk)
        if state != "open":
            raise RoundNotOpenError(data.round.pk)
    try:
        with transaction.atomic():
            existing = Opinion.objects.filter(submission_key=key).first()
            if existing is not None:
                return SubmitResult(existing, False)
            return SubmitResult(_create_opinion(data, now=now, key=key), True)
    except IntegrityError:
        existing = Opinion.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return SubmitResult(existing, False)


@transaction.atomic
def opinion_record(*, data: OpinionInput, received_at: dt.datetime, actor: Any) -> Opinion:
    """Staff record an opinion that came on paper, by FAX, mail, e-mail, phone or in a hearing."""
    opinion = _create_opinion(data, now=received_at, key=None, actor=actor)
    audit_record(
        actor=actor,
        action="create",
        obj=opinion,
        before=None,
        after={
            "source": opinion.source,
            "channel": opinion.channel,
            "round": opinion.round_id,
            "hearing": opinion.hearing_id,
            "personal_data": hasattr(opinion, "personal"),
        },
    )
    return opinion


# --- handling ---------------------------------------------------------------------------------


def _handling_snapshot(opinion: Opinion) -> dict[str, Any]:
    return {
        "status": opinion.status,
        "department": opinion.department_id,
        "measures": sorted(m.pk for m in opinion.measures.all()),
    }


@transaction.atomic
def opinion_handling_update(
    *,
    opinion: Opinion,
    actor: Any,
    status: str,
    department: Any,
    measures: Iterable[Measure],
) -> Opinion:
    before = _handling_snapshot(opinion)
    opinion.status = status
    opinion.department = department
    opinion.save(update_fields=["status", "department"])
    opinion.measures.set(list(measures))
    after = _handling_snapshot(opinion)
    if before != after:
        audit_record(actor=actor, action="update", obj=opinion, before=before, after=after)
    return opinion


@transaction.atomic
def opinion_note_add(*, opinion: Opinion, actor: Any, text: str) -> OpinionNote:
    note = OpinionNote.objects.create(
        opinion=opinion, text=text, author=_user_or_none(actor), author_name=_actor_name(actor)
    )
    audit_record(actor=actor, action="note", obj=opinion, before=None, after={"note": note.pk})
    return note


@transaction.atomic
def opinion_reply_add(
    *, opinion: Opinion, actor: Any, replied_on: dt.date, method: str, text: str
) -> OpinionReply:
    reply = OpinionReply(
        opinion=opinion,
        replied_on=replied_on,
        method=method,
        text=text,
        author=_user_or_none(actor),
        author_name=_actor_name(actor),
    )
    reply.full_clean(exclude=["author"])
    reply.save()
    audit_record(
        actor=actor,
        action="reply",
        obj=opinion,
        before=None,
        after={"replied_on": replied_on.isoformat(), "method": method},
    )
    return reply


@transaction.atomic
def opinion_hide(*, opinion: Opinion, actor: Any, reason: str) -> Opinion:
    """Moderation: hide an abusive opinion with a recorded reason. Nothing is deleted."""
    if not reason.strip():
        raise ValidationError({"reason": _("非表示にする理由を書いてください。")})
    before = {"is_hidden": opinion.is_hidden, "hidden_reason": opinion.hidden_reason}
    opinion.is_hidden = True
    opinion.hidden_reason = reason.strip()
    opinion.hidden_at = timezone.now()
    opinion.hidden_by = actor if getattr(actor, "is_authenticated", False) else None
    opinion.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    audit_record(
        actor=actor,
        action="hide",
        obj=opinion,
        before=before,
        after={"is_hidden": True, "hidden_reason": opinion.hidden_reason},
    )
    return opinion


@transaction.atomic
def opinion_unhide(*, opinion: Opinion, actor: Any, reason: str = "") -> Opinion:
    before = {"is_hidden": opinion.is_hidden, "hidden_reason": opinion.hidden_reason}
    opinion.is_hidden = False
    opinion.hidden_reason = ""
    opinion.hidden_at = None
    opinion.hidden_by = None
    opinion.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    audit_record(
        actor=actor,
        action="unhide",
        obj=opinion,
        before=before,
        after={"is_hidden": False},
        note=reason,
    )
    return opinion


def personal_data_view(*, opinion: Opinion, actor: Any, purpose: str = "") -> PersonalData | None:
    """Personal data of an opinion for a permitted role; every call is logged."""
    personal = PersonalData.objects.filter(opinion=opinion).first()
    audit_record(
        actor=actor,
        action="view_personal",
        obj=opinion,
        before=None,
        after={"personal_data": personal is not None},
        note=purpose,
    )
    return personal


@transaction.atomic
def personal_data_purge(*, today: dt.date, actor: Any) -> int:
    """Delete personal data past its retention date (the opinions stay, counts stay)."""
    expired = list(PersonalData.objects.filter(retention_until__lt=today).select_related("opinion"))
    for personal in expired:
        audit_record(
            actor=actor,
            action="purge_personal",
            obj=personal.opinion,
            before={"retention_until": personal.retention_until.isoformat()},
            after=None,
        )
        personal.delete()
    return len(expired)


# --- hearings ---------------------------------------------------------------------------------


def hearing_create(*, hearing: Hearing, actor: Any) -> Hearing:
    return audited_create(obj=hearing, actor=actor)  # type: ignore[return-value]


def hearing_update(
    *, hearing: Hearing, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> Hearing:
    return versioned_save(  # type: ignore[return-value]
        obj=hearing, actor=actor, expected_version=expected_version, changes=changes
    )


# --- public comment rounds --------------------------------------------------------------------


def default_categories() -> list[dict[str, Any]]:
    configured = setting("KEIKAKU_REFLECTION_CATEGORIES", None)
    reflected = set(setting("KEIKAKU_REFLECTED_CATEGORIES", ["A"]))
    if configured:
        return [
            {"code": str(code), "label": str(label), "reflected": str(code) in reflected}
            for code, label in configured
        ]
    return [
        {"code": c.code, "label": c.label, "reflected": c.reflected} for c in DEFAULT_CATEGORIES
    ]


def round_categories(round: PublicCommentRound) -> tuple[Category, ...]:
    data = round.reflection_categories or default_categories()
    return tuple(Category(d["code"], d["label"], bool(d.get("reflected"))) for d in data)


def _check_period(round: PublicCommentRound) -> None:
    start = timezone.localtime(round.starts_at).date()
    end = timezone.localtime(round.ends_at).date()
    if round.ends_at <= round.starts_at:
        raise ValidationError({"ends_at": _("締切日時は募集開始日時より後にしてください。")})
    problem = intake.period_problem(start, end, round.short_period_reason)
    if problem:
        raise ValidationError({"short_period_reason": problem})


def round_create(*, round: PublicCommentRound, actor: Any) -> PublicCommentRound:
    if not round.reflection_categories:
        round.reflection_categories = default_categories()
    _check_period(round)
    return audited_create(obj=round, actor=actor)  # type: ignore[return-value]


@transaction.atomic
def round_update(
    *,
    round: PublicCommentRound,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
) -> PublicCommentRound:
    probe = copy.copy(round)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check_period(probe)
    saved = versioned_save(
        obj=round, actor=actor, expected_version=expected_version, changes=changes
    )
    if round.is_published:
        content_version_bump()
    return saved  # type: ignore[return-value]


@transaction.atomic
def round_draft_replace(
    *,
    round: PublicCommentRound,
    sections: Sequence[draft_domain.DraftSection],
    source_label: str,
    actor: Any,
    edition: Edition | None = None,
) -> int:
    """Replace the draft of a round. Refused once any opinion refers to the round."""
    if round.opinions.exists():
        raise ParticipationError(
            _("この意見募集には既に意見が届いているため、素案を入れ替えられません。")
        )
    measures: dict[str, Measure] = {}
    if edition is not None:
        measures = {m.code: m for m in Measure.objects.filter(area__edition=edition)}
    DraftParagraph.objects.filter(round=round).delete()
    DraftSection.objects.filter(round=round).delete()
    count = 0
    for s_order, s in enumerate(sections, start=1):
        section = DraftSection.objects.create(
            round=round,
            key=s.key,
            order=s_order,
            level=s.level,
            heading=s.heading[:300],
            measure=measures.get(s.measure_code),
            measure_code=s.measure_code,
        )
        DraftParagraph.objects.bulk_create(
            DraftParagraph(
                round=round, section=section, key=p.key, order=p_order, label=p.label, text=p.text
            )
            for p_order, p in enumerate(s.paragraphs, start=1)
        )
        count += len(s.paragraphs)
    PublicCommentRound.objects.filter(pk=round.pk).update(
        draft_source=source_label[:200], draft_imported_at=timezone.now()
    )
    round.refresh_from_db()
    audit_record(
        actor=actor,
        action="import_draft",
        obj=round,
        before=None,
        after={"source": source_label, "sections": len(sections), "paragraphs": count},
    )
    if round.is_published:
        content_version_bump()
    return count


def round_draft_from_edition(*, round: PublicCommentRound, edition: Edition, actor: Any) -> int:
    """The draft from the plan structure: every measure of the edition, in plan order."""
    from keikaku.plans.services import measure_page_data

    measures = (
        Measure.objects.filter(area__edition=edition)
        .select_related("area")
        .prefetch_related(
            "departments", "strategies", "initiatives__responsible_section", "indicators__values"
        )
        .order_by("area__number", "order", "code")
    )
    data = [measure_page_data(m) for m in measures]
    if not data:
        raise ParticipationError(
            _("「%(edition)s」には施策が登録されていません。先に施策を登録してください。")
            % {"edition": edition}
        )
    sections = draft_domain.draft_from_measures(data)
    return round_draft_replace(
        round=round,
        sections=sections,
        source_label=_("計画の施策体系（%(edition)s）") % {"edition": edition},
        actor=actor,
        edition=edition,
    )


def docx_blocks(data: bytes, *, source: str) -> list[draft_domain.Block]:
    """Headings (by paragraph style) and paragraphs of a .docx file, tables row by row."""
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds
        raise draft_domain.DraftFormatError(
            _(
                "%(source)s: Word（.docx）ファイルとして開けません。Word で .docx 形式で保存し直してください。"
            )
            % {"source": source}
        ) from exc
    blocks: list[draft_domain.Block] = []
    items = (
        document.iter_inner_content()
        if hasattr(document, "iter_inner_content")
        else document.paragraphs
    )
    for item in items:
        if isinstance(item, Paragraph):
            style = item.style.name if item.style is not None else ""
            level = draft_domain.heading_level_of_style(style or "")
            if level:
                blocks.append(draft_domain.Block("heading", item.text, level))
            else:
                blocks.append(draft_domain.Block("paragraph", item.text))
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                if cells:
                    blocks.append(draft_domain.Block("paragraph", "　".join(cells)))
    return blocks


def draft_sections_from_file(
    *, filename: str, data: bytes
) -> tuple[draft_domain.DraftSection, ...]:
    name = PurePath(filename).name
    suffix = PurePath(name).suffix.lower()
    if len(data) > MAX_DRAFT_BYTES:
        raise draft_domain.DraftFormatError(
            _("%(source)s: ファイルが大きすぎます（10MBまで）。") % {"source": name}
        )
    if suffix == ".docx":
        return draft_domain.draft_from_blocks(docx_blocks(data, source=name), source=name)
    if suffix in (".md", ".markdown", ".txt"):
        try:
            text = decode_bytes(data, source=name).text
        except TextDecodeError as exc:
            raise draft_domain.DraftFormatError(str(exc)) from exc
        return draft_domain.draft_from_markdown(text, source=name)
    raise draft_domain.DraftFormatError(
        _("%(source)s: 素案は Word（.docx）か Markdown（.md）のファイルで登録してください。")
        % {"source": name}
    )


def round_draft_from_file(
    *, round: PublicCommentRound, filename: str, data: bytes, actor: Any
) -> int:
    sections = draft_sections_from_file(filename=filename, data=data)
    return round_draft_replace(
        round=round, sections=sections, source_label=PurePath(filename).name, actor=actor
    )


@transaction.atomic
def round_material_add(
    *, round: PublicCommentRound, title: str, filename: str, data: bytes, actor: Any
) -> RoundMaterial:
    name = PurePath(filename).name
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            {
                "file": _("「%(name)s」は PDF ファイルではありません。PDF を選んでください。")
                % {"name": name}
            }
        )
    if len(data) > MAX_MATERIAL_BYTES:
        raise ValidationError({"file": _("資料のファイルは30MBまでです。")})
    order = (round.materials.aggregate(m=Max("order"))["m"] or 0) + 1
    material = RoundMaterial(round=round, title=title, size=len(data), order=order)
    material.file.save(PurePath(name).stem[:80] + ".pdf", ContentFile(data), save=False)
    material.save()
    audit_record(
        actor=actor,
        action="add_material",
        obj=round,
        before=None,
        after={"material": material.pk, "title": title},
    )
    if round.is_published:
        content_version_bump()
    return material


@transaction.atomic
def round_material_remove(*, material: RoundMaterial, actor: Any) -> None:
    round = material.round
    audit_record(
        actor=actor,
        action="remove_material",
        obj=round,
        before={"material": material.pk, "title": material.title},
        after=None,
    )
    material.file.delete(save=False)
    material.delete()
    if round.is_published:
        content_version_bump()


@transaction.atomic
def round_publish(*, round: PublicCommentRound, actor: Any) -> PublicCommentRound:
    if not round.sections.exists():
        raise ParticipationError(
            _(
                "素案がまだ登録されていません。計画の施策体系か、Word・Markdown のファイルから素案を取り込んでください。"
            )
        )
    _check_period(round)
    published_flag_set(
        obj=round, actor=actor, published=True, published_at=round.published_at or timezone.now()
    )
    return round


@transaction.atomic
def round_unpublish(*, round: PublicCommentRound, actor: Any) -> PublicCommentRound:
    published_flag_set(obj=round, actor=actor, published=False)
    return round


# --- grouping and the result ------------------------------------------------------------------


def _default_location(opinions: Sequence[Opinion]) -> str:
    places: Counter[str] = Counter()
    for o in opinions:
        if o.paragraph is not None:
            places[o.paragraph.location] += 1
        elif o.section is not None:
            places[o.section.heading] += 1
        else:
            places[str(_("計画全体"))] += 1
    return places.most_common(1)[0][0] if places else ""


@transaction.atomic
def opinions_group(
    *,
    round: PublicCommentRound,
    opinion_ids: Sequence[int],
    actor: Any,
    group: OpinionGroup | None = None,
) -> OpinionGroup:
    """Put opinions of the round into a group (a new one when `group` is None)."""
    opinions = list(
        Opinion.objects.filter(round=round, pk__in=opinion_ids).select_related(
            "paragraph__section", "section"
        )
    )
    if not opinions:
        raise ParticipationError(_("まとめる意見を1件以上選んでください。"))
    if group is None:
        number = (round.groups.aggregate(m=Max("number"))["m"] or 0) + 1
        first = next((o for o in opinions if o.paragraph is not None), None)
        group = OpinionGroup.objects.create(
            round=round,
            number=number,
            location=_default_location(opinions)[:300],
            paragraph=first.paragraph if first else None,
            revised_text=first.paragraph.text if first and first.paragraph else "",
            updated_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="create",
            obj=group,
            before=None,
            after={"round": round.pk, "number": number},
        )
    elif group.round_id != round.pk:
        raise ParticipationError(_("別の意見募集のグループには入れられません。"))
    moved = {o.pk: o.group_id for o in opinions}
    Opinion.objects.filter(pk__in=moved).update(group=group)
    audit_record(
        actor=actor,
        action="group",
        obj=group,
        before={"opinions": {str(k): v for k, v in sorted(moved.items())}},
        after={"opinions": sorted(moved)},
    )
    return group


@transaction.atomic
def opinions_ungroup(*, round: PublicCommentRound, opinion_ids: Sequence[int], actor: Any) -> int:
    qs = Opinion.objects.filter(round=round, pk__in=opinion_ids, group__isnull=False)
    before = {str(o.pk): o.group_id for o in qs}
    count = qs.update(group=None)
    if count:
        audit_record(actor=actor, action="ungroup", obj=round, before=before, after=None)
    return count


def group_update(
    *, group: OpinionGroup, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> OpinionGroup:
    codes = {c.code for c in round_categories(group.round)}
    if changes.get("reflection") and changes["reflection"] not in codes:
        raise ValidationError({"reflection": _("反映区分を一覧から選んでください。")})
    paragraph = changes.get("paragraph", group.paragraph)
    if paragraph is not None and paragraph.round_id != group.round_id:
        raise ValidationError({"paragraph": _("この意見募集の素案の段落を選んでください。")})
    if paragraph is None:
        changes["revised_text"] = ""
    elif not (changes.get("revised_text") or "").strip():
        changes["revised_text"] = paragraph.text
    return versioned_save(  # type: ignore[return-value]
        obj=group, actor=actor, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def group_delete(*, group: OpinionGroup, actor: Any) -> None:
    """Delete an empty group (its opinions, if any, go back to 未整理) and renumber the rest."""
    round = group.round
    Opinion.objects.filter(group=group).update(group=None)
    audit_record(
        actor=actor, action="delete", obj=group, before={"number": group.number}, after=None
    )
    number = group.number
    group.delete()
    for later in round.groups.filter(number__gt=number).order_by("number"):
        OpinionGroup.objects.filter(pk=later.pk).update(number=later.number - 1)


def round_result_compute(round: PublicCommentRound) -> tuple[RoundResult, list[str]]:
    """The result as it stands (for the staff preview) and what is still missing."""
    categories = round_categories(round)
    groups = list(round.groups.select_related("paragraph__section"))
    number_of = {g.pk: g.number for g in groups}
    facts = [
        OpinionFact(
            opinion_id=pk,
            submitter_key=skey,
            group_number=number_of.get(gid) if gid else None,
            hidden=hidden,
        )
        for pk, skey, gid, hidden in Opinion.objects.filter(round=round).values_list(
            "pk", "submitter_key", "group_id", "is_hidden"
        )
    ]
    group_facts = [
        GroupFact(
            number=g.number,
            location=g.location,
            summary=g.summary,
            city_view=g.city_view,
            reflection=g.reflection,
            paragraph_key=g.paragraph.key if g.paragraph else "",
            paragraph_location=g.paragraph.location if g.paragraph else "",
            before_text=g.paragraph.text if g.paragraph else "",
            after_text=g.revised_text if g.paragraph else "",
        )
        for g in groups
    ]
    problems = result_problems(facts, group_facts, categories)
    return build_result(facts, group_facts, categories), problems


def result_snapshot(round: PublicCommentRound, result: RoundResult) -> dict[str, Any]:
    """Plain JSON of the published result: what the public pages and files read."""
    return {
        "round": {
            "id": round.pk,
            "title": round.title,
            "edition": round.edition.title if round.edition else "",
            "starts_at": timezone.localtime(round.starts_at).isoformat(),
            "ends_at": timezone.localtime(round.ends_at).isoformat(),
            "period_days": intake.period_days(
                timezone.localtime(round.starts_at).date(),
                timezone.localtime(round.ends_at).date(),
            ),
        },
        "note": round.result_note,
        "submitter_count": result.submitter_count,
        "opinion_count": result.opinion_count,
        "reflected_count": result.reflected_count,
        "withheld_count": result.withheld_count,
        "categories": [
            {
                "code": c.code,
                "label": c.label,
                "reflected": c.reflected,
                "opinion_count": c.opinion_count,
                "group_count": c.group_count,
            }
            for c in result.categories
        ],
        "rows": [
            {
                "number": r.number,
                "location": r.location,
                "summary": r.summary,
                "city_view": r.city_view,
                "reflection_code": r.reflection_code,
                "reflection_label": r.reflection_label,
                "opinion_count": r.opinion_count,
                "submitter_count": r.submitter_count,
            }
            for r in result.rows
        ],
        "changes": [
            {
                "group_number": c.group_number,
                "location": c.location,
                "before": c.before,
                "after": c.after,
                "segments": [[s.op, s.text] for s in c.segments],
            }
            for c in result.changes
        ],
    }


@transaction.atomic
def round_result_publish(
    *, round: PublicCommentRound, actor: Any, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Publish (or publish again) the formal result: a snapshot the public side reads."""
    now = now or timezone.now()
    if round_state(round, now) in ("open", "upcoming"):
        raise ParticipationError(
            _("意見募集の締切前は結果を公表できません（締切: %(end)s）。")
            % {"end": timezone.localtime(round.ends_at).strftime("%Y-%m-%d %H:%M")}
        )
    if not round.is_published:
        raise ParticipationError(_("公開していない意見募集の結果は公表できません。"))
    result, problems = round_result_compute(round)
    if problems:
        raise ResultNotReadyError(problems)
    data = result_snapshot(round, result)
    data["published_at"] = timezone.localtime(now).isoformat()
    before = {
        "result_published_at": round.result_published_at.isoformat()
        if round.result_published_at
        else None
    }
    PublicCommentRound.objects.filter(pk=round.pk).update(result_data=data, result_published_at=now)
    round.refresh_from_db()
    audit_record(
        actor=actor,
        action="publish_result",
        obj=round,
        before=before,
        after={
            "result_published_at": now.isoformat(),
            "opinions": result.opinion_count,
            "submitters": result.submitter_count,
            "rows": len(result.rows),
        },
    )
    content_version_bump()
    return data


@transaction.atomic
def round_result_withdraw(*, round: PublicCommentRound, actor: Any) -> None:
    PublicCommentRound.objects.filter(pk=round.pk).update(
        result_data=None, result_published_at=None
    )
    audit_record(actor=actor, action="withdraw_result", obj=round, before=None, after=None)
    round.refresh_from_db()
    content_version_bump()
