"""``keikaku load-demo-evaluation``: evaluation sheets for the demo city, idempotently.

Run after ``keikaku load-demo``. Creates the verification of the former plan (its final
year) and the evaluation of the latter plan's first year, fills every measure and programme
sheet with illustrative department text (デモ用の架空の文章), adds illustrative settled costs
for the latter plan's first year, confirms the sheets and publishes both results. A second
run changes nothing (sheets that already have text are left as they are).
"""

from __future__ import annotations

import hashlib
from argparse import ArgumentParser
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from keikaku.core.domain.fiscal import format_fiscal_year
from keikaku.evaluation import selectors, services
from keikaku.evaluation.domain.report import MeasureReport
from keikaku.evaluation.models import (
    EvaluationRound,
    MeasureEvaluation,
    ProgrammeEvaluation,
    ProgrammeIndicator,
    SheetStatus,
)
from keikaku.plans import services as plan_services
from keikaku.plans.models import Edition, Municipality, ProgrammeCost

ACTOR = "デモデータの読み込み（keikaku load-demo-evaluation）"


def _fraction(key: str) -> float:
    """A deterministic number in [0, 1) from a key."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


DIRECTION_BY_GRADE = {
    "◎": "continue",
    "○": "continue",
    "△": "improve",
    "×": "improve",
}


def _measure_texts(m: MeasureReport, fy: int, final: bool) -> dict[str, Any]:
    reported = [i for i in m.indicators if i.actual is not None]
    improved = [i.name for i in reported if i.trend_vs_baseline == "improved"]
    worsened = [i.name for i in reported if i.trend_vs_baseline == "worsened"]
    period = _("計画期間を通じて") if final else _("%(fy)sは") % {"fy": format_fiscal_year(fy)}
    results = [
        _("%(period)s、%(title)sに向けた取組を進めました。") % {"period": period, "title": m.title}
    ]
    if improved:
        results.append(
            _("成果指標のうち「%(names)s」は基準値より改善しました。")
            % {"names": "」「".join(improved)}
        )
    if worsened:
        results.append(
            _("一方、「%(names)s」は基準値を下回っています。") % {"names": "」「".join(worsened)}
        )
    missing = [i.name for i in m.indicators if i.actual is None]
    issues = [_("目標の達成に向けて、事業の成果を検証しながら取組の重点を見直す必要があります。")]
    if worsened:
        issues.insert(0, _("悪化した指標について、原因の分析と対策の強化が課題です。"))
    if missing:
        issues.append(
            _("「%(names)s」は実績値を把握できていないため、把握の方法を整える必要があります。")
            % {"names": "」「".join(missing)}
        )
    direction = DIRECTION_BY_GRADE.get(m.grade, "continue")
    if m.grade == "×" and _fraction(m.code) < 0.5:
        direction = "expand"
    note = {
        "continue": _("現在の取組を継続し、成果指標の推移を毎年度確認します。"),
        "improve": _("取組の手法を見直し、関係課や地域との連携を強めて改善を図ります。"),
        "expand": _("重点的に取り組む施策として、事業の拡充を検討します。"),
    }[direction]
    texts: dict[str, Any] = {
        "results": "".join(results),
        "issues": "".join(issues),
        "direction": direction,
        "direction_note": note,
        "internal_grade": m.grade if m.grade in DIRECTION_BY_GRADE else "",
        "grade_reason": _("成果指標の達成度と取組の状況を踏まえて評価しました。"),
    }
    if m.attention or _fraction("council" + m.code) < 0.25:
        texts["external_comment"] = _(
            "成果指標の動きを市民に分かりやすく示すとともに、取組の効果を検証し、"
            "次年度以降の事業に生かしてください。"
        )
    return texts


def _programme_texts(name: str, code: str, description: str) -> dict[str, Any]:
    f = _fraction(code)
    return {
        "purpose_target": _("市民（事業の対象となる方）"),
        "purpose_intent": description
        or _("%(name)sにより、施策の目指す姿に近づけます。") % {"name": name},
        "activities": _("%(name)sを計画どおり実施しました。") % {"name": name},
        "period": _("継続"),
        "staff_fte": Decimal(str(round(0.5 + f * 2.5, 1))),
        "staff_cost": int(round((0.5 + f * 2.5) * 8000)),
        "necessity": "a",
        "necessity_note": _("施策の目指す姿の実現に必要な事業です。"),
        "effectiveness": "a" if f < 0.6 else "b",
        "effectiveness_note": _("成果指標の改善に寄与しています。"),
        "efficiency": "b",
        "efficiency_note": _("実施方法の見直しにより、費用の抑制を図る余地があります。"),
        "equity": "a",
        "equity_note": _("対象者に公平に提供しています。"),
        "direction": "continue" if f < 0.8 else "improve",
        "direction_note": _("成果と費用を確認しながら継続します。"),
    }


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "デモ用の評価データを作ります（keikaku load-demo の後に実行します）。"
            "前期基本計画の最終年度の検証と、後期基本計画の初年度の評価について、"
            "すべての施策と事務事業の評価シートにデモ用の架空の文章を入れ、確認済みにして公開します。"
            "後期の初年度には、事務事業の事業費（決算）をデモ用に作ります。何度実行しても、"
            "文章が入っている評価シートは変更しません。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help=_("評価結果を公開しません（既定では公開します）。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.order_by("id").first()
        if municipality is None or not municipality.is_demo:
            raise CommandError(
                _("デモ用の自治体がありません。先に keikaku load-demo を実行してください。")
            )
        editions = Edition.objects.filter(plan__municipality=municipality)
        former = editions.filter(kind=Edition.Kind.FORMER).order_by("-start_fy").first()
        latter = editions.filter(kind=Edition.Kind.LATTER).order_by("-start_fy").first()
        if former is None or latter is None:
            raise CommandError(
                _(
                    "デモの前期・後期基本計画がありません。先に keikaku load-demo を実行してください。"
                )
            )
        with transaction.atomic():
            changed = 0
            targets = [(former, former.end_fy, True), (latter, latter.start_fy, False)]
            for edition, fy, final in targets:
                round_ = EvaluationRound.objects.filter(edition=edition, fiscal_year=fy).first()
                if round_ is None:
                    intro = _(
                        "この報告書は Keikaku のデモ用に作った架空のものです。施策名・指標・数値・"
                        "評価の文章は、実際の鶴ヶ島市のものではありません。"
                    )
                    round_ = services.round_create(
                        edition=edition,
                        fiscal_year=fy,
                        actor=ACTOR,
                        is_final=final,
                        introduction=intro,
                    )
                    changed += 1
                else:
                    changed += services.round_sync_sheets(round_=round_, actor=ACTOR)
                if not final:
                    changed += self._settled_costs(round_)
                changed += self._fill_sheets(round_)
                if not options["no_publish"] and (changed or round_.published_at is None):
                    services.round_publish(round_=round_, actor=ACTOR)
                    self.stdout.write(_("%(r)s の評価結果を公開しました。") % {"r": round_})
        if changed:
            self.stdout.write(_("デモ用の評価データを作りました（%(n)d 件）。") % {"n": changed})
        else:
            self.stdout.write(_("デモ用の評価データは作成済みです。何も変更していません。"))

    def _settled_costs(self, round_: EvaluationRound) -> int:
        created = 0
        fy = round_.fiscal_year
        planned = selectors.costs_for_year(round_, is_plan=True)
        settled = selectors.costs_for_year(round_, is_plan=False)
        for programme in selectors.programmes_of(round_.edition):
            plan = planned.get(programme.pk)
            if plan is None or plan.total is None or programme.pk in settled:
                continue
            factor = 0.88 + 0.1 * _fraction(f"{programme.code}:{fy}")
            total = int(round(plan.total * factor))
            parts = {
                name: int(round((getattr(plan, name) or 0) * factor))
                for name in ("national", "prefectural", "bonds", "other")
            }
            general = total - sum(parts.values())
            if general < 0:
                parts = dict.fromkeys(parts, 0)
                general = total
            plan_services.plan_object_create(
                obj=ProgrammeCost(
                    programme=programme,
                    fiscal_year=fy,
                    is_plan=False,
                    total=total,
                    general=general,
                    note=_("デモ用の架空の決算額"),
                    **parts,
                ),
                actor=ACTOR,
            )
            created += 1
        return created

    def _fill_sheets(self, round_: EvaluationRound) -> int:
        changed = 0
        report = selectors.round_report(round_)
        by_code = {m.code: m for m in report.measures}
        for sheet in MeasureEvaluation.objects.filter(round=round_).select_related("measure"):
            if sheet.results or sheet.issues or sheet.direction:
                continue
            measure = by_code.get(sheet.measure.code)
            if measure is None:
                continue
            texts = _measure_texts(measure, round_.fiscal_year, round_.is_final)
            services.sheet_update(
                sheet=sheet, actor=ACTOR, expected_version=sheet.version, changes=texts
            )
            self._confirm(sheet)
            changed += 1
        for psheet in ProgrammeEvaluation.objects.filter(round=round_).select_related("programme"):
            if psheet.purpose_intent or psheet.activities or psheet.direction:
                continue
            prog = psheet.programme
            services.sheet_update(
                sheet=psheet,
                actor=ACTOR,
                expected_version=psheet.version,
                changes=_programme_texts(prog.name, prog.code, prog.description),
            )
            f = _fraction("activity" + prog.code)
            planned = float(20 + int(f * 80))
            services.programme_indicators_save(
                sheet=psheet,
                actor=ACTOR,
                rows=[
                    {
                        "kind": ProgrammeIndicator.Kind.ACTIVITY,
                        "name": _("事業の実施回数"),
                        "unit": _("回"),
                        "planned": planned,
                        "actual": float(round(planned * (0.85 + 0.25 * f))),
                    }
                ],
            )
            self._confirm(psheet)
            changed += 1
        return changed

    def _confirm(self, sheet: Any) -> None:
        if sheet.status == SheetStatus.DRAFT:
            services.sheet_submit(sheet=sheet, actor=ACTOR, expected_version=sheet.version)
        if sheet.status == SheetStatus.SUBMITTED:
            services.sheet_confirm(sheet=sheet, actor=ACTOR, expected_version=sheet.version)
