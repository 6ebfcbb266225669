"""Citizen-survey (市民意識調査) statistics: pure Python + numpy, no Django.

Modules: scale (answer codes), design (MEASURES.csv, design file), responses (response
file parser), statistics (tabulation, cross-tabs, scores, margins), portfolio (偏差値,
quadrants, 改善要望度, derived importance), comparison (year-on-year tests), report (the whole
analysis and its JSON form), problems (located input problems).
"""
