"""Files of the resilience app: the action plan as Excel and PDF, the sites as GeoJSON, the
local strategy as Word and PDF.

These are small renderers of their own: the shared ones in ``keikaku.reporting`` sit in a
higher layer (import-linter forbids feature apps from importing it). They follow the same
rules: XlsxWriter with formula conversion off, one value per cell, no merged cells, units in
the headers; WeasyPrint with Noto Sans CJK JP, A4 landscape, header rows repeated on every
page; no network access while rendering.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from keikaku.core.domain.fiscal import format_fiscal_period, format_fiscal_year
from keikaku.core.fonts import FONT_FAMILY, cjk_font_available
from keikaku.resilience.domain.actionplan import (
    SITE_HEADERS,
    ActionPlanTable,
    BudgetChange,
    EntryData,
    headers,
    site_features,
    site_rows,
    table_rows,
    wording_label,
)
from keikaku.resilience.domain.geo import feature_collection

PRINT_DIR = Path(__file__).resolve().parent / "print"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
GEOJSON_TYPE = "application/geo+json"
FONT = FONT_FAMILY
WORKBOOK_OPTIONS: dict[str, Any] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",
}
CODE_HEADER = "全国地方公共団体コード"


class ExportError(RuntimeError):
    """The file could not be produced; the message says what to install or fix."""


# --- Excel -------------------------------------------------------------------------------------


class _Book:
    def __init__(self, title: str) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, WORKBOOK_OPTIONS)
        self.book.set_properties({"title": title, "author": "Keikaku"})
        base = {"font_name": FONT, "valign": "top"}
        self.f = {
            "title": self.book.add_format({"font_name": FONT, "bold": True, "font_size": 14}),
            "note": self.book.add_format({"font_name": FONT, "font_color": "#595959"}),
            "header": self.book.add_format(
                {**base, "bold": True, "bg_color": "#E8E8EB", "border": 1, "text_wrap": True}
            ),
            "text": self.book.add_format({**base, "border": 1, "text_wrap": True}),
            "int": self.book.add_format({**base, "border": 1, "num_format": "#,##0"}),
            "float": self.book.add_format({**base, "border": 1, "num_format": "0.000000"}),
        }

    def sheet(self, name: str, title: str, note: str) -> tuple[Any, int]:
        ws = self.book.add_worksheet(name)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.write_string(0, 0, title, self.f["title"])
        ws.write_string(1, 0, note, self.f["note"])
        return ws, 3

    def table(
        self,
        ws: Any,
        row: int,
        head: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        float_cols: Sequence[int] = (),
    ) -> None:
        for j, h in enumerate(head):
            ws.write_string(row, j, h, self.f["header"])
        for i, values in enumerate(rows, start=1):
            for j, value in enumerate(values):
                if value is None or value == "":
                    ws.write_blank(row + i, j, None, self.f["text"])
                elif isinstance(value, bool):
                    ws.write_string(row + i, j, _("はい") if value else _("いいえ"), self.f["text"])
                elif isinstance(value, int | float):
                    fmt = self.f["float"] if j in float_cols else self.f["int"]
                    ws.write_number(row + i, j, value, fmt)
                else:
                    ws.write_string(row + i, j, str(value), self.f["text"])
        for j, width in enumerate(widths):
            ws.set_column(j, j, width)
        ws.freeze_panes(row + 1, 0)
        ws.repeat_rows(row)
        if rows:
            ws.autofilter(row, 0, row + len(rows), len(head) - 1)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def action_plan_xlsx(
    table: ActionPlanTable,
    entries: Sequence[EntryData],
    *,
    municipality_code: str = "",
    budget: Sequence[BudgetChange] | None = None,
    previous_fiscal_year: int | None = None,
) -> bytes:
    """Sheets: アクションプラン (grouped by scenario), 事業実施箇所 (one site per row),
    年度別事業費 (one programme-year per row), 予算の変更 (with a previous edition)."""
    book = _Book(table.title)
    fy = format_fiscal_year(table.fiscal_year)
    ws, row = book.sheet(
        _("アクションプラン"),
        table.title,
        _(
            "%(fy)s版。金額の単位は千円。リスクシナリオごとに並べています。「文言未確認」の事態の文言は公表された国の計画と照合していません。"
        )
        % {"fy": fy},
    )
    head = [CODE_HEADER, *headers(table.years)]
    rows = [[municipality_code, *r] for r in table_rows(table)]
    widths = [12, 5, 9, 40, 10, 18, 22, 10, 24, 36, 36, 8, 14, 22, 12, *[12] * len(table.years)]
    widths += [20, 16, 28, 10, 20]
    book.table(ws, row, head, rows, widths)

    ws, row = book.sheet(
        _("事業実施箇所"),
        _("事業実施箇所の一覧"),
        _("座標は世界測地系（WGS84）の経度・緯度（度）。線・区域は GeoJSON（[経度, 緯度] の順）。"),
    )
    book.table(
        ws,
        row,
        [CODE_HEADER, *[_(h) for h in SITE_HEADERS]],
        [[municipality_code, *r] for r in site_rows(entries)],
        [12, 6, 10, 30, 28, 14, 30, 10, 12, 12, 40],
        float_cols=(8, 9),
    )

    ws, row = book.sheet(
        _("年度別事業費"), _("年度別事業費"), _("実施計画の計画額（単位: 千円）。")
    )
    cost_rows = []
    for entry in sorted(entries, key=lambda e: e.programme_code):
        for year, amount in entry.costs:
            cost_rows.append(
                [municipality_code, entry.programme_code, entry.programme_name, year, amount]
            )
    book.table(
        ws,
        row,
        [CODE_HEADER, _("事業番号"), _("事業名"), _("年度（西暦）"), _("事業費（千円）")],
        cost_rows,
        [12, 10, 30, 12, 14],
    )

    if budget is not None:
        title = _("予算の変更（前年度の版との比較）")
        ws, row = book.sheet(
            _("予算の変更"),
            title,
            _("前年度の版（%(prev)s）からの変更。単位は千円。増減 = 今年度の版 − 前年度の版。")
            % {"prev": format_fiscal_year(previous_fiscal_year) if previous_fiscal_year else ""},
        )
        change_rows = []
        for change in budget:
            for y in change.years:
                change_rows.append(
                    [
                        municipality_code,
                        change.programme_code,
                        change.programme_name,
                        change.status_label,
                        y.fiscal_year,
                        y.before,
                        y.after,
                        y.diff,
                    ]
                )
            if not change.years:
                change_rows.append(
                    [
                        municipality_code,
                        change.programme_code,
                        change.programme_name,
                        change.status_label,
                        None,
                        None,
                        None,
                        None,
                    ]
                )
        book.table(
            ws,
            row,
            [
                CODE_HEADER,
                _("事業番号"),
                _("事業名"),
                _("区分"),
                _("年度（西暦）"),
                _("前年度の版（千円）"),
                _("今年度の版（千円）"),
                _("増減（千円）"),
            ],
            change_rows,
            [12, 10, 30, 10, 12, 16, 16, 14],
        )
    return book.close()


# --- GeoJSON ----------------------------------------------------------------------------------


def geojson_bytes(collection: dict[str, Any]) -> bytes:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sites_geojson(entries: Sequence[EntryData], *, municipality_code: str, name: str) -> bytes:
    """The located sites of the entries as an RFC 7946 FeatureCollection (UTF-8)."""
    features = site_features(entries, municipality_code=municipality_code)
    return geojson_bytes(feature_collection(features, name=name))


# --- PDF -----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def html_to_pdf(html: str, *, css_file: str) -> bytes:
    if not cjk_font_available():
        raise ExportError(
            _(
                "PDF に使う日本語フォント（%(font)s）が見つかりません。"
                "サーバーに fonts-noto-cjk をインストールしてください。"
            )
            % {"font": FONT}
        )
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    sheet = CSS(filename=str(PRINT_DIR / css_file), font_config=fonts)
    document = HTML(
        string=html,
        base_url=PRINT_DIR.as_uri() + "/",
        url_fetcher=URLFetcher(allowed_protocols=("file", "data")),
    )
    pdf = document.write_pdf(stylesheets=[sheet], font_config=fonts)
    assert pdf is not None
    return bytes(pdf)


def action_plan_pdf(
    table: ActionPlanTable, *, municipality_name: str = "", generated_on: dt.date | None = None
) -> bytes:
    """A4 landscape; a heading row per scenario; the header row repeated on every page.

    Written with the fast table writer (:mod:`keikaku.resilience.pdftable`): an action plan of
    thousands of programmes runs to hundreds of pages.
    """
    from keikaku.resilience import pdftable

    years = table.years
    fixed = [
        pdftable.Column(_("通し番号"), 20),
        pdftable.Column(_("施策分野"), 44),
        pdftable.Column(_("施策（総合計画）"), 58),
        pdftable.Column(_("事業名"), 64),
        None,
        None,
        pdftable.Column(_("実施主体"), 28),
        pdftable.Column(_("担当課"), 42),
        pdftable.Column(_("事業期間"), 46),
        pdftable.Column(_("総事業費（千円）"), 42, "right"),
        *[
            pdftable.Column(_("%(fy)s（千円）") % {"fy": format_fiscal_year(y, "era")}, 38, "right")
            for y in years
        ],
        pdftable.Column(_("交付金・補助金／地方債"), 58),
        pdftable.Column(_("KPI"), 50),
        pdftable.Column(_("備考"), 34),
    ]
    usable = pdftable.PAGE_W - 2 * pdftable.MARGIN_X
    rest = max(usable - sum(c.width for c in fixed if c is not None), 140)
    columns = [
        c
        if c is not None
        else pdftable.Column(_("事業概要") if i == 4 else _("事業実施箇所"), rest / 2)
        for i, c in enumerate(fixed)
    ]

    def cells(n: int, e: EntryData) -> list[str]:
        money = [f"{v:,}" if v is not None else "" for v in (e.cost_in(y) for y in years)]
        funding = "／".join(p for p in (e.grant, e.bond) if p)
        return [
            str(n),
            "、".join(e.field_names),
            f"{e.measure_code} {e.measure_title}".strip(),
            f"{e.programme_code} {e.programme_name}",
            e.summary,
            "\n".join(s.label() for s in e.sites),
            e.implementer_label,
            e.department,
            e.period_label(),
            f"{e.total_cost:,}" if e.total_cost is not None else "",
            *money,
            funding,
            e.kpi,
            e.notes,
        ]

    rows: list[pdftable.Row] = []
    n = 0
    for group in table.groups:
        label = f"{group.scenario.code}　{group.scenario.text}"
        if not group.scenario.verified:
            label += "　［" + wording_label(False) + "］"
        rows.append(pdftable.Row([label], kind="group"))
        for entry in group.entries:
            n += 1
            rows.append(pdftable.Row(cells(n, entry)))
    if table.unlinked:
        rows.append(pdftable.Row([_("リスクシナリオが未設定の事業")], kind="group"))
        for entry in table.unlinked:
            n += 1
            rows.append(pdftable.Row(cells(n, entry)))
    day = generated_on or dt.date.today()
    intro = [
        "　".join(
            p
            for p in (
                municipality_name,
                format_fiscal_year(table.fiscal_year) + _("版"),
                _("金額の単位: 千円"),
                _("作成日 %(d)s") % {"d": day.isoformat()},
            )
            if p
        ),
        _(
            "「文言未確認」と示した事態の文言は、公表された国の国土強靱化基本計画と照合していません。"
            "正式な文言は国の計画を確かめてください。"
        ),
    ]
    if not rows:
        rows.append(pdftable.Row([_("事業がありません。")], kind="group"))
    try:
        return pdftable.TableDocument(
            title=table.title, columns=columns, rows=rows, intro=intro
        ).render()
    except pdftable.FontMissing:
        raise ExportError(
            _(
                "PDF に使う日本語フォント（%(font)s）が見つかりません。"
                "サーバーに fonts-noto-cjk をインストールしてください。"
            )
            % {"font": FONT}
        ) from None


# --- local strategy (地方版総合戦略) -----------------------------------------------------------


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"{text}{unit}"


def _fy(fy: int | None) -> str:
    return format_fiscal_year(fy) if fy else ""


def local_strategy_docx(data: dict[str, Any], *, title: str) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # type: ignore[attr-defined]
    doc.add_heading(title, level=0)
    doc.add_paragraph(
        _("計画期間: %(period)s")
        % {"period": format_fiscal_period(data["start_fy"], data["end_fy"])}
    )
    for s in data["strategies"]:
        doc.add_heading(_("重点戦略%(n)s　%(title)s") % {"n": s["number"], "title": s["title"]}, 1)
        if s["description"]:
            doc.add_paragraph(s["description"])
        doc.add_heading(_("基本目標"), 2)
        doc.add_paragraph(s["basic_goal"] or _("（未記入）"))
        if s["tags"]:
            doc.add_paragraph(
                _("国の総合戦略との対応: %(tags)s")
                % {"tags": "、".join(_tag_text(t) for t in s["tags"])}
            )
        doc.add_heading(_("数値目標"), 2)
        _docx_table(
            doc,
            [_("指標"), _("基準値"), _("目標値"), _("国の総合戦略との対応")],
            [
                [
                    g["name"],
                    f"{_value(g['baseline_value'], g['unit'])} {_fy(g['baseline_fy'])}".strip(),
                    f"{_value(g['target_value'], g['unit'])} {_fy(g['target_fy'])}".strip(),
                    "、".join(_tag_text(t) for t in g["tags"]),
                ]
                for g in s["numeric_goals"]
            ],
        )
        doc.add_heading(_("具体的な施策と重要業績評価指標（KPI）"), 2)
        rows = []
        for m in s["measures"]:
            kpis = m["kpis"] or [None]
            for k in kpis:
                rows.append(
                    [
                        f"{m['code']} {m['title']}",
                        k["name"] if k else _("（KPI なし）"),
                        f"{_value(k['baseline_value'], k['unit'])} {_fy(k['baseline_fy'])}".strip()
                        if k
                        else "",
                        f"{_value(k['target_value'], k['unit'])} {_fy(k['target_fy'])}".strip()
                        if k
                        else "",
                    ]
                )
        _docx_table(doc, [_("施策"), _("KPI"), _("基準値"), _("目標値")], rows)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _tag_text(tag: dict[str, Any]) -> str:
    text = f"{tag['framework']} {tag['pillar_code']}「{tag['pillar']}」"
    if not tag["verified"]:
        text += _("（文言未確認）")
    return text


def _docx_table(doc: Any, head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if not rows:
        doc.add_paragraph(_("（ありません）"))


def local_strategy_pdf(data: dict[str, Any], *, title: str) -> bytes:
    html = render_to_string(
        "resilience/print/local_strategy.html",
        {
            "data": data,
            "title": title,
            "period": format_fiscal_period(data["start_fy"], data["end_fy"]),
            "strategies": [
                {
                    **s,
                    "tag_texts": [_tag_text(t) for t in s["tags"]],
                    "goal_rows": [
                        {
                            "name": g["name"],
                            "baseline": f"{_value(g['baseline_value'], g['unit'])} {_fy(g['baseline_fy'])}".strip(),
                            "target": f"{_value(g['target_value'], g['unit'])} {_fy(g['target_fy'])}".strip(),
                            "tags": "、".join(_tag_text(t) for t in g["tags"]),
                        }
                        for g in s["numeric_goals"]
                    ],
                    "measure_rows": [
                        {
                            "measure": f"{m['code']} {m['title']}",
                            "kpi": k["name"],
                            "baseline": f"{_value(k['baseline_value'], k['unit'])} {_fy(k['baseline_fy'])}".strip(),
                            "target": f"{_value(k['target_value'], k['unit'])} {_fy(k['target_fy'])}".strip(),
                        }
                        for m in s["measures"]
                        for k in m["kpis"]
                    ],
                }
                for s in data["strategies"]
            ],
        },
    )
    return html_to_pdf(html, css_file="local_strategy.css")
