"""Council meetings: members' terms, attendance and quorum, minutes, PDF files.

Pure functions, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from keikaku.core.domain.i18n import _

PDF_MAGIC = b"%PDF-"


def term_covers(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    """Whether a member's term (start … end, both included; no end = still serving) covers day."""
    return start <= day and (end is None or day <= end)


def term_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    if start is not None and end is not None and end < start:
        return _("任期の終わりは任期の始まりより後の日にしてください。")
    return None


@dataclass(frozen=True)
class AttendanceSummary:
    present: int
    absent: int
    seats: int | None  # 委員の定数 (None: not set)
    quorum: int | None  # members needed for the meeting to be valid
    quorate: bool | None  # None when the quorum cannot be told


def quorum_of(seats: int) -> int:
    """A majority of the members (過半数): 20 → 11, 15 → 8."""
    if seats < 1:
        raise ValueError(_("委員の定数は1以上にしてください。"))
    return seats // 2 + 1


def attendance_summary(present: Iterable[bool], seats: int | None) -> AttendanceSummary:
    """Count attendance (one bool per member in term) and check the quorum (過半数の出席)."""
    flags = list(present)
    n_present = sum(1 for p in flags if p)
    n_absent = len(flags) - n_present
    if not seats:
        return AttendanceSummary(n_present, n_absent, None, None, None)
    quorum = quorum_of(seats)
    return AttendanceSummary(n_present, n_absent, seats, quorum, n_present >= quorum)


def meeting_label(number: int) -> str:
    """3 → 「第3回」."""
    if number < 1:
        raise ValueError(_("会議の回数は1以上にしてください。"))
    return _("第%(n)s回") % {"n": number}


def agenda_items(text: str) -> tuple[str, ...]:
    """The agenda written one item per line; blank lines and list marks are dropped."""
    items: list[str] = []
    for line in text.splitlines():
        item = line.strip().lstrip("・-*").strip()
        if item:
            items.append(item)
    return tuple(items)


class MinutesStatus(StrEnum):
    DRAFT = "draft"  # 作成中
    APPROVED = "approved"  # 確認済（会長・委員の確認を経た）


def minutes_publish_problem(
    *, status: MinutesStatus | str, meeting_published: bool, has_content: bool
) -> str | None:
    """Why the minutes of a meeting cannot be published yet, or None.

    Minutes are published only after approval (委員の確認・承認), and only for a meeting that
    is itself on the public site.
    """
    if not has_content:
        return _("議事録の本文かPDFを登録してから公開してください。")
    if MinutesStatus(status) != MinutesStatus.APPROVED:
        return _(
            "議事録はまだ確認（承認）されていません。会長・委員の確認を経て「確認済にする」を押してから公開してください。"
        )
    if not meeting_published:
        return _("会議そのものが公開されていません。先に会議を公開してください。")
    return None


def pdf_problem(data: bytes, *, name: str, max_bytes: int) -> str | None:
    """Why an uploaded file is not accepted as a PDF, or None.

    The file must begin with the PDF signature 「%PDF-」 (whatever its name says) and be no
    larger than ``max_bytes``.
    """
    if not data:
        return _("「%(name)s」は空のファイルです。PDF を選び直してください。") % {"name": name}
    if not data.startswith(PDF_MAGIC):
        return _(
            "「%(name)s」は PDF ファイルではありません（ファイルの先頭が %%PDF- ではありません）。PDF で保存したファイルを選んでください。"
        ) % {"name": name}
    if len(data) > max_bytes:
        return _(
            "「%(name)s」は %(size)s あり、上限の %(max)s を超えています。ファイルを分けるか圧縮してください。"
        ) % {"name": name, "size": format_size(len(data)), "max": format_size(max_bytes)}
    return None


def format_size(n: int) -> str:
    """1536 → 「2KB」, 3_145_728 → 「3.0MB」."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}MB"
    return f"{max(1, round(n / 1024))}KB"
