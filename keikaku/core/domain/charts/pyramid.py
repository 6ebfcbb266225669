"""Population pyramid (人口ピラミッド): male left, female right, age labels in the middle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core.domain.charts import _svg as s
from keikaku.core.domain.charts.ticks import Scale, format_ticks, nice_ticks
from keikaku.core.domain.i18n import _

# Layout (user units at the 640-wide viewBox); see docs/dev/charts.md.
MID = s.WIDTH / 2  # 320: age labels
MALE_ZERO = MID - 32  # 288; the male scale grows leftwards to OUTER
FEMALE_ZERO = MID + 32  # 352; the female scale grows rightwards to WIDTH - OUTER
OUTER = 16
HALF = MALE_ZERO - OUTER  # 272
TOP = 64  # unit label and legend at y = 20, 「男性」「女性」 headings at y = 52
ROW = 18  # one age group
BAR = 14
BOTTOM = 32  # tick labels baseline at plot bottom + 20
MAX_TICKS = 4  # per half
MALE = s.BLUE
FEMALE = s.ORANGE


@dataclass(frozen=True)
class PyramidComparison:
    """A second series drawn as outlines over the bars (e.g. the projection for 2045)."""

    label: str
    male: Sequence[float | None]
    female: Sequence[float | None]


def _clean(
    values: Sequence[float | None], n: int, where: str, groups: Sequence[str]
) -> list[float | None]:
    s.check_length(len(values), n, where, _("年齢階級"))
    out: list[float | None] = []
    for group, raw in zip(groups, values, strict=True):
        value = s.optional_value(raw, where)
        if value is not None and value < 0:
            raise ValueError(
                _(
                    "%(where)s の「%(group)s」の値 %(value)s は負です。0 以上の値を指定してください。"
                )
                % {"where": where, "group": group, "value": value}
            )
        out.append(value)
    return out


def pyramid_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    age_groups: Sequence[str],
    male: Sequence[float | None],
    female: Sequence[float | None],
    unit: str,
    comparison: PyramidComparison | None = None,
    main_label: str = "",
    male_label: str | None = None,
    female_label: str | None = None,
) -> str:
    """``age_groups`` youngest first (drawn bottom-up); one symmetric scale for both sexes
    and the optional ``comparison`` outlines. The legend appears when there is a comparison
    or a ``main_label`` (e.g. 「2020年（国勢調査）」)."""
    n = len(age_groups)
    male_label = _("男性") if male_label is None else male_label
    female_label = _("女性") if female_label is None else female_label
    m = _clean(male, n, male_label, age_groups)
    f = _clean(female, n, female_label, age_groups)
    cm: list[float | None] = []
    cf: list[float | None] = []
    if comparison is not None:
        cm = _clean(comparison.male, n, f"{comparison.label} {male_label}", age_groups)
        cf = _clean(comparison.female, n, f"{comparison.label} {female_label}", age_groups)
    data = [v for v in m + f + cm + cf if v is not None]
    if n == 0 or not data:
        return s.empty_chart(chart_id=chart_id, title=title, desc=desc, kind="pyramid")

    ticks = nice_ticks(0.0, max(data), MAX_TICKS)
    male_x = Scale(0.0, ticks[-1], MALE_ZERO, OUTER)
    female_x = Scale(0.0, ticks[-1], FEMALE_ZERO, s.WIDTH - OUTER)
    plot_bottom = TOP + n * ROW
    body: list[str] = []
    if unit:
        body.append(s.text(8, 20, s.unit_label(unit), cls="kk-unit"))
    legend: list[tuple[str, str]] = []
    if main_label or comparison is not None:
        legend.append(("main", main_label))
    if comparison is not None:
        legend.append(("comparison", comparison.label))
    lx = MID
    for kind, label in legend:
        caption = s.truncate(label, s.SMALL, 120)
        if kind == "main":
            body.append(s.rect(lx, 13, 7, 14, fill=MALE, cls="kk-swatch"))
            body.append(s.rect(lx + 7, 13, 7, 14, fill=FEMALE, cls="kk-swatch"))
        else:
            body.append(
                s.rect(
                    lx, 13, 14, 14, fill="none", stroke=s.BLACK, stroke_width=1.5, cls="kk-swatch"
                )
            )
        body.append(s.text(lx + 18, s.baseline(20, s.SMALL), caption, cls="kk-legend"))
        lx += 18 + s.text_width(caption, s.SMALL) + 16
    body.append(
        s.text(
            (OUTER + MALE_ZERO) / 2,
            52,
            male_label,
            size=s.LARGE,
            anchor="middle",
            weight="bold",
            cls="kk-heading",
        )
    )
    body.append(
        s.text(
            (FEMALE_ZERO + s.WIDTH - OUTER) / 2,
            52,
            female_label,
            size=s.LARGE,
            anchor="middle",
            weight="bold",
            cls="kk-heading",
        )
    )

    labels = format_ticks(ticks)
    for value, label in zip(ticks, labels, strict=True):
        for scale in (male_x, female_x):
            tx = scale(value)
            body.append(s.line(tx, TOP, tx, plot_bottom, stroke=s.GRAY_LIGHT, cls="kk-grid"))
            body.append(s.text(tx, plot_bottom + 20, label, anchor="middle", cls="kk-tick"))
    for i, group in enumerate(age_groups):
        row_top = TOP + (n - 1 - i) * ROW
        bar_top = row_top + (ROW - BAR) / 2
        body.append(
            s.text(
                MID,
                s.baseline(row_top + ROW / 2, s.SMALL),
                s.truncate(group, s.SMALL, 60),
                anchor="middle",
                cls="kk-age",
            )
        )
        mv, fv = m[i], f[i]
        if mv is not None:
            body.append(
                s.rect(
                    male_x(mv),
                    bar_top,
                    MALE_ZERO - male_x(mv),
                    BAR,
                    fill=MALE,
                    cls="kk-bar kk-male",
                )
            )
        if fv is not None:
            body.append(
                s.rect(
                    FEMALE_ZERO,
                    bar_top,
                    female_x(fv) - FEMALE_ZERO,
                    BAR,
                    fill=FEMALE,
                    cls="kk-bar kk-female",
                )
            )
    if comparison is not None:
        for i in range(n):
            bar_top = TOP + (n - 1 - i) * ROW + (ROW - BAR) / 2
            cmv, cfv = cm[i], cf[i]
            if cmv is not None:
                body.append(
                    s.rect(
                        male_x(cmv),
                        bar_top,
                        MALE_ZERO - male_x(cmv),
                        BAR,
                        fill="none",
                        stroke=s.BLACK,
                        stroke_width=1.5,
                        cls="kk-outline kk-male",
                    )
                )
            if cfv is not None:
                body.append(
                    s.rect(
                        FEMALE_ZERO,
                        bar_top,
                        female_x(cfv) - FEMALE_ZERO,
                        BAR,
                        fill="none",
                        stroke=s.BLACK,
                        stroke_width=1.5,
                        cls="kk-outline kk-female",
                    )
                )
    body.append(s.line(MALE_ZERO, TOP, MALE_ZERO, plot_bottom, stroke=s.BLACK, cls="kk-axis"))
    body.append(s.line(FEMALE_ZERO, TOP, FEMALE_ZERO, plot_bottom, stroke=s.BLACK, cls="kk-axis"))
    return s.document(
        chart_id=chart_id,
        title=title,
        desc=desc,
        height=plot_bottom + BOTTOM,
        body=body,
        kind="pyramid",
    )
