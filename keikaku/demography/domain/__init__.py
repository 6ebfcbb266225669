"""Population projection (人口ビジョン): pure Python + numpy, no Django.

- :mod:`.agegroups` — five-year age groups with a configurable open top group, sexes;
- :mod:`.projection` — the cohort-component engine (``ipss`` / ``multiplicative``);
- :mod:`.scenarios` — fertility scaling, migration scaling, zero migration from a year;
- :mod:`.indicators` — totals, age-band counts and shares, dependency ratios, women 20–39;
- :mod:`.assumptions` — residual net migration, CWR, sex ratio, survival from a life table;
- :mod:`.tables` — CSV inputs (checked, Japanese messages) and outputs;
- :mod:`.reference` — a plain-Python loop of the same computation (tests, benchmark).
"""
