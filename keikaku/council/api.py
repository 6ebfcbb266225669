"""What other apps (the public site, the open-data API, the plan document) may read of the
council and the assembly: published records only, as frozen dataclasses.

Nothing here returns applicants' personal data or the text of applications. A record is public
when it is published and, for the council's records, when the council itself is published;
minutes are public only when approved and published (and their meeting is public).

Dates are ``datetime.date`` (ISO in JSON); datetimes are aware. ``url`` fields are site paths
(``/council/meetings/3/``) so that callers can link without knowing URL names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.council.domain.bills import (
    AdoptionState,
    adoption_state_label,
    result_label,
    vote_summary,
)
from keikaku.council.domain.meetings import (
    AttendanceSummary,
    agenda_items,
    attendance_summary,
    format_size,
    meeting_label,
    term_covers,
)
from keikaku.council.domain.recruitment import CallState, CallWindow, call_state, call_state_label
from keikaku.council.models import (
    AssemblyMaterial,
    AssemblyReport,
    Attendance,
    Bill,
    Council,
    CouncilDocument,
    CouncilMember,
    DataStatus,
    Meeting,
    MeetingMaterial,
    Minutes,
    PlanAdoption,
    Recruitment,
)

# --- read models ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """How sure the record is: entered by staff, verified against published sources, or an
    illustrative example (demo data). ``illustrative_fields``: fields of a verified record
    that are illustrative all the same."""

    status: str
    status_label: str
    illustrative_fields: tuple[str, ...]
    note: str

    @property
    def is_illustrative(self) -> bool:
        return self.status == DataStatus.ILLUSTRATIVE

    @property
    def is_verified(self) -> bool:
        return self.status == DataStatus.VERIFIED

    def marks(self, field: str) -> bool:
        """Whether a field is illustrative (the whole record, or that field)."""
        return self.is_illustrative or field in self.illustrative_fields


@dataclass(frozen=True)
class PublicFile:
    title: str
    url: str
    size: int
    size_label: str


@dataclass(frozen=True)
class PublicCouncil:
    id: int
    name: str
    description: str
    legal_basis: str
    seats: int | None
    contact: str
    url: str


@dataclass(frozen=True)
class PublicMember:
    id: int
    name: str
    name_kana: str
    category: str
    category_label: str
    affiliation: str
    position: str
    position_label: str
    term_start: dt.date
    term_end: dt.date | None
    is_current: bool
    provenance: Provenance


@dataclass(frozen=True)
class PublicAttendance:
    present: tuple[str, ...]  # names of members present (published members only)
    absent: tuple[str, ...]
    summary: AttendanceSummary


@dataclass(frozen=True)
class PublicMeeting:
    id: int
    council_name: str
    number: int
    label: str  # 第3回
    title: str
    held_on: dt.date
    start_time: dt.time | None  # Japan time
    end_time: dt.time | None
    place: str
    is_open: bool
    closed_reason: str
    agenda: tuple[str, ...]
    observers: int | None
    materials: tuple[PublicFile, ...]
    attendance: PublicAttendance | None
    minutes_url: str  # "" while the minutes are not published
    url: str
    provenance: Provenance


@dataclass(frozen=True)
class PublicMinutes:
    meeting_id: int
    meeting_title: str
    meeting_label: str
    held_on: dt.date
    body: str
    file: PublicFile | None
    approved_on: dt.date | None
    approval_note: str
    published_at: dt.datetime | None
    url: str
    meeting_url: str
    provenance: Provenance


@dataclass(frozen=True)
class PublicDocument:
    """諮問 or 答申 (the council's report to the mayor)."""

    id: int
    kind: str
    kind_label: str
    title: str
    dated_on: dt.date
    addressee: str
    summary: str
    file: PublicFile | None
    meeting_id: int | None
    meeting_title: str
    edition_id: int | None
    url: str
    provenance: Provenance


@dataclass(frozen=True)
class PublicRecruitment:
    id: int
    title: str
    description: str
    seats: int
    eligibility_note: str
    min_age: int
    term_note: str
    essay_theme: str
    essay_min_chars: int
    essay_max_chars: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    other_channels: str
    selection_method: str
    contact: str
    state: str  # upcoming / open / closed
    state_label: str
    result_note: str
    url: str
    apply_url: str
    provenance: Provenance


@dataclass(frozen=True)
class PublicAssemblyReport:
    id: int
    reported_on: dt.date
    committee: str
    title: str
    summary: str
    materials: tuple[PublicFile, ...]
    edition_id: int | None
    url: str
    provenance: Provenance


@dataclass(frozen=True)
class PublicBill:
    id: int
    number: str
    session: str
    title: str
    target: str  # basic_concept / basic_plan / other
    target_label: str
    edition_id: int | None
    submitted_on: dt.date | None
    committee: str
    committee_decided_on: dt.date | None
    committee_result: str
    committee_result_label: str
    vote_on: dt.date | None
    result: str
    result_label: str
    votes_for: int | None
    votes_against: int | None
    vote_summary: str  # 賛成15、反対2
    effective_on: dt.date | None
    summary: str
    url: str
    provenance: Provenance


@dataclass(frozen=True)
class PublicAdoption:
    """The assembly's decision on a plan edition: state 議決済 once the basic-plan bill passed."""

    edition_id: int
    edition_title: str
    state: str  # none / submitted / enacted / rejected
    state_label: str
    adopted_on: dt.date | None
    plan_bill: PublicBill | None
    concept_adopted_on: dt.date | None
    concept_bill: PublicBill | None
    effective_on: dt.date | None

    @property
    def is_enacted(self) -> bool:
        return self.state == AdoptionState.ENACTED


@dataclass(frozen=True)
class PlanRecord:
    """The council and assembly record of a plan (資料編 of the plan document)."""

    council: PublicCouncil | None
    members: tuple[PublicMember, ...]
    recruitments: tuple[PublicRecruitment, ...]
    meetings: tuple[PublicMeeting, ...]
    documents: tuple[PublicDocument, ...]
    assembly_reports: tuple[PublicAssemblyReport, ...]
    bills: tuple[PublicBill, ...]
    adoption: PublicAdoption | None


@dataclass(frozen=True)
class FileRef:
    """Where a public file is stored (for the download views)."""

    storage_name: str
    download_name: str


# --- building ---------------------------------------------------------------------------------


def _provenance(obj: object) -> Provenance:
    status = str(getattr(obj, "data_status", DataStatus.ENTERED))
    return Provenance(
        status=status,
        status_label=str(DataStatus(status).label),
        illustrative_fields=tuple(
            str(f) for f in (getattr(obj, "illustrative_fields", None) or [])
        ),
        note=str(getattr(obj, "data_note", "")),
    )


def _time(text: str) -> dt.time | None:
    """「14:00」 → time(14, 0); empty → None."""
    return dt.time.fromisoformat(text) if text else None


def _council_qs() -> QuerySet[Council]:
    return Council.objects.filter(is_published=True)


def _council() -> Council | None:
    return _council_qs().order_by("pk").first()


def _council_info(c: Council) -> PublicCouncil:
    return PublicCouncil(
        id=c.pk,
        name=c.name,
        description=c.description,
        legal_basis=c.legal_basis,
        seats=c.seats,
        contact=c.contact,
        url=reverse("council:index"),
    )


def _member(m: CouncilMember, today: dt.date) -> PublicMember:
    return PublicMember(
        id=m.pk,
        name=m.name,
        name_kana=m.name_kana,
        category=m.category,
        category_label=str(m.get_category_display()),
        affiliation=m.affiliation,
        position=m.position,
        position_label=str(m.get_position_display()),
        term_start=m.term_start,
        term_end=m.term_end,
        is_current=term_covers(m.term_start, m.term_end, today),
        provenance=_provenance(m),
    )


def _file(title: str, url: str, size: int) -> PublicFile:
    return PublicFile(title=title, url=url, size=size, size_label=format_size(size))


def _material(m: MeetingMaterial) -> PublicFile:
    return _file(m.title, reverse("council:material", args=[m.meeting_id, m.pk]), m.size)


def _published_minutes(meeting: Meeting) -> Minutes | None:
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and minutes.is_published:
        return minutes
    return None


def _attendance(meeting: Meeting, seats: int | None) -> PublicAttendance | None:
    rows: list[Attendance] = list(meeting.attendance.all())
    if not rows:
        return None
    present = tuple(a.member.name for a in rows if a.present and a.member.is_published)
    absent = tuple(a.member.name for a in rows if not a.present and a.member.is_published)
    return PublicAttendance(
        present=present,
        absent=absent,
        summary=attendance_summary([a.present for a in rows], seats),
    )


def _meeting(m: Meeting) -> PublicMeeting:
    minutes = _published_minutes(m)
    label = meeting_label(m.number)
    return PublicMeeting(
        id=m.pk,
        council_name=m.council.name,
        number=m.number,
        label=label,
        title=m.title or f"{label} {m.council.name}",
        held_on=m.held_on,
        start_time=_time(m.start_time),
        end_time=_time(m.end_time),
        place=m.place,
        is_open=m.is_open,
        closed_reason=m.closed_reason,
        agenda=agenda_items(m.agenda),
        observers=m.observers,
        materials=tuple(_material(x) for x in m.materials.all()),
        attendance=_attendance(m, m.council.seats),
        minutes_url=reverse("council:minutes", args=[m.pk]) if minutes else "",
        url=reverse("council:meeting", args=[m.pk]),
        provenance=_provenance(m),
    )


def _meetings_qs() -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(is_published=True, council__is_published=True)
        .select_related("council", "minutes")
        .prefetch_related(
            "materials",
            Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
        )
    )


def _minutes(minutes: Minutes) -> PublicMinutes:
    m = minutes.meeting
    label = meeting_label(m.number)
    file = None
    if minutes.file_name:
        file = _file(
            _("%(meeting)sの議事録") % {"meeting": m.title or label},
            reverse("council:minutes_file", args=[m.pk]),
            minutes.file_size,
        )
    return PublicMinutes(
        meeting_id=m.pk,
        meeting_title=m.title or f"{label} {m.council.name}",
        meeting_label=label,
        held_on=m.held_on,
        body=minutes.body,
        file=file,
        approved_on=minutes.approved_on,
        approval_note=minutes.approval_note,
        published_at=minutes.published_at,
        url=reverse("council:minutes", args=[m.pk]),
        meeting_url=reverse("council:meeting", args=[m.pk]),
        provenance=_provenance(m),
    )


def _document(d: CouncilDocument) -> PublicDocument:
    file = None
    if d.file_name:
        file = _file(d.title, reverse("council:document_file", args=[d.pk]), d.file_size)
    meeting_title = ""
    meeting_id = None
    if d.meeting is not None and d.meeting.is_published:
        meeting_id = d.meeting.pk
        meeting_title = d.meeting.title or f"{meeting_label(d.meeting.number)} {d.council.name}"
    return PublicDocument(
        id=d.pk,
        kind=d.kind,
        kind_label=str(d.get_kind_display()),
        title=d.title,
        dated_on=d.dated_on,
        addressee=d.addressee,
        summary=d.summary,
        file=file,
        meeting_id=meeting_id,
        meeting_title=meeting_title,
        edition_id=d.edition_id,
        url=reverse("council:document", args=[d.pk]),
        provenance=_provenance(d),
    )


def _recruitment(r: Recruitment, now: dt.datetime) -> PublicRecruitment:
    state = call_state(
        CallWindow(starts_at=r.starts_at, ends_at=r.ends_at, is_published=r.is_published), now
    )
    return PublicRecruitment(
        id=r.pk,
        title=r.title,
        description=r.description,
        seats=r.seats,
        eligibility_note=r.eligibility_note,
        min_age=r.min_age,
        term_note=r.term_note,
        essay_theme=r.essay_theme,
        essay_min_chars=r.essay_min_chars,
        essay_max_chars=r.essay_max_chars,
        starts_at=r.starts_at,
        ends_at=r.ends_at,
        other_channels=r.other_channels,
        selection_method=r.selection_method,
        contact=r.contact,
        state=state.value,
        state_label=call_state_label(state),
        result_note=r.result_note if state == CallState.CLOSED else "",
        url=reverse("council:recruitment", args=[r.pk]),
        apply_url=reverse("council:apply", args=[r.pk]),
        provenance=_provenance(r),
    )


def _assembly_material(m: AssemblyMaterial) -> PublicFile:
    return _file(m.title, reverse("assembly:material", args=[m.report_id, m.pk]), m.size)


def _assembly_report(r: AssemblyReport) -> PublicAssemblyReport:
    return PublicAssemblyReport(
        id=r.pk,
        reported_on=r.reported_on,
        committee=r.committee,
        title=r.title,
        summary=r.summary,
        materials=tuple(_assembly_material(m) for m in r.materials.all()),
        edition_id=r.edition_id,
        url=reverse("assembly:report", args=[r.pk]),
        provenance=_provenance(r),
    )


def _bill(b: Bill) -> PublicBill:
    committee_labels = dict(
        (k, str(v)) for k, v in Bill._meta.get_field("committee_result").choices or []
    )
    return PublicBill(
        id=b.pk,
        number=b.number,
        session=b.session,
        title=b.title,
        target=b.target,
        target_label=str(b.get_target_display()),
        edition_id=b.edition_id,
        submitted_on=b.submitted_on,
        committee=b.committee,
        committee_decided_on=b.committee_decided_on,
        committee_result=b.committee_result,
        committee_result_label=committee_labels.get(b.committee_result, "")
        if b.committee_result
        else "",
        vote_on=b.vote_on,
        result=b.result,
        result_label=result_label(b.result),
        votes_for=b.votes_for,
        votes_against=b.votes_against,
        vote_summary=vote_summary(b.votes_for, b.votes_against),
        effective_on=b.effective_on,
        summary=b.summary,
        url=reverse("assembly:bill", args=[b.pk]),
        provenance=_provenance(b),
    )


# --- the council ------------------------------------------------------------------------------


def council_public() -> PublicCouncil | None:
    """The published council (まちづくり審議会), or None."""
    c = _council()
    return _council_info(c) if c else None


def members_public(*, today: dt.date | None = None) -> tuple[PublicMember, ...]:
    """Published members of the published council, current members first, by display order."""
    c = _council()
    if c is None:
        return ()
    today = today or timezone.localdate()
    members = [
        _member(m, today)
        for m in CouncilMember.objects.filter(council=c, is_published=True).order_by(
            "order", "name_kana", "pk"
        )
    ]
    return tuple(sorted(members, key=lambda m: not m.is_current))


def meetings_public() -> tuple[PublicMeeting, ...]:
    """Published meetings, the latest first."""
    return tuple(_meeting(m) for m in _meetings_qs().order_by("-held_on", "-number", "-pk"))


def meeting_public(*, meeting_id: int) -> PublicMeeting | None:
    m = _meetings_qs().filter(pk=meeting_id).first()
    return _meeting(m) if m else None


def meetings_upcoming(*, today: dt.date | None = None) -> tuple[PublicMeeting, ...]:
    """Published meetings from today on, the soonest first (for the participation hub)."""
    today = today or timezone.localdate()
    return tuple(
        _meeting(m) for m in _meetings_qs().filter(held_on__gte=today).order_by("held_on", "pk")
    )


def _minutes_qs() -> QuerySet[Minutes]:
    return Minutes.objects.filter(
        is_published=True, meeting__is_published=True, meeting__council__is_published=True
    ).select_related("meeting__council")


def minutes_public() -> tuple[PublicMinutes, ...]:
    """Published (approved) minutes, the latest meeting first."""
    return tuple(
        _minutes(x) for x in _minutes_qs().order_by("-meeting__held_on", "-meeting__number")
    )


def minutes_for_meeting(*, meeting_id: int) -> PublicMinutes | None:
    x = _minutes_qs().filter(meeting_id=meeting_id).first()
    return _minutes(x) if x else None


def _documents_qs() -> QuerySet[CouncilDocument]:
    return CouncilDocument.objects.filter(
        is_published=True, council__is_published=True
    ).select_related("council", "meeting")


def documents_public(*, edition_id: int | None = None) -> tuple[PublicDocument, ...]:
    """Published 諮問 and 答申, the latest first (of one edition when given)."""
    qs = _documents_qs()
    if edition_id is not None:
        qs = qs.filter(edition_id=edition_id)
    return tuple(_document(d) for d in qs.order_by("-dated_on", "-pk"))


def document_public(*, document_id: int) -> PublicDocument | None:
    d = _documents_qs().filter(pk=document_id).first()
    return _document(d) if d else None


def _recruitments_qs() -> QuerySet[Recruitment]:
    return Recruitment.objects.filter(is_published=True, council__is_published=True)


def recruitments_public(*, now: dt.datetime | None = None) -> tuple[PublicRecruitment, ...]:
    """Every published call for members (公募), the latest first, with its state at `now`."""
    now = now or timezone.now()
    return tuple(_recruitment(r, now) for r in _recruitments_qs().order_by("-starts_at", "-pk"))


def recruitments_open(*, now: dt.datetime | None = None) -> tuple[PublicRecruitment, ...]:
    """Calls open now or about to open (for the participation hub), the soonest deadline first."""
    now = now or timezone.now()
    items = [_recruitment(r, now) for r in _recruitments_qs().filter(ends_at__gt=now)]
    return tuple(sorted(items, key=lambda r: (r.ends_at, r.id)))


def recruitment_public(
    *, recruitment_id: int, now: dt.datetime | None = None
) -> PublicRecruitment | None:
    r = _recruitments_qs().filter(pk=recruitment_id).first()
    return _recruitment(r, now or timezone.now()) if r else None


# --- the assembly -----------------------------------------------------------------------------


def _reports_qs() -> QuerySet[AssemblyReport]:
    return AssemblyReport.objects.filter(is_published=True).prefetch_related("materials")


def assembly_reports_public(*, edition_id: int | None = None) -> tuple[PublicAssemblyReport, ...]:
    """Published reports to the assembly, the latest first."""
    qs = _reports_qs()
    if edition_id is not None:
        qs = qs.filter(edition_id=edition_id)
    return tuple(_assembly_report(r) for r in qs.order_by("-reported_on", "-pk"))


def assembly_report_public(*, report_id: int) -> PublicAssemblyReport | None:
    r = _reports_qs().filter(pk=report_id).first()
    return _assembly_report(r) if r else None


def bills_public(*, edition_id: int | None = None) -> tuple[PublicBill, ...]:
    """Published bills with their committee review and vote, the latest first."""
    qs = Bill.objects.filter(is_published=True)
    if edition_id is not None:
        qs = qs.filter(edition_id=edition_id)
    return tuple(_bill(b) for b in qs.order_by("-vote_on", "-submitted_on", "-pk"))


def bill_public(*, bill_id: int) -> PublicBill | None:
    b = Bill.objects.filter(is_published=True, pk=bill_id).first()
    return _bill(b) if b else None


def _adoption(record: PlanAdoption) -> PublicAdoption | None:
    plan_bill = record.plan_bill if record.plan_bill and record.plan_bill.is_published else None
    concept_bill = (
        record.concept_bill if record.concept_bill and record.concept_bill.is_published else None
    )
    if plan_bill is None and concept_bill is None:
        return None
    state = record.state if plan_bill is not None else AdoptionState.NONE.value
    enacted = state == AdoptionState.ENACTED
    return PublicAdoption(
        edition_id=record.edition_id,
        edition_title=record.edition.title,
        state=state,
        state_label=adoption_state_label(state),
        adopted_on=record.adopted_on if enacted else None,
        plan_bill=_bill(plan_bill) if plan_bill else None,
        concept_adopted_on=record.concept_adopted_on if concept_bill else None,
        concept_bill=_bill(concept_bill) if concept_bill else None,
        effective_on=record.effective_on if enacted else None,
    )


def _adoptions_qs() -> QuerySet[PlanAdoption]:
    return PlanAdoption.objects.select_related("edition", "plan_bill", "concept_bill")


def edition_adoption(*, edition_id: int) -> PublicAdoption | None:
    """The assembly's decision on a plan edition from its published bills, or None.

    ``state == "enacted"`` (議決済) once the basic-plan bill passed; ``adopted_on`` is the vote
    day and ``effective_on`` the day the plan takes effect.
    """
    record = _adoptions_qs().filter(edition_id=edition_id).first()
    return _adoption(record) if record else None


def adoptions_public() -> tuple[PublicAdoption, ...]:
    """Every edition's public adoption, the latest edition first."""
    items = [_adoption(r) for r in _adoptions_qs().order_by("-edition__start_fy", "-pk")]
    return tuple(a for a in items if a is not None)


def plan_record(*, edition_id: int | None = None) -> PlanRecord:
    """The whole public council and assembly record (of one edition, where a record names
    its edition), oldest first, as the 資料編 of a plan document lists it."""
    meetings = tuple(reversed(meetings_public()))
    documents = tuple(
        d
        for d in reversed(documents_public())
        if edition_id is None or d.edition_id in (None, edition_id)
    )
    reports = tuple(
        r
        for r in reversed(assembly_reports_public())
        if edition_id is None or r.edition_id in (None, edition_id)
    )
    bills = tuple(
        b
        for b in reversed(bills_public())
        if edition_id is None or b.edition_id in (None, edition_id)
    )
    return PlanRecord(
        council=council_public(),
        members=members_public(),
        recruitments=tuple(reversed(recruitments_public())),
        meetings=meetings,
        documents=documents,
        assembly_reports=reports,
        bills=bills,
        adoption=edition_adoption(edition_id=edition_id) if edition_id is not None else None,
    )


def updated_at() -> dict[str, dt.datetime | None]:
    """When each public dataset last changed (for a data catalogue)."""

    def latest(qs: QuerySet[Any]) -> dt.datetime | None:
        value = qs.aggregate(m=Max("updated_at"))["m"]
        return value if isinstance(value, dt.datetime) else None

    return {
        "members": latest(CouncilMember.objects.filter(is_published=True)),
        "meetings": latest(Meeting.objects.filter(is_published=True)),
        "minutes": latest(Minutes.objects.filter(is_published=True)),
        "documents": latest(CouncilDocument.objects.filter(is_published=True)),
        "assembly_reports": latest(AssemblyReport.objects.filter(is_published=True)),
        "bills": latest(Bill.objects.filter(is_published=True)),
    }


# --- files (for the download views) ----------------------------------------------------------


def meeting_material_file(*, meeting_id: int, material_id: int) -> FileRef | None:
    if not _meetings_qs().filter(pk=meeting_id).exists():
        return None
    m = MeetingMaterial.objects.filter(meeting_id=meeting_id, pk=material_id).first()
    if m is None or not m.file:
        return None
    return FileRef(storage_name=str(m.file.name), download_name=f"{m.title}.pdf")


def minutes_file(*, meeting_id: int) -> FileRef | None:
    x = _minutes_qs().filter(meeting_id=meeting_id).first()
    if x is None or not x.file_name:
        return None
    title = x.meeting.title or meeting_label(x.meeting.number)
    return FileRef(
        storage_name=x.file_name,
        download_name=_("%(meeting)s_議事録.pdf") % {"meeting": title},
    )


def document_file(*, document_id: int) -> FileRef | None:
    d = _documents_qs().filter(pk=document_id).first()
    if d is None or not d.file_name:
        return None
    return FileRef(storage_name=d.file_name, download_name=f"{d.title}.pdf")


def assembly_material_file(*, report_id: int, material_id: int) -> FileRef | None:
    if not AssemblyReport.objects.filter(pk=report_id, is_published=True).exists():
        return None
    m = AssemblyMaterial.objects.filter(report_id=report_id, pk=material_id).first()
    if m is None or not m.file:
        return None
    return FileRef(storage_name=str(m.file.name), download_name=f"{m.title}.pdf")
