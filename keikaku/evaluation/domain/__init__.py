"""Pure computation for evaluation (行政評価); no Django.

- ``achievement``: one indicator, year by year (frozen dataclasses);
- ``achievement_arrays``: the same for many indicators × years with numpy;
- ``grading``: grading schemes as data, indicator and measure grades;
- ``rollup``: counts per policy area and for the whole plan, measures needing attention.

The method is explained for staff in ``docs/evaluation-method.md``.
"""
