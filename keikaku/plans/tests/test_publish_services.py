"""Publishing one measure refreshes the published pages that list it."""

from __future__ import annotations

import pytest

from keikaku.plans import services
from keikaku.plans.models import PublishedPage
from keikaku.plans.tests.factories import make_small_plan

pytestmark = pytest.mark.django_db


def _page(plan, kind: str, key: str) -> dict:
    return PublishedPage.objects.get(edition=plan.edition, kind=kind, key=key).data


def test_measure_publish_renames_the_measure_on_its_strategy_page_only():
    plan = make_small_plan()
    services.edition_publish(edition=plan.edition, actor="test")
    strategy_key = str(plan.strategy.number)
    old_title = plan.strategy.title
    # the strategy's own draft edit must stay unpublished
    plan.strategy.title = "未公開の重点戦略名"
    plan.strategy.save()
    plan.measure.title = "保育と子育て支援の充実"
    plan.measure.save()

    services.measure_publish(measure=plan.measure, actor="test")

    data = _page(plan, "strategy", strategy_key)
    assert [m["title"] for m in data["measures"]] == ["保育と子育て支援の充実"]
    assert data["measures"][0]["code"] == plan.measure.code
    assert data["title"] == old_title
    assert _page(plan, "measure", plan.measure.code)["title"] == "保育と子育て支援の充実"
