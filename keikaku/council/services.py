"""Every write of the council app: keyword-only, atomic, audited.

Every write also bumps the public content version, so cached public pages of the council and
the assembly are rebuilt. Applicants' personal data is written only by
:func:`application_submit` and read only through :func:`applicant_personal_view`, which logs
every read (AuditEvent action ``view_personal``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.domain.fiscal import fiscal_year_of
from keikaku.core.services import (
    audit_record,
    audited_create,
    audited_delete,
    content_version_bump,
    model_snapshot,
    published_flag_set,
    versioned_save,
)
from keikaku.council.domain import recruitment as rdomain
from keikaku.council.domain.bills import BillRef, BillResult, BillTarget, adoption_of
from keikaku.council.domain.meetings import (
    MinutesStatus,
    minutes_publish_problem,
    pdf_problem,
    term_covers,
)
from keikaku.council.models import (
    ApplicantPersonalData,
    Application,
    AssemblyMaterial,
    AssemblyReport,
    Attendance,
    Bill,
    CouncilDocument,
    CouncilMember,
    Meeting,
    MeetingMaterial,
    MemberCategory,
    MemberPosition,
    Minutes,
    PlanAdoption,
    ReceiptCounter,
    Recruitment,
)
from keikaku.plans.models import Edition

DEFAULT_MAX_PDF_BYTES = 30 * 1024 * 1024


class CouncilError(Exception):
    """A staff action that cannot be done as asked; the message says why and what to do."""


class CallClosedError(Exception):
    """The deadline has passed (server time, Japan); nothing was stored."""


class CallNotOpenError(Exception):
    """The call has not started or is not published; nothing was stored."""


def max_pdf_bytes() -> int:
    return int(getattr(settings, "KEIKAKU_COUNCIL_MAX_PDF_BYTES", DEFAULT_MAX_PDF_BYTES))


def _changed() -> None:
    """Public pages of the council and the assembly may show what changed: rebuild them."""
    content_version_bump()


# --- generic audited writes -------------------------------------------------------------------


def object_create(*, obj: models.Model, actor: Any, m2m: dict[str, list[Any]] | None = None) -> Any:
    created = audited_create(obj=obj, actor=actor, m2m=m2m)
    _changed()
    return created


def object_update(
    *,
    obj: models.Model,
    actor: Any,
    expected_version: int | None,
    changes: dict[str, Any],
    m2m: dict[str, list[Any]] | None = None,
) -> Any:
    """Update with optimistic concurrency: a stale `expected_version` raises StaleEditError."""
    saved = versioned_save(
        obj=obj, actor=actor, expected_version=expected_version, changes=changes, m2m=m2m
    )
    _changed()
    return saved


def _stored_files(obj: models.Model) -> list[str]:
    """Files that go with a record (its PDFs): deleted from storage once the record is."""
    names: list[str] = []
    if isinstance(obj, Meeting):
        names += [str(m.file.name) for m in obj.materials.all() if m.file]
        minutes = Minutes.objects.filter(meeting=obj).first()
        if minutes is not None and minutes.file_name:
            names.append(minutes.file_name)
    elif isinstance(obj, AssemblyReport):
        names += [str(m.file.name) for m in obj.materials.all() if m.file]
    elif isinstance(obj, CouncilDocument) and obj.file_name:
        names.append(obj.file_name)
    return names


@transaction.atomic
def object_delete(*, obj: models.Model, actor: Any) -> None:
    files = _stored_files(obj)
    audited_delete(obj=obj, actor=actor)
    if files:
        transaction.on_commit(lambda: _delete_files(files))
    _changed()


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- PDF files --------------------------------------------------------------------------------


def _check_pdf(filename: str, data: bytes) -> str:
    name = PurePath(filename).name or "file.pdf"
    problem = pdf_problem(data, name=name, max_bytes=max_pdf_bytes())
    if problem:
        raise ValidationError({"file": problem})
    return PurePath(name).stem[:80] + ".pdf"


def meeting_material_add(
    *, meeting: Meeting, title: str, filename: str, data: bytes, actor: Any
) -> MeetingMaterial:
    return _material_add(
        owner=meeting,
        material=MeetingMaterial(meeting=meeting),
        title=title,
        filename=filename,
        data=data,
        actor=actor,
    )


def meeting_material_remove(*, material: MeetingMaterial, actor: Any) -> None:
    _material_remove(material=material, owner=material.meeting, actor=actor)


def assembly_material_add(
    *, report: AssemblyReport, title: str, filename: str, data: bytes, actor: Any
) -> AssemblyMaterial:
    return _material_add(
        owner=report,
        material=AssemblyMaterial(report=report),
        title=title,
        filename=filename,
        data=data,
        actor=actor,
    )


def assembly_material_remove(*, material: AssemblyMaterial, actor: Any) -> None:
    _material_remove(material=material, owner=material.report, actor=actor)


@transaction.atomic
def _material_add[M: (MeetingMaterial, AssemblyMaterial)](
    *,
    owner: Meeting | AssemblyReport,
    material: M,
    title: str,
    filename: str,
    data: bytes,
    actor: Any,
) -> M:
    """Store a PDF as the last of the owner's materials (audited on the owner: ``add_material``);
    `material` is the new, unsaved row, already tied to its owner."""
    stored = _check_pdf(filename, data)
    if not title.strip():
        raise ValidationError({"title": _("資料名を入力してください。")})
    material.title = title.strip()
    material.size = len(data)
    material.order = (owner.materials.aggregate(m=Max("order"))["m"] or 0) + 1
    material.file.save(stored, ContentFile(data), save=False)
    material.save()
    audit_record(
        actor=actor,
        action="add_material",
        obj=owner,
        before=None,
        after={"material": material.pk, "title": material.title, "size": len(data)},
    )
    _changed()
    return material


@transaction.atomic
def _material_remove(
    *, material: MeetingMaterial | AssemblyMaterial, owner: Meeting | AssemblyReport, actor: Any
) -> None:
    """Delete a material and, once committed, its file (audited on the owner)."""
    audit_record(
        actor=actor,
        action="remove_material",
        obj=owner,
        before={"material": material.pk, "title": material.title},
        after=None,
    )
    name = material.file.name
    material.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
    _changed()


def _store_pdf(folder: str, stored: str, data: bytes) -> str:
    """Save a checked PDF under council/<folder>/<year>/ and return its storage name."""
    year = timezone.localdate().year
    return default_storage.save(f"council/{folder}/{year}/{stored}", ContentFile(data))


@transaction.atomic
def document_file_set(
    *, document: CouncilDocument, filename: str, data: bytes, actor: Any
) -> CouncilDocument:
    """Attach (or replace) the PDF of a 諮問・答申."""
    stored = _check_pdf(filename, data)
    before = {"file_name": document.file_name or None, "file_size": document.file_size}
    old = document.file_name
    name = _store_pdf("documents", stored, data)
    CouncilDocument.objects.filter(pk=document.pk).update(
        updated_at=timezone.now(), file_name=name, file_size=len(data), version=F("version") + 1
    )
    if old and old != name:
        transaction.on_commit(lambda: default_storage.delete(old))
    document.refresh_from_db()
    audit_record(
        actor=actor,
        action="attach_file",
        obj=document,
        before=before,
        after={"file_name": name, "file_size": len(data)},
    )
    _changed()
    return document


# --- members ----------------------------------------------------------------------------------


def members_in_term(*, meeting: Meeting) -> list[CouncilMember]:
    """The members whose term covers the day of the meeting."""
    members = CouncilMember.objects.filter(council=meeting.council).order_by(
        "order", "name_kana", "pk"
    )
    return [m for m in members if term_covers(m.term_start, m.term_end, meeting.held_on)]


# --- recruitment (公募) -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantInput:
    name: str
    name_kana: str
    birth_date: dt.date
    address: str
    phone: str
    email: str
    occupation: str
    eligibility: str
    essay: str
    other_roles: str = ""

    def key_fields(self) -> list[str]:
        return [
            self.name,
            self.name_kana,
            self.birth_date.isoformat(),
            self.address,
            self.phone,
            self.email,
            self.occupation,
            self.eligibility,
            self.essay,
            self.other_roles,
        ]


@dataclass(frozen=True)
class SubmitResult:
    application: Application
    created: bool


def recruitment_state(recruitment: Recruitment, now: dt.datetime | None = None) -> str:
    """ "draft", "upcoming", "open" or "closed" at `now` (server time)."""
    window = rdomain.CallWindow(
        starts_at=recruitment.starts_at,
        ends_at=recruitment.ends_at,
        is_published=recruitment.is_published,
    )
    return rdomain.call_state(window, now or timezone.now()).value


def age_reference_day(recruitment: Recruitment) -> dt.date:
    """The day an applicant's age is counted on: the set day, else the deadline's day (the
    last day applications are accepted, in Japan time)."""
    if recruitment.age_reference_date:
        return recruitment.age_reference_date
    last_moment = recruitment.ends_at - dt.timedelta(microseconds=1)
    return last_moment.astimezone(rdomain.JAPAN).date()


def _receipt_next(*, fiscal_year: int) -> str:
    """The next application receipt number; must run inside a transaction (one UPDATE takes the
    lock, so concurrent applications never share a number)."""
    key = f"{rdomain.RECEIPT_PREFIX}-{fiscal_year}"
    if not ReceiptCounter.objects.filter(key=key).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReceiptCounter.objects.create(key=key, last=1)
        except IntegrityError:
            ReceiptCounter.objects.filter(key=key).update(last=F("last") + 1)
    last = ReceiptCounter.objects.filter(key=key).values_list("last", flat=True).get()
    return rdomain.format_receipt(fiscal_year, int(last))


def _retention_days() -> int:
    return int(getattr(settings, "KEIKAKU_PERSONAL_DATA_RETENTION_DAYS", 1825))


def _create_application(
    recruitment: Recruitment, data: ApplicantInput, *, now: dt.datetime, key: str | None
) -> Application:
    today = timezone.localdate(now)
    age = rdomain.age_on(data.birth_date, age_reference_day(recruitment))
    application = Application.objects.create(
        recruitment=recruitment,
        receipt_number=_receipt_next(fiscal_year=fiscal_year_of(today)),
        channel=Application.Channel.WEB,
        submitted_at=now,
        eligibility=data.eligibility,
        age_band=rdomain.age_band(age),
        essay=data.essay,
        essay_chars=rdomain.essay_length(data.essay),
        other_roles=data.other_roles,
        submission_key=key,
        applicant_key=rdomain.applicant_key(settings.SECRET_KEY, data.name_kana, data.birth_date),
    )
    ApplicantPersonalData.objects.create(
        application=application,
        name=data.name,
        name_kana=data.name_kana,
        birth_date=data.birth_date,
        address=data.address,
        phone=data.phone,
        email=data.email,
        occupation=data.occupation,
        retention_until=rdomain.retention_until(today, _retention_days()),
    )
    return application


def application_submit(
    *,
    recruitment: Recruitment,
    data: ApplicantInput,
    form_token: str,
    now: dt.datetime | None = None,
) -> SubmitResult:
    """Receive an application from the public form.

    The same form (token) sent twice with the same content stores one application and returns
    it again (created=False). The deadline is checked in server time at the moment of receipt:
    after it, CallClosedError and nothing is stored.
    """
    if not rdomain.is_form_token(form_token):
        raise ValueError("form_token")
    key = rdomain.submission_key(form_token, [str(recruitment.pk), *data.key_fields()])
    existing = Application.objects.filter(submission_key=key).first()
    if existing is not None:
        return SubmitResult(existing, False)
    now = now or timezone.now()
    state = recruitment_state(recruitment, now)
    if state == rdomain.CallState.CLOSED:
        raise CallClosedError(recruitment.pk)
    if state != rdomain.CallState.OPEN:
        raise CallNotOpenError(recruitment.pk)
    problem = rdomain.essay_problem(
        data.essay, min_chars=recruitment.essay_min_chars, max_chars=recruitment.essay_max_chars
    ) or rdomain.age_problem(data.birth_date, age_reference_day(recruitment), recruitment.min_age)
    if problem:
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            existing = Application.objects.filter(submission_key=key).first()
            if existing is not None:
                return SubmitResult(existing, False)
            application = _create_application(recruitment, data, now=now, key=key)
    except IntegrityError:
        existing = Application.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return SubmitResult(existing, False)
    return SubmitResult(application, True)


def applicant_personal_view(
    *, application: Application, actor: Any, purpose: str = ""
) -> ApplicantPersonalData | None:
    """The personal data of an applicant for a permitted role; every call is logged."""
    personal = ApplicantPersonalData.objects.filter(application=application).first()
    audit_record(
        actor=actor,
        action="view_personal",
        obj=application,
        before=None,
        after={"personal_data": personal is not None},
        note=purpose,
    )
    return personal


def possible_duplicates(*, application: Application) -> list[Application]:
    """Other applications to the same call that look like the same person (same reading of
    the name and birth date, compared by a keyed hash)."""
    if not application.applicant_key:
        return []
    return list(
        Application.objects.filter(
            recruitment=application.recruitment, applicant_key=application.applicant_key
        )
        .exclude(pk=application.pk)
        .order_by("submitted_at")
    )


_DECISION_FIELDS = ("status", "score", "decision_note", "decided_on")


@transaction.atomic
def application_decide(
    *,
    application: Application,
    actor: Any,
    status: str,
    decided_on: dt.date | None,
    score: int | None = None,
    note: str = "",
) -> Application:
    """Record the selection of one application (選考の記録): selected, not selected, withdrawn
    or back to received; who recorded it and when is kept in the audit log."""
    if status not in Application.Status.values:
        raise ValidationError({"status": _("選考の結果を選んでください。")})
    if status != Application.Status.RECEIVED and decided_on is None:
        raise ValidationError({"decided_on": _("選考日を入力してください。")})
    member = CouncilMember.objects.filter(application=application).first()
    if member is not None and status != Application.Status.SELECTED:
        raise CouncilError(
            _(
                "この応募者は既に委員（%(name)s）として登録されています。結果を変えるときは、先に委員の登録を削除してください。"
            )
            % {"name": member.name}
        )
    before = {f: _plain(getattr(application, f)) for f in _DECISION_FIELDS}
    application.status = status
    application.decided_on = decided_on if status != Application.Status.RECEIVED else None
    application.score = score
    application.decision_note = note.strip()
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.save(update_fields=[*_DECISION_FIELDS, "decided_by"])
    after = {f: _plain(getattr(application, f)) for f in _DECISION_FIELDS}
    if before != after:
        audit_record(actor=actor, action="select", obj=application, before=before, after=after)
    return application


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def member_appoint(
    *,
    application: Application,
    actor: Any,
    term_start: dt.date,
    term_end: dt.date | None,
    position: str = MemberPosition.MEMBER,
) -> CouncilMember:
    """Register a selected applicant as a council member (category 公募). The name comes from
    the personal data, so the read is logged as a view of personal data."""
    if application.status != Application.Status.SELECTED:
        raise CouncilError(_("選考の結果が「選任」の応募者だけを委員として登録できます。"))
    if CouncilMember.objects.filter(application=application).exists():
        raise CouncilError(_("この応募者は既に委員として登録されています。"))
    personal = applicant_personal_view(
        application=application, actor=actor, purpose=str(_("公募委員としての登録"))
    )
    if personal is None:
        raise CouncilError(
            _(
                "応募者の個人情報が残っていないため（保存期限による消去）、委員の登録画面から手で登録してください。"
            )
        )
    order = (
        CouncilMember.objects.filter(council=application.recruitment.council).aggregate(
            m=Max("order")
        )["m"]
        or 0
    ) + 1
    member = CouncilMember(
        council=application.recruitment.council,
        name=personal.name,
        name_kana=personal.name_kana,
        category=MemberCategory.PUBLIC,
        affiliation="",
        position=position,
        term_start=term_start,
        term_end=term_end,
        order=order,
        is_published=True,
        application=application,
    )
    audited_create(obj=member, actor=actor)
    _changed()
    return member


@transaction.atomic
def applicant_personal_data_purge(*, today: dt.date, actor: Any) -> int:
    """Delete applicants' personal data past its retention date (applications stay)."""
    expired = list(
        ApplicantPersonalData.objects.filter(retention_until__lt=today).select_related(
            "application"
        )
    )
    for personal in expired:
        audit_record(
            actor=actor,
            action="purge_personal",
            obj=personal.application,
            before={"retention_until": personal.retention_until.isoformat()},
            after=None,
        )
        personal.delete()
    return len(expired)


# --- meetings: attendance and minutes ---------------------------------------------------------


@transaction.atomic
def attendance_set(*, meeting: Meeting, present_ids: Iterable[int], actor: Any) -> list[Attendance]:
    """Record who attended: every member in term on the meeting day gets a row, present if
    their id is in ``present_ids``. Members no longer in term lose their row."""
    wanted = set(present_ids)
    members = members_in_term(meeting=meeting)
    unknown = wanted - {m.pk for m in members}
    if unknown:
        raise CouncilError(
            _(
                "会議の日に任期中でない委員が含まれています（ID: %(ids)s）。委員の任期を確かめてください。"
            )
            % {"ids": "、".join(str(i) for i in sorted(unknown))}
        )
    before = {str(a.member_id): a.present for a in Attendance.objects.filter(meeting=meeting)}
    Attendance.objects.filter(meeting=meeting).exclude(
        member_id__in=[m.pk for m in members]
    ).delete()
    rows = []
    for member in members:
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, member=member, defaults={"present": member.pk in wanted}
        )
        rows.append(row)
    after = {str(r.member_id): r.present for r in rows}
    if before != after:
        audit_record(
            actor=actor, action="attendance", obj=meeting, before=before or None, after=after
        )
        _changed()
    return rows


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, actor: Any, body: str, expected_version: int | None
) -> Minutes:
    """Write the minutes' text. Changing approved minutes sends them back to 作成中 and takes
    them off the public site: changed minutes must be approved again before publication."""
    minutes = minutes_of(meeting)
    if minutes is None:
        minutes = Minutes(meeting=meeting, body=body)
        audited_create(obj=minutes, actor=actor)
        _changed()
        return minutes
    if minutes.body == body:
        return minutes
    changes: dict[str, Any] = {"body": body}
    if minutes.status == MinutesStatus.APPROVED:
        changes.update(
            status=MinutesStatus.DRAFT.value,
            approved_on=None,
            approval_note="",
            is_published=False,
        )
    saved = versioned_save(
        obj=minutes, actor=actor, expected_version=expected_version, changes=changes
    )
    _changed()
    return saved  # type: ignore[return-value]


@transaction.atomic
def minutes_file_set(*, meeting: Meeting, filename: str, data: bytes, actor: Any) -> Minutes:
    """Attach (or replace) the PDF of the minutes; like a change of text, it needs approval."""
    stored = _check_pdf(filename, data)
    minutes = minutes_of(meeting)
    if minutes is None:
        minutes = Minutes(meeting=meeting)
        audited_create(obj=minutes, actor=actor)
    before = model_snapshot(minutes)
    old = minutes.file_name
    name = _store_pdf("minutes", stored, data)
    Minutes.objects.filter(pk=minutes.pk).update(
        updated_at=timezone.now(),
        file_name=name,
        file_size=len(data),
        status=MinutesStatus.DRAFT.value,
        approved_on=None,
        approval_note="",
        is_published=False,
        version=F("version") + 1,
    )
    if old and old != name:
        transaction.on_commit(lambda: default_storage.delete(old))
    minutes.refresh_from_db()
    audit_record(
        actor=actor, action="attach_file", obj=minutes, before=before, after=model_snapshot(minutes)
    )
    _changed()
    return minutes


@transaction.atomic
def minutes_approve(
    *, minutes: Minutes, actor: Any, approved_on: dt.date, note: str = ""
) -> Minutes:
    """Record that the minutes were checked and approved (会長・委員の確認)."""
    if not (minutes.body.strip() or minutes.file_name):
        raise CouncilError(_("議事録の本文かPDFを登録してから確認済にしてください。"))
    if approved_on < minutes.meeting.held_on:
        raise ValidationError({"approved_on": _("確認日は会議の開催日以降の日にしてください。")})
    before = {"status": minutes.status, "approved_on": _plain(minutes.approved_on)}
    Minutes.objects.filter(pk=minutes.pk).update(
        updated_at=timezone.now(),
        status=MinutesStatus.APPROVED.value,
        approved_on=approved_on,
        approval_note=note.strip(),
        version=F("version") + 1,
    )
    minutes.refresh_from_db()
    audit_record(
        actor=actor,
        action="approve",
        obj=minutes,
        before=before,
        after={"status": minutes.status, "approved_on": approved_on.isoformat(), "note": note},
    )
    _changed()
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, actor: Any) -> Minutes:
    """Publish approved minutes of a published meeting; otherwise CouncilError says why."""
    problem = minutes_publish_problem(
        status=minutes.status,
        meeting_published=minutes.meeting.is_published,
        has_content=bool(minutes.body.strip() or minutes.file_name),
    )
    if problem:
        raise CouncilError(problem)
    published_flag_set(
        obj=minutes,
        actor=actor,
        published=True,
        updated_at=timezone.now(),
        published_at=minutes.published_at or timezone.now(),
    )
    return minutes


@transaction.atomic
def minutes_unpublish(*, minutes: Minutes, actor: Any) -> Minutes:
    published_flag_set(obj=minutes, actor=actor, published=False, updated_at=timezone.now())
    return minutes


# --- the assembly: bills and the plan's adoption ----------------------------------------------


def _bill_edition_ids(bill: Bill) -> set[int]:
    return {bill.edition_id} if bill.edition_id else set()


@transaction.atomic
def bill_create(*, bill: Bill, actor: Any) -> Bill:
    created: Bill = audited_create(obj=bill, actor=actor)  # type: ignore[assignment]
    for edition_id in _bill_edition_ids(created):
        adoption_sync(edition=Edition.objects.get(pk=edition_id), actor=actor)
    _changed()
    return created


@transaction.atomic
def bill_update(
    *, bill: Bill, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> Bill:
    """Change a bill (its result, votes, dates …); the plan's adoption follows the result."""
    editions = _bill_edition_ids(bill)
    saved: Bill = versioned_save(  # type: ignore[assignment]
        obj=bill, actor=actor, expected_version=expected_version, changes=changes
    )
    editions |= _bill_edition_ids(saved)
    for edition_id in sorted(editions):
        adoption_sync(edition=Edition.objects.get(pk=edition_id), actor=actor)
    _changed()
    return saved


@transaction.atomic
def bill_delete(*, bill: Bill, actor: Any) -> None:
    editions = _bill_edition_ids(bill)
    audited_delete(obj=bill, actor=actor)
    for edition_id in sorted(editions):
        adoption_sync(edition=Edition.objects.get(pk=edition_id), actor=actor)
    _changed()


@transaction.atomic
def adoption_sync(*, edition: Edition, actor: Any) -> PlanAdoption:
    """Derive the edition's adoption (議決済 etc.) from its bills and store it; a change of
    state is audited (action ``adoption``)."""
    refs = [
        BillRef(
            id=b.pk,
            target=BillTarget(b.target),
            result=BillResult(b.result),
            submitted_on=b.submitted_on,
            vote_on=b.vote_on,
            effective_on=b.effective_on,
        )
        for b in Bill.objects.filter(edition=edition).exclude(target=BillTarget.OTHER.value)
    ]
    adoption = adoption_of(refs)
    values = {
        "state": adoption.state.value,
        "plan_bill_id": adoption.plan_bill_id,
        "adopted_on": adoption.adopted_on,
        "concept_bill_id": adoption.concept_bill_id,
        "concept_adopted_on": adoption.concept_adopted_on,
        "effective_on": adoption.effective_on,
    }
    record = PlanAdoption.objects.filter(edition=edition).first()
    before = {k: _plain(getattr(record, k)) for k in values} if record is not None else None
    if record is None:
        record = PlanAdoption.objects.create(edition=edition, **values)
    else:
        for name, value in values.items():
            setattr(record, name, value)
        record.save()
    after = {k: _plain(v) for k, v in values.items()}
    if before != after:
        audit_record(actor=actor, action="adoption", obj=record, before=before, after=after)
    # keikaku.workflow.api offers no way yet to mark an edition's drafts 議決済 from here; the
    # adoption is recorded on this side (PlanAdoption, read through council.api.edition_adoption).
    # When it does, call it here when the state becomes (or stops being) ENACTED.
    return record
