"""Staff pages of the citizen survey: design, codes, paper entry and import, results, reports,
survey-based indicators."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.core.domain.textio import write_csv_bytes
from keikaku.core.view_helpers import (
    Written,
    page_of,
    require,
    save_versioned,
)
from keikaku.plans.models import IndicatorValue
from keikaku.surveys import rules, selectors, services
from keikaku.surveys.domain.codes import format_code
from keikaku.surveys.domain.wave import rows_to_csv
from keikaku.surveys.forms import (
    CodesForm,
    CopyForm,
    ImportForm,
    IndicatorSourceForm,
    QuestionForm,
    SectionForm,
    WaveForm,
)
from keikaku.surveys.models import (
    AccessCode,
    IndicatorSource,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyWave,
)
from keikaku.surveys.questionnaire import build_pages, pages_of
from keikaku.surveys.results import summary_context

NAV = "surveys"


def _wave(pk: int) -> SurveyWave:
    wave = selectors.wave_get(pk=pk)
    if wave is None:
        raise Http404(_("その調査はありません。"))
    return wave


def _ctx(request: HttpRequest, wave: SurveyWave | None = None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav_slug": NAV,
        "wave": wave,
        "can_design": rules.can_design(request.user),
        "can_enter": rules.can_enter(request.user),
    }
    context.update(extra)
    return context


# ---------------------------------------------------------------------------------------
# waves


@rules.staff_required
def wave_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "surveys/staff/wave_list.html", _ctx(request, waves=selectors.wave_list())
    )


@rules.staff_required
def wave_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_design(request.user))
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        populate = data.pop("populate", False)
        edition = data.pop("edition")
        with Written(request=request, form=form) as written:
            wave = services.wave_create(actor=request.user, edition=edition, **data)
            if populate:
                services.wave_populate_default(wave=wave, actor=request.user)
        if written.ok:
            messages.success(request, _("「%(title)s」を作りました。") % {"title": wave.title})
            return redirect("staff:survey_detail", pk=wave.pk)
    return render(request, "surveys/staff/wave_form.html", _ctx(request, form=form))


@rules.staff_required
def wave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_design(request.user))
    form = WaveForm(request.POST or None, instance=wave)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        update = partial(services.wave_update, wave=wave)
        if save_versioned(request, form, wave, update=update, changes=changes, refresh=True):
            messages.success(request, _("調査の設定を保存しました。"))
            return redirect("staff:survey_detail", pk=wave.pk)
    return render(request, "surveys/staff/wave_form.html", _ctx(request, wave, form=form))


@rules.staff_required
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    return render(
        request,
        "surveys/staff/wave_detail.html",
        _ctx(
            request,
            wave,
            sections=selectors.sections_with_questions(wave),
            codes=selectors.code_counts(wave),
            channels=selectors.channel_counts(wave),
            n_responses=wave.responses.count(),
            pages=len(pages_of(wave)),
        ),
    )


@require_POST
@rules.staff_required
def wave_status(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_design(request.user))
    status = request.POST.get("status", "")
    if status not in SurveyWave.Status.values:
        raise Http404
    if status == SurveyWave.Status.DRAFT and wave.responses.exists():
        messages.error(request, _("回答がある調査は準備中に戻せません。"))
        return redirect("staff:survey_detail", pk=pk)
    with Written(request=request) as written:
        services.wave_set_status(wave=wave, actor=request.user, status=status)
    if written.ok:
        messages.success(
            request,
            _("状態を「%(status)s」にしました。") % {"status": SurveyWave.Status(status).label},
        )
    return redirect("staff:survey_detail", pk=pk)


@require_POST
@rules.staff_required
def wave_generate(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_design(request.user))
    with Written(request=request) as written:
        count = services.wave_generate_measure_questions(wave=wave, actor=request.user)
    if written.ok:
        messages.success(
            request,
            _("基本計画の施策から、満足度と重要度の設問を作りました（%(n)d施策）。") % {"n": count},
        )
    return redirect("staff:survey_detail", pk=pk)


@rules.staff_required
def wave_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = _wave(pk)
    require(rules.can_design(request.user))
    form = CopyForm(
        request.POST or None,
        initial={"fiscal_year": source.fiscal_year + 1, "title": source.title},
    )
    if request.method == "POST" and form.is_valid():
        with Written(request=request, form=form) as written:
            wave = services.wave_copy(
                source=source,
                actor=request.user,
                fiscal_year=form.cleaned_data["fiscal_year"],
                title=form.cleaned_data["title"],
                edition=form.cleaned_data.get("edition"),
            )
        if written.ok:
            messages.success(
                request,
                _("「%(source)s」を複製して「%(title)s」を作りました。")
                % {
                    "source": source.title,
                    "title": wave.title,
                },
            )
            return redirect("staff:survey_detail", pk=wave.pk)
    return render(request, "surveys/staff/copy.html", _ctx(request, source, form=form))


# ---------------------------------------------------------------------------------------
# sections and questions


@rules.staff_required
def section_edit(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_design(request.user))
    section = get_object_or_404(SurveySection, pk=section_pk, wave=wave) if section_pk else None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        with Written(request=request, form=form) as written:
            services.section_save(
                wave=wave,
                actor=request.user,
                section=section,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                order=form.cleaned_data.get("order"),
            )
        if written.ok:
            messages.success(request, _("ページを保存しました。"))
            return redirect("staff:survey_detail", pk=pk)
    return render(
        request, "surveys/staff/section_form.html", _ctx(request, wave, form=form, section=section)
    )


def _delete_from_wave(
    request: HttpRequest,
    pk: int,
    model: type[SurveySection] | type[SurveyQuestion],
    item_pk: int,
    *,
    delete: Callable[[Any], object],
    done: Callable[[Any], str],
) -> HttpResponse:
    """Delete a page or a question of the wave ``pk``; its error or ``done(item)`` as a
    message, then back to the wave."""
    wave = _wave(pk)
    require(rules.can_design(request.user))
    item = get_object_or_404(model, pk=item_pk, wave=wave)
    with Written(request=request) as written:
        delete(item)
    if written.ok:
        messages.success(request, done(item))
    return redirect("staff:survey_detail", pk=pk)


@require_POST
@rules.staff_required
def section_delete(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    return _delete_from_wave(
        request,
        pk,
        SurveySection,
        section_pk,
        delete=lambda section: services.section_delete(section=section, actor=request.user),
        done=lambda section: _("ページ「%(t)s」を削除しました。") % {"t": section.title},
    )


@rules.staff_required
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_design(request.user))
    question = get_object_or_404(SurveyQuestion, pk=question_pk, wave=wave) if question_pk else None
    initial = {}
    if question is None and request.GET.get("section", "").isdigit():
        initial["section"] = int(request.GET["section"])
    form = QuestionForm(request.POST or None, instance=question, wave=wave, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "section")}
        with Written(request=request, form=form, refresh=question) as written:
            services.question_save(
                section=form.cleaned_data["section"],
                actor=request.user,
                question=question,
                expected_version=form.cleaned_data.get("version"),
                **fields,
            )
        if written.ok:
            messages.success(request, _("設問を保存しました。"))
            return redirect("staff:survey_detail", pk=pk)
    return render(
        request,
        "surveys/staff/question_form.html",
        _ctx(request, wave, form=form, question=question),
    )


@require_POST
@rules.staff_required
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    return _delete_from_wave(
        request,
        pk,
        SurveyQuestion,
        question_pk,
        delete=lambda question: services.question_delete(question=question, actor=request.user),
        done=lambda question: _("設問「%(c)s」を削除しました。") % {"c": question.code},
    )


@rules.staff_required
def preview(request: HttpRequest, pk: int, number: int = 1) -> HttpResponse:
    wave = _wave(pk)
    pages = build_pages(wave, {})
    if not pages:
        messages.warning(request, _("設問がまだありません。"))
        return redirect("staff:survey_detail", pk=pk)
    if not 1 <= number <= len(pages):
        raise Http404(_("そのページはありません。"))
    return render(
        request,
        "surveys/public/page.html",
        {
            "wave": wave,
            "page": pages[number - 1],
            "total": len(pages),
            "errors": [],
            "preview": True,
            "previous_url": reverse("staff:survey_preview", args=[pk, number - 1])
            if number > 1
            else "",
            "next_url": reverse("staff:survey_preview", args=[pk, number + 1])
            if number < len(pages)
            else "",
            "back_url": reverse("staff:survey_detail", args=[pk]),
        },
    )


# ---------------------------------------------------------------------------------------
# access codes


@rules.staff_required
def codes(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    form = CodesForm(request.POST or None)
    if request.method == "POST":
        require(rules.can_design(request.user))
        if form.is_valid():
            with Written(request=request, form=form) as written:
                created = services.access_codes_generate(
                    wave=wave, actor=request.user, count=form.cleaned_data["count"]
                )
            if written.ok:
                messages.success(
                    request,
                    _(
                        "回答用コードを%(n)d件発行しました（第%(b)d回）。CSV を差し込み印刷に使ってください。"
                    )
                    % {"n": len(created), "b": created[0].batch},
                )
                return redirect("staff:survey_codes", pk=pk)
    batches = (
        AccessCode.objects.filter(wave=wave)
        .values("batch")
        .annotate(n=Count("id"), used=Count("used_at"))
        .order_by("batch")
    )
    return render(
        request,
        "surveys/staff/codes.html",
        _ctx(request, wave, form=form, batches=batches, counts=selectors.code_counts(wave)),
    )


@rules.staff_required
def codes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_design(request.user))
    qs = AccessCode.objects.filter(wave=wave).order_by("id")
    batch = request.GET.get("batch", "")
    if batch.isdigit():
        qs = qs.filter(batch=int(batch))
    url = request.build_absolute_uri(reverse("survey:entry"))
    rows: list[list[object]] = [[_("通し番号"), _("回答用コード"), _("発行回"), _("回答ページ")]]
    rows += [[i, format_code(c.code), c.batch, url] for i, c in enumerate(qs, start=1)]
    response = HttpResponse(write_csv_bytes(rows), content_type="text/csv; charset=utf-8")
    name = f"survey-{wave.pk}-codes{'-' + batch if batch.isdigit() else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------------------------------
# paper: entry screen, import, list


@rules.staff_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_enter(request.user))
    spec = selectors.wave_spec(wave)
    questions = selectors.question_list(wave)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    general: list[str] = []
    if request.method == "POST":
        values = {c: request.POST.get(c, "") for c in spec.columns()}
        try:
            outcome = services.paper_response_enter(wave=wave, cells=values, actor=request.user)
        except ValidationError as exc:
            general = list(exc.messages)
        else:
            if outcome.ok:
                rid = outcome.rows[0][0]
                messages.success(
                    request,
                    _("回答者ID「%(id)s」の回答を登録しました。次の調査票をどうぞ。") % {"id": rid},
                )
                return redirect("staff:survey_entry", pk=pk)
            for p in outcome.problems:
                if p.column and p.column in values:
                    errors.setdefault(p.column, p.message)
                else:
                    general.append(p.message)
    fields = []
    for q in questions:
        for column in (f"S:{q.code}", f"I:{q.code}") if q.kind == "measure" else (q.code,):
            fields.append(
                {
                    "question": q,
                    "column": column,
                    "id": "f-" + "".join(ch if ch.isalnum() else "-" for ch in column),
                    "value": values.get(column, ""),
                    "error": errors.get(column, ""),
                    "part": _("満足度")
                    if column.startswith("S:") and q.kind == "measure"
                    else (_("重要度") if q.kind == "measure" else ""),
                    "allowed": _entry_allowed(q),
                    "hint": _entry_hint(q),
                }
            )
    return render(
        request,
        "surveys/staff/entry.html",
        _ctx(
            request,
            wave,
            fields=fields,
            rid_value=values.get("respondent_id", ""),
            rid_error=errors.get("respondent_id", ""),
            general=general,
            entered=wave.responses.exclude(channel=SurveyResponse.Channel.WEB).count(),
        ),
    )


def _entry_allowed(q: SurveyQuestion) -> str:
    if q.kind in ("scale", "measure"):
        return "1 2 3 4 5 9"
    if q.kind in ("single", "multiple"):
        return " ".join(str(i) for i in range(1, len(q.options or []) + 1))
    return ""


def _entry_hint(q: SurveyQuestion) -> str:
    if q.kind in ("scale", "measure"):
        return _("1〜5、9＝わからない、空欄＝無回答")
    if q.kind == "single":
        return _("1〜%(n)d、空欄＝無回答") % {"n": len(q.options or [])}
    if q.kind == "multiple":
        limit = q.max_picks or len(q.options or [])
        return _("1〜%(n)d をいくつでも（%(m)dつまで）。例: 13 または 1.3") % {
            "n": len(q.options or []),
            "m": limit,
        }
    return _("書かれたとおりに入力")


@rules.staff_required
def import_responses(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_enter(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: tuple[Any, ...] = ()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = services.responses_import(
                wave=wave, data=upload.read(), filename=upload.name, actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if outcome.ok:
                messages.success(
                    request,
                    _("%(n)d人分の回答を取り込みました。") % {"n": len(outcome.rows)},
                )
                return redirect("staff:survey_detail", pk=pk)
            problems = outcome.problems
    return render(
        request,
        "surveys/staff/import.html",
        _ctx(
            request, wave, form=form, problems=problems, columns=selectors.wave_spec(wave).columns()
        ),
    )


@rules.staff_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The header row of the wave's response file (UTF-8 with BOM) to fill in."""
    wave = _wave(pk)
    response = HttpResponse(
        write_csv_bytes([list(selectors.wave_spec(wave).columns())]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{wave.pk}-template.csv"'
    return response


@rules.staff_required
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    qs = wave.responses.select_related("entered_by").order_by("-id")
    page = page_of(request, qs, 50)
    return render(request, "surveys/staff/responses.html", _ctx(request, wave, page=page))


@require_POST
@rules.staff_required
def response_delete(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    wave = _wave(pk)
    require(rules.can_enter(request.user))
    response = get_object_or_404(
        SurveyResponse.objects.exclude(channel=SurveyResponse.Channel.WEB),
        pk=response_pk,
        wave=wave,
    )
    services.response_delete(response=response, actor=request.user)
    messages.success(
        request, _("回答者ID「%(id)s」の回答を削除しました。") % {"id": response.respondent_id}
    )
    return redirect("staff:survey_responses", pk=pk)


@rules.staff_required
def responses_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every response in the standard layout (the import's format; UTF-8 with BOM)."""
    wave = _wave(pk)
    data = rows_to_csv(selectors.wave_spec(wave), selectors.wave_rows(wave))
    from keikaku.core.domain.textio import read_csv_rows

    response = HttpResponse(
        write_csv_bytes(read_csv_rows(data)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{wave.pk}-responses.csv"'
    return response


# ---------------------------------------------------------------------------------------
# results and reports


@rules.staff_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    by = request.GET.get("by", "")
    context = summary_context(wave, public=False, crosstab_by=by)
    context.pop("wave", None)
    return render(request, "surveys/staff/results.html", _ctx(request, wave, **context))


@rules.staff_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from keikaku.surveys.reports import report_workbook

    wave = _wave(pk)
    data = report_workbook(wave, crosstab_by=request.GET.get("by", "district"))
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{wave.pk}-report.xlsx"'
    return response


@rules.staff_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from keikaku.surveys.reports import report_pdf as build

    wave = _wave(pk)
    data = build(wave, crosstab_by=request.GET.get("by", "district"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-{wave.pk}-report.pdf"'
    return response


# ---------------------------------------------------------------------------------------
# survey-based indicators


@rules.staff_required
def indicators(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    form = IndicatorSourceForm(request.POST or None, wave=wave)
    if request.method == "POST":
        require(rules.can_design(request.user))
        if request.POST.get("action") == "sync":
            updates = services.indicator_values_sync(wave=wave, actor=request.user)
            messages.success(
                request,
                _("成果指標%(n)d件に%(fy)d年度の値を反映しました。")
                % {"n": sum(1 for u in updates if u.written), "fy": wave.fiscal_year},
            )
            return redirect("staff:survey_indicators", pk=pk)
        if form.is_valid():
            data = form.cleaned_data
            with Written(request=request, form=form) as written:
                services.indicator_source_save(
                    indicator=data["indicator"],
                    actor=request.user,
                    metric=data["metric"],
                    measure=data.get("measure"),
                    question_code=data.get("question_code") or "",
                    option=data.get("option"),
                )
            if written.ok:
                messages.success(request, _("成果指標と調査を結び付けました。"))
                return redirect("staff:survey_indicators", pk=pk)
    choices = cast(forms.ModelChoiceField, form.fields["indicator"]).queryset
    links = IndicatorSource.objects.filter(indicator__in=list(choices or [])).select_related(
        "indicator", "measure"
    )
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            indicator__in=[link.indicator_id for link in links], fiscal_year=wave.fiscal_year
        )
    }
    rows = [(link, values.get(link.indicator_id)) for link in links]
    return render(
        request, "surveys/staff/indicators.html", _ctx(request, wave, form=form, rows=rows)
    )
