"""Opinions as CSV / Excel for analysis (docs/formats/opinions-export.md) and the result of
a round as Excel / PDF. No personal data: no name, address or contact column, and the
opinion text is masked (phone, e-mail, postal code, address). Formula-injection guarded.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.core.domain.textio import FORMULA_PREFIXES, guard_formula, write_csv_bytes
from keikaku.participation.domain.masking import mask_personal_data
from keikaku.participation.models import Opinion, PublicCommentRound, Source, TargetKind

EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "受付番号"),
    ("text", "意見（個人情報は伏せ字）"),
    ("received_at", "受付日時"),
    ("source", "区分"),
    ("round_id", "意見募集の番号"),
    ("round_title", "意見募集の案件名"),
    ("hearing", "意見交換・ヒアリング"),
    ("channel", "受付方法"),
    ("target_kind", "意見の対象の種類"),
    ("target_key", "対象のキー"),
    ("target", "該当箇所"),
    ("measures", "関連する施策"),
    ("topic", "テーマ"),
    ("eligibility", "提出者の区分"),
    ("age_band", "年代"),
    ("district", "地区"),
    ("status", "対応状況"),
    ("department", "担当部署"),
    ("group_number", "まとまりの番号"),
    ("reflection", "反映区分"),
    ("hidden", "非表示"),
)

_SOURCE_RE = re.compile(r"(proposals|hearings|surveys|all|public-comment:(\d+))")


class ExportError(ValueError):
    pass


def parse_source(spec: str) -> tuple[str, int | None]:
    """「proposals」「hearings」「surveys」「all」「public-comment:3」 → (source, round id)."""
    m = _SOURCE_RE.fullmatch(spec.strip())
    if m is None:
        raise ExportError(
            _(
                "--source「%(spec)s」は使えません。proposals、hearings、surveys、all、public-comment:<意見募集の番号> のどれかを指定してください。"
            )
            % {"spec": spec}
        )
    if m.group(2):
        round_id = int(m.group(2))
        if not PublicCommentRound.objects.filter(pk=round_id).exists():
            raise ExportError(
                _(
                    "番号%(id)sの意見募集はありません。職員用画面の「パブリックコメント」で番号を確かめてください。"
                )
                % {"id": round_id}
            )
        return Source.PUBLIC_COMMENT, round_id
    return {
        "proposals": Source.PROPOSAL,
        "hearings": Source.HEARING,
        "surveys": Source.SURVEY,
        "all": "",
    }[m.group(1)], None


def _target(o: Opinion) -> tuple[str, str]:
    if o.paragraph is not None:
        return o.paragraph.key, o.paragraph.location
    if o.section is not None:
        return o.section.key, o.section.heading
    if o.target_measure is not None:
        return o.target_measure.code, f"{o.target_measure.code} {o.target_measure.title}"
    return "", o.topic or _("計画全体")


def export_rows(
    *, source: str, round_id: int | None, include_hidden: bool = False
) -> list[list[Any]]:
    """Header (column keys) and one row per opinion, oldest first."""
    qs = (
        Opinion.objects.select_related(
            "round",
            "hearing",
            "paragraph__section",
            "section",
            "target_measure",
            "department",
            "group",
        )
        .prefetch_related("measures")
        .order_by("received_at", "id")
    )
    if source:
        qs = qs.filter(source=source)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if not include_hidden:
        qs = qs.filter(is_hidden=False)
    categories: dict[int, dict[str, str]] = {}
    rows: list[list[Any]] = [[key for key, _label in EXPORT_COLUMNS]]
    for o in qs:
        key, where = _target(o)
        codes = {m.code for m in o.measures.all()}
        if o.target_measure is not None:
            codes.add(o.target_measure.code)
        reflection = ""
        if o.group is not None and o.group.reflection and o.round is not None:
            labels = categories.setdefault(
                o.round.pk, {c["code"]: c["label"] for c in (o.round.reflection_categories or [])}
            )
            reflection = f"{o.group.reflection} {labels.get(o.group.reflection, '')}".strip()
        rows.append(
            [
                o.receipt_number,
                mask_personal_data(o.text),
                timezone.localtime(o.received_at).isoformat(timespec="seconds"),
                o.get_source_display(),
                o.round_id or "",
                o.round.title if o.round else "",
                str(o.hearing) if o.hearing else "",
                o.get_channel_display(),
                str(TargetKind(o.target_kind).label),
                key,
                where,
                "|".join(sorted(codes)),
                o.topic,
                o.get_eligibility_display() if o.eligibility else "",
                o.get_age_band_display() if o.age_band else "",
                o.district,
                o.get_status_display(),
                o.department.name if o.department else "",
                o.group.number if o.group else "",
                reflection,
                1 if o.is_hidden else 0,
            ]
        )
    return rows


def rows_to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    return write_csv_bytes(rows)


def _xlsx_workbook(buf: io.BytesIO) -> Any:
    import xlsxwriter

    return xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def _write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any, guarded: Any) -> None:
    if value is not None and not isinstance(value, str | int | float):
        value = str(value)
    if isinstance(value, str):
        # Text that a spreadsheet would run as a formula is stored with Excel's quote prefix.
        if value.lstrip("'").startswith(FORMULA_PREFIXES):
            ws.write_string(row, col, value, guarded)
        else:
            ws.write_string(row, col, value, fmt)
    elif value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def rows_to_xlsx(rows: Sequence[Sequence[Any]], *, sheet: str = "意見") -> bytes:
    buf = io.BytesIO()
    wb = _xlsx_workbook(buf)
    ws = wb.add_worksheet(sheet)
    head = wb.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1})
    body = wb.add_format({"text_wrap": True, "valign": "top"})
    guarded = wb.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            _write_cell(ws, r, c, value, head if r == 0 else body, guarded)
    ws.freeze_panes(1, 1)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 60)
    ws.set_column(2, len(rows[0]) - 1 if rows else 2, 16)
    wb.close()
    return buf.getvalue()


def csv_guarded(value: Any) -> Any:
    return guard_formula(value)


# --- the result of a round --------------------------------------------------------------------


def result_table_rows(data: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [_("番号"), _("該当箇所"), _("意見の概要"), _("市の考え方"), _("反映区分"), _("意見数")]
    ]
    for r in data["rows"]:
        rows.append(
            [
                r["number"],
                r["location"],
                r["summary"],
                r["city_view"],
                f"{r['reflection_code']} {r['reflection_label']}".strip(),
                r["opinion_count"],
            ]
        )
    return rows


def result_xlsx(data: dict[str, Any], *, municipality: str = "") -> bytes:
    """The published result as a workbook: 結果 (facts and the table) and 修正箇所."""
    buf = io.BytesIO()
    wb = _xlsx_workbook(buf)
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1, "text_wrap": True})
    body = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    guarded = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "quote_prefix": True})
    ws = wb.add_worksheet(_("結果"))
    rnd = data["round"]
    ws.write_string(0, 0, _("意見募集の結果"), title)
    facts = [
        (_("案件名"), rnd["title"]),
        (_("団体名"), municipality),
        (
            _("募集期間"),
            f"{rnd['starts_at'][:10]} ～ {rnd['ends_at'][:10]}（{rnd['period_days']}日間）",
        ),
        (_("提出者数（人・団体）"), data["submitter_count"]),
        (_("意見数（件）"), data["opinion_count"]),
        (_("反映した意見（件）"), data["reflected_count"]),
        (_("公表日"), data.get("published_at", "")[:10]),
    ]
    if data.get("withheld_count"):
        facts.append((_("公表しない意見（件）"), data["withheld_count"]))
    for i, (label, value) in enumerate(facts, start=2):
        ws.write_string(i, 0, label, bold)
        if isinstance(value, int):
            ws.write_number(i, 1, value)
        else:
            ws.write_string(i, 1, str(value))
    start = len(facts) + 3
    for r, row in enumerate(result_table_rows(data)):
        for c, value in enumerate(row):
            _write_cell(ws, start + r, c, value, head if r == 0 else body, guarded)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 3, 50)
    ws.set_column(4, 4, 18)
    ws.set_column(5, 5, 8)
    ws2 = wb.add_worksheet(_("修正箇所"))
    changes = [[_("番号"), _("該当箇所"), _("修正前"), _("修正後")]] + [
        [c["group_number"], c["location"], c["before"], c["after"]] for c in data["changes"]
    ]
    for r, row in enumerate(changes):
        for c, value in enumerate(row):
            _write_cell(ws2, r, c, value, head if r == 0 else body, guarded)
    ws2.set_column(0, 0, 8)
    ws2.set_column(1, 1, 28)
    ws2.set_column(2, 3, 60)
    wb.close()
    return buf.getvalue()


def result_pdf(data: dict[str, Any], *, context: dict[str, Any]) -> bytes:
    """The published result as a PDF (WeasyPrint, Noto Sans CJK JP; text extractable)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string("participation/result_pdf.html", {**context, "data": data})
    css_path = finders.find("participation/result-print.css")
    stylesheets = [CSS(filename=str(css_path))] if css_path else []
    return bytes(HTML(string=html).write_pdf(stylesheets=stylesheets))
