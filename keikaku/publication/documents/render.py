"""Rendering the plan document data (content.py) as PDF (HTML + WeasyPrint) and .docx.

Word files cannot hold the SVG charts (python-docx embeds raster images only), so in the
.docx every chart is given as its data table; the PDF has both the chart and the table.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from keikaku.core.templatetags.keikaku import num
from keikaku.plans.api import indicator_decimals
from keikaku.publication.documents.content import fy_label, generated_label
from keikaku.publication.documents.pdf import Pdf, html_page_count, html_to_pdf, svg_data_uri

RENDERER_VERSION = "5"


def value_text(value: Any, unit: str, digits: int | None = None) -> str:
    """「70%」「1,200人」「1.20」「—」: a value with its unit, as the page shows it (with the
    indicator's decimals when given: plans.api.indicator_decimals)."""
    if value is None or value == "":
        return "—"
    return f"{num(value, digits)}{unit or ''}"


def _latest(ind: dict[str, Any]) -> dict[str, Any] | None:
    values = [v for v in ind.get("values", []) if v.get("value") is not None]
    return max(values, key=lambda v: v["fiscal_year"]) if values else None


def indicator_rows(ind: dict[str, Any]) -> dict[str, Any]:
    """Display strings of one indicator (the same in the PDF and the .docx)."""
    unit = ind.get("unit") or ""
    latest = _latest(ind)
    digits = indicator_decimals(ind)
    return {
        "code": ind.get("code", ""),
        "name": ind.get("name", ""),
        "unit": unit,
        "baseline": value_text(ind.get("baseline_value"), unit, digits),
        "baseline_fy": fy_label(ind.get("baseline_fy")),
        "target": value_text(ind.get("target_value"), unit, digits),
        "target_fy": fy_label(ind.get("target_fy")),
        "latest": value_text(latest["value"], unit, digits) if latest else "—",
        "latest_fy": fy_label(latest["fiscal_year"]) if latest else "",
        "values": [
            (fy_label(v["fiscal_year"]), value_text(v.get("value"), unit, digits))
            for v in ind.get("values", [])
        ],
    }


def _chart(ind: dict[str, Any], chart_id: str) -> str:
    from keikaku.publication.views import indicator_view

    full = {
        **ind,
        "values": [{**v, "as_of": None, "note": ""} for v in ind.get("values", [])],
    }
    return indicator_view(full, chart_id)["chart"]


def _with_display(data: dict[str, Any], *, charts: bool) -> dict[str, Any]:
    areas = []
    n = 0
    for area in data["areas"]:
        measures = []
        for m in area["measures"]:
            inds = []
            for ind in m["indicators"]:
                n += 1
                row = indicator_rows(ind)
                if charts:
                    svg = _chart(ind, f"c{n}")
                    row["chart"] = svg_data_uri(svg) if svg else ""
                inds.append(row)
            measures.append({**m, "indicator_rows": inds})
        areas.append({**area, "measures": measures})
    strategies = [
        {**s, "indicator_rows": [indicator_rows(i) for i in s["indicators"]]}
        for s in data["strategies"]
    ]
    return {**data, "areas": areas, "strategies": strategies, "generated": generated_label()}


def render_plan_pdf(data: dict[str, Any]) -> Pdf:
    html = render_to_string(
        "publication/documents/plan.html",
        {"d": _with_display(data, charts=True), "toc": plan_outline(data)[1:]},
    )
    return html_to_pdf(html, stylesheet="print.css")


SUMMARY_LEVELS: tuple[tuple[int | None, int, int], ...] = (
    # (measures shown per policy area, key indicators, characters of a strategy's text)
    (None, 12, 150),
    (8, 10, 120),
    (6, 8, 90),
    (4, 6, 60),
    (3, 4, 40),
    (2, 3, 0),
)


def _summary_html(d: dict[str, Any], *, max_measures: int | None, kpis: int, chars: int) -> str:
    areas = []
    shortened = False
    for area in d["areas"]:
        measures = area["measures"]
        shown = (
            measures
            if max_measures is None or len(measures) <= max_measures
            else (measures[: max_measures - 1])
        )
        shortened = shortened or len(shown) < len(measures)
        areas.append({**area, "shown": shown, "left_out": len(measures) - len(shown)})
    key_indicators = []
    for s in d["strategies"]:
        for row in s["indicator_rows"][:3]:
            key_indicators.append({"strategy": s["title"], **row})
    return render_to_string(
        "publication/documents/summary.html",
        {
            "d": d,
            "areas": areas,
            "shortened": shortened,
            "key_indicators": key_indicators[:kpis],
            "strategy_chars": chars,
        },
    )


def render_summary_pdf(data: dict[str, Any]) -> Pdf:
    """The 概要版: exactly four A4 pages (cover, 施策の体系, 重点戦略, 人口と進め方).

    Each part starts a page and nothing is clipped: when a part runs over its page (a plan
    with many measures or strategies), the summary is made again with shorter lists — each
    policy area then ends with 「ほかN施策」 and the page says that the plan document has them
    all. The first level that fits four pages is used (the demo city fits at the first).
    """
    d = _with_display(data, charts=False)
    html = ""
    for max_measures, kpis, chars in SUMMARY_LEVELS:
        html = _summary_html(d, max_measures=max_measures, kpis=kpis, chars=chars)
        if max_measures is None:
            pdf = html_to_pdf(html, stylesheet="summary.css")  # the usual case: it fits
            if pdf.pages <= 4:
                return pdf
        elif html_page_count(html, stylesheet="summary.css") <= 4:
            break
    return html_to_pdf(html, stylesheet="summary.css")


# --------------------------------------------------------------------------- Word


def plan_outline(data: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(level, text, anchor) of every heading of the plan document, in order. The PDF's table
    of contents and bookmarks and the .docx headings are all made from this one list."""
    out: list[tuple[int, str, str]] = [(1, data["title"], "top")]
    out.append((2, "序論", "intro"))
    out.append((2, "基本構想", "concept"))
    for area in data["areas"]:
        out.append((2, f"政策分野{area['number']} {area['title']}", f"area-{area['number']}"))
        for m in area["measures"]:
            out.append((3, f"施策{m['code']} {m['title']}", f"m-{m['code']}"))
    if data["strategies"]:
        out.append((2, "重点戦略", "strategies"))
        for s in data["strategies"]:
            out.append((3, f"重点戦略{s['number']} {s['title']}", f"s-{s['number']}"))
    for c in data["resilience"]:
        out.append((2, c["title"], f"ch-{c['key']}"))
    if data["appendix"] or data["population"]:
        out.append((2, "資料編", "appendix"))
        for c in data["appendix"]:
            out.append((3, c["title"], f"ch-{c['key']}"))
        if data["population"]:
            out.append((3, "人口の将来展望", "population"))
    return out


def plan_headings(data: dict[str, Any]) -> list[tuple[int, str]]:
    """(level, text) of every heading of the plan document, in order (PDF and .docx alike)."""
    return [(level, text) for level, text, _anchor in plan_outline(data)]


def _docx_table(doc: Any, header: list[str], rows: list[list[Any]], caption: str = "") -> None:
    if caption:
        doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = "" if text is None else str(text)


def _docx_blocks(doc: Any, blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        if block["type"] == "h3":
            doc.add_heading(str(block["text"]), level=4)
        elif block["type"] == "p":
            for line in str(block["text"]).splitlines():
                if line.strip():
                    doc.add_paragraph(line)
        elif block["type"] == "table":
            _docx_table(doc, block["header"], block["rows"], block.get("caption", ""))


def _paragraphs(doc: Any, text: str) -> None:
    for line in (text or "").splitlines():
        if line.strip():
            doc.add_paragraph(line)


def render_plan_docx(data: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    d = _with_display(data, charts=False)
    headings = iter(plan_headings(data))
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(20))
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Sans CJK JP"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK JP")
    section.header.paragraphs[0].text = d["title"]
    doc.core_properties.title = d["title"]
    doc.core_properties.language = "ja-JP"

    def heading() -> None:
        level, text = next(headings)
        doc.add_heading(text, level=level - 1 if level > 1 else 0)

    heading()
    doc.add_paragraph(f"計画期間: {d['period']}")
    doc.add_paragraph(f"将来像: {d['vision']}")
    doc.add_paragraph(
        f"{d['municipality_name']}（全国地方公共団体コード {d['municipality_code']}）"
    )
    if d["is_demo"]:
        doc.add_paragraph("この文書の施策名・指標・数値はデモ用の架空データです。")
    doc.add_paragraph(
        "グラフは Word 形式では表で示しています（数値はグラフと同じです）。PDF 版にはグラフがあります。"
    )
    heading()  # 序論
    _paragraphs(doc, d["introduction"])
    heading()  # 基本構想
    doc.add_paragraph(f"将来像: {d['vision']}")
    if d["concept_period"]:
        doc.add_paragraph(f"基本構想の期間: {d['concept_period']}")
    _paragraphs(doc, d["concept_description"])
    for area in d["areas"]:
        doc.add_page_break()
        heading()
        _paragraphs(doc, area["description"])
        for m in area["measures"]:
            heading()
            if m["plain_summary"]:
                doc.add_paragraph("やさしい日本語の要約", style="Intense Quote")
                _paragraphs(doc, m["plain_summary"])
            if m["target_state"]:
                doc.add_heading("目指す姿", level=3)
                _paragraphs(doc, m["target_state"])
            if m["current_issues"]:
                doc.add_heading("現状と課題", level=3)
                _paragraphs(doc, m["current_issues"])
            if m["initiatives"]:
                doc.add_heading("主な取組", level=3)
                _docx_table(
                    doc,
                    ["取組", "内容", "担当課"],
                    [[i["title"], i["description"], i["section"]] for i in m["initiatives"]],
                )
            _indicators_docx(doc, m["indicator_rows"])
            if m["roles"]:
                doc.add_heading("役割分担", level=3)
                _docx_table(doc, ["主体", "役割"], [[a, b] for a, b in m["roles"]])
            if m["departments"]:
                doc.add_paragraph("担当部署: " + "、".join(m["departments"]))
            if m["related_plans"]:
                doc.add_paragraph("関連する個別計画: " + "、".join(m["related_plans"]))
    if d["strategies"]:
        doc.add_page_break()
        heading()
        for s in d["strategies"]:
            heading()
            _paragraphs(doc, s["description"])
            if s["basic_goal"]:
                doc.add_heading("基本目標", level=3)
                _paragraphs(doc, s["basic_goal"])
            if s["measures"]:
                doc.add_paragraph("関連する施策: " + "、".join(s["measures"]))
            _indicators_docx(doc, s["indicator_rows"], kpi=True)
    for c in d["resilience"]:
        doc.add_page_break()
        heading()
        _docx_blocks(doc, c["blocks"])
    if d["appendix"] or d["population"]:
        doc.add_page_break()
        heading()
        for c in d["appendix"]:
            heading()
            _docx_blocks(doc, c["blocks"])
        if d["population"]:
            heading()
            p = d["population"]
            _paragraphs(doc, p["explanation"])
            _docx_table(
                doc,
                ["年", "目標人口（人）"],
                [[y, value_text(v, "")] for y, v in p["targets"]],
                "人口の将来展望",
            )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _indicators_docx(doc: Any, rows: list[dict[str, Any]], *, kpi: bool = False) -> None:
    if not rows:
        return
    doc.add_heading("重要業績評価指標（KPI）" if kpi else "成果指標", level=3)
    _docx_table(
        doc,
        ["指標", "基準値", "目標値", "最新の実績値"],
        [
            [
                r["name"],
                f"{r['baseline']}（{r['baseline_fy']}）" if r["baseline_fy"] else r["baseline"],
                f"{r['target']}（{r['target_fy']}）" if r["target_fy"] else r["target"],
                f"{r['latest']}（{r['latest_fy']}）" if r["latest_fy"] else r["latest"],
            ]
            for r in rows
        ],
    )
    for r in rows:
        if r["values"]:
            _docx_table(
                doc,
                ["年度", f"実績値{('（' + r['unit'] + '）') if r['unit'] else ''}"],
                [[fy, v] for fy, v in r["values"]],
                f"{r['name']} の年度別実績値（グラフの数値）",
            )
