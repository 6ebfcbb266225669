"""The town-planning council and the city assembly (council.api, published records only):
sections, calls (member recruitment, upcoming meetings), search, open data, 資料編."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from keikaku.core.domain.fiscal import format_date
from keikaku.publication.integrations._util import (
    api_function,
    lines,
    municipality,
    public_plan,
    register_table,
)
from keikaku.publication.registry import (
    AppendixChapter,
    OpenCall,
    SearchItem,
    Section,
    register_appendix,
    register_call_provider,
    register_search_source,
    register_section,
    shared,
)


def _call(name: str, *args: Any, default: Any = (), **kwargs: Any) -> Any:
    fn = api_function("council", name)
    return fn(*args, **kwargs) if fn else default


def _ready(name: str) -> bool:
    return api_function("council", name) is not None


register_section(
    Section(
        key="council",
        title=_("まちづくり審議会"),
        url_name="council:index",
        description=_("委員、会議の日程・資料・議事録、答申"),
        order=60,
        available=lambda: _call("council_public", default=None) is not None,
    )
)
register_section(
    Section(
        key="assembly",
        title=_("市議会"),
        url_name="assembly:index",
        description=_("議会への報告と、計画の議案の審議・議決"),
        order=65,
        available=lambda: bool(_call("bills_public") or _call("assembly_reports_public")),
    )
)


def _date(value: dt.date | None) -> str:
    return format_date(value) if value else ""


def meeting_name(council_name: str, label: str, title: str) -> str:
    """「第2回 鶴ヶ島市まちづくり審議会」 without repeating what the title already says."""
    parts = [p for p in (council_name, label) if p and p not in title]
    return " ".join([*parts, title]).strip()


def calls() -> Iterator[OpenCall]:
    for r in _call("recruitments_open"):
        yield OpenCall(
            kind="council_recruitment",
            kind_label=str(_("審議会の委員募集")),
            title=r.title,
            url=r.url,
            state="open" if r.state == "open" else "upcoming",
            starts=r.starts_at,
            ends=r.ends_at,
            description=r.description,
            action_label=str(_("募集の内容を見る")),
        )
    for m in _call("meetings_upcoming"):
        yield OpenCall(
            kind="meeting",
            kind_label=str(_("会議の予定")),
            title=meeting_name(m.council_name, m.label, m.title),
            url=m.url,
            state="upcoming",
            starts=m.held_on,
            ends=m.held_on,
            description=str(_("どなたでも傍聴できます。")) if m.is_open else m.closed_reason,
            place=m.place,
        )


register_call_provider("council", calls)


def search_items() -> Iterator[SearchItem]:
    council = _call("council_public", default=None)
    if council is not None:
        yield SearchItem(
            key="council",
            url=council.url,
            kind="council",
            kind_label=str(_("まちづくり審議会")),
            title=council.name,
            body=lines(council.description, council.legal_basis),
        )
    for m in _call("meetings_public"):
        yield SearchItem(
            key=f"council:meeting:{m.id}",
            url=m.url,
            kind="council",
            kind_label=str(_("審議会の会議")),
            title=meeting_name(m.council_name, m.label, m.title),
            body=lines(_date(m.held_on), m.place, *m.agenda),
            date=m.held_on,
        )
    for x in _call("minutes_public"):
        yield SearchItem(
            key=f"council:minutes:{x.meeting_id}",
            url=x.url,
            kind="minutes",
            kind_label=str(_("議事録")),
            title=_g("%(meeting)s 議事録")
            % {"meeting": meeting_name("", x.meeting_label, x.meeting_title)},
            body=x.body,
            date=x.held_on,
        )
    for d in _call("documents_public"):
        yield SearchItem(
            key=f"council:document:{d.id}",
            url=d.url,
            kind="council",
            kind_label=d.kind_label,
            title=d.title,
            body=lines(d.addressee, d.summary),
            date=d.dated_on,
        )
    for r in _call("recruitments_public"):
        yield SearchItem(
            key=f"council:recruitment:{r.id}",
            url=r.url,
            kind="council",
            kind_label=str(_("委員募集")),
            title=r.title,
            body=lines(r.description, r.eligibility_note, r.essay_theme, r.selection_method),
        )
    for rep in _call("assembly_reports_public"):
        yield SearchItem(
            key=f"assembly:report:{rep.id}",
            url=rep.url,
            kind="assembly",
            kind_label=str(_("議会への報告")),
            title=rep.title,
            body=lines(rep.committee, rep.summary),
            date=rep.reported_on,
        )
    for b in _call("bills_public"):
        yield SearchItem(
            key=f"assembly:bill:{b.id}",
            url=b.url,
            kind="assembly",
            kind_label=str(_("議案")),
            title=f"{b.number} {b.title}".strip(),
            body=lines(b.session, b.committee, b.result_label, b.vote_summary, b.summary),
            date=b.vote_on,
        )


register_search_source("council", search_items)


def member_rows() -> Iterator[dict[str, Any]]:
    base = municipality()
    for m in _call("members_public"):
        yield {
            **base,
            "name": m.name,
            "category": m.category_label,
            "affiliation": m.affiliation,
            "position": m.position_label,
            "term_start": m.term_start,
            "term_end": m.term_end,
            "is_current": m.is_current,
            "illustrative": m.provenance.is_illustrative,
        }


def meeting_rows() -> Iterator[dict[str, Any]]:
    base = municipality()
    for m in reversed(_call("meetings_public")):
        att = m.attendance
        yield {
            **base,
            "council": m.council_name,
            "number": m.number,
            "title": m.title,
            "held_on": m.held_on,
            "place": m.place,
            "is_open": m.is_open,
            "agenda_count": len(m.agenda),
            "present": len(att.present) if att else None,
            "observers": m.observers,
            "has_minutes": bool(m.minutes_url),
            "url": m.url,
        }


def bill_rows() -> Iterator[dict[str, Any]]:
    base = municipality()
    for b in reversed(_call("bills_public")):
        yield {
            **base,
            "number": b.number,
            "session": b.session,
            "title": b.title,
            "target": b.target_label,
            "submitted_on": b.submitted_on,
            "committee": b.committee,
            "committee_result": b.committee_result_label,
            "vote_on": b.vote_on,
            "result": b.result_label,
            "votes_for": b.votes_for,
            "votes_against": b.votes_against,
            "effective_on": b.effective_on,
        }


def update_dates() -> dict[str, dt.datetime | None]:
    """council.api.updated_at(): one query per table, so read once per request."""
    dates = shared("council.updated_at", lambda: _call("updated_at", default={}))
    return dates if isinstance(dates, dict) else {}


def _dataset(
    key: str,
    title: Any,
    description: Any,
    table: str,
    rows: Callable[[], Iterator[dict[str, Any]]],
    *,
    api_path: str,
    function: str,
    dates_key: str,
    order: int,
) -> None:
    """A council table: pending until council.api has ``function``; dated by updated_at()."""
    register_table(
        "council",
        key,
        title,
        description,
        table,
        rows=rows,
        api_path=api_path,
        pending=not _ready(function),
        pending_note=f"council.api.{function}()",
        updated=lambda: update_dates().get(dates_key),
        order=order,
    )


_dataset(
    "council-members",
    _("まちづくり審議会の委員"),
    _("委員の氏名、区分（学識経験者・団体推薦・公募）、所属、任期。"),
    """
    name          氏名
    category      区分
    affiliation   所属
    position      役職
    term_start    任期の始まり          date
    term_end      任期の終わり          date
    is_current    現任（1=現任）        boolean
    illustrative  説明用の例（1=該当）  boolean
    """,
    member_rows,
    api_path="/api/v1/council/members",
    function="members_public",
    dates_key="members",
    order=80,
)
_dataset(
    "council-meetings",
    _("まちづくり審議会の会議"),
    _("会議の回、日付、場所、公開・非公開、議題の数、出席者数、議事録の公開。"),
    """
    council       会議体
    number        回                        integer
    title         会議名
    held_on       開催日                    date
    place         場所
    is_open       公開（1=公開）            boolean
    agenda_count  議題の数（件）            integer
    present       出席した委員（人）        integer
    observers     傍聴者（人）              integer
    has_minutes   議事録の公開（1=公開）    boolean
    url           掲載ページ
    """,
    meeting_rows,
    api_path="/api/v1/council/meetings",
    function="meetings_public",
    dates_key="meetings",
    order=81,
)
_dataset(
    "assembly-bills",
    _("市議会の議案と議決"),
    _("計画の議案の番号、件名、提出日、委員会の審査、議決日、結果、賛否の数。"),
    """
    number            議案番号
    session           会議（定例会）
    title             件名
    target            対象
    submitted_on      提出日              date
    committee         付託委員会
    committee_result  委員会の審査結果
    vote_on           議決日              date
    result            議決結果
    votes_for         賛成（人）          integer
    votes_against     反対（人）          integer
    effective_on      施行日              date
    """,
    bill_rows,
    api_path="/api/v1/assembly/bills",
    function="bills_public",
    dates_key="bills",
    order=82,
)


def appendix() -> Iterator[AppendixChapter]:
    published = public_plan()
    if not _ready("plan_record"):
        return
    edition_id = published.edition.id if published else None
    record = _call("plan_record", edition_id=edition_id, default=None)
    if record is None:
        return
    blocks: list[dict[str, Any]] = []
    if record.council is not None:
        blocks.append({"type": "h3", "text": record.council.name})
        if record.council.description:
            blocks.append({"type": "p", "text": record.council.description})
    if record.members:
        blocks.append(
            {
                "type": "table",
                "caption": _g("委員名簿"),
                "header": [_g("氏名"), _g("区分"), _g("所属"), _g("役職"), _g("任期")],
                "rows": [
                    [
                        m.name,
                        m.category_label,
                        m.affiliation,
                        m.position_label,
                        f"{_date(m.term_start)}～{_date(m.term_end)}",
                    ]
                    for m in record.members
                ],
            }
        )
    if record.meetings:
        blocks.append(
            {
                "type": "table",
                "caption": _g("審議の経過"),
                "header": [_g("回"), _g("開催日"), _g("場所"), _g("主な議題")],
                "rows": [
                    [m.label, _date(m.held_on), m.place, "、".join(m.agenda)]
                    for m in record.meetings
                ],
            }
        )
    for d in record.documents:
        blocks.append({"type": "h3", "text": f"{d.kind_label} {d.title}"})
        blocks.append(
            {"type": "p", "text": lines(f"{_date(d.dated_on)} {d.addressee}".strip(), d.summary)}
        )
    if record.assembly_reports:
        blocks.append(
            {
                "type": "table",
                "caption": _g("市議会への報告"),
                "header": [_g("日付"), _g("委員会等"), _g("件名")],
                "rows": [
                    [_date(r.reported_on), r.committee, r.title] for r in record.assembly_reports
                ],
            }
        )
    if record.bills:
        blocks.append(
            {
                "type": "table",
                "caption": _g("議案と議決"),
                "header": [_g("議案番号"), _g("件名"), _g("議決日"), _g("結果"), _g("賛否")],
                "rows": [
                    [b.number, b.title, _date(b.vote_on), b.result_label, b.vote_summary]
                    for b in record.bills
                ],
            }
        )
    if blocks:
        yield AppendixChapter(
            key="council", title=_g("まちづくり審議会と市議会の記録"), blocks=blocks, order=20
        )


register_appendix("council", appendix)
