"""keikaku analyze-survey: tabulate a citizen survey (市民意識調査) and build its portfolio.

Formats: docs/formats/survey-responses.md (input) and docs/formats/survey-analysis.md
(MEASURES.csv, design file, OUT.json).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keikaku.core.domain.textio import write_csv_bytes
from keikaku.surveys.domain.design import SurveyDesign, parse_design, parse_measures
from keikaku.surveys.domain.problems import Problem, SurveyInputError, summarize_problems
from keikaku.surveys.domain.report import (
    OPTIONS_SOURCE,
    AnalysisOptions,
    analysis_to_dict,
    analyze,
)
from keikaku.surveys.domain.responses import parse_responses
from keikaku.surveys.domain.statistics import DEFAULT_SUPPRESSION_THRESHOLD

_FLAGS = {"crosstab_by": "--crosstab-by", "suppression_threshold": "--threshold"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


class Command(BaseCommand):
    help = _(
        "市民意識調査の回答ファイルを集計し、単純集計・満足度と重要度の評価点・偏差値・"
        "ポートフォリオ（4分野）・改善要望度・導出重要度を JSON に書き出します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--responses",
            required=True,
            metavar="FILE.csv",
            help=_(
                "回答ファイル（1行1人、UTF-8 または CP932）。書式: docs/formats/survey-responses.md"
            ),
        )
        parser.add_argument(
            "--measures",
            required=True,
            metavar="MEASURES.csv",
            help=_("施策一覧（code,title の2列）。回答ファイルの S:code / I:code 列と対応します。"),
        )
        parser.add_argument(
            "--design",
            metavar="DESIGN.json",
            help=_(
                "設計ファイル（任意）: 母集団の人数、属性と区分、設問の種類と選択肢、4分野の名称。"
            ),
        )
        parser.add_argument(
            "--output",
            required=True,
            metavar="OUT.json",
            help=_("書き出す集計結果（UTF-8 の JSON）。書式: docs/formats/survey-analysis.md"),
        )
        parser.add_argument(
            "--previous",
            metavar="PREVIOUS.csv",
            help=_(
                "前回調査の回答ファイル（任意）。満足度の経年比較（Welch の t 検定・2標本の比率の z 検定）を加えます。"
            ),
        )
        parser.add_argument(
            "--crosstab-by",
            action="append",
            default=[],
            metavar="ATTRIBUTE",
            help=_(
                "この属性でクロス集計します（繰り返し指定できます。例: --crosstab-by district）。"
            ),
        )
        parser.add_argument(
            "--threshold",
            type=int,
            default=DEFAULT_SUPPRESSION_THRESHOLD,
            help=_(
                "クロス集計で秘匿する人数の基準（この人数未満のセル・属性区分を秘匿。既定 10）。"
            ),
        )
        parser.add_argument(
            "--box-base",
            choices=("answered", "valid"),
            default="answered",
            help=_(
                "上位2区分（満足＋やや満足）の割合の分母: answered＝無回答を除く全回答（既定）、"
                "valid＝「わからない」も除く。"
            ),
        )
        parser.add_argument(
            "--errors",
            metavar="ERRORS.csv",
            help=_(
                "入力に問題があったとき、すべての問題（ファイル・行・列・内容）をこの CSV に書き出します。"
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

    def _fail(self, problems: tuple[Problem, ...], errors_path: str | None) -> CommandError:
        message = summarize_problems(problems)
        if errors_path:
            rows: list[list[object]] = [[_("ファイル"), _("行"), _("列"), _("内容")]]
            rows += [[p.source, p.row, p.column, p.message] for p in problems]
            Path(errors_path).write_bytes(write_csv_bytes(rows))
            message += " " + _("すべての問題を %(path)s に書き出しました。") % {"path": errors_path}
        elif len(problems) > 1:
            message += " " + _("すべての問題を見るには --errors FILE.csv を付けてください。")
        return CommandError(_one_line(message))

    def handle(self, *args: Any, **options: Any) -> None:
        errors_path: str | None = options["errors"]
        measures_path: str = options["measures"]
        responses_path: str = options["responses"]
        measures_parsed = parse_measures(self._read(measures_path), source=Path(measures_path).name)
        if not measures_parsed.ok:
            raise self._fail(measures_parsed.problems, errors_path)
        measures = measures_parsed.unwrap()
        design = SurveyDesign()
        if options["design"]:
            design_parsed = parse_design(
                self._read(options["design"]), source=Path(options["design"]).name
            )
            if not design_parsed.ok:
                raise self._fail(design_parsed.problems, errors_path)
            design = design_parsed.unwrap()
        parsed = parse_responses(
            self._read(responses_path), measures, design, source=Path(responses_path).name
        )
        if not parsed.ok:
            raise self._fail(parsed.problems, errors_path)
        responses = parsed.unwrap()
        previous = None
        if options["previous"]:
            previous_parsed = parse_responses(
                self._read(options["previous"]),
                measures,
                design,
                source=Path(options["previous"]).name,
                measures_only=True,
            )
            if not previous_parsed.ok:
                raise self._fail(previous_parsed.problems, errors_path)
            previous = previous_parsed.unwrap()
        analysis_options = AnalysisOptions(
            crosstab_by=tuple(options["crosstab_by"]),
            suppression_threshold=options["threshold"],
            box_base=options["box_base"],
        )
        try:
            analysis = analyze(
                responses,
                design,
                options=analysis_options,
                previous=previous,
                design_source=Path(options["design"] or "design.json").name,
            )
        except SurveyInputError as exc:
            problems = tuple(
                replace(p, source=_("コマンドの指定"), column=_FLAGS.get(p.column, p.column))
                if p.source == OPTIONS_SOURCE
                else p
                for p in exc.problems
            )
            raise self._fail(problems, errors_path) from exc
        document = analysis_to_dict(analysis)
        text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        self._write_atomically(Path(options["output"]), text.encode("utf-8"))
        self.stdout.write(
            _("集計しました: 回答者 %(n)d人、施策 %(k)d件、設問 %(q)d件 → %(path)s")
            % {
                "n": responses.n_respondents,
                "k": len(measures),
                "q": len(document["questions"]),  # type: ignore[arg-type]
                "path": options["output"],
            }
        )

    def _write_atomically(self, path: Path, data: bytes) -> None:
        directory = path.resolve().parent
        if not directory.is_dir():
            raise CommandError(
                _("書き出し先のフォルダ「%(dir)s」がありません。") % {"dir": directory}
            )
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".analyze-survey-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
