"""``keikaku load-demo-participation``: an illustrative history of citizens' voices on the
demo city's latter basic plan.

Creates once (running it again changes nothing):

- the proposal box (常時募集): six opinions and proposals from 2024 and 2025 that came by
  the web form, e-mail, phone and on paper, at different stages (受付 / 担当課確認中 /
  対応済, one with a recorded reply, one hidden with a reason);
- an opinion exchange with a child-rearing group (意見交換会) with two opinions;
- one closed public comment round on the latter plan's draft (素案, taken from the plan
  structure): three opinions from two people, grouped and answered, result published.
  Tsurugashima's real round (市民コメント) drew 2 opinions and changed nothing; the demo
  stays as small and changes nothing either.

Every name, address, opinion and answer is fictitious and marked 説明用の例 on the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from keikaku.accounts.models import Department
from keikaku.participation import services
from keikaku.participation.models import (
    Channel,
    Eligibility,
    Hearing,
    Opinion,
    OpinionReply,
    PublicCommentRound,
    Source,
    TargetKind,
)
from keikaku.plans.models import Edition, Measure

ACTOR = "load-demo-participation"
ROUND_TITLE = "後期基本計画（素案）への市民コメント（説明用の例）"
JST = dt.timezone(dt.timedelta(hours=9), "JST")
DEMO_ADDRESS = "埼玉県鶴ヶ島市（説明用の架空の住所）"


def _at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=JST)


def demo_edition(edition_id: int | None) -> Edition:
    if edition_id is not None:
        edition = Edition.objects.filter(pk=edition_id).first()
        if edition is None:
            raise CommandError(_("基本計画（ID %(id)d）が見つかりません。") % {"id": edition_id})
        return edition
    edition = (
        Edition.objects.filter(plan__municipality__is_demo=True, kind=Edition.Kind.LATTER)
        .order_by("-start_fy")
        .first()
    )
    if edition is None:
        raise CommandError(
            _(
                "デモの自治体の後期基本計画がありません。先に keikaku load-demo を実行するか、--edition で基本計画のIDを指定してください。"
            )
        )
    return edition


def _find(measures: list[Measure], *keywords: str) -> Measure:
    """The first measure whose title has one of the keywords (else the first measure)."""
    for word in keywords:
        for m in measures:
            if word in m.title:
                return m
    return measures[0]


def _person(name: str, **extra: Any) -> services.PersonalInput:
    return services.PersonalInput(name=name, address=DEMO_ADDRESS, **extra)


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown
        return _(
            "デモの自治体の後期基本計画について、市民の声の例（常時募集の意見・提案、意見交換会、"
            "締め切って結果を公表したパブリックコメント1件）を作ります。内容はすべて説明用の架空の"
            "ものです。何度実行しても、既にあるデータは変更しません。"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--edition",
            type=int,
            metavar="ID",
            help=_("意見募集の対象にする基本計画のID（既定: デモの自治体の後期基本計画）。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition = demo_edition(options.get("edition"))
        if PublicCommentRound.objects.filter(is_demo=True, title=ROUND_TITLE).exists():
            self.stdout.write(_("市民の声のデモデータは読み込み済みです。何も変更していません。"))
            return
        measures = list(
            Measure.objects.filter(area__edition=edition).order_by("area__number", "order", "code")
        )
        if not measures:
            raise CommandError(
                _("「%(edition)s」に施策がありません。先に施策を登録してください。")
                % {"edition": edition}
            )
        with transaction.atomic():
            created = self._proposals(measures)
            created += self._hearing(edition, measures)
            created += self._round(edition, measures)
        self.stdout.write(
            _("市民の声のデモデータを作りました（意見%(count)s件、すべて説明用の架空の例です）。")
            % {"count": created}
        )

    # --- the proposal box -----------------------------------------------------------------

    def _record(self, **kwargs: Any) -> Opinion:
        received_at = kwargs.pop("received_at")
        opinion = services.opinion_record(
            data=services.OpinionInput(**kwargs), received_at=received_at, actor=ACTOR
        )
        Opinion.objects.filter(pk=opinion.pk).update(is_demo=True)
        return opinion

    def _proposals(self, measures: list[Measure]) -> int:
        departments = list(Department.objects.order_by("order", "code")[:3])
        dept = departments[0] if departments else None
        kids = _find(measures, "子育て", "こども")
        traffic = _find(measures, "交通安全", "道路")
        transport = _find(measures, "公共交通", "交通")
        civic = _find(measures, "協働", "市民参加")
        business = _find(measures, "商工業", "企業", "雇用")
        items: list[dict[str, Any]] = [
            dict(
                channel=Channel.WEB_PROPOSAL,
                received_at=_at(2024, 5, 14, 21, 12),
                target_kind=TargetKind.MEASURE,
                target_measure=kids,
                text=(
                    "駅の近くに、雨の日でも子どもが遊べる場所がほしいです。\n"
                    "週末に子どもを連れて行ける屋内の施設が近くになく、隣の市まで行っています。"
                ),
                eligibility=Eligibility.RESIDENT,
                age_band="30s",
                personal=_person("見本 花子", email="hanako@example.jp", wants_reply=True),
                status=Opinion.Status.DONE,
                reply=(
                    "ご提案ありがとうございます。屋内の遊び場については、公共施設の活用を含めて"
                    "検討しています。検討の状況は広報でお知らせします。"
                ),
            ),
            dict(
                channel=Channel.EMAIL,
                received_at=_at(2024, 9, 3, 8, 40),
                target_kind=TargetKind.MEASURE,
                target_measure=transport,
                text=(
                    "高齢の母が病院に通うのに、バスの本数が少なくて困っています。"
                    "デマンド交通の予約を電話 049-000-0000 でしかできないのも不便です。"
                    "スマートフォンからも予約できるようにしてください。"
                ),
                eligibility=Eligibility.RESIDENT,
                age_band="50s",
                personal=_person("見本 一郎", email="ichiro@example.jp"),
                status=Opinion.Status.IN_REVIEW,
            ),
            dict(
                channel=Channel.PHONE,
                received_at=_at(2024, 11, 20, 14, 5),
                target_kind=TargetKind.MEASURE,
                target_measure=traffic,
                text="（電話の要旨）通学路の歩道が狭く、朝は車が多くて危ない。ガードレールを付けてほしい。",
                eligibility=Eligibility.RESIDENT,
                age_band="70s",
                personal=_person("見本 次郎", phone="049-000-0001"),
                status=Opinion.Status.IN_REVIEW,
            ),
            dict(
                channel=Channel.PAPER,
                received_at=_at(2025, 2, 7, 11, 30),
                target_kind=TargetKind.MEASURE,
                target_measure=civic,
                text=(
                    "総合計画のことを初めて知りました。市民が計画づくりに参加できる機会を、"
                    "もっと広報つるがしまで知らせてほしいと思います。"
                ),
                eligibility=Eligibility.STUDENT,
                age_band="under20",
                personal=None,
                status=Opinion.Status.RECEIVED,
            ),
            dict(
                channel=Channel.WEB_PROPOSAL,
                received_at=_at(2025, 6, 2, 19, 48),
                target_kind=TargetKind.MEASURE,
                target_measure=business,
                text="空き家を活用して、若い人が起業できる場所を作ってはどうでしょうか。",
                eligibility=Eligibility.BUSINESS,
                age_band="40s",
                personal=None,
                status=Opinion.Status.RECEIVED,
            ),
            dict(
                channel=Channel.WEB_PROPOSAL,
                received_at=_at(2025, 6, 3, 3, 15),
                topic="",
                text="格安の投資セミナーのご案内です。詳しくは次のサイトへ。",
                personal=None,
                status=Opinion.Status.RECEIVED,
                hide="広告・宣伝を目的とした投稿のため（説明用の例）",
            ),
        ]
        for item in items:
            status = item.pop("status")
            reply = item.pop("reply", None)
            hide = item.pop("hide", None)
            opinion = self._record(source=Source.PROPOSAL, **item)
            in_charge = None
            if status != Opinion.Status.RECEIVED:
                in_charge = (
                    opinion.target_measure.departments.first() if opinion.target_measure else None
                ) or dept
            services.opinion_handling_update(
                opinion=opinion,
                actor=ACTOR,
                status=status,
                department=in_charge,
                measures=[opinion.target_measure] if opinion.target_measure else [],
            )
            if status == Opinion.Status.IN_REVIEW:
                services.opinion_note_add(
                    opinion=opinion,
                    actor=ACTOR,
                    text="担当課に内容を確認中です。（説明用の例）",
                )
            if reply:
                reply_obj = services.opinion_reply_add(
                    opinion=opinion,
                    actor=ACTOR,
                    replied_on=dt.date(2024, 5, 28),
                    method=OpinionReply.Method.EMAIL,
                    text=reply,
                )
                OpinionReply.objects.filter(pk=reply_obj.pk).update(author_name="政策推進課")
            if hide:
                services.opinion_hide(opinion=opinion, actor=ACTOR, reason=hide)
        return len(items)

    # --- an opinion exchange --------------------------------------------------------------

    def _hearing(self, edition: Edition, measures: list[Measure]) -> int:
        hearing = services.hearing_create(
            hearing=Hearing(
                title="子育て世代との意見交換会（説明用の例）",
                group_name="子育てサークルの皆さん（架空の団体）",
                held_on=dt.date(2023, 9, 16),
                place="市役所 会議室",
                participants="参加者 12人、市職員 3人",
                notes="後期基本計画の策定に向けて、子育ての困りごとと期待を伺いました。（説明用の例）",
                edition=edition,
            ),
            actor=ACTOR,
        )
        texts = [
            "保育園の入園申込みを、窓口に行かなくてもオンラインでできるようにしてほしい。",
            "子ども食堂など、地域で子どもを見守る活動への支援を続けてほしい。",
        ]
        for text in texts:
            self._record(
                source=Source.HEARING,
                channel=Channel.HEARING,
                hearing=hearing,
                target_kind=TargetKind.MEASURE,
                target_measure=_find(measures, "子育て", "こども"),
                text=text,
                received_at=_at(2023, 9, 16, 15, 0),
            )
        return len(texts)

    # --- the public comment round ---------------------------------------------------------

    def _round(self, edition: Edition, measures: list[Measure]) -> int:
        rnd = services.round_create(
            round=PublicCommentRound(
                title=ROUND_TITLE,
                edition=edition,
                description=(
                    "第6次総合計画 後期基本計画の素案について、市民の皆さんの意見を募集しました。"
                    "（この意見募集は、使い方を説明するための架空の例です。実際の募集期間・意見とは異なります。）"
                ),
                starts_at=_at(2024, 7, 1, 0, 0),
                ends_at=dt.datetime(2024, 7, 31, 23, 59, 59, tzinfo=JST),
                channels=["web", "mail", "fax", "email", "hand"],
                submission_info="市役所 政策推進課（説明用の例）",
                contact="政策推進課（説明用の例）",
                result_note="いただいた意見を踏まえた素案の修正はありませんでした。（説明用の例）",
            ),
            actor=ACTOR,
        )
        PublicCommentRound.objects.filter(pk=rnd.pk).update(is_demo=True)
        services.round_draft_from_edition(round=rnd, edition=edition, actor=ACTOR)
        services.round_publish(round=rnd, actor=ACTOR)
        rnd.refresh_from_db()
        first_paragraphs = list(
            rnd.paragraphs.filter(section__measure=_find(measures, "子育て", "こども")).order_by(
                "order"
            )
        )
        initiative = next(
            (p for p in first_paragraphs if "-initiative-" in p.key),
            first_paragraphs[0] if first_paragraphs else None,
        )
        indicator_paragraph = (
            rnd.paragraphs.filter(key__contains="-indicator-")
            .order_by("section__order", "order")
            .first()
        )
        a = _person("見本 三郎")
        b = _person("見本 桜")
        comments = [
            (
                a,
                initiative,
                "放課後に子どもが安心して過ごせる場所を増やすことを、はっきり書いてほしいです。"
                "共働きの家庭が増えていて、小学校に上がってからの居場所が心配です。",
                _at(2024, 7, 12, 22, 30),
            ),
            (
                a,
                None,
                "計画の文章に専門的な言葉が多く、わかりにくいところがあります。"
                "やさしい日本語の要約を、すべての施策に付けてください。",
                _at(2024, 7, 12, 22, 41),
            ),
            (
                b,
                indicator_paragraph,
                "成果指標の目標値が控えめだと思います。もう少し高い目標を掲げてはどうでしょうか。",
                _at(2024, 7, 29, 9, 5),
            ),
        ]
        opinions = []
        for person, paragraph, text, when in comments:
            opinions.append(
                self._record(
                    source=Source.PUBLIC_COMMENT,
                    channel=Channel.WEB_COMMENT,
                    round=rnd,
                    target_kind=TargetKind.PARAGRAPH if paragraph else TargetKind.WHOLE,
                    paragraph=paragraph,
                    text=text,
                    eligibility=Eligibility.RESIDENT,
                    personal=person,
                    received_at=when,
                )
            )
        answers = [
            (
                "放課後の子どもの居場所づくりを計画に明記してほしい。",
                "ご意見の趣旨は、素案の主な取組に既に含まれています。具体的な事業は実施計画の中で進めます。",
                "B",
            ),
            (
                "やさしい日本語の要約をすべての施策に付けてほしい。",
                "素案では、すべての施策の最初に、やさしい日本語の要約を載せています。概要版でもわかりやすい表現に努めます。",
                "B",
            ),
            (
                "成果指標の目標値をもっと高くしてほしい。",
                "目標値は、これまでの実績の推移をもとに、計画期間中に達成を目指せる水準として設定しています。毎年度の進み具合を確かめ、必要に応じて見直しを検討します。",
                "C",
            ),
        ]
        for opinion, (summary, city_view, reflection) in zip(opinions, answers, strict=True):
            group = services.opinions_group(round=rnd, opinion_ids=[opinion.pk], actor=ACTOR)
            services.group_update(
                group=group,
                actor=ACTOR,
                expected_version=group.version,
                changes={
                    "summary": summary,
                    "city_view": city_view,
                    "reflection": reflection,
                    "paragraph": None,
                    "revised_text": "",
                },
            )
        for opinion in opinions:
            services.opinion_handling_update(
                opinion=opinion,
                actor=ACTOR,
                status=Opinion.Status.DONE,
                department=None,
                measures=[],
            )
        services.round_result_publish(round=rnd, actor=ACTOR, now=_at(2024, 9, 2, 9, 0))
        return len(opinions)
