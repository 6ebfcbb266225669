"""``keikaku purge-applicant-data``: delete council applicants' personal data past retention."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.council import services
from keikaku.council.models import ApplicantPersonalData


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown
        return _(
            "保存期限を過ぎた、審議会の公募委員への応募者の個人情報（氏名・生年月日・住所・連絡先）を"
            "削除します。応募（受付番号・作文・選考の記録）は残ります。削除は操作履歴に記録されます。"
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
            count = ApplicantPersonalData.objects.filter(retention_until__lt=today).count()
            self.stdout.write(
                _("保存期限を過ぎた応募者の個人情報は%(n)s件です（削除していません）。")
                % {"n": count}
            )
            return
        count = services.applicant_personal_data_purge(today=today, actor="purge-applicant-data")
        self.stdout.write(
            _("保存期限を過ぎた応募者の個人情報%(n)s件を削除しました。") % {"n": count}
        )
