"""The labelled evaluation set itself: size, coverage and consistency."""

from __future__ import annotations

from collections import Counter

from keikaku.analysis.tests.labelled import load_labelled


def test_labelled_set_size_and_coverage() -> None:
    data = load_labelled()
    ids = [o.id for o in data.opinions]
    assert len(ids) == 453
    assert set(data.measure) == set(ids) == set(data.campaign) == set(data.duplicate_of)
    assert len(data.measures) == 30
    per_measure = Counter(m for m in data.measure.values() if m is not None)
    assert set(per_measure) == {m.code for m in data.measures}
    assert min(per_measure.values()) == 11
    assert sum(1 for m in data.measure.values() if m is None) == 19
    assert sum(data.campaign.values()) == 24
    assert {data.measure[i] for i in ids if data.campaign[i]} == {"7-2"}
    assert all(data.duplicate_of[i] in data.measure for i in ids if data.duplicate_of[i])


def test_citizens_voice_has_halfwidth_kana_and_list_markers() -> None:
    texts = [o.text for o in load_labelled().opinions]
    assert sum(1 for t in texts if any("\uff66" <= c <= "\uff9f" for c in t)) == 7
    assert sum(1 for t in texts if "①" in t) == 2
    assert min(len(t) for t in texts) == 2
    assert max(len(t) for t in texts) == 288
