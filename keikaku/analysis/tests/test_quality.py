"""Quality regression on the labelled set: no measure may drop below its floor."""

from __future__ import annotations

import pytest

from keikaku.analysis.tests.labelled import QUALITY_FLOORS, evaluate, load_labelled


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    return evaluate(load_labelled())


@pytest.mark.parametrize("name", sorted(QUALITY_FLOORS))
def test_quality_floor(measured: dict[str, float], name: str) -> None:
    assert measured[name] >= QUALITY_FLOORS[name], f"{name}: {measured[name]:.4f}"
