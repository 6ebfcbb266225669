"""Adapters that plug the feature apps into the public site (see keikaku.publication.registry).

Each module reads one app's ``api.py`` only. :func:`load` imports them all once, at start-up
(PublicationConfig.ready). To plug a new app in, add a module here and list it in MODULES.
"""

from __future__ import annotations

import importlib

MODULES = (
    "site",
    "plans",
    "workflow",
    "participation",
    "surveys",
    "evaluation",
    "demography",
    "resilience",
    "council",
)


def load() -> None:
    for name in MODULES:
        importlib.import_module(f"keikaku.publication.integrations.{name}")
