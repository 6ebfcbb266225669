"""``keikaku export-plan``: write the plan workbook (docs/formats/plan-workbook.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.plans import importexport
from keikaku.plans.domain.workbook import EDITION_KINDS, SHEETS
from keikaku.plans.models import Edition


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when shown
        return _(
            "基本計画1つ分の計画ワークブックを書き出します（xlsx、シートごとの CSV を zip にまとめたもの、"
            "または JSON）。CSV は UTF-8（BOM付き）です。形式は docs/formats/plan-workbook.md を見てください。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=sorted(importexport.EXPORT_FORMATS),
            default="xlsx",
            help=_("書き出す形式: xlsx（既定）、csv（zip）、json。"),
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="FILE",
            help=_("書き出し先のファイル（既にあれば上書きします）。"),
        )
        parser.add_argument(
            "--municipality",
            metavar="CODE",
            help=_(
                "全国地方公共団体コード（6桁）。省略すると計画期間中の（なければ最新の）基本計画を書き出します。"
            ),
        )
        parser.add_argument(
            "--plan",
            type=int,
            metavar="N",
            help=_("総合計画の次数（第N次）。"),
        )
        parser.add_argument(
            "--edition",
            metavar="KIND",
            help=_("基本計画の区分: 前期・後期・単独（former・latter・single）。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition = self._edition(options)
        data = importexport.workbook_for_edition(edition)
        try:
            body = importexport.export_bytes(data, options["fmt"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        output = options["output"]
        try:
            Path(output).write_bytes(body)
        except OSError as exc:
            raise CommandError(
                _("%(path)s に書き出せません（%(error)s）。")
                % {"path": output, "error": exc.strerror}
            ) from None
        counts = "、".join(
            f"{sheet.title} {len(data.records(sheet.key))}行" for sheet in SHEETS[1:]
        )
        self.stdout.write(
            _("書き出しました: %(path)s（%(edition)s: %(counts)s）")
            % {"path": output, "edition": importexport.edition_label(edition), "counts": counts}
        )

    def _edition(self, options: dict[str, Any]) -> Edition:
        qs = Edition.objects.select_related("plan", "plan__municipality")
        if not (options["municipality"] or options["plan"] or options["edition"]):
            edition = importexport.edition_default()
            if edition is None:
                raise CommandError(
                    _("書き出す基本計画がありません。先に基本計画を登録してください。")
                )
            return edition
        if options["municipality"]:
            qs = qs.filter(plan__municipality__code=options["municipality"])
        if options["plan"]:
            qs = qs.filter(plan__ordinal=options["plan"])
        if options["edition"]:
            kind = options["edition"]
            for code, label in EDITION_KINDS:
                if kind in (code, label):
                    kind = code
                    break
            else:
                raise CommandError(
                    _(
                        "区分「%(kind)s」はありません。前期・後期・単独のいずれかを指定してください。"
                    )
                    % {"kind": options["edition"]}
                )
            qs = qs.filter(kind=kind)
        editions = list(qs.order_by("-start_fy", "-pk")[:2])
        if not editions:
            raise CommandError(
                _(
                    "指定した基本計画が見つかりません。--municipality・--plan・--edition を確かめてください。"
                )
            )
        if len(editions) > 1:
            raise CommandError(
                _(
                    "指定に合う基本計画が複数あります。--municipality・--plan・--edition で1つに絞ってください。"
                )
            )
        return editions[0]
