"""Accessible SVG charts rendered on the server, for web pages, PDFs and Word exports.

Every function takes keyword-only arguments and returns one ``<svg>`` string: responsive
(``viewBox`` 640 wide, ``width="100%"``), ``role="img"`` named by its ``<title>`` and
described by its ``<desc>`` (ids derived from the caller's ``chart_id``), text XML-escaped,
no scripts, no external references and no ``style=`` attributes (CSP), colours from the
デジタル庁 design tokens and never the only carrier of meaning. The output is deterministic.
Empty input gives a chart that says 「データがありません」. Every chart must be shown with a
data table of the same numbers (the template's job). See docs/dev/charts.md.
"""

from keikaku.core.domain.charts._svg import PATTERNS, TOKEN_COLOURS, WIDTH, Pattern
from keikaku.core.domain.charts.bar import StackSegment, bar_chart, stacked_bar_chart
from keikaku.core.domain.charts.gantt import GanttRow, gantt_chart
from keikaku.core.domain.charts.line import LineSeries, ReferenceLine, line_chart
from keikaku.core.domain.charts.network import NetworkEdge, NetworkNode, network_chart
from keikaku.core.domain.charts.pyramid import PyramidComparison, pyramid_chart
from keikaku.core.domain.charts.scatter import ScatterPoint, scatter_chart
from keikaku.core.domain.charts.ticks import format_ticks, nice_ticks

__all__ = [
    "PATTERNS",
    "TOKEN_COLOURS",
    "WIDTH",
    "GanttRow",
    "LineSeries",
    "NetworkEdge",
    "NetworkNode",
    "Pattern",
    "PyramidComparison",
    "ReferenceLine",
    "ScatterPoint",
    "StackSegment",
    "bar_chart",
    "format_ticks",
    "gantt_chart",
    "line_chart",
    "network_chart",
    "nice_ticks",
    "pyramid_chart",
    "scatter_chart",
    "stacked_bar_chart",
]
