"""The survey report as an Excel workbook (XlsxWriter) and a PDF (WeasyPrint, Noto Sans CJK
JP embedded), built from the same data as the staff results page."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from keikaku.surveys.models import SurveyWave
from keikaku.surveys.results import summary_context


def _number(text: str) -> float | str:
    """Display strings back to numbers for Excel cells ("—" and "＊" stay text)."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return text


def report_workbook(wave: SurveyWave, *, crosstab_by: str = "district") -> bytes:
    import xlsxwriter

    context = summary_context(wave, public=False, crosstab_by=crosstab_by)
    buffer = io.BytesIO()
    # Text is never turned into formulas or numbers: citizens' text stays text.
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1})
    numf = book.add_format({"border": 1, "num_format": "0.0"})
    scoref = book.add_format({"border": 1, "num_format": "+0.00;-0.00;0.00"})

    def table(
        sheet: Any, row: int, header: list[str], rows: list[list[Any]], formats: list[Any]
    ) -> int:
        for c, text in enumerate(header):
            sheet.write_string(row, c, text, head)
        for r, values in enumerate(rows, start=row + 1):
            for c, value in enumerate(values):
                fmt = formats[c] if c < len(formats) else cell
                value = _number(value) if fmt is not cell else value
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value, fmt)
                else:
                    sheet.write_string(r, c, str(value), cell)
        return row + len(rows) + 2

    summary = book.add_worksheet(_("概要"))
    summary.set_column(0, 0, 24)
    summary.set_column(1, 1, 60)
    summary.write_string(0, 0, wave.title, bold)
    facts = [
        (_("調査年度"), context.get("fy_label", "")),
        (_("調査方法"), wave.get_method_display()),
        (_("母集団"), str(wave.population or "")),
        (_("配布数"), str(wave.sample_size or "")),
        (_("回答数"), str(context.get("n", 0))),
        (_("回答率（%）"), context.get("rate", "—")),
        (_("最大の標本誤差（±ポイント）"), context.get("max_margin", "—")),
    ]
    if wave.is_illustrative:
        facts.append((_("注意"), _("回答は説明用の架空データです。")))
    for r, (label, value) in enumerate(facts, start=2):
        summary.write_string(r, 0, label, head)
        summary.write_string(r, 1, str(value), cell)

    measures = context.get("measures", [])
    if measures:
        sheet = book.add_worksheet(_("施策の満足度と重要度"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 12, 12)
        table(
            sheet,
            0,
            [
                _("施策"),
                _("満足度 評価点"),
                _("満足 割合（%）"),
                _("満足度 偏差値"),
                _("重要度 評価点"),
                _("重要 割合（%）"),
                _("重要度 偏差値"),
                _("分野"),
                _("改善要望度"),
                _("導出重要度"),
                _("回答数（満足度）"),
                _("回答数（重要度）"),
            ],
            [
                [
                    f"{m['code']} {m['title']}",
                    m["sat_score"],
                    m["sat_top2"],
                    m["sat_t"],
                    m["imp_score"],
                    m["imp_top2"],
                    m["imp_t"],
                    m["quadrant"],
                    m["need"],
                    m["derived"],
                    m["n_sat"],
                    m["n_imp"],
                ]
                for m in measures
            ],
            [cell, scoref, numf, numf, scoref, numf, numf, cell, scoref, scoref, numf, numf],
        )

    tabs = list(context.get("tabs", [])) + list(context.get("compositions", []))
    if tabs:
        sheet = book.add_worksheet(_("単純集計"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 4, 14)
        row = 0
        for tab in tabs:
            sheet.write_string(row, 0, f"{tab.code}　{tab.title}", bold)
            sheet.write_string(
                row + 1,
                0,
                _("回答者 %(base)d人（無回答 %(na)d人）") % {"base": tab.base, "na": tab.no_answer},
            )
            row = table(
                sheet,
                row + 2,
                [_("選択肢"), _("人数"), _("割合（%）"), _("標本誤差（±ポイント）")],
                [[r["label"], r["n"], r["percent"], r["margin"]] for r in tab.rows],
                [cell, numf, numf, numf],
            )
    if context.get("crosstab_measures") or context.get("crosstab_overall"):
        sheet = book.add_worksheet(_("クロス集計"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 12, 12)
        sheet.write_string(
            0,
            0,
            _("%(attr)s別（＊＝%(t)d人未満などのため非公表）")
            % {"attr": context.get("crosstab_title", ""), "t": wave.suppression_threshold},
            bold,
        )
        row = 2
        overall = context.get("crosstab_overall")
        if overall:
            row = table(
                sheet,
                row,
                [
                    context.get("crosstab_title", ""),
                    _("回答者"),
                    *[f"{o}（%）" for o in overall["options"]],
                    _("評価点"),
                ],
                [[r["category"], r["base"], *r["cells"], r["score"]] for r in overall["rows"]],
                [cell] + [numf] * (len(overall["options"]) + 1) + [scoref],
            )
        if context.get("crosstab_measures"):
            table(
                sheet,
                row,
                [_("施策の満足度（評価点）"), *context["crosstab_categories"]],
                [[f"{m['code']} {m['title']}", *m["scores"]] for m in context["crosstab_measures"]],
                [cell] + [scoref] * len(context["crosstab_categories"]),
            )
    comparison = context.get("comparison")
    if comparison:
        sheet = book.add_worksheet(_("経年比較"))
        sheet.set_column(0, 0, 40)
        table(
            sheet,
            0,
            [
                _("施策"),
                _("前回 評価点"),
                _("今回 評価点"),
                _("差"),
                "p",
                _("有意な差"),
                _("前回 満足割合（%）"),
                _("今回 満足割合（%）"),
            ],
            [
                [
                    f"{r['code']} {r['title']}",
                    r["previous"],
                    r["current"],
                    r["difference"],
                    r["p"],
                    _("あり") if r["significant"] else _("なし"),
                    r["top2_previous"],
                    r["top2_current"],
                ]
                for r in comparison["rows"]
            ],
            [cell, scoref, scoref, scoref, cell, cell, numf, numf],
        )
    book.close()
    return buffer.getvalue()


def report_html(wave: SurveyWave, *, crosstab_by: str = "district") -> str:
    context = summary_context(wave, public=False, crosstab_by=crosstab_by, chart_prefix="pdf")
    return render_to_string("surveys/report_pdf.html", context)


def report_pdf(wave: SurveyWave, *, crosstab_by: str = "district") -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(wave, crosstab_by=crosstab_by)).write_pdf()
