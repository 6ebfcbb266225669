"""``keikaku import-resilience-catalogue``: import a catalogue of goals, risk scenarios and
policy fields (one version), or load the catalogues shipped with Keikaku."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keikaku.resilience import services

ACTOR = "keikaku import-resilience-catalogue"


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "国土強靱化の「事前に備えるべき目標」「起きてはならない最悪の事態」「施策分野」の一覧"
            "（1つの版）を CSV から取り込みます（書式: docs/formats/resilience-catalogue.md）。"
            "誤りが1つでもあれば何も保存しません。--builtin で同梱の一覧（2018年版・2023年版）を読み込みます。"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", nargs="?", help=_("取り込む CSV ファイル（UTF-8 または CP932）")
        )
        parser.add_argument(
            "--code", help=_("版のコード（例: tsurugashima-2025）。FILE を指定するときは必須")
        )
        parser.add_argument("--title", help=_("版の名称。FILE を指定するときは必須"))
        parser.add_argument("--date", help=_("閣議決定日・策定日（YYYY-MM-DD）"))
        parser.add_argument(
            "--source", default="", help=_("出典（例: 公表された計画の名称と URL）")
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help=_("一部の事態しか収録していない一覧として記録します"),
        )
        parser.add_argument(
            "--replace", action="store_true", help=_("同じコードの版があれば置き換えます")
        )
        parser.add_argument(
            "--builtin",
            action="store_true",
            help=_("同梱の一覧（2018年版・2023年版）を読み込みます"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["builtin"]:
            loaded = services.catalogue_load_builtin(actor=ACTOR, replace=options["replace"])
            self.stdout.write(
                _("同梱の一覧を %(n)s 件読み込みました。") % {"n": len(loaded)}
                if loaded
                else _("同梱の一覧は読み込み済みです。何も変更していません。")
            )
            return
        if not options["file"]:
            raise CommandError(_("CSV ファイルを指定するか、--builtin を付けてください。"))
        if not options["code"] or not options["title"]:
            raise CommandError(_("--code と --title を指定してください。"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("ファイル %(path)s が見つかりません。") % {"path": path})
        date = None
        if options["date"]:
            try:
                date = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    _("--date は 2023-07-28 のように書いてください（「%(v)s」）。")
                    % {"v": options["date"]}
                ) from None
        try:
            version = services.catalogue_import(
                data=path.read_bytes(),
                source=path.name,
                code=options["code"],
                title=options["title"],
                basic_plan_date=date,
                source_note=options["source"],
                is_complete=not options["partial"],
                replace=options["replace"],
                actor=ACTOR,
            )
        except services.ResilienceError as exc:
            raise CommandError(
                _("取り込めませんでした（%(n)s 件の誤り。何も保存していません）: %(problems)s")
                % {"n": len(exc.problems), "problems": " / ".join(exc.problems)}
            ) from None
        self.stdout.write(
            _("「%(title)s」を取り込みました（目標 %(g)s、事態 %(s)s、施策分野 %(f)s）。")
            % {
                "title": version.title,
                "g": version.goals.count(),
                "s": version.scenarios.count(),
                "f": version.policy_fields.count(),
            }
        )
