"""Forms of the opinion analysis pages."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from keikaku.analysis.domain.csvinput import AnalysisInputError, read_opinions_csv
from keikaku.analysis.domain.model import AnalysisConfig
from keikaku.analysis.domain.privacy import personal_column_message, personal_columns
from keikaku.analysis.models import AnalysisRun
from keikaku.core.domain.textio import CsvFormatError, TextDecodeError, read_csv_rows
from keikaku.plans.models import Edition, Measure

MAX_CSV_BYTES = 50 * 1024 * 1024
_DEFAULTS = AnalysisConfig()


class RunForm(forms.Form):
    edition = forms.ModelChoiceField(
        label=_lazy("照合する基本計画"),
        queryset=Edition.objects.select_related("plan").order_by("-start_fy", "-id"),
        empty_label=None,
        help_text=_lazy("この基本計画の施策に、意見を割り当てます。"),
    )
    source = forms.ChoiceField(
        label=_lazy("分析する意見"),
        choices=AnalysisRun.Source.choices,
        widget=forms.RadioSelect,
        initial=AnalysisRun.Source.ROUND,
    )
    round = forms.TypedChoiceField(
        label=_lazy("パブリックコメントの募集"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_lazy("「パブリックコメント（募集ごと）」を選んだときに使います。"),
    )
    wave = forms.TypedChoiceField(
        label=_lazy("市民意識調査"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_lazy(
            "「市民意識調査の自由記述」を選んだときに使います。「すべての回」は、"
            "受付箱に登録した調査の自由記述も含みます。"
        ),
    )
    file = forms.FileField(
        label=_lazy("意見の CSV ファイル"),
        required=False,
        help_text=_lazy(
            "「CSV ファイル」を選んだときに使います。1 行 1 件、ID 列と本文列（UTF-8 または CP932）。"
            "氏名・住所・連絡先の列は入れないでください。様式: docs/formats/opinion-analysis.md"
        ),
    )
    id_column = forms.CharField(label=_lazy("ID 列の名前"), initial="id", max_length=100)
    text_column = forms.CharField(label=_lazy("本文列の名前"), initial="text", max_length=100)
    dataset = forms.CharField(
        label=_lazy("データの名前（CSV）"),
        required=False,
        max_length=100,
        help_text=_lazy(
            "同じ名前で取り込んだ CSV の意見には、職員の判断（施策の確定・重複の統合など）が引き継がれます。"
            "空欄ならファイル名を使います。"
        ),
    )
    name = forms.CharField(
        label=_lazy("分析の名称"),
        required=False,
        max_length=200,
        help_text=_lazy("空欄なら、分析する意見から自動で付けます。"),
    )
    seed = forms.IntegerField(
        label=_lazy("乱数の種"),
        initial=0,
        min_value=0,
        max_value=2**31 - 1,
        help_text=_lazy("同じ意見と同じ種からは、同じ結果になります。"),
    )
    threshold = forms.FloatField(
        label=_lazy("「該当なし」にする点数"),
        initial=_DEFAULTS.assignment_threshold,
        min_value=0.0,
        max_value=1.0,
        help_text=_lazy("最上位の施策の点数がこの値未満の意見を「該当なし」にします（0〜1）。"),
    )

    def __init__(self, *args: Any, sources: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = sources
        states = {"upcoming": _("受付前"), "open": _("受付中"), "closed": _("受付終了")}
        cast(forms.ChoiceField, self.fields["round"]).choices = [
            ("", _("募集を選んでください"))
        ] + [(r.id, f"{r.title}（{states.get(r.state, r.state)}）") for r in sources["rounds"]]
        cast(forms.ChoiceField, self.fields["wave"]).choices = [("", _("すべての回"))] + [
            (w.id, _("%(title)s（回答 %(n)s 人）") % {"title": w.title, "n": f"{w.responses:,}"})
            for w in sources["waves"]
        ]
        self.opinions: list[Any] = []
        self.source_label = ""

    def _csv(self, upload: Any) -> None:
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("ファイルが大きすぎます（%(mb)d MB まで）。分けて取り込んでください。")
                % {"mb": MAX_CSV_BYTES // (1024 * 1024)}
            )
        data = upload.read()
        name = PurePath(upload.name).name
        try:
            rows = read_csv_rows(data, source=name)
        except (TextDecodeError, CsvFormatError) as exc:
            raise forms.ValidationError(" ".join(str(exc).split())) from exc
        if rows:
            personal = personal_columns([h.strip() for h in rows[0]])
            if personal:
                raise forms.ValidationError(personal_column_message(name, personal))
        try:
            self.opinions = read_opinions_csv(
                data,
                source=name,
                id_column=self.cleaned_data.get("id_column") or "id",
                text_column=self.cleaned_data.get("text_column") or "text",
            )
        except AnalysisInputError as exc:
            raise forms.ValidationError(" ".join(str(exc).split())) from exc
        if not self.cleaned_data.get("dataset"):
            self.cleaned_data["dataset"] = PurePath(name).stem[:100]
        self.source_label = _("CSV「%(name)s」") % {"name": name}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        edition = data.get("edition")
        if edition is not None and not Measure.objects.filter(area__edition=edition).exists():
            self.add_error(
                "edition",
                _("「%(edition)s」には施策がありません。施策のある基本計画を選んでください。")
                % {"edition": edition},
            )
        source = data.get("source")
        if source == AnalysisRun.Source.ROUND:
            if data.get("round") is None:
                self.add_error("round", _("分析するパブリックコメントの募集を選んでください。"))
            else:
                title = dict((r.id, r.title) for r in self.sources["rounds"]).get(data["round"])
                self.source_label = _("パブリックコメント「%(title)s」") % {"title": title}
        elif source == AnalysisRun.Source.SURVEY:
            wave = data.get("wave")
            titles = {w.id: w.title for w in self.sources["waves"]}
            self.source_label = (
                _("市民意識調査「%(title)s」の自由記述") % {"title": titles.get(wave, "")}
                if wave is not None
                else _("市民意識調査の自由記述（すべての回）")
            )
        elif source == AnalysisRun.Source.CSV:
            upload = data.get("file")
            if not upload:
                self.add_error("file", _("分析する CSV ファイルを選んでください。"))
            else:
                try:
                    self._csv(upload)
                except forms.ValidationError as exc:
                    self.add_error("file", exc)
        return data


def _lines_field(label: Any, help_text: Any) -> forms.CharField:
    """A text area of one entry a line (stop words, synonyms, user terms)."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 4}), help_text=help_text
    )


class StopWordsForm(forms.Form):
    lines = _lines_field(
        _lazy("追加するストップワード"),
        _lazy(
            "1 行に 1 語。Sudachi の正規化形（「する」は「為る」）か同義語表の代表形で書きます。"
        ),
    )

    def clean_lines(self) -> list[str]:
        words = [w.strip() for w in self.cleaned_data["lines"].splitlines() if w.strip()]
        for number, word in enumerate(words, start=1):
            if len(word) > 100:
                raise forms.ValidationError(
                    _("%(row)d 行目: 語が長すぎます（100 字まで）。") % {"row": number}
                )
        return words


_SEPARATOR = re.compile(r"\s*[,，、\t]\s*")


def _split_lines(text: str, minimum: int, maximum: int, example: str) -> list[list[str]]:
    out: list[list[str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in _SEPARATOR.split(line.strip())]
        while len(cells) > minimum and not cells[-1]:
            cells.pop()
        if len(cells) < minimum or len(cells) > maximum or not all(cells[:minimum]):
            raise forms.ValidationError(
                _("%(row)d 行目: 「%(example)s」の形で書いてください（区切りは「,」か「、」）。")
                % {"row": number, "example": example}
            )
        if any(len(c) > 100 for c in cells):
            raise forms.ValidationError(
                _("%(row)d 行目: 語が長すぎます（100 字まで）。") % {"row": number}
            )
        out.append(cells + [""] * (maximum - len(cells)))
    return out


class SynonymsForm(forms.Form):
    lines = _lines_field(
        _lazy("追加する同義語"),
        _lazy("1 行に「代表形,異表記」（例: 子ども,子供）。異表記はその代表形として数えます。"),
    )

    def clean_lines(self) -> list[tuple[str, str]]:
        rows = _split_lines(self.cleaned_data["lines"], 2, 2, _("代表形,異表記"))
        for number, (canonical, variant) in enumerate(rows, start=1):
            if canonical == variant:
                raise forms.ValidationError(
                    _("%(row)d 行目: 代表形と異表記が同じです。") % {"row": number}
                )
        return [(c, v) for c, v in rows]


class UserTermsForm(forms.Form):
    lines = _lines_field(
        _lazy("追加する語"),
        _lazy(
            "1 行に「語,代表形,分類」（代表形と分類は省略可。例: さくらバス,さくらバス,事業）。"
            "施策名・地名・事業名など、分けずに 1 語として数える語です。"
        ),
    )

    def clean_lines(self) -> list[tuple[str, str, str]]:
        rows = _split_lines(self.cleaned_data["lines"], 1, 3, _("語,代表形,分類"))
        return [(t, c or t, k) for t, c, k in rows]


class MeasureKeywordsForm(forms.Form):
    keywords = forms.CharField(
        label=_lazy("照合用のキーワード"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy(
            "市民がこの施策について使う言葉を、1 行に 1 つ（または「、」で区切って）書きます。次の分析から使います。"
        ),
    )
