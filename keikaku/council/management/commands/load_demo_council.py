"""``keikaku load-demo-council``: the demo city's まちづくり審議会 and 市議会 record, idempotently.

Run after ``keikaku load-demo``. Real facts (6 meetings in 2024; the basic concept amendment
passed on 2024-11-29 and the latter plan on 2024-12-19, both 15–2; in force 2025-04-01) are
marked as verified; everything else is marked illustrative. See keikaku/council/demo.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keikaku.council import demo
from keikaku.plans.models import Edition


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown
        return _(
            "デモの自治体（鶴ヶ島市）のまちづくり審議会（委員・公募・会議・議事録・諮問と答申）と"
            "市議会（報告・議案・議決）の記録を作ります。審議会が令和6年に6回開かれたこと、"
            "基本構想の改正（令和6年11月29日）と後期基本計画（令和6年12月19日）がともに賛成15、"
            "反対2で可決され、令和7年4月1日から始まったことは公表された事実で、ほかは説明用の例です。"
            "何度実行しても、既にあるデータは変更しません。"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--edition",
            type=int,
            metavar="ID",
            help=_("議案の対象にする基本計画のID（既定: デモの自治体の後期基本計画）。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition_id = options.get("edition")
        if edition_id is not None:
            edition = Edition.objects.filter(pk=edition_id).first()
            if edition is None:
                raise CommandError(
                    _("基本計画（ID %(id)d）が見つかりません。") % {"id": edition_id}
                )
        else:
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
        council = demo.load(edition=edition)
        if council is None:
            self.stdout.write(
                _("審議会・市議会のデモデータは読み込み済みです。何も変更していません。")
            )
            return
        self.stdout.write(
            _("「%(name)s」と市議会の記録を作りました（会議%(meetings)s回、議案%(bills)s件）。")
            % {"name": council.name, "meetings": len(demo.MEETINGS), "bills": 2}
        )
