"""Fixtures of the analysis tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _lexicon_seeded(request: pytest.FixtureRequest) -> None:
    """The lexicon is seeded by a data migration. A browser test on the same xdist worker
    (live server, transactional) flushes the database, as `keikaku flush` would in production;
    the product then re-seeds through `lexicon_ensure_seeded`, and so do the tests here."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from keikaku.analysis import services

    services.lexicon_ensure_seeded()
