"""keikaku load-demo-evaluation (on a small demo-like plan; the full demo is in the benchmark)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from keikaku.core.models import AuditEvent
from keikaku.evaluation import api, services
from keikaku.evaluation.models import EvaluationRound, MeasureEvaluation, ProgrammeEvaluation
from keikaku.evaluation.tests.factories import make_former_plan, make_user
from keikaku.plans.models import Programme, ProgrammeCost

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo_evaluation", *args, stdout=out)
    return out.getvalue()


def test_refuses_without_demo() -> None:
    with pytest.raises(CommandError) as exc:
        run()
    assert (
        str(exc.value) == "デモ用の自治体がありません。先に keikaku load-demo を実行してください。"
    )
    make_former_plan()
    with pytest.raises(CommandError) as exc:
        run()
    assert str(exc.value) == (
        "デモの前期・後期基本計画がありません。先に keikaku load-demo を実行してください。"
    )


def test_creates_confirms_publishes_and_is_idempotent() -> None:
    fp = make_former_plan()
    jim = make_user("jim", secretariat=True)
    latter = services.edition_carry_over(
        former=fp.edition, actor=jim, title="後期基本計画", start_fy=2025, end_fy=2029
    ).edition
    prog = Programme.objects.create(
        edition=latter, code="L-1", name="拠点事業", measure=latter.areas.first().measures.first()
    )
    ProgrammeCost.objects.create(
        programme=prog,
        fiscal_year=2025,
        is_plan=True,
        total=10000,
        national=5000,
        prefectural=0,
        bonds=0,
        other=0,
        general=5000,
    )
    out = run()
    assert "前期基本計画 令和6（2024）年度 の評価結果を公開しました。" in out
    assert "後期基本計画 令和7（2025）年度 の評価結果を公開しました。" in out
    final = EvaluationRound.objects.get(edition=fp.edition, fiscal_year=2024)
    first = EvaluationRound.objects.get(edition=latter, fiscal_year=2025)
    assert final.is_final and not first.is_final
    assert set(MeasureEvaluation.objects.values_list("status", flat=True)) == {"confirmed"}
    assert set(ProgrammeEvaluation.objects.values_list("status", flat=True)) == {"confirmed"}
    sheet = MeasureEvaluation.objects.get(round=final, measure__code="2-1")
    # 2-1 is graded × (33.3 %): improve or expand, with the council's comment (needs attention)
    assert sheet.direction in ("improve", "expand")
    assert sheet.external_comment.startswith("成果指標の動きを市民に分かりやすく示す")
    settled = ProgrammeCost.objects.get(programme=prog, fiscal_year=2025, is_plan=False)
    assert settled.total == settled.national + settled.general
    assert 8800 <= settled.total <= 9800
    report = api.published_report(2024)
    assert report is not None and report.measure("2-1").results != ""
    events = AuditEvent.objects.count()
    assert run() == "デモ用の評価データは作成済みです。何も変更していません。\n"
    assert AuditEvent.objects.count() == events
