"""The demo city's council and assembly record (鶴ヶ島市), written through the services.

Facts [S] (DOMAIN.md §1), marked 「公表資料で確認済み」 on the pages:
- the まちづくり審議会 met 6 times in 2024;
- the basic concept amendment passed the assembly on 2024-11-29 and the latter basic plan on
  2024-12-19, both 15 for and 2 against; the plan is in force from 2025-04-01.
Everything else is illustrative and marked 「説明用の例」: meeting dates, places and agendas,
members' names and affiliations (with 髙 and 𠮷 in names, as real rosters have), the call for
members and its applicants, the 諮問・答申, reports to the assembly, bill numbers, titles,
submission dates and committee review.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from keikaku.council import services
from keikaku.council.domain.recruitment import JAPAN, day_start, deadline_end_of_day
from keikaku.council.models import (
    Application,
    AssemblyReport,
    Bill,
    Council,
    CouncilDocument,
    CouncilMember,
    DataStatus,
    Meeting,
    MemberCategory,
    MemberPosition,
    Recruitment,
)
from keikaku.plans.models import Edition

ACTOR = "load-demo-council"
COUNCIL_NAME = "鶴ヶ島市まちづくり審議会"
D = dt.date
ILLUSTRATIVE = DataStatus.ILLUSTRATIVE
VERIFIED = DataStatus.VERIFIED

MEMBER_NOTE = "委員の氏名・所属・任期は説明用の架空の例です。実在の人物・団体とは関係ありません。"
MEETING_NOTE = (
    "審議会が令和6年（2024年）に6回開かれたことは公表された事実です。"
    "開催日・場所・議題・資料・出席者・議事録の内容は説明用の例です。"
)
BILL_NOTE = (
    "議決日・結果（可決）・賛否（賛成15、反対2）は公表された事実です。"
    "議案番号・件名・提出日・委員会の審査は説明用の例です。"
)
PLAN_BILL_NOTE = BILL_NOTE + "後期基本計画は令和7年4月1日から始まりました（公表された事実）。"
TERM_START = D(2023, 7, 1)
TERM_END = D(2025, 6, 30)


@dataclass(frozen=True)
class MemberSpec:
    name: str
    kana: str
    category: str
    affiliation: str
    position: str = MemberPosition.MEMBER


MEMBERS: tuple[MemberSpec, ...] = (
    MemberSpec(
        "髙橋 美和子",
        "たかはし みわこ",
        MemberCategory.ACADEMIC,
        "大学教員（都市計画）",
        MemberPosition.CHAIR,
    ),
    MemberSpec(
        "𠮷田 健一",
        "よしだ けんいち",
        MemberCategory.ACADEMIC,
        "大学教員（地域福祉）",
        MemberPosition.VICE_CHAIR,
    ),
    MemberSpec("山﨑 直子", "やまさき なおこ", MemberCategory.ACADEMIC, "地域金融機関"),
    MemberSpec("佐藤 一郎", "さとう いちろう", MemberCategory.ORGANISATION, "自治会の連合組織"),
    MemberSpec("鈴木 恵", "すずき めぐみ", MemberCategory.ORGANISATION, "商工団体"),
    MemberSpec("田中 浩二", "たなか こうじ", MemberCategory.ORGANISATION, "農業団体"),
    MemberSpec("伊藤 陽子", "いとう ようこ", MemberCategory.ORGANISATION, "社会福祉団体"),
    MemberSpec("渡辺 隆", "わたなべ たかし", MemberCategory.ORGANISATION, "子育て支援団体"),
    MemberSpec("中村 さくら", "なかむら さくら", MemberCategory.ORGANISATION, "教育関係団体"),
)


@dataclass(frozen=True)
class ApplicantSpec:
    name: str
    kana: str
    birth: dt.date
    eligibility: str
    essay: str
    selected: bool
    note: str


ESSAY_BASE = (
    "私は鶴ヶ島市に住んで十年になります。子どもが小学校に通うようになってから、地域の行事や"
    "見守りの活動に参加するようになり、まちの人とのつながりの大切さを感じてきました。"
    "これからの十年は、人口が少しずつ減り、高齢の方が増えていきます。だからこそ、若い世代も"
    "高齢の世代も、お互いに支え合えるまちにしたいと考えています。\n"
    "市の計画は、分厚い冊子で読みにくいと感じる人も多いと思います。計画が目指す姿を、"
    "市民一人ひとりが自分のこととして考えられるように、分かりやすい言葉で伝えることが"
    "大切です。私は審議会の委員として、市民の目線で素案を読み、分かりにくいところや、"
    "暮らしの実感とずれているところを率直に伝えたいと思います。\n"
)
ESSAY_CLOSING = (
    "\n市民の声が計画に生かされ、計画ができた後も、その進み具合を市民と市が一緒に確かめられる"
    "まちになるよう、審議会で丁寧に議論したいと思います。"
)


def _essay(extra: str) -> str:
    return ESSAY_BASE + extra + ESSAY_CLOSING


APPLICANTS: tuple[ApplicantSpec, ...] = (
    ApplicantSpec(
        "鶴ヶ島 花子",
        "つるがしま はなこ",
        D(1982, 6, 3),
        "resident",
        _essay("特に、共働きの家庭が安心して子育てできる環境づくりについて意見を述べたいです。"),
        True,
        "作文と面接により選任（説明用の例）",
    ),
    ApplicantSpec(
        "髙田 誠",
        "たかだ まこと",
        D(1956, 11, 20),
        "resident",
        _essay(
            "退職後は地域の防災活動に関わっており、災害に強いまちづくりについて考えてきました。"
        ),
        True,
        "作文と面接により選任（説明用の例）",
    ),
    ApplicantSpec(
        "𠮷川 葵",
        "よしかわ あおい",
        D(1999, 2, 14),
        "commuter",
        _essay("市内の事業所に勤める立場から、多様な働き方ができるまちについて提案したいです。"),
        True,
        "作文と面接により選任（説明用の例）",
    ),
    ApplicantSpec(
        "坂戸 次郎",
        "さかど じろう",
        D(1970, 8, 8),
        "resident",
        _essay("公共交通の使いやすさについて、日頃から感じていることを伝えたいと思います。"),
        False,
        "応募多数のため選外（説明用の例）",
    ),
)


@dataclass(frozen=True)
class MeetingSpec:
    number: int
    held_on: dt.date
    agenda: tuple[str, ...]
    observers: int
    absent: tuple[int, ...]  # indexes of members absent
    minutes: str


MEETINGS: tuple[MeetingSpec, ...] = (
    MeetingSpec(
        1,
        D(2024, 2, 8),
        (
            "委員の委嘱",
            "会長・副会長の選出",
            "後期基本計画の策定についての諮問",
            "市民意識調査の結果の報告",
        ),
        3,
        (5,),
        "事務局から後期基本計画の策定方針と日程を説明した。委員からは、市民意識調査の結果を"
        "計画にどう生かすのかについて質問があり、事務局は施策ごとに満足度と重要度を分析して"
        "素案の検討に用いると答えた。",
    ),
    MeetingSpec(
        2,
        D(2024, 4, 25),
        ("後期基本計画（素案）の審議（政策分野1・2）",),
        2,
        (),
        "子育て・教育と健康・福祉の分野について審議した。委員から、共働き世帯の増加を踏まえた"
        "放課後の居場所づくりを明記すべきとの意見があった。",
    ),
    MeetingSpec(
        3,
        D(2024, 5, 23),
        ("後期基本計画（素案）の審議（政策分野3～5）",),
        1,
        (3, 7),
        "都市基盤・環境・産業の分野について審議した。委員から、公共交通の利便性と、"
        "災害時の避難所運営について意見があった。",
    ),
    MeetingSpec(
        4,
        D(2024, 6, 20),
        ("後期基本計画（素案）の審議（政策分野6・7、重点戦略）", "素案のまとめ"),
        4,
        (),
        "重点戦略について審議し、素案をまとめた。市民コメントの実施について事務局から説明があった。",
    ),
    MeetingSpec(
        5,
        D(2024, 8, 22),
        ("市民コメントの結果の報告", "後期基本計画（原案）の審議"),
        2,
        (1,),
        "市民コメントに2件の意見が寄せられ、素案の修正はなかったことを事務局が報告した。"
        "原案について審議した。",
    ),
    MeetingSpec(
        6,
        D(2024, 9, 26),
        ("答申案の審議",),
        3,
        (),
        "答申案について審議し、原案のとおり答申することとした。",
    ),
)


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with an ASCII line of text (a placeholder for the real document)."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return bytes(out)


def _create(obj: Any, **provenance: Any) -> Any:
    for name, value in provenance.items():
        setattr(obj, name, value)
    return services.object_create(obj=obj, actor=ACTOR)


def _members(council: Council) -> list[CouncilMember]:
    members = []
    for order, spec in enumerate(MEMBERS, start=1):
        members.append(
            _create(
                CouncilMember(
                    council=council,
                    name=spec.name,
                    name_kana=spec.kana,
                    category=spec.category,
                    affiliation=spec.affiliation,
                    position=spec.position,
                    term_start=TERM_START,
                    term_end=TERM_END,
                    order=order,
                ),
                data_status=ILLUSTRATIVE,
                data_note=MEMBER_NOTE,
            )
        )
    return members


def _recruitment(council: Council) -> list[CouncilMember]:
    """The 2023 call for three members (closed), its four applicants and three appointed."""
    recruitment = _create(
        Recruitment(
            council=council,
            title="まちづくり審議会 公募委員の募集（説明用の例）",
            description="後期基本計画の策定にあたり、市民の視点から審議に参加する委員を募集しました。",
            seats=3,
            term_note="令和5年7月1日から令和7年6月30日まで（2年）",
            essay_theme="これからの鶴ヶ島市のまちづくりについて",
            essay_min_chars=400,
            essay_max_chars=800,
            starts_at=day_start(D(2023, 5, 15)),
            ends_at=deadline_end_of_day(D(2023, 6, 9)),
            other_channels="応募用紙に作文を添えて、郵送または持参で政策推進課へ（締切日必着）。",
            selection_method="作文と面接により選考します。",
            contact="総合政策部 政策推進課",
            is_published=True,
            result_note="4人の応募があり、作文と面接により3人を選任しました。",
        ),
        data_status=ILLUSTRATIVE,
        data_note="募集の内容・応募者はすべて説明用の架空の例です。",
    )
    appointed = []
    for i, spec in enumerate(APPLICANTS, start=1):
        result = services.application_submit(
            recruitment=recruitment,
            data=services.ApplicantInput(
                name=spec.name,
                name_kana=spec.kana,
                birth_date=spec.birth,
                address="埼玉県鶴ヶ島市（説明用の架空の住所）",
                phone="049-000-0000",
                email="",
                occupation="",
                eligibility=spec.eligibility,
                essay=spec.essay,
            ),
            form_token=uuid.uuid5(uuid.NAMESPACE_URL, f"keikaku-demo-applicant-{i}").hex,
            now=dt.datetime(2023, 5, 20 + i, 10, 0, tzinfo=JAPAN),
        )
        application = result.application
        Application.objects.filter(pk=application.pk).update(is_demo=True)
        services.application_decide(
            application=application,
            actor=ACTOR,
            status=Application.Status.SELECTED
            if spec.selected
            else Application.Status.NOT_SELECTED,
            decided_on=D(2023, 6, 20),
            note=spec.note,
        )
        if spec.selected:
            member = services.member_appoint(
                application=application, actor=ACTOR, term_start=TERM_START, term_end=TERM_END
            )
            CouncilMember.objects.filter(pk=member.pk).update(
                data_status=ILLUSTRATIVE, data_note=MEMBER_NOTE
            )
            member.refresh_from_db()
            appointed.append(member)
    return appointed


def _open_call(council: Council, today: dt.date) -> Recruitment:
    """A call that is open when the demo is loaded, so the form can be tried."""
    return _create(
        Recruitment(
            council=council,
            title="次期まちづくり審議会 公募委員の募集（説明用の例）",
            description="次の任期の委員を募集します。これは説明用の例で、応募しても選考は行いません。",
            seats=3,
            term_note="委嘱の日から2年",
            essay_theme="わたしが考える、誰もが暮らしやすいまち",
            essay_min_chars=400,
            essay_max_chars=800,
            starts_at=day_start(today - dt.timedelta(days=3)),
            ends_at=deadline_end_of_day(today + dt.timedelta(days=30)),
            other_channels="応募用紙に作文を添えて、郵送または持参で政策推進課へ（締切日必着）。",
            selection_method="作文と面接により選考します。",
            contact="総合政策部 政策推進課",
            is_published=True,
        ),
        data_status=ILLUSTRATIVE,
        data_note="説明用の例です。",
    )


def _meetings(council: Council, members: list[CouncilMember]) -> list[Meeting]:
    meetings = []
    for spec in MEETINGS:
        meeting = _create(
            Meeting(
                council=council,
                number=spec.number,
                held_on=spec.held_on,
                start_time="14:00",
                end_time="16:00",
                place="鶴ヶ島市役所 会議室",
                is_open=True,
                agenda="\n".join(spec.agenda),
                observers=spec.observers,
                is_published=True,
            ),
            data_status=ILLUSTRATIVE,
            data_note=MEETING_NOTE,
        )
        services.meeting_material_add(
            meeting=meeting,
            title=f"第{spec.number}回 会議資料（説明用）",
            filename=f"meeting-{spec.number}.pdf",
            data=demo_pdf(f"Illustrative material - council meeting {spec.number} (demo)"),
            actor=ACTOR,
        )
        present = [m.pk for i, m in enumerate(members) if i not in spec.absent]
        services.attendance_set(meeting=meeting, present_ids=present, actor=ACTOR)
        minutes = services.minutes_save(
            meeting=meeting, actor=ACTOR, body=spec.minutes, expected_version=None
        )
        if spec.number < len(MEETINGS):
            # Minutes of the last meeting are still being checked: not yet public.
            services.minutes_approve(
                minutes=minutes,
                actor=ACTOR,
                approved_on=spec.held_on + dt.timedelta(days=21),
                note="会長及び出席委員の確認を経た（説明用）",
            )
            services.minutes_publish(minutes=minutes, actor=ACTOR)
        meetings.append(meeting)
    return meetings


def _documents(council: Council, meetings: list[Meeting], edition: Edition) -> None:
    inquiry = _create(
        CouncilDocument(
            council=council,
            kind=CouncilDocument.Kind.INQUIRY,
            title="第6次鶴ヶ島市総合計画後期基本計画の策定について（諮問）",
            dated_on=meetings[0].held_on,
            addressee="鶴ヶ島市まちづくり審議会",
            summary="後期基本計画の策定について、審議会の意見を求めます。",
            meeting=meetings[0],
            edition=edition,
            is_published=True,
        ),
        data_status=ILLUSTRATIVE,
        data_note="諮問・答申の日付と内容は説明用の例です。",
    )
    report = _create(
        CouncilDocument(
            council=council,
            kind=CouncilDocument.Kind.REPORT,
            title="第6次鶴ヶ島市総合計画後期基本計画の策定について（答申）",
            dated_on=D(2024, 10, 3),
            addressee="鶴ヶ島市長",
            summary=(
                "後期基本計画（原案）は、おおむね妥当と認めます。\n"
                "計画の推進にあたっては、次の点に留意してください。\n"
                "1. 市民に分かりやすい言葉で計画を伝えること。\n"
                "2. 成果指標の達成状況を毎年公表し、市民とともに進み具合を確かめること。"
            ),
            meeting=meetings[-1],
            edition=edition,
            is_published=True,
        ),
        data_status=ILLUSTRATIVE,
        data_note="諮問・答申の日付と内容は説明用の例です。",
    )
    for doc in (inquiry, report):
        services.document_file_set(
            document=doc,
            filename=f"document-{doc.pk}.pdf",
            data=demo_pdf(f"Illustrative document {doc.pk} (demo)"),
            actor=ACTOR,
        )


def _assembly(edition: Edition) -> tuple[Bill, Bill]:
    for reported_on, committee, title, summary in (
        (
            D(2023, 12, 15),
            "全員協議会",
            "市民意識調査の結果と後期基本計画の策定状況について",
            "市民意識調査の結果と、後期基本計画の策定方針・日程を報告しました。",
        ),
        (
            D(2024, 9, 27),
            "全員協議会",
            "後期基本計画（原案）について",
            "まちづくり審議会での審議と市民コメントを経てまとめた原案を説明しました。",
        ),
    ):
        report = _create(
            AssemblyReport(
                reported_on=reported_on,
                committee=committee,
                title=title,
                summary=summary,
                edition=edition,
                is_published=True,
            ),
            data_status=ILLUSTRATIVE,
            data_note="議会への報告の日付・会議・内容は説明用の例です。",
        )
        services.assembly_material_add(
            report=report,
            title=f"{title}（資料・説明用）",
            filename=f"assembly-{report.pk}.pdf",
            data=demo_pdf(f"Illustrative report to the assembly {report.pk} (demo)"),
            actor=ACTOR,
        )
    concept = services.bill_create(
        bill=Bill(
            number="議案第70号",
            session="令和6年第4回定例会",
            title="第6次鶴ヶ島市総合計画基本構想の一部改正について",
            target="basic_concept",
            edition=edition,
            submitted_on=D(2024, 11, 29),
            vote_on=D(2024, 11, 29),
            result="passed",
            votes_for=15,
            votes_against=2,
            summary="後期基本計画の策定にあわせて、基本構想の一部を改正するものです。",
            is_published=True,
            data_status=VERIFIED,
            illustrative_fields=["number", "session", "title", "submitted_on"],
            data_note=BILL_NOTE,
        ),
        actor=ACTOR,
    )
    plan = services.bill_create(
        bill=Bill(
            number="議案第71号",
            session="令和6年第4回定例会",
            title="第6次鶴ヶ島市総合計画後期基本計画の策定について",
            target="basic_plan",
            edition=edition,
            submitted_on=D(2024, 11, 29),
            committee="総務常任委員会",
            committee_decided_on=D(2024, 12, 9),
            committee_result="passed",
            vote_on=D(2024, 12, 19),
            result="passed",
            votes_for=15,
            votes_against=2,
            effective_on=D(2025, 4, 1),
            summary="令和7年度から令和11年度までの後期基本計画を定めるものです。",
            is_published=True,
            data_status=VERIFIED,
            illustrative_fields=[
                "number",
                "session",
                "title",
                "submitted_on",
                "committee",
                "committee_decided_on",
                "committee_result",
            ],
            data_note=PLAN_BILL_NOTE,
        ),
        actor=ACTOR,
    )
    return concept, plan


@transaction.atomic
def load(*, edition: Edition, today: dt.date | None = None) -> Council | None:
    """Create the demo record once; None (and no change) when it is there already."""
    if Council.objects.filter(name=COUNCIL_NAME).exists():
        return None
    today = today or timezone.localdate()
    council = _create(
        Council(
            name=COUNCIL_NAME,
            description=(
                "市民や有識者によって構成する審議会です。市民意識調査の結果などの基礎データを踏まえ、"
                "総合計画（素案）について、市民の視点に立って集中的に議論します。"
                "委員の一部は公募で選び、会議は公開で開き、議事録を公開しています。"
            ),
            contact="総合政策部 政策推進課",
            is_published=True,
        )
    )
    members = _members(council)
    members += _recruitment(council)
    meetings = _meetings(council, members)
    _documents(council, meetings, edition)
    _open_call(council, today)
    _assembly(edition)
    return council
