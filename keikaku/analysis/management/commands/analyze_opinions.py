"""keikaku analyze-opinions: Japanese opinion analysis (広聴分析) of citizens' opinions.

Format of the inputs and of RESULT.json: docs/formats/opinion-analysis.md.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keikaku.analysis.domain.csvinput import (
    AnalysisInputError,
    read_confirmations_csv,
    read_measures_csv,
    read_opinions_csv,
)
from keikaku.analysis.domain.lexicon import (
    RESOURCES_DIR,
    Lexicon,
    LexiconError,
    parse_stop_words,
    parse_synonyms_csv,
    parse_user_dictionary_csv,
)
from keikaku.analysis.domain.model import AnalysisConfig
from keikaku.analysis.domain.pipeline import analyze
from keikaku.analysis.domain.serialize import result_to_json
from keikaku.core.domain.textio import TextDecodeError

_DEFAULTS = AnalysisConfig()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class Command(BaseCommand):
    help = _(
        "市民の意見（CSV）を施策（CSV）に照らして分析し、意見ごとの施策の候補（上位3件と点数、"
        "該当なし）、重複・組織的な意見、施策ごとのトピック、キーワード・KWIC・共起ネットワーク・"
        "特徴語、要約を JSON に書き出します。ネットワークには接続しません。"
        "書式: docs/formats/opinion-analysis.md"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--opinions",
            required=True,
            metavar="FILE.csv",
            help=_(
                "意見のファイル（1行1件、UTF-8 または CP932）。ID 列と本文列のほかの列（年代・地区など）は属性として特徴語の分析に使います。"
            ),
        )
        parser.add_argument(
            "--measures",
            required=True,
            metavar="FILE.csv",
            help=_(
                "施策のファイル（code,title,description の列。任意で vision,initiatives,indicators,keywords の列）。"
            ),
        )
        parser.add_argument(
            "--output",
            required=True,
            metavar="RESULT.json",
            help=_("書き出す分析結果（UTF-8 の JSON）。"),
        )
        parser.add_argument(
            "--id-column", default="id", help=_("意見のファイルの ID 列の名前（既定: id）。")
        )
        parser.add_argument(
            "--text-column", default="text", help=_("意見のファイルの本文列の名前（既定: text）。")
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help=_("乱数の種（既定: 0）。同じ入力と同じ種からは同じ結果になります。"),
        )
        parser.add_argument(
            "--confirmations",
            metavar="FILE.csv",
            help=_(
                "職員が確定した施策（id,measure の列）。その意見は確定した施策に固定し、施策の照合にも例として使います。"
            ),
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=_DEFAULTS.assignment_threshold,
            help=_(
                "最上位の施策の点数がこの値未満の意見を「該当なし」にします（既定: %(default)s）。"
            ),
        )
        parser.add_argument(
            "--stop-words",
            metavar="FILE.txt",
            help=_("ストップワードのファイル（1行1語）。省略すると同梱のものを使います。"),
        )
        parser.add_argument(
            "--synonyms",
            metavar="FILE.csv",
            help=_("同義語表（canonical,variant の列）。省略すると同梱のものを使います。"),
        )
        parser.add_argument(
            "--user-dictionary",
            metavar="FILE.csv",
            help=_(
                "ユーザー辞書（term,canonical,category の列。施策名・地名・事業名など）。省略すると同梱のものを使います。"
            ),
        )

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(
                _("ファイル「%(path)s」が見つかりません。パスを確かめてください。") % {"path": path}
            ) from exc
        except OSError as exc:
            raise CommandError(
                _("ファイル「%(path)s」を読めません（%(error)s）。")
                % {"path": path, "error": exc.strerror}
            ) from exc

    def _lexicon(self, options: dict[str, Any]) -> Lexicon:
        stop_path = options["stop_words"] or str(RESOURCES_DIR / "stop_words.txt")
        syn_path = options["synonyms"] or str(RESOURCES_DIR / "synonyms.csv")
        user_path = options["user_dictionary"] or str(RESOURCES_DIR / "user_dictionary.csv")
        return Lexicon.from_data(
            stop_words=parse_stop_words(self._read(stop_path), source=Path(stop_path).name),
            synonyms=parse_synonyms_csv(self._read(syn_path), source=Path(syn_path).name),
            user_terms=parse_user_dictionary_csv(
                self._read(user_path), source=Path(user_path).name
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold: float = options["threshold"]
        if not 0.0 <= threshold <= 1.0:
            raise CommandError(
                _("--threshold は 0 以上 1 以下の数で指定してください（指定値: %(value)s）。")
                % {"value": threshold}
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                _("出力先のフォルダー「%(path)s」がありません。先に作ってください。")
                % {"path": output.parent}
            )
        opinions_path: str = options["opinions"]
        measures_path: str = options["measures"]
        try:
            lexicon = self._lexicon(options)
            opinions = read_opinions_csv(
                self._read(opinions_path),
                source=Path(opinions_path).name,
                id_column=options["id_column"],
                text_column=options["text_column"],
            )
            measures = read_measures_csv(self._read(measures_path), source=Path(measures_path).name)
            confirmations: dict[str, str] = {}
            if options["confirmations"]:
                confirmations = read_confirmations_csv(
                    self._read(options["confirmations"]),
                    opinion_ids=[o.id for o in opinions],
                    measure_codes=[m.code for m in measures],
                    source=Path(options["confirmations"]).name,
                )
            config = AnalysisConfig(
                seed=options["seed"],
                assignment_threshold=threshold,
                secondary_threshold=min(_DEFAULTS.secondary_threshold, threshold),
            )
            result = analyze(
                opinions, measures, config=config, lexicon=lexicon, confirmations=confirmations
            )
        except (AnalysisInputError, LexiconError, TextDecodeError) as exc:
            raise CommandError(_one_line(str(exc))) from exc

        text = result_to_json(result)
        fd, tmp = tempfile.mkstemp(prefix=".analysis-", suffix=".json", dir=output.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(tmp, output)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise CommandError(
                _("結果を書き出せません（%(path)s: %(error)s）。")
                % {"path": output, "error": exc.strerror}
            ) from exc
        c = result.counts
        self.stdout.write(
            _(
                "意見 %(opinions)d 件（重複と組織的な意見をそれぞれ 1 件と数えると %(voices)d 件）を分析しました。"
                "該当なし %(unassigned)d 件、重複グループ %(groups)d、組織的な意見 %(campaigns)d 件、"
                "トピック %(clusters)d。結果: %(path)s"
            )
            % {
                "opinions": c.opinions,
                "voices": c.voices,
                "unassigned": c.unassigned,
                "groups": c.duplicate_groups,
                "campaigns": c.campaigns,
                "clusters": len(result.clusters),
                "path": output,
            }
        )
