"""Builders for the analysis tests: a plan with four measures, a public comment round with
citizens' comments (through the opinion store's services), staff users."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from keikaku.participation.models import PublicCommentRound
from keikaku.participation.tests.factories import make_round, submit_comment
from keikaku.plans import models as pm
from keikaku.plans.tests.factories import SmallPlan, make_small_plan

# (text, age band, district): the comments of the round, in the order they arrive.
COMMENTS: tuple[tuple[str, str, str], ...] = (
    ("保育園の待機児童をなくしてください。育休明けに入れる保育園がありません。", "30s", "本町"),
    ("ｺﾐｭﾆﾃｨﾊﾞｽの本数を増やしてほしい。駅まで行く手段がありません。", "70s", "西台"),
    ("コミュニティバスの本数を増やしてほしい！駅まで行く手段がありません", "60s", "西台"),
    ("公園の遊具が古くて危ないので、新しくしてください。", "30s", "東原"),
    ("公園のトイレが汚い。ベンチも少ないです。", "40s", "本町"),
    ("子ども医療費の助成を高校生まで広げてほしい。", "40s", "東原"),
    ("バスの時刻表が見にくいです。駅の乗り換えも不便。", "50s", "西台"),
    ("市民プールの営業期間を延ばしてほしい。体育館の予約も取りにくい。", "20s", "本町"),
    ("学童保育室の定員を増やしてください。連絡は 049-123-4567 まで。", "30s", "東原"),
)


@dataclass
class AnalysisPlan:
    small: SmallPlan
    measures: dict[str, pm.Measure]

    @property
    def edition(self) -> pm.Edition:
        return self.small.edition


def make_analysis_plan() -> AnalysisPlan:
    """The small plan (1-1 子育て支援の充実) plus 4-2 公共交通, 4-3 公園・緑地, 7-2 スポーツ."""
    small = make_small_plan()
    area4 = pm.PolicyArea.objects.create(edition=small.edition, number=4, title="都市基盤")
    area7 = pm.PolicyArea.objects.create(edition=small.edition, number=7, title="生涯学習")
    measures = {"1-1": small.measure}
    specs = [
        (
            area4,
            "4-2",
            "公共交通の充実",
            "車がなくても市内を自由に移動できる",
            "路線バスの維持とコミュニティバスの運行見直しに取り組みます。",
            ["コミュニティバスの運行", "駅のバリアフリー化"],
            "公共交通の利用者数",
        ),
        (
            area4,
            "4-3",
            "公園・緑地の整備",
            "緑に親しみ、公園で世代を超えて交流している",
            "遊具やトイレの更新、木陰やベンチの整備に取り組みます。",
            ["公園遊具の更新", "公園トイレの改修"],
            "公園の満足度",
        ),
        (
            area7,
            "7-2",
            "スポーツの推進",
            "誰もが気軽にスポーツを楽しんでいる",
            "総合体育館や市民プールなどの施設の維持と更新に取り組みます。",
            ["市民プールの運営", "総合体育館の改修"],
            "週1回以上スポーツをする市民の割合",
        ),
    ]
    for order, (area, code, title, vision, issues, initiatives, indicator) in enumerate(specs):
        m = pm.Measure.objects.create(
            area=area,
            code=code,
            order=order,
            title=title,
            target_state=vision,
            current_issues=issues,
        )
        for n, name in enumerate(initiatives):
            pm.Initiative.objects.create(measure=m, order=n, title=name)
        pm.Indicator.objects.create(measure=m, code=f"{code}-1", name=indicator, unit="%")
        measures[code] = m
    pm.Initiative.objects.create(measure=small.measure, order=1, title="子ども医療費の助成")
    pm.Initiative.objects.create(measure=small.measure, order=2, title="学童保育室の定員拡大")
    return AnalysisPlan(small, measures)


def make_comment_round(plan: AnalysisPlan) -> tuple[PublicCommentRound, list[str]]:
    """A published round with COMMENTS; returns the round and the receipt numbers."""
    rnd = make_round(plan.small)
    receipts = [
        submit_comment(rnd, text, age_band=age, district=district).receipt_number
        for text, age, district in COMMENTS
    ]
    return rnd, receipts


def make_analyst(username: str = "kouchou", *, full_name: str = "𠮷田 花子"):
    """A staff user with the analysis right only."""
    User = get_user_model()
    last, _sep, first = full_name.partition(" ")
    user = User.objects.create_user(
        username=username,
        password="pass-for-tests-1",
        is_staff=True,
        last_name=last,
        first_name=first,
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="analysis", codename="analyse_opinions")
    )
    return User.objects.get(pk=user.pk)


def make_viewer(username: str = "etsuran"):
    """A staff user without the analysis right (may look, may not decide)."""
    User = get_user_model()
    user = User.objects.create_user(
        username=username, password="pass-for-tests-1", is_staff=True, last_name="閲覧"
    )
    return User.objects.get(pk=user.pk)
