"""What other apps (reporting, publication) may read of the evaluation.

Staff-side functions read live data; ``published_*`` functions read only what was
published (the JSON snapshot), so a draft cannot reach the public site.

``register_report_renderer`` is the other way round: the rendering layer (keikaku.reporting)
gives this app the function that turns a report into a PDF, so that the PDF can be made by
this app's background task (see keikaku.evaluation.renderers).
"""

from __future__ import annotations

from dataclasses import dataclass

from keikaku.evaluation import selectors
from keikaku.evaluation.domain.comparison import (
    ComparisonTable,
    EditionComparison,
    comparison_rows,
    comparison_tables,
)
from keikaku.evaluation.domain.report import IndicatorReport, VerificationReport, report_from_dict
from keikaku.evaluation.presentation import (
    TREND_KEYS,
    grade_distribution_chart,
    grade_rows,
    indicator_chart,
    number_text,
    pct_text,
    scope_label,
    trend_chart,
    trend_labels,
    trend_rows,
)
from keikaku.evaluation.renderers import register_report_renderer

__all__ = [
    "TREND_KEYS",
    "grade_distribution_chart",
    "grade_rows",
    "indicator_chart",
    "number_text",
    "pct_text",
    "scope_label",
    "trend_chart",
    "trend_labels",
    "trend_rows",
    "edition_info",
    "published_filename",
    "ComparisonTable",
    "EditionComparison",
    "EditionInfo",
    "IndicatorReport",
    "PublishedRound",
    "VerificationReport",
    "comparison_for_edition",
    "comparison_rows",
    "comparison_tables",
    "register_report_renderer",
    "published_report",
    "published_rounds",
    "report_for_round",
    "round_filename",
]


@dataclass(frozen=True)
class PublishedRound:
    fiscal_year: int
    title: str
    edition_title: str
    is_final: bool
    published_at: str


@dataclass(frozen=True)
class EditionInfo:
    id: int
    title: str
    predecessor_title: str
    municipality_code: str
    kind: str


def report_for_round(round_id: int) -> VerificationReport | None:
    """The current report of a round (staff): every sheet's text, whatever its state."""
    round_ = selectors.round_get(pk=round_id)
    if round_ is None:
        return None
    return selectors.round_report(round_)


def round_filename(round_id: int, ext: str) -> str:
    round_ = selectors.round_get(pk=round_id)
    if round_ is None:
        return f"keikaku-evaluation.{ext}"
    code = round_.edition.plan.municipality.code
    return f"keikaku-evaluation-{code}-{round_.edition.kind}-{round_.fiscal_year}.{ext}"


def published_rounds() -> list[PublishedRound]:
    out: list[PublishedRound] = []
    seen: set[int] = set()
    for round_ in selectors.round_published_list():
        if round_.fiscal_year in seen:
            continue
        seen.add(round_.fiscal_year)
        data = round_.publication.data
        out.append(
            PublishedRound(
                fiscal_year=round_.fiscal_year,
                title=str(data.get("title", "")),
                edition_title=round_.edition.title,
                is_final=round_.is_final,
                published_at=str(data.get("published_at", "")),
            )
        )
    return out


def published_report(fiscal_year: int) -> VerificationReport | None:
    publication = selectors.publication_for_year(fiscal_year=fiscal_year)
    if publication is None:
        return None
    return report_from_dict(publication.data)


def published_filename(fiscal_year: int, ext: str) -> str:
    publication = selectors.publication_for_year(fiscal_year=fiscal_year)
    if publication is None:
        return f"keikaku-evaluation-{fiscal_year}.{ext}"
    edition = publication.round.edition
    return f"keikaku-evaluation-{edition.kind}-{fiscal_year}.{ext}"


def edition_info(edition_id: int) -> EditionInfo | None:
    edition = selectors.edition_get(pk=edition_id)
    if edition is None:
        return None
    return EditionInfo(
        id=edition.pk,
        title=edition.title,
        predecessor_title=edition.predecessor.title if edition.predecessor else "",
        municipality_code=edition.plan.municipality.code,
        kind=edition.kind,
    )


def comparison_for_edition(edition_id: int) -> EditionComparison | None:
    """What changed from the edition's predecessor to it (None without a predecessor)."""
    edition = selectors.edition_get(pk=edition_id)
    if edition is None:
        return None
    return selectors.edition_comparison(edition)
