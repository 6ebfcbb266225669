"""``keikaku purge-personal-data``: delete personal data past its retention date."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.participation import services
from keikaku.participation.models import PersonalData


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "保存期限を過ぎた提出者の個人情報（氏名・住所・連絡先）を削除します。"
            "意見そのものと提出者数の集計は残ります。削除は操作履歴に記録されます。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("削除せずに、削除の対象になる件数だけを表示します。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["dry_run"]:
            count = PersonalData.objects.filter(retention_until__lt=today).count()
            self.stdout.write(
                _("保存期限を過ぎた個人情報は%(n)s件です（削除していません）。") % {"n": count}
            )
            return
        count = services.personal_data_purge(today=today, actor="purge-personal-data")
        self.stdout.write(_("保存期限を過ぎた個人情報%(n)s件を削除しました。") % {"n": count})
