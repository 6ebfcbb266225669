"""The demo 施策体系: 7 policy areas and 40 measures (デモ用の架空データ).

The real plan of Tsurugashima has 7 policy areas and 40 measures, but their names and KPI
tables are not loaded here (DOMAIN.md §1, [U]): every name, text and number is illustrative,
written for a Saitama commuter city of about 70,000 people. The same 40 measures serve both
editions; `former_title` and `former_issues` give the former plan's wording (as seen in 2019).

The texts and numbers are in ``data/measures.json`` (one object per area, its measures inside;
the keys are the fields of `AreaSpec`, `MeasureSpec`, `InitiativeSpec` and `IndicatorSpec` in
specs.py, a field left out takes its default). This module reads the file once, at import.
"""

from __future__ import annotations

from dataclasses import dataclass

from keikaku.plans.demo import datafile
from keikaku.plans.demo.specs import AreaSpec

DATA_PACKAGE = "keikaku.plans.demo.data"
DATA_FILE = "measures.json"


@dataclass(frozen=True)
class MeasuresFile:
    """The whole of measures.json."""

    note: str
    areas: tuple[AreaSpec, ...]


AREAS: tuple[AreaSpec, ...] = datafile.load(MeasuresFile, DATA_PACKAGE, DATA_FILE).areas
