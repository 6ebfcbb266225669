"""The verification report (検証報告書) and the yearly evaluation report, as PDF and Excel,
both rendered from one :class:`VerificationReport` (keikaku.evaluation.api): the measures,
the priority strategies' own indicators (重点戦略の成果指標) and the programmes' evaluation.

(The edition comparison is exported by keikaku.evaluation itself.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from keikaku.core.domain.fiscal import format_date, format_fiscal_period, format_fiscal_year
from keikaku.evaluation import api as evaluation_api
from keikaku.evaluation.api import IndicatorReport, VerificationReport
from keikaku.reporting.pdf import render_pdf, svg_data_uri
from keikaku.reporting.xlsx import XlsxBook

PDF_CSS = """
.chart-row { display: flex; flex-wrap: wrap; gap: 0 6mm; }
figure.indicator-chart { width: 58%; }
section.measure { border-top: 0.5pt solid #767676; padding-top: 2mm; margin-top: 6mm; }
section.measure:first-of-type { border-top: none; margin-top: 0; }
"""


def _date_text(iso: str) -> str:
    if not iso:
        return ""
    try:
        return format_date(dt.date.fromisoformat(iso[:10]))
    except ValueError:
        return iso


def _indicator_charts(indicators: Sequence[IndicatorReport], prefix: str) -> list[dict[str, str]]:
    """A chart (title and data: URI) of each indicator with at least one reported value;
    chart ids are ``<prefix>-i<k>`` (k counts all the indicators, charted or not)."""
    return [
        {
            "title": _("%(name)s の推移") % {"name": ind.name},
            "src": svg_data_uri(evaluation_api.indicator_chart(ind, f"{prefix}-i{k}")),
        }
        for k, ind in enumerate(indicators, start=1)
        if any(y.value is not None for y in ind.years)
    ]


def report_context(report: VerificationReport, *, charts: bool = True) -> dict[str, Any]:
    """Template context of the PDF (and of anything else that prints the report)."""
    labels = [g.label for g in report.scheme.labels]
    trend_names = evaluation_api.trend_labels()
    measures = [
        {"m": m, "charts": _indicator_charts(m.indicators, f"m{n}") if charts else []}
        for n, m in enumerate(report.measures, start=1)
    ]
    strategies = [
        {"s": s, "charts": _indicator_charts(s.indicators, f"s{s.number}") if charts else []}
        for s in report.strategies
    ]
    return {
        "r": report,
        "generated_on": _date_text(report.generated_at),
        "published_on": _date_text(report.published_at),
        "labels": labels,
        "trend_names": [trend_names[k] for k in evaluation_api.TREND_KEYS],
        "measure_chart": svg_data_uri(
            evaluation_api.grade_distribution_chart(report, "dist-m", of="measure")
        ),
        "measure_caption": _("施策の評価（政策分野別）"),
        "measure_rows": evaluation_api.grade_rows(report, of="measure"),
        "indicator_chart": svg_data_uri(
            evaluation_api.grade_distribution_chart(report, "dist-i", of="indicator")
        ),
        "indicator_caption": _("成果指標の評価（政策分野別）"),
        "indicator_rows": evaluation_api.grade_rows(report, of="indicator"),
        "trend_chart": svg_data_uri(evaluation_api.trend_chart(report, "trend")),
        "trend_caption": _("基準値と比べた成果指標の動き（政策分野別）"),
        "trend_rows": evaluation_api.trend_rows(report),
        "areas": [
            {"roll": a, "measures": report.area_measures(a.area_number or 0)} for a in report.areas
        ],
        "measures": measures,
        "strategies": strategies,
    }


def report_pdf(report: VerificationReport) -> bytes:
    """The report as an A4 PDF with embedded Japanese fonts, charts and a table of contents."""
    return render_pdf(
        "reporting/evaluation_report.html", report_context(report), extra_css=[PDF_CSS]
    )


def _fy(value: int | None) -> str:
    return format_fiscal_year(value) if value else ""


def report_xlsx(report: VerificationReport) -> bytes:
    """The same report as a formatted workbook: one sheet per table, one value per cell."""
    book = XlsxBook(title=report.title)
    labels = [g.label for g in report.scheme.labels]
    period = format_fiscal_period(report.start_fy, report.end_fy)

    # 概要
    ws = book.sheet(_("概要"))
    row = book.write_title(
        ws,
        report.title,
        note=_("デモ用の架空データです。") if report.is_demo else "",
    )
    facts = [
        (_("団体名"), report.municipality),
        (_("全国地方公共団体コード"), report.municipality_code),
        (_("総合計画"), report.plan_title),
        (_("基本計画"), f"{report.edition_title}（{period}）"),
        (_("評価の対象年度"), format_fiscal_year(report.fiscal_year)),
        (_("評価方式"), report.scheme.name),
        (_("施策の数"), len(report.measures)),
        (_("成果指標の数"), report.n_indicators),
        (_("重点戦略の数"), len(report.strategies)),
        (_("重点戦略の成果指標の数"), report.n_strategy_indicators),
        (_("作成日"), _date_text(report.generated_at)),
        (_("公表日"), _date_text(report.published_at)),
    ]
    row = book.write_table(
        ws,
        row,
        [_("項目"), _("内容")],
        facts,
        formats=["text", "text"],
        widths=[24, 60],
        autofilter=False,
    )
    row = book.write_table(
        ws,
        row,
        [_("評価区分"), _("意味")],
        [(g.label, g.description) for g in report.scheme.labels],
        formats=["grade", "wrap"],
        freeze=False,
        autofilter=False,
    )

    # 政策分野別
    ws = book.sheet(_("政策分野別"))
    row = book.write_title(
        ws, _("政策分野別の評価（%(fy)s）") % {"fy": format_fiscal_year(report.fiscal_year)}
    )
    trend_names = evaluation_api.trend_labels()
    headers = [
        _("政策分野番号"),
        _("政策分野"),
        _("施策数"),
        _("成果指標数"),
        *[_("施策 %(g)s") % {"g": g} for g in labels],
        *[_("指標 %(g)s") % {"g": g} for g in labels],
        *[_("基準値比 %(t)s") % {"t": trend_names[k]} for k in evaluation_api.TREND_KEYS],
    ]
    rows = []
    for scope in (*report.areas, report.plan):
        rows.append(
            [
                scope.area_number if scope.area_number is not None else "",
                scope.title,
                scope.n_measures,
                scope.n_indicators,
                *[c.count for c in scope.measure_grades],
                *[c.count for c in scope.indicator_grades],
                *[getattr(scope.trend_vs_baseline, k) for k in evaluation_api.TREND_KEYS],
            ]
        )
    last = book.write_table(
        ws,
        row,
        headers,
        rows,
        formats=["int", "text", *["int"] * (len(headers) - 2)],
        widths=[10, 28, *[9] * (len(headers) - 2)],
    )
    if report.areas:
        chart = book.workbook.add_chart({"type": "bar", "subtype": "stacked"})
        for j, label in enumerate(labels):
            col = 4 + j
            chart.add_series(
                {
                    "name": label,
                    "categories": [ws.name, row + 1, 1, row + len(report.areas), 1],
                    "values": [ws.name, row + 1, col, row + len(report.areas), col],
                }
            )
        chart.set_title({"name": _("政策分野別の施策の評価")})
        chart.set_y_axis({"reverse": True})
        ws.insert_chart(last + 1, 1, chart, {"x_scale": 1.6, "y_scale": 1.3})

    # 施策別評価
    ws = book.sheet(_("施策別評価"))
    row = book.write_title(ws, _("施策別の評価"))
    headers = [
        _("政策分野番号"),
        _("施策番号"),
        _("施策名"),
        _("担当"),
        _("評価"),
        _("評価の意味"),
        _("平均達成度（%）"),
        _("成果指標数"),
        _("報告のあった指標数"),
        _("内部評価"),
        _("今後の方向性"),
        _("評価シートの状態"),
        _("取組の成果"),
        _("課題"),
        _("方向性の内容"),
        _("外部評価（まちづくり審議会の意見）"),
        _("事業費計（千円）"),
        _("要注意の理由"),
    ]
    rows = [
        [
            m.area_number,
            m.code,
            m.title,
            "、".join(m.departments),
            m.grade,
            m.grade_description,
            m.mean_progress,
            m.n_indicators,
            m.n_reported,
            m.internal_grade,
            m.direction_label,
            m.sheet_status_label,
            m.results,
            m.issues,
            m.direction_note,
            m.external_comment,
            m.cost_total,
            "／".join(m.attention),
        ]
        for m in report.measures
    ]
    book.write_table(
        ws,
        row,
        headers,
        rows,
        formats=[
            "int",
            "text",
            "wrap",
            "wrap",
            "grade",
            "wrap",
            "pct",
            "int",
            "int",
            "grade",
            "text",
            "text",
            "wrap",
            "wrap",
            "wrap",
            "wrap",
            "int",
            "wrap",
        ],
        widths=[8, 9, 28, 18, 7, 24, 11, 8, 8, 8, 10, 10, 40, 40, 40, 40, 12, 30],
    )

    # 成果指標
    _indicator_sheet(
        book,
        _("成果指標"),
        _("成果指標の評価（%(fy)s）") % {"fy": format_fiscal_year(report.fiscal_year)},
        owner_header=_("施策番号"),
        owner_width=9,
        owners=[(m.code, m.indicators) for m in report.measures],
    )

    # 年度別実績値
    ws = book.sheet(_("年度別実績値"))
    row = book.write_title(ws, _("成果指標の年度別実績値"), note=_("空欄は未報告です。"))
    owners = [(m.code, m.indicators) for m in report.measures] + [
        (s.code, s.indicators) for s in report.strategies
    ]
    years = sorted({y.fiscal_year for _code, inds in owners for i in inds for y in i.years})
    headers = [_("施策・重点戦略"), _("指標番号"), _("指標名"), _("単位"), *[str(y) for y in years]]
    rows = []
    for code, inds in owners:
        for i in inds:
            by_year = {y.fiscal_year: y.value for y in i.years}
            rows.append([code, i.code, i.name, i.unit, *[by_year.get(y) for y in years]])
    book.write_table(
        ws,
        row,
        headers,
        rows,
        formats=["text", "text", "wrap", "text", *["float"] * len(years)],
        widths=[9, 10, 36, 8, *[10] * len(years)],
    )

    # 事務事業
    ws = book.sheet(_("事務事業"))
    row = book.write_title(
        ws, _("施策を構成する事務事業（%(fy)s）") % {"fy": format_fiscal_year(report.fiscal_year)}
    )
    viewpoint_names = [
        v.label
        for v in next(
            (p.viewpoints for m in report.measures for p in m.programmes if p.viewpoints), ()
        )
    ]
    headers = [
        _("施策番号"),
        _("事業番号"),
        _("事業名"),
        _("担当課"),
        _("事業費 計画（千円）"),
        _("事業費 決算（千円）"),
        _("財源内訳の区分"),
        _("国庫支出金（千円）"),
        _("県支出金（千円）"),
        _("地方債（千円）"),
        _("その他（千円）"),
        _("一般財源（千円）"),
        _("人件費（千円）"),
        _("従事職員数（人工）"),
        _("総事業費（千円）"),
        _("単位あたりコスト（千円）"),
        *viewpoint_names,
        _("今後の方向性"),
        _("評価シートの状態"),
    ]
    rows = [
        [
            m.code,
            p.code,
            p.name,
            p.department,
            p.cost_plan,
            p.cost_actual,
            p.cost_basis_label,
            p.national,
            p.prefectural,
            p.bonds,
            p.other,
            p.general,
            p.staff_cost,
            p.staff_fte,
            p.total_cost,
            p.unit_cost,
            *[v.rating_label for v in p.viewpoints][: len(viewpoint_names)],
            p.direction_label,
            p.sheet_status_label,
        ]
        for m in report.measures
        for p in m.programmes
    ]
    book.write_table(
        ws,
        row,
        headers,
        rows,
        formats=[
            "text",
            "text",
            "wrap",
            "text",
            *["int"] * 2,
            "text",
            *["int"] * 6,
            "float",
            "int",
            "float",
            *["text"] * len(viewpoint_names),
            "text",
            "text",
        ],
        widths=[
            9,
            10,
            32,
            16,
            13,
            13,
            9,
            *[12] * 6,
            10,
            13,
            12,
            *[12] * len(viewpoint_names),
            10,
            10,
        ],
    )

    # 事務事業の指標
    ws = book.sheet(_("事務事業の指標"))
    row = book.write_title(
        ws,
        _("事務事業の活動指標・成果指標（%(fy)s）")
        % {"fy": format_fiscal_year(report.fiscal_year)},
    )
    book.write_table(
        ws,
        row,
        [
            _("施策番号"),
            _("事業番号"),
            _("事業名"),
            _("種類"),
            _("指標名"),
            _("単位"),
            _("計画値"),
            _("実績値"),
            _("達成率（%）"),
        ],
        [
            [
                m.code,
                p.code,
                p.name,
                i.kind_label,
                i.name,
                i.unit,
                i.planned,
                i.actual,
                i.achievement,
            ]
            for m in report.measures
            for p in m.programmes
            for i in p.indicators
        ],
        formats=["text", "text", "wrap", "text", "wrap", "text", "float", "float", "pct"],
        widths=[9, 10, 28, 10, 30, 8, 10, 10, 10],
    )

    # 要注意の施策
    ws = book.sheet(_("要注意の施策"))
    row = book.write_title(ws, _("要注意の施策"))
    book.write_table(
        ws,
        row,
        [_("施策番号"), _("施策名"), _("理由")],
        [(a.measure_code, a.measure_title, "／".join(a.reasons)) for a in report.plan.attention],
        formats=["text", "wrap", "wrap"],
        widths=[10, 36, 70],
    )
    if report.strategies:
        _strategy_sheets(book, report, labels)
    return book.close()


def _strategy_sheets(book: XlsxBook, report: VerificationReport, labels: list[str]) -> None:
    """重点戦略 (one row per strategy) and 重点戦略の成果指標 (one row per indicator)."""
    trend_names = evaluation_api.trend_labels()
    ws = book.sheet(_("重点戦略"))
    row = book.write_title(
        ws, _("重点戦略の評価（%(fy)s）") % {"fy": format_fiscal_year(report.fiscal_year)}
    )
    headers = [
        _("番号"),
        _("重点戦略"),
        _("基本目標"),
        _("評価"),
        _("評価の意味"),
        _("平均達成度（%）"),
        _("成果指標数"),
        _("報告のあった指標数"),
        *[_("指標 %(g)s") % {"g": g} for g in labels],
        *[_("基準値比 %(t)s") % {"t": trend_names[k]} for k in evaluation_api.TREND_KEYS],
        _("関連する施策（評価）"),
        _("要注意の理由"),
    ]
    rows = [
        [
            s.number,
            s.title,
            s.basic_goal,
            s.grade,
            s.grade_description,
            s.mean_progress,
            s.n_indicators,
            s.n_reported,
            *[c.count for c in s.indicator_grades],
            *[getattr(s.trend_vs_baseline, k) for k in evaluation_api.TREND_KEYS],
            "、".join(f"{m.code}（{m.grade or '—'}）" for m in s.measures),
            "／".join(s.attention),
        ]
        for s in report.strategies
    ]
    book.write_table(
        ws,
        row,
        headers,
        rows,
        formats=[
            "int",
            "wrap",
            "wrap",
            "grade",
            "wrap",
            "pct",
            "int",
            "int",
            *["int"] * (len(labels) + len(evaluation_api.TREND_KEYS)),
            "wrap",
            "wrap",
        ],
        widths=[6, 28, 30, 7, 24, 11, 8, 8, *[8] * (len(labels) + 5), 24, 30],
    )

    _indicator_sheet(
        book,
        _("重点戦略の成果指標"),
        _("重点戦略の成果指標の評価（%(fy)s）") % {"fy": format_fiscal_year(report.fiscal_year)},
        owner_header=_("重点戦略"),
        owner_width=11,
        owners=[(s.code, s.indicators) for s in report.strategies],
    )


def _indicator_sheet(
    book: XlsxBook,
    name: str,
    title: str,
    *,
    owner_header: str,
    owner_width: int,
    owners: Sequence[tuple[str, Sequence[IndicatorReport]]],
) -> None:
    """A sheet of indicators, one row each, after the code of the measure or the priority
    strategy (``owners``: code and indicators) they belong to."""
    ws = book.sheet(name)
    row = book.write_title(ws, title)
    headers = [
        owner_header,
        _("指標番号"),
        _("指標名"),
        _("単位"),
        _("方向"),
        _("累計"),
        _("基準値"),
        _("基準値の年度"),
        _("目標値"),
        _("目標年度"),
        _("実績値"),
        _("達成度（%）"),
        _("期待される進捗（%）"),
        _("期待進捗比（%）"),
        _("評価"),
        _("基準値との比較"),
        _("前年度との比較"),
        _("備考"),
    ]
    rows = [
        [
            code,
            i.code,
            i.name,
            i.unit,
            i.direction_label,
            i.cumulative,
            i.baseline,
            i.baseline_fy,
            i.target,
            i.target_fy,
            i.actual,
            i.progress,
            i.expected_progress,
            i.pace,
            i.grade,
            i.trend_vs_baseline_label,
            i.trend_vs_previous_label,
            i.problem,
        ]
        for code, indicators in owners
        for i in indicators
    ]
    book.write_table(
        ws,
        row,
        headers,
        rows,
        formats=[
            "text",
            "text",
            "wrap",
            "text",
            "text",
            "text",
            "float",
            "int",
            "float",
            "int",
            "float",
            "pct",
            "pct",
            "pct",
            "grade",
            "text",
            "text",
            "wrap",
        ],
        widths=[owner_width, 10, 36, 8, 9, 7, 10, 9, 10, 9, 10, 10, 10, 10, 7, 10, 10, 30],
    )
