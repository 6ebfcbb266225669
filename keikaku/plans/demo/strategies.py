"""Priority strategies (重点戦略) of the demo plan.

The three names of the latter plan are real ([S], DOMAIN.md §1); their descriptions, numeric
goals, linked measures and KPIs are illustrative. The former plan's three strategies are
entirely illustrative: their real names are not loaded here ([U]).
"""

from __future__ import annotations

from keikaku.plans.demo.specs import ILLUSTRATIVE, StrategySpec
from keikaku.plans.demo.specs import IndicatorSpec as K

_BIRTH_RATE = K(
    "合計特殊出生率",
    "",
    "increase",
    1.05,
    1.12,
    1.20,
    decimals=2,
    as_of="apr1",
    source="埼玉県の保健統計を基にした推計",
    description="一人の女性が一生の間に産む子どもの数に相当します。",
)
_YOUNG_MIGRATION = K(
    "子育て世代（25〜44歳）の転入超過数",
    "人",
    "increase",
    95,
    140,
    180,
    covid_dip=False,
    source="住民基本台帳人口移動報告",
    description="転入者数から転出者数を引いた人数です。",
)
_HEALTHY_MEN = K(
    "65歳健康寿命（男性）",
    "年",
    "increase",
    17.62,
    18.00,
    18.40,
    decimals=2,
    source="埼玉県の算出方法による",
    description="65歳の人が、要介護2以上になるまでの期間の平均です。",
)
_HEALTHY_WOMEN = K(
    "65歳健康寿命（女性）",
    "年",
    "increase",
    20.31,
    20.60,
    21.00,
    decimals=2,
    source="埼玉県の算出方法による",
)
_WORKERS = K(
    "市内事業所の従業者数",
    "人",
    "increase",
    24500,
    25300,
    26500,
    source="経済センサスを基にした推計",
)
_WORKSTYLE = K(
    "自分に合った働き方ができていると感じる市民の割合",
    "%",
    "increase",
    52.0,
    58.0,
    65.0,
    decimals=1,
    survey=True,
)

LATTER_STRATEGIES: tuple[StrategySpec, ...] = (
    StrategySpec(
        1,
        "こどもにやさしいまちづくり",
        "A child-friendly city",
        "子どもと子育て家庭を地域全体で支え、若い世代が「住み続けたい」「住んでみたい」と思えるまちをつくります。",
        f"数値目標：合計特殊出生率 1.20（令和11年）、子育て世代の転入超過数 180人（令和11年度）。（{ILLUSTRATIVE}）",
        ("1-1", "1-2", "1-3", "1-5", "3-4", "5-5"),
        (_BIRTH_RATE, _YOUNG_MIGRATION),
    ),
    StrategySpec(
        2,
        "いつまでも健康でいられるまちづくり",
        "A city where everyone stays healthy",
        "健康づくり、介護予防、スポーツ、食を結びつけ、市民が年齢を重ねても元気に暮らせるまちをつくります。",
        f"数値目標：65歳健康寿命 男性 18.40年・女性 21.00年（令和11年）。（{ILLUSTRATIVE}）",
        ("2-1", "2-2", "2-4", "1-7", "6-1"),
        (_HEALTHY_MEN, _HEALTHY_WOMEN),
    ),
    StrategySpec(
        3,
        "多様な働き方が実現できるまちづくり",
        "A city of diverse ways of working",
        "デジタル技術を生かし、企業誘致、創業支援、テレワーク、子育てとの両立支援により、一人ひとりに合った働き方ができるまちをつくります。",
        f"数値目標：市内事業所の従業者数 26,500人（令和11年度）。（{ILLUSTRATIVE}）",
        ("6-2", "6-3", "7-5", "7-2", "1-2", "4-4"),
        (_WORKERS, _WORKSTYLE),
    ),
)

_FORMER_NOTE = f"（重点戦略の名称と内容は{ILLUSTRATIVE}です。）"

FORMER_STRATEGIES: tuple[StrategySpec, ...] = (
    StrategySpec(
        1,
        "子育て世代に選ばれるまちづくり",
        "",
        "妊娠・出産から子育て、教育まで切れ目なく支え、子育て世代の定住と転入を促します。"
        + _FORMER_NOTE,
        f"数値目標：子育て世代の転入超過数 140人（令和6年度）。（{ILLUSTRATIVE}）",
        ("1-1", "1-2", "1-3", "1-5"),
        (_YOUNG_MIGRATION,),
    ),
    StrategySpec(
        2,
        "健康長寿で安心して暮らせるまちづくり",
        "",
        "健康づくりと地域医療、介護予防、防災を進め、高齢になっても安心して暮らせるまちをつくります。"
        + _FORMER_NOTE,
        f"数値目標：65歳健康寿命（男性）18.00年（令和6年）。（{ILLUSTRATIVE}）",
        ("2-1", "2-2", "2-4", "3-1"),
        (_HEALTHY_MEN,),
    ),
    StrategySpec(
        3,
        "地域の活力と雇用を生み出すまちづくり",
        "",
        "企業誘致と創業支援、駅周辺の整備により、にぎわいと雇用を生み出します。" + _FORMER_NOTE,
        f"数値目標：市内事業所の従業者数 25,300人（令和6年度）。（{ILLUSTRATIVE}）",
        ("6-2", "6-3", "6-4", "4-2"),
        (_WORKERS,),
    ),
)
