"""Gantt chart of the formulation schedule (策定スケジュール) on a Japanese fiscal calendar:
fiscal-year, quarter (4–6月 …) and month headings, a 「今日」 line, late items hatched and
marked 「遅延」."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from keikaku.core.domain.charts import _svg as s
from keikaku.core.domain.fiscal import format_fiscal_year, is_english
from keikaku.core.domain.i18n import _

# Layout (user units at the 640-wide viewBox); see docs/dev/charts.md.
LABEL_MIN = 96  # row label area: estimated widest label + 16, clamped to 96 … 200
LABEL_MAX = 200
RIGHT = 64  # room for status text after bars ending near the right edge
FY_BASELINE = 16  # heading rows
QUARTER_BASELINE = 34
MONTH_BASELINE = 52
TODAY_CENTRE = 68  # the 「今日」 chip
TOP = 80  # first row
ROW = 28
BAR = 14
GROUP_ROW = 24
BOTTOM = 8
STATUS_MAX = 120  # longer status texts are cut with 「…」
QUARTER_LABELS = {4: "4–6月", 7: "7–9月", 10: "10–12月", 1: "1–3月"}
QUARTER_LABELS_EN = {4: "Apr–Jun", 7: "Jul–Sep", 10: "Oct–Dec", 1: "Jan–Mar"}


@dataclass(frozen=True)
class GanttRow:
    label: str
    start: date
    end: date  # inclusive
    status: str = ""
    late: bool = False
    group: str = ""


def _month_starts(start: date, end: date) -> list[date]:
    """First day of every month that overlaps [start, end]."""
    out: list[date] = []
    current = date(start.year, start.month, 1)
    while current <= end:
        out.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return out


def _fiscal_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _fitting(candidates: Sequence[str], width: float) -> str:
    for candidate in candidates:
        if s.text_width(candidate, s.SMALL) + 4 <= width:
            return candidate
    return ""


def gantt_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[GanttRow],
    today: date | None,
    start: date,
    end: date,
    lang: str | None = None,
) -> str:
    """Bars from each row's start to end (inclusive) on the [start, end] window, grouped by
    ``group`` (first appearance order; no group headings when every group is empty). Fiscal
    year, quarter and month headings are shown where they fit. ``today`` inside the window
    draws a red line labelled 「今日」. Late rows are red and hatched and carry a 「遅延」 chip
    before their status text. ``lang`` "en…" gives English headings (FY2024, Apr–Jun)."""
    english = is_english(lang)
    if end < start:
        raise ValueError(
            _("表示期間の終了日 %(end)s が開始日 %(start)s より前です。期間を確認してください。")
            % {"start": start.isoformat(), "end": end.isoformat()}
        )
    for row in rows:
        if row.end < row.start:
            raise ValueError(
                _(
                    "行「%(label)s」の終了日 %(end)s が開始日 %(start)s より前です。日付を確認してください。"
                )
                % {"label": row.label, "start": row.start.isoformat(), "end": row.end.isoformat()}
            )
    if not rows:
        return s.empty_chart(chart_id=chart_id, title=title, desc=desc, kind="gantt")

    left = min(max(max(s.text_width(r.label, s.SMALL) for r in rows) + 16, LABEL_MIN), LABEL_MAX)
    right = s.WIDTH - RIGHT
    days = (end - start).days + 1
    per_day = (right - left) / days

    def x(day: date) -> float:
        return left + (day - start).days * per_day

    groups: dict[str, list[GanttRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    show_groups = any(groups)
    height = TOP + len(rows) * ROW + (len(groups) * GROUP_ROW if show_groups else 0) + BOTTOM
    bottom = height - BOTTOM
    body: list[str] = []
    defs = [s.pattern_def(f"{chart_id}-late", "diagonal", s.RED)]

    # calendar headings and grid
    months = _month_starts(start, end)
    for month in months:
        first = max(month, start)
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        last = min(following - timedelta(days=1), end)
        x0, x1 = x(first), x(last + timedelta(days=1))
        if month > start:
            if month.month == 4:
                body.append(
                    s.line(x0, 0, x0, bottom, stroke=s.GRAY_DARK, cls="kk-grid kk-grid-year")
                )
            elif month.month in QUARTER_LABELS:
                body.append(
                    s.line(x0, 22, x0, bottom, stroke=s.GRAY, cls="kk-grid kk-grid-quarter")
                )
            else:
                body.append(
                    s.line(x0, 40, x0, bottom, stroke=s.GRAY_LIGHT, cls="kk-grid kk-grid-month")
                )
        label = _fitting([_("%(m)d月") % {"m": month.month}, str(month.month)], x1 - x0)
        if label:
            body.append(
                s.text((x0 + x1) / 2, MONTH_BASELINE, label, anchor="middle", cls="kk-month")
            )
    quarter_starts = months[:1] + [m for m in months[1:] if m.month in QUARTER_LABELS]
    for k, q in enumerate(quarter_starts):
        first = max(q, start)
        last = quarter_starts[k + 1] - timedelta(days=1) if k + 1 < len(quarter_starts) else end
        x0, x1 = x(first), x(last + timedelta(days=1))
        q_month = q.month - (q.month - 1) % 3  # 1, 4, 7 or 10
        label = _fitting([(QUARTER_LABELS_EN if english else QUARTER_LABELS)[q_month]], x1 - x0)
        if label:
            body.append(
                s.text((x0 + x1) / 2, QUARTER_BASELINE, label, anchor="middle", cls="kk-quarter")
            )
    for fy in range(_fiscal_year(start), _fiscal_year(end) + 1):
        first = max(date(fy, 4, 1), start)
        last = min(date(fy + 1, 3, 31), end)
        x0, x1 = x(first), x(last + timedelta(days=1))
        names = (
            [f"FY{fy}", str(fy)]
            if english
            else [format_fiscal_year(fy, "dual"), format_fiscal_year(fy, "gregorian"), str(fy)]
        )
        label = _fitting(names, x1 - x0)
        if label:
            body.append(
                s.text(
                    (x0 + x1) / 2,
                    FY_BASELINE,
                    label,
                    anchor="middle",
                    weight="bold",
                    cls="kk-fiscal-year",
                )
            )
    body.append(s.line(left, TOP - 4, right, TOP - 4, stroke=s.GRAY, cls="kk-axis"))

    # rows
    y = float(TOP)
    for group, members in groups.items():
        if show_groups:
            body.append(
                s.text(
                    8,
                    s.baseline(y + GROUP_ROW / 2, s.SMALL),
                    s.truncate(group or _("（区分なし）"), s.SMALL, s.WIDTH - 16),
                    weight="bold",
                    cls="kk-group",
                )
            )
            y += GROUP_ROW
        for row in members:
            centre = y + ROW / 2
            base = s.baseline(centre, s.SMALL)
            body.append(
                s.text(
                    left - 8,
                    base,
                    s.truncate(row.label, s.SMALL, left - 16),
                    anchor="end",
                    cls="kk-row-label",
                )
            )
            first, last = max(row.start, start), min(row.end, end)
            if first > last:
                body.append(
                    s.text(left + 4, base, _("（表示期間外）"), fill=s.GRAY_DARK, cls="kk-status")
                )
                y += ROW
                continue
            x0, x1 = x(first), x(last + timedelta(days=1))
            fill = f"url(#{chart_id}-late)" if row.late else s.BLUE
            body.append(
                s.rect(
                    x0,
                    centre - BAR / 2,
                    x1 - x0,
                    BAR,
                    fill=fill,
                    stroke=s.RED if row.late else None,
                    cls="kk-bar kk-late" if row.late else "kk-bar",
                )
            )
            body.extend(_annotations(row, x0, x1, centre, left))
            y += ROW

    if today is not None and start <= today <= end:
        tx = x(today)
        body.append(s.line(tx, TODAY_CENTRE + 7, tx, bottom, stroke=s.RED, width=2, cls="kk-today"))
        width = s.text_width(_("今日"), s.SMALL) + 8
        body.append(
            s.rect(
                tx - width / 2,
                TODAY_CENTRE - 7,
                width,
                14,
                fill=s.WHITE,
                stroke=s.RED,
                stroke_width=1.5,
                cls="kk-today",
            )
        )
        body.append(
            s.text(
                tx,
                s.baseline(TODAY_CENTRE, s.SMALL),
                _("今日"),
                anchor="middle",
                weight="bold",
                cls="kk-today-label",
            )
        )
    return s.document(
        chart_id=chart_id, title=title, desc=desc, height=height, body=body, defs=defs, kind="gantt"
    )


def _annotations(row: GanttRow, x0: float, x1: float, centre: float, left: float) -> list[str]:
    """「遅延」 chip and status text after the bar, or before it when there is no room."""
    late = _("遅延")
    late_width = s.text_width(late, s.SMALL) + 8 if row.late else 0.0
    status = s.truncate(row.status, s.SMALL, STATUS_MAX)
    status_width = s.text_width(status, s.SMALL) if status else 0.0
    gap = 4 if row.late and status else 0
    total = late_width + gap + status_width
    if total == 0:
        return []
    start = x1 + 6
    if start + total > s.WIDTH - 4:
        start = x0 - 6 - total if x0 - 6 - total >= left else s.WIDTH - 4 - total
    out: list[str] = []
    base = s.baseline(centre, s.SMALL)
    if row.late:
        out.append(
            s.rect(
                start,
                centre - 8,
                late_width,
                16,
                fill=s.WHITE,
                stroke=s.RED,
                stroke_width=1.5,
                cls="kk-late-chip",
            )
        )
        out.append(
            s.text(
                start + late_width / 2,
                base,
                late,
                anchor="middle",
                weight="bold",
                cls="kk-late-label",
            )
        )
    if status:
        sx = start + late_width + gap
        out.append(s.rect(sx - 1, centre - 8, status_width + 2, 16, fill=s.WHITE, cls="kk-chip"))
        out.append(s.text(sx, base, status, cls="kk-status"))
    return out
