"""Demo data of the formulation of Tsurugashima's latter basic plan (後期基本計画).

What is from the published sources [S]: the organisation (seed §4: 策定本部 本体会議 of the
deputy mayor and directors, 5 specialist subcommittees led by directors, 部会長会議, the
secretariat in 総合政策部 政策推進課, a consultant, the management council deciding the final
draft), the schedule by fiscal quarter (seed §5), the dates of the two assembly votes
(2024-11-29 basic concept amendment, 2024-12-19 latter basic plan, both 15–2), the public
comment (the city calls it 市民コメント) with 2 opinions and no change, 6 council meetings in
2024, in force 2025-04-01.

Illustrative [U] (デモ用の架空データ): every person's name, which directors lead which
subcommittee, how the 7 policy areas are shared among the 5 subcommittees, the day-level
dates inside each quarter and the review history of the drafts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonSpec:
    username: str
    last_name: str
    first_name: str
    section: str | None  # department code of keikaku.plans.demo (e.g. "0101"); None: none


@dataclass(frozen=True)
class MemberSpec:
    username: str
    role: str  # chair / vice_chair / member
    title: str


@dataclass(frozen=True)
class BodySpec:
    key: str
    kind: str
    name: str
    description: str
    members: tuple[MemberSpec, ...]
    areas: tuple[int, ...] = ()
    department: str | None = None


@dataclass(frozen=True)
class TaskSpec:
    key: str
    title: str
    kind: str
    start: dt.date
    end: dt.date
    owner: str  # body key
    public: bool = False
    note: str = ""
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseSpec:
    fiscal_year: int
    quarter: int
    title: str
    tasks: tuple[TaskSpec, ...]
    description: str = ""


D = dt.date

# People (fictional names). "jimukyoku" (𠮷田 花子) and "henshu" (髙橋 一郎) come from load-demo.
PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec("shicho", "鶴田", "正和", None),
    PersonSpec("fukushicho", "若葉", "義男", None),
    PersonSpec("kyoikucho", "富士見", "節子", "0901"),
    PersonSpec("bucho-seisaku", "高倉", "健", "0101"),
    PersonSpec("bucho-somu", "脚折", "誠", "0201"),
    PersonSpec("bucho-shimin", "五味ヶ谷", "和子", "0301"),
    PersonSpec("bucho-kankyo", "太田ヶ谷", "浩", "0401"),
    PersonSpec("bucho-fukushi", "上広谷", "恵子", "0501"),
    PersonSpec("bucho-kodomo", "下新田", "直子", "0601"),
    PersonSpec("bucho-toshi", "藤金", "隆", "0701"),
    PersonSpec("bucho-suido", "三ツ木", "勝", "0801"),
    PersonSpec("bucho-kyoiku", "町屋", "康弘", "0901"),
    PersonSpec("kacho-seisaku", "大塚", "祐介", "0101"),
    PersonSpec("seisaku-shusa", "中新田", "美咲", "0101"),
    PersonSpec("kacho-zaisei", "羽折", "明", "0102"),
    PersonSpec("kacho-digital", "新町", "亮", "0104"),
    PersonSpec("kacho-kiki", "松ヶ丘", "剛", "0203"),
    PersonSpec("kacho-shiminkatsudo", "共栄", "陽子", "0301"),
    PersonSpec("kacho-kankyo", "南町", "大輔", "0402"),
    PersonSpec("kacho-sangyo", "柳戸", "智子", "0403"),
    PersonSpec("kacho-fukushi", "鶴ヶ丘", "修", "0501"),
    PersonSpec("kacho-kenko", "富士見", "真理", "0505"),
    PersonSpec("kacho-hoiku", "大橋", "里美", "0602"),
    PersonSpec("kacho-toshikeikaku", "新田", "崇", "0701"),
    PersonSpec("kacho-doro", "鶴ヶ岡", "進", "0703"),
    PersonSpec("kacho-gakko", "脚折町", "由美", "0902"),
    PersonSpec("consultant", "計画", "太郎", None),
)

M = MemberSpec

BODIES: tuple[BodySpec, ...] = (
    BodySpec(
        "hq",
        "headquarters",
        "第6次鶴ヶ島市総合計画策定本部（本体会議）",
        "計画案策定の総合調整と検討の最上位の会議。市の将来見通し、計画の基本的な枠組みの案の作成、"
        "策定作業の進行管理、最終案の作成を行います。",
        (
            M("fukushicho", "chair", "副市長（本部長）"),
            M("kyoikucho", "vice_chair", "教育長"),
            M("bucho-seisaku", "member", "総合政策部長"),
            M("bucho-somu", "member", "総務部長"),
            M("bucho-shimin", "member", "市民生活部長"),
            M("bucho-kankyo", "member", "環境産業部長"),
            M("bucho-fukushi", "member", "健康福祉部長"),
            M("bucho-kodomo", "member", "こども支援部長"),
            M("bucho-toshi", "member", "都市整備部長"),
            M("bucho-suido", "member", "上下水道部長"),
            M("bucho-kyoiku", "member", "教育部長"),
        ),
    ),
    BodySpec(
        "sub1",
        "subcommittee",
        "第1専門部会（子育て・教育）",
        "所管分野の調査・検討を行い、所管分野の計画素案を作成します。",
        (
            M("bucho-kodomo", "chair", "こども支援部長（部会長）"),
            M("bucho-kyoiku", "member", "教育部長"),
            M("kacho-hoiku", "member", "保育課長"),
            M("kacho-gakko", "member", "学校教育課長"),
            M("henshu", "member", "こども支援課"),
        ),
        areas=(1,),
    ),
    BodySpec(
        "sub2",
        "subcommittee",
        "第2専門部会（健康・福祉）",
        "所管分野の調査・検討を行い、所管分野の計画素案を作成します。",
        (
            M("bucho-fukushi", "chair", "健康福祉部長（部会長）"),
            M("kacho-fukushi", "member", "福祉政策課長"),
            M("kacho-kenko", "member", "健康長寿課長"),
        ),
        areas=(2,),
    ),
    BodySpec(
        "sub3",
        "subcommittee",
        "第3専門部会（安全・安心、都市基盤）",
        "所管分野の調査・検討を行い、所管分野の計画素案を作成します。",
        (
            M("bucho-toshi", "chair", "都市整備部長（部会長）"),
            M("bucho-suido", "member", "上下水道部長"),
            M("kacho-kiki", "member", "危機管理課長"),
            M("kacho-toshikeikaku", "member", "都市計画課長"),
            M("kacho-doro", "member", "道路建設課長"),
        ),
        areas=(3, 4),
    ),
    BodySpec(
        "sub4",
        "subcommittee",
        "第4専門部会（環境、産業・経済）",
        "所管分野の調査・検討を行い、所管分野の計画素案を作成します。",
        (
            M("bucho-kankyo", "chair", "環境産業部長（部会長）"),
            M("kacho-kankyo", "member", "環境保全課長"),
            M("kacho-sangyo", "member", "産業振興課長"),
        ),
        areas=(5, 6),
    ),
    BodySpec(
        "sub5",
        "subcommittee",
        "第5専門部会（市民協働・行財政）",
        "所管分野の調査・検討を行い、所管分野の計画素案を作成します。",
        (
            M("bucho-somu", "chair", "総務部長（部会長）"),
            M("bucho-shimin", "member", "市民生活部長"),
            M("kacho-shiminkatsudo", "member", "市民活動推進課長"),
            M("kacho-zaisei", "member", "財政課長"),
            M("kacho-digital", "member", "デジタル推進課長"),
        ),
        areas=(7,),
    ),
    BodySpec(
        "leads",
        "leads_meeting",
        "部会長会議",
        "各専門部会の連携を図るため、必要に応じて開催します。",
        (
            M("bucho-seisaku", "chair", "総合政策部長"),
            M("bucho-kodomo", "member", "第1専門部会長"),
            M("bucho-fukushi", "member", "第2専門部会長"),
            M("bucho-toshi", "member", "第3専門部会長"),
            M("bucho-kankyo", "member", "第4専門部会長"),
            M("bucho-somu", "member", "第5専門部会長"),
        ),
    ),
    BodySpec(
        "secretariat",
        "secretariat",
        "事務局（総合政策部 政策推進課）",
        "計画に係る全般の調整及び庶務を行います。",
        (
            M("kacho-seisaku", "chair", "政策推進課長"),
            M("seisaku-shusa", "member", "政策推進課 主査"),
            M("jimukyoku", "member", "政策推進課"),
        ),
        department="0101",
    ),
    BodySpec(
        "council",
        "management_council",
        "経営会議",
        "策定本部が作成した計画案を、最終案として決定します。",
        (
            M("shicho", "chair", "市長"),
            M("fukushicho", "member", "副市長"),
            M("kyoikucho", "member", "教育長"),
            M("bucho-seisaku", "member", "総合政策部長"),
            M("bucho-somu", "member", "総務部長"),
        ),
    ),
    BodySpec(
        "consultant",
        "consultant",
        "策定支援コンサルタント",
        "各種審議会等の運営支援など、計画策定作業を支援します（市民の個人情報は扱いません）。",
        (M("consultant", "member", "策定支援業務 担当者"),),
    ),
)

T = TaskSpec

PHASES: tuple[PhaseSpec, ...] = (
    PhaseSpec(
        2023,
        1,
        "策定基本方針等、庁内準備作業",
        (
            T("policy", "策定方針の決定", "decision", D(2023, 4, 3), D(2023, 5, 31), "hq"),
            T(
                "setup",
                "庁内検討組織等設置",
                "work",
                D(2023, 5, 1),
                D(2023, 6, 30),
                "secretariat",
                depends_on=("policy",),
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2023,
        2,
        "市民意識調査及び基礎調査・ニーズ等の把握",
        (
            T(
                "survey",
                "アンケート（市民意識調査）の実施",
                "participation",
                D(2023, 7, 1),
                D(2023, 8, 31),
                "secretariat",
                public=True,
                note="無作為に選んだ市民の皆さんにアンケートをお送りしました。",
            ),  # fmt: skip
            T(
                "groups",
                "各種団体へのヒアリング実施",
                "participation",
                D(2023, 7, 1),
                D(2023, 9, 30),
                "secretariat",
                public=True,
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2023,
        2,
        "現行計画の分析",
        (
            T(
                "review",
                "前期基本計画の進捗確認・分析と課題抽出",
                "work",
                D(2023, 7, 1),
                D(2023, 9, 30),
                "secretariat",
            ),  # fmt: skip
            T(
                "hearings1",
                "施策の成果・課題の把握（各課ヒアリング）",
                "work",
                D(2023, 8, 1),
                D(2023, 9, 30),
                "leads",
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2023,
        3,
        "調査結果の分析・まとめ",
        (
            T(
                "analysis",
                "調査結果の分析・まとめ",
                "work",
                D(2023, 10, 1),
                D(2023, 11, 30),
                "secretariat",
                depends_on=("survey", "groups", "review"),
            ),  # fmt: skip
            T(
                "assembly_report",
                "議会報告",
                "report",
                D(2023, 12, 1),
                D(2023, 12, 22),
                "secretariat",
                public=True,
                depends_on=("analysis",),
            ),  # fmt: skip
            T(
                "publish_results",
                "調査結果の公表",
                "report",
                D(2023, 12, 1),
                D(2023, 12, 28),
                "secretariat",
                public=True,
                depends_on=("analysis",),
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2023,
        4,
        "後期基本計画の素案検討",
        (
            T("hearings2", "各課ヒアリング", "work", D(2024, 1, 9), D(2024, 2, 29), "secretariat"),
            T(
                "subcommittees",
                "専門部会による素案の検討",
                "work",
                D(2024, 1, 9),
                D(2024, 3, 29),
                "leads",
                depends_on=("analysis",),
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2024,
        1,
        "素案審議・まとめ",
        (
            T(
                "draft",
                "素案作成",
                "work",
                D(2024, 4, 1),
                D(2024, 5, 15),
                "secretariat",
                depends_on=("subcommittees",),
            ),  # fmt: skip
            T(
                "council_review",
                "まちづくり審議会による素案審議",
                "meeting",
                D(2024, 4, 15),
                D(2024, 6, 28),
                "secretariat",
                public=True,
                note="審議会は公開で開き、議事録を公開しています（令和6年に6回開催）。",
                depends_on=("draft",),
            ),  # fmt: skip
            T(
                "draft_final",
                "素案まとめ",
                "work",
                D(2024, 6, 1),
                D(2024, 6, 28),
                "hq",
                depends_on=("council_review",),
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2024,
        1,
        "素案公表",
        (
            T(
                "public_comment",
                "パブリックコメント（市民コメント）の実施",
                "participation",
                D(2024, 6, 1),
                D(2024, 6, 30),
                "secretariat",
                public=True,
                note="素案を公表し、意見を募集しました。2件のご意見をいただき、市の考え方を公表しました"
                "（素案の修正はありませんでした）。",
            ),  # fmt: skip
            T(
                "exchanges",
                "意見交換会等の実施",
                "participation",
                D(2024, 5, 15),
                D(2024, 6, 30),
                "secretariat",
                public=True,
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2024,
        2,
        "後期基本計画の原案決定",
        (
            T(
                "final_draft",
                "基本構想・基本計画の原案作成",
                "work",
                D(2024, 7, 1),
                D(2024, 8, 30),
                "hq",
                depends_on=("draft_final", "public_comment"),
            ),  # fmt: skip
            T(
                "decision",
                "経営会議による最終案の決定",
                "decision",
                D(2024, 9, 2),
                D(2024, 9, 30),
                "council",
                depends_on=("final_draft",),
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2024,
        3,
        "議案の提出・議決",
        (
            T(
                "bills",
                "議案（基本構想、基本計画）提出",
                "decision",
                D(2024, 11, 1),
                D(2024, 11, 29),
                "secretariat",
                public=True,
                depends_on=("decision",),
            ),  # fmt: skip
            T(
                "vote_concept",
                "基本構想の変更の議決",
                "decision",
                D(2024, 11, 29),
                D(2024, 11, 29),
                "secretariat",
                public=True,
                note="市議会で可決されました（賛成15、反対2）。",
                depends_on=("bills",),
            ),  # fmt: skip
            T(
                "vote_plan",
                "後期基本計画の議決",
                "decision",
                D(2024, 12, 19),
                D(2024, 12, 19),
                "secretariat",
                public=True,
                note="市議会で可決されました（賛成15、反対2）。",
                depends_on=("bills",),
            ),  # fmt: skip
        ),
    ),
    PhaseSpec(
        2024,
        4,
        "計画の策定",
        (
            T(
                "publish_plan",
                "計画書の作成・公表",
                "report",
                D(2025, 1, 6),
                D(2025, 3, 31),
                "secretariat",
                public=True,
                note="後期基本計画は令和7年4月1日から始まりました。",
                depends_on=("vote_plan",),
            ),  # fmt: skip
        ),
    ),
)

# Review history of the demo drafts (illustrative): (action, date, actor username, comment).
HISTORY: tuple[tuple[str, dt.date, str, str], ...] = (
    ("submit", D(2024, 3, 15), "@lead", ""),
    ("approve", D(2024, 4, 10), "fukushicho", ""),
    ("promote_draft", D(2024, 5, 20), "kacho-seisaku", ""),
    ("promote_final", D(2024, 8, 30), "fukushicho", ""),
    ("decide", D(2024, 9, 20), "shicho", ""),
    (
        "enact",
        D(2024, 12, 19),
        "kacho-seisaku",
        "後期基本計画は令和6年12月19日に市議会で議決されました。",
    ),
)

# One measure gets a return-and-revise cycle before the history above, so that the demo shows
# a returned draft and a diff between versions.
RETURNED_MEASURE_CODE_INDEX = 0  # the first measure of area 1
RETURN_COMMENT = (
    "現状と課題に、共働き世帯の増加だけでなく、相談支援の状況も書いてください。"
    "目指す姿は市民に分かる言葉にしてください。"
)

SUMMARY = (
    "市は、令和7年度から令和11年度までの後期基本計画をつくりました。"
    "令和5年度から2年かけて、市民意識調査、まちづくり審議会での審議、市民コメントを行い、"
    "令和6年12月19日に市議会で議決されました。"
)
