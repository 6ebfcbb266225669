"""Evaluation pages: the staff back office (/staff/evaluation/) and the public results
(/evaluation/, published snapshots only). Report files (PDF, Excel) are served by
keikaku.reporting, which renders them from the same report data."""

from __future__ import annotations

import base64
import dataclasses
import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keikaku.core.cache import public_page_cache
from keikaku.core.domain import textio
from keikaku.core.domain.fiscal import format_fiscal_year, is_english
from keikaku.core.services import StaleEditError
from keikaku.evaluation import api, exports, presentation, rules, selectors, services
from keikaku.evaluation.domain import report as rpt
from keikaku.evaluation.domain.actuals_upload import (
    ACTUALS_SHEET,
    COSTS_SHEET,
    ActualRow,
    CostRow,
    ParsedUpload,
    parse_upload,
    read_upload_files,
)
from keikaku.evaluation.domain.comparison import INDICATOR_KIND_LABELS, MEASURE_KIND_LABELS
from keikaku.evaluation.forms import (
    CarryOverForm,
    MeasureSheetForm,
    MergeForm,
    ProgrammeIndicatorFormSet,
    ProgrammeSheetForm,
    RoundForm,
    UploadForm,
)
from keikaku.evaluation.grading_labels import translate_label
from keikaku.evaluation.models import (
    EvaluationRound,
    MeasureEvaluation,
    ProgrammeEvaluation,
    ReportFile,
)
from keikaku.plans.domain.workbook import Problem

NAV = "evaluation"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_SESSION_KEY = "evaluation_upload_pending"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("この操作を行う権限がありません。"))


def _render(
    request: HttpRequest, template: str, context: Mapping[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"nav_slug": NAV, **context}, status=status)


def _round_or_404(pk: int) -> EvaluationRound:
    round_ = selectors.round_get(pk=pk)
    if round_ is None:
        raise Http404(_("その年度評価はありません。"))
    return round_


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


# --------------------------------------------------------------------------- rounds


@rules.staff_required
def evaluation_home(request: HttpRequest) -> HttpResponse:
    can_manage = rules.can_manage_rounds(request.user)
    form = RoundForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        _require(can_manage)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = services.round_create(
                    edition=data["edition"],
                    fiscal_year=data["fiscal_year"],
                    scheme_id=data["scheme_id"],
                    is_final=data["is_final"],
                    introduction=data["introduction"],
                    actor=request.user,
                )
            except services.EvaluationError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                for name, errors in getattr(exc, "error_dict", {"__all__": exc.messages}).items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("「%(r)s」を作りました。施策と事務事業の評価シートを用意しました。")
                    % {"r": round_},
                )
                return redirect("staff:evaluation_round", pk=round_.pk)
    return _render(
        request,
        "evaluation/staff_home.html",
        {
            "rounds": selectors.round_list(),
            "form": form,
            "can_manage": can_manage,
            "can_carry_over": rules.can_carry_over(request.user),
            "pairs": selectors.edition_successor_pairs(),
        },
    )


def _sheet_counts(round_: EvaluationRound) -> dict[str, int]:
    counts = dict.fromkeys(("draft", "submitted", "confirmed"), 0)
    for status in MeasureEvaluation.objects.filter(round=round_).values_list("status", flat=True):
        counts[status] += 1
    return counts


def _overview_context(report: rpt.VerificationReport) -> dict[str, Any]:
    labels = [g.label for g in report.scheme.labels]
    names = presentation.trend_labels()
    return {
        "report": report,
        "labels": labels,
        "trend_names": [names[k] for k in presentation.TREND_KEYS],
        "measure_chart": presentation.grade_distribution_chart(report, "dist-m", of="measure"),
        "measure_rows": presentation.grade_rows(report, of="measure"),
        "indicator_chart": presentation.grade_distribution_chart(report, "dist-i", of="indicator"),
        "indicator_rows": presentation.grade_rows(report, of="indicator"),
        "trend_chart": presentation.trend_chart(report, "trend"),
        "trend_rows": presentation.trend_rows(report),
    }


@rules.staff_required
def evaluation_round(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    report_input = selectors.report_input(round_)
    report = rpt.build_report(report_input)
    sheets = {s.measure.code: s for s in selectors.measure_sheets(round_)}
    rows = [(m, sheets.get(m.code)) for m in report.measures]
    return _render(
        request,
        "evaluation/staff_round.html",
        {
            "round": round_,
            "rows": rows,
            "programme_sheets": selectors.programme_sheets(round_),
            "counts": _sheet_counts(round_),
            "can_manage": rules.can_manage_rounds(request.user),
            "published": hasattr(round_, "publication"),
            **_overview_context(report),
            **_report_file_context(round_, rpt.report_input_digest(report_input)),
        },
    )


# --------------------------------------------------------------------------- report files


def _report_file_context(round_: EvaluationRound, digest: str | None = None) -> dict[str, Any]:
    """The round's PDF: the newest request, the newest finished file and whether that file
    is older than the data (``digest``: the data's fingerprint now)."""
    latest = selectors.report_file_latest(round_)
    done = selectors.report_file_done(round_)
    if done is not None and digest is None:
        digest = selectors.report_digest(round_)
    return {
        "pdf_in_background": services.report_file_available(),
        "report_file": latest,
        "report_done": done,
        "report_stale": done is not None and done.data_digest != digest,
    }


def _report_file_status(round_: EvaluationRound) -> dict[str, Any]:
    context = _report_file_context(round_)
    latest: ReportFile | None = context["report_file"]
    done: ReportFile | None = context["report_done"]
    return {
        "status": latest.status if latest else "none",
        "status_label": str(latest.get_status_display()) if latest else _("未作成"),
        "progress": latest.progress if latest else 0,
        "message": latest.message if latest else "",
        "finished": latest is None or latest.is_finished,
        "stale": context["report_stale"],
        "download_url": (
            reverse("staff:evaluation_report_file_download", args=[round_.pk, done.pk])
            if done is not None
            else None
        ),
    }


@rules.staff_required
def evaluation_report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's PDF: its state and the file (GET); make it in the background (POST)."""
    round_ = _round_or_404(pk)
    if request.method == "POST":
        _require(rules.can_generate_report(request.user))
        try:
            file, created = services.report_file_request(round_=round_, actor=request.user)
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
            return redirect("staff:evaluation_round", pk=round_.pk)
        if created:
            messages.success(
                request,
                _(
                    "報告書の PDF を作り始めました。できあがるまで 1 分ほどかかります。この画面を離れても作成は続きます。"
                ),
            )
        else:
            messages.info(
                request,
                _(
                    "この報告書の PDF は%(by)sの指示で作成中（%(status)s）です。終わるまでお待ちください。"
                )
                % {
                    "by": file.requested_by_name or _("別の職員"),
                    "status": file.get_status_display(),
                },
            )
        return redirect("staff:evaluation_report_file", pk=round_.pk)
    return _render(
        request,
        "evaluation/staff_report_file.html",
        {"round": round_, **_report_file_context(round_)},
    )


@rules.staff_required
@require_GET
def evaluation_report_file_status(request: HttpRequest, pk: int) -> JsonResponse:
    round_ = _round_or_404(pk)
    response = JsonResponse(_report_file_status(round_))
    response["Cache-Control"] = "no-store"
    return response


@rules.staff_required
@require_GET
def evaluation_report_file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    file = selectors.report_file_get(round_=round_, pk=file_pk)
    if file is None or file.status != ReportFile.Status.DONE or file.content is None:
        raise Http404(
            _(
                "その報告書ファイルはありません。新しい PDF ができると前のファイルは消えます。報告書の画面から開き直してください。"
            )
        )
    response = HttpResponse(bytes(file.content), content_type="application/pdf")
    filename = api.round_filename(round_.pk, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@rules.staff_required
def evaluation_round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    _require(rules.can_manage_rounds(request.user))
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                round_=round_,
                actor=request.user,
                expected_version=_version(request),
                changes={
                    k: form.cleaned_data[k] for k in ("scheme_id", "is_final", "introduction")
                },
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("年度評価の設定を保存しました。"))
            return redirect("staff:evaluation_round", pk=round_.pk)
    return _render(request, "evaluation/staff_round_edit.html", {"round": round_, "form": form})


@rules.staff_required
@require_POST
def evaluation_round_sync(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    _require(rules.can_manage_rounds(request.user))
    created = services.round_sync_sheets(round_=round_, actor=request.user)
    messages.success(request, _("評価シートを %(n)d 件追加しました。") % {"n": created})
    return redirect("staff:evaluation_round", pk=round_.pk)


@rules.staff_required
@require_POST
def evaluation_round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    _require(rules.can_manage_rounds(request.user))
    services.round_publish(round_=round_, actor=request.user)
    messages.success(
        request,
        _(
            "評価結果を公開しました。確認済みの評価シートの文章と、すべての成果指標の数値が公開ページに載ります。"
        ),
    )
    return redirect("staff:evaluation_round", pk=round_.pk)


@rules.staff_required
@require_POST
def evaluation_round_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    _require(rules.can_manage_rounds(request.user))
    services.round_unpublish(round_=round_, actor=request.user)
    messages.info(request, _("評価結果の公開をやめました。"))
    return redirect("staff:evaluation_round", pk=round_.pk)


# --------------------------------------------------------------------------- sheets


def _transition(request: HttpRequest, sheet: Any, action: str) -> str | None:
    """Run submit / confirm / return; returns an error message or None."""
    user = request.user
    allowed = {
        "submit": rules.can_submit(user, sheet),
        "confirm": rules.can_confirm(user, sheet),
        "return": rules.can_return(user, sheet),
    }.get(action)
    _require(bool(allowed))
    service = {
        "submit": services.sheet_submit,
        "confirm": services.sheet_confirm,
        "return": services.sheet_return,
    }[action]
    try:
        service(sheet=sheet, actor=user, expected_version=_version(request))
    except (StaleEditError, services.EvaluationError) as exc:
        return str(exc)
    done = {
        "submit": _("評価シートを事務局に提出しました。"),
        "confirm": _("評価シートを確認済みにしました。"),
        "return": _("評価シートを担当課に差し戻しました（作成中に戻しました）。"),
    }[action]
    messages.success(request, done)
    return None


@rules.staff_required
def evaluation_measure_sheet(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    sheet = selectors.measure_sheet_get(round_=round_, pk=sheet_pk)
    if sheet is None:
        raise Http404(_("その評価シートはありません。"))
    user = request.user
    can_edit = rules.can_edit_measure_sheet(user, sheet)
    secretariat = rules.is_secretariat(user)
    form = MeasureSheetForm(instance=sheet, secretariat=secretariat) if can_edit else None
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in ("submit", "confirm", "return"):
            message = _transition(request, sheet, action)
            if message is None:
                return redirect("staff:evaluation_measure_sheet", pk=round_.pk, sheet_pk=sheet.pk)
            error = message
        else:
            _require(can_edit)
            form = MeasureSheetForm(request.POST, instance=sheet, secretariat=secretariat)
            # ModelForm validation mutates the instance: keep the stored copy for the service.
            stored = MeasureEvaluation.objects.get(pk=sheet.pk)
            if form.is_valid():
                changes = {k: form.cleaned_data[k] for k in form.fields}
                try:
                    services.sheet_update(
                        sheet=stored,
                        actor=user,
                        expected_version=_version(request),
                        changes=changes,
                    )
                except StaleEditError as exc:
                    form.add_error(None, str(exc))
                except ValidationError as exc:
                    for name, errs in getattr(exc, "error_dict", {}).items():
                        form.add_error(name if name in form.fields else None, errs)
                else:
                    messages.success(request, _("評価シートを保存しました。"))
                    return redirect(
                        "staff:evaluation_measure_sheet", pk=round_.pk, sheet_pk=sheet.pk
                    )
            sheet = stored
    report = selectors.round_report(round_)
    measure = report.measure(sheet.measure.code)
    charts = [
        (ind, presentation.indicator_chart(ind, f"kpi-{n}"))
        for n, ind in enumerate(measure.indicators, start=1)
    ]
    return _render(
        request,
        "evaluation/staff_measure_sheet.html",
        {
            "round": round_,
            "sheet": sheet,
            "m": measure,
            "charts": charts,
            "form": form,
            "error": error,
            "can_edit": can_edit,
            "can_submit": rules.can_submit(user, sheet),
            "can_confirm": rules.can_confirm(user, sheet),
            "can_return": rules.can_return(user, sheet),
            "scheme": report.scheme,
        },
    )


@rules.staff_required
def evaluation_programme_sheet(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    sheet = selectors.programme_sheet_get(round_=round_, pk=sheet_pk)
    if sheet is None:
        raise Http404(_("その評価シートはありません。"))
    user = request.user
    can_edit = rules.can_edit_programme_sheet(user, sheet)
    initial = [
        {"kind": i.kind, "name": i.name, "unit": i.unit, "planned": i.planned, "actual": i.actual}
        for i in sheet.indicators.all()
    ]
    form = ProgrammeSheetForm(instance=sheet) if can_edit else None
    formset = ProgrammeIndicatorFormSet(initial=initial, prefix="ind") if can_edit else None
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in ("submit", "confirm", "return"):
            message = _transition(request, sheet, action)
            if message is None:
                return redirect("staff:evaluation_programme_sheet", pk=round_.pk, sheet_pk=sheet.pk)
            error = message
        else:
            _require(can_edit)
            stored = ProgrammeEvaluation.objects.get(pk=sheet.pk)
            form = ProgrammeSheetForm(request.POST, instance=sheet)
            formset = ProgrammeIndicatorFormSet(request.POST, initial=initial, prefix="ind")
            if form.is_valid() and formset.is_valid():
                changes = {k: form.cleaned_data[k] for k in form.fields}
                try:
                    services.sheet_update(
                        sheet=stored,
                        actor=user,
                        expected_version=_version(request),
                        changes=changes,
                    )
                    services.programme_indicators_save(
                        sheet=stored,
                        actor=user,
                        rows=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                    )
                except StaleEditError as exc:
                    form.add_error(None, str(exc))
                except ValidationError as exc:
                    form.add_error(None, exc.messages)
                else:
                    messages.success(request, _("評価シートを保存しました。"))
                    return redirect(
                        "staff:evaluation_programme_sheet", pk=round_.pk, sheet_pk=sheet.pk
                    )
            sheet = stored
    programme = sheet.programme
    costs = selectors.programme_costs(programme)
    fy = round_.fiscal_year
    years = sorted({y for y, _p in costs} | {fy})
    cost_rows = [(y, costs.get((y, True)), costs.get((y, False))) for y in years]
    actual = costs.get((fy, False))
    planned = costs.get((fy, True))
    base = (
        actual.total
        if actual and actual.total is not None
        else (planned.total if planned else None)
    )
    total = (
        None if base is None and sheet.staff_cost is None else (base or 0) + (sheet.staff_cost or 0)
    )
    activity = [i for i in sheet.indicators.all() if i.kind == "activity"]
    unit_cost = None
    if total is not None and activity and activity[0].actual:
        unit_cost = total / activity[0].actual
    history = [
        (s.round.fiscal_year, list(s.indicators.all()))
        for s in ProgrammeEvaluation.objects.filter(programme=programme)
        .exclude(pk=sheet.pk)
        .select_related("round")
        .prefetch_related("indicators")
        .order_by("round__fiscal_year")
    ]
    return _render(
        request,
        "evaluation/staff_programme_sheet.html",
        {
            "round": round_,
            "sheet": sheet,
            "programme": programme,
            "form": form,
            "formset": formset,
            "error": error,
            "can_edit": can_edit,
            "can_submit": rules.can_submit(user, sheet),
            "can_confirm": rules.can_confirm(user, sheet),
            "can_return": rules.can_return(user, sheet),
            "cost_rows": cost_rows,
            "total_cost": total,
            "unit_cost": unit_cost,
            "unit_cost_basis": activity[0] if activity else None,
            "history": history,
        },
    )


# --------------------------------------------------------------------------- bulk entry


def _files_of(request: HttpRequest) -> list[tuple[str, bytes]]:
    return [(f.name or "upload", f.read()) for f in request.FILES.getlist("file")]


def _preview_context(round_: EvaluationRound, plan: services.EntryPlan) -> dict[str, Any]:
    changes = services.grade_changes_all(round_, plan.overrides())
    return {
        "plan": plan,
        "grade_measures": changes.measures,
        "grade_strategies": changes.strategies,
        "grade_indicators": changes.indicators,
    }


@rules.staff_required
def evaluation_upload(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    context: dict[str, Any] = {
        "round": round_,
        "form": UploadForm(),
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    if request.method != "POST":
        return _render(request, "evaluation/staff_upload.html", context)
    action = request.POST.get("action", "preview")
    if action == "cancel":
        request.session.pop(UPLOAD_SESSION_KEY, None)
        messages.info(request, _("取り込みを取りやめました。データは変わっていません。"))
        return redirect("staff:evaluation_upload", pk=round_.pk)
    if action == "confirm":
        pending = request.session.get(UPLOAD_SESSION_KEY)
        if (
            not pending
            or pending.get("token") != request.POST.get("token")
            or pending.get("round") != round_.pk
        ):
            messages.error(
                request,
                _(
                    "確認の期限が切れたか、別の画面で取り込みを始めました。もう一度ファイルをアップロードしてください。"
                ),
            )
            return redirect("staff:evaluation_upload", pk=round_.pk)
        files = [(name, base64.b64decode(data)) for name, data in pending["files"]]
    else:
        files = _files_of(request)
        if not files:
            context["problems"] = [
                Problem(
                    "",
                    None,
                    None,
                    None,
                    _("ファイルが選ばれていません。取り込むファイルを選んでください。"),
                )
            ]
            return _render(request, "evaluation/staff_upload.html", context, status=400)
        if sum(len(d) for _n, d in files) > MAX_UPLOAD_BYTES:
            context["problems"] = [
                Problem(
                    "",
                    None,
                    None,
                    None,
                    _("ファイルが大きすぎます（上限 %(mb)d MB）。行を分けて取り込んでください。")
                    % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            ]
            return _render(request, "evaluation/staff_upload.html", context, status=400)
    parsed = parse_upload(read_upload_files(files), fiscal_year=round_.fiscal_year)
    try:
        plan = services.entry_plan(round_=round_, parsed=parsed, user=request.user)
    except services.UploadError as exc:
        request.session.pop(UPLOAD_SESSION_KEY, None)
        context["problems"] = exc.problems
        return _render(request, "evaluation/staff_upload.html", context)
    if action == "confirm":
        assert pending is not None
        if plan.digest() != pending["digest"]:
            pending["digest"] = plan.digest()
            request.session[UPLOAD_SESSION_KEY] = pending
            context.update(_preview_context(round_, plan))
            context["token"] = pending["token"]
            context["outdated"] = _(
                "確認の後にデータが変わったため、取り込みを止めました。新しい内容を確認してから、もう一度取り込んでください。"
            )
            return _render(request, "evaluation/staff_upload.html", context)
        services.entry_apply(round_=round_, plan=plan, actor=request.user)
        request.session.pop(UPLOAD_SESSION_KEY, None)
        messages.success(
            request,
            _("取り込みました（%(s)s）。変更はすべて操作履歴に記録しました。")
            % {"s": plan.summary_text()},
        )
        return redirect("staff:evaluation_round", pk=round_.pk)
    token = secrets.token_urlsafe(16)
    request.session[UPLOAD_SESSION_KEY] = {
        "token": token,
        "round": round_.pk,
        "files": [(name, base64.b64encode(data).decode("ascii")) for name, data in files],
        "digest": plan.digest(),
    }
    context.update(_preview_context(round_, plan))
    context["token"] = token
    return _render(request, "evaluation/staff_upload.html", context)


@rules.staff_required
@require_GET
def evaluation_upload_template(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(pk)
    body = exports.entry_template_bytes(round_, request.user)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.template_filename(round_)}"'
    response["Cache-Control"] = "no-store"
    return response


GRID_COST_FIELDS = ("total", "national", "prefectural", "bonds", "other", "general", "staff_cost")


def _grid_rows(
    round_: EvaluationRound, user: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    values = selectors.values_for_year(round_)
    indicators = []
    for ind in selectors.indicators_for_round(round_):
        if not rules.can_enter_for_indicator(user, ind):
            continue
        current = values.get(ind.pk)
        indicators.append(
            {
                "ind": ind,
                "value": current.value if current else None,
                "note": current.note if current else "",
                "version": current.version if current else 0,
            }
        )
    costs = selectors.costs_for_year(round_, is_plan=False)
    sheets = {s.programme_id: s for s in ProgrammeEvaluation.objects.filter(round=round_)}
    programmes = []
    for prog in selectors.programmes_of(round_.edition):
        if not rules.can_enter_for_programme(user, prog):
            continue
        cost = costs.get(prog.pk)
        sheet = sheets.get(prog.pk)
        row: dict[str, Any] = {
            "prog": prog,
            "version": cost.version if cost else 0,
            "sheet_version": sheet.version if sheet else 0,
            "values": {
                name: (getattr(cost, name) if cost else None) for name in GRID_COST_FIELDS[:-1]
            },
        }
        row["values"]["staff_cost"] = sheet.staff_cost if sheet else None
        row["fte"] = sheet.staff_fte if sheet else None
        programmes.append(row)
    return indicators, programmes


def _grid_number(text: str, problems: list[Problem], sheet: str, row: int, column: str) -> Any:
    try:
        return textio.parse_number(text)
    except textio.NumberParseError as exc:
        problems.append(Problem(sheet, row, column, None, str(exc)))
        return None


@rules.staff_required
def evaluation_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """A keyboard-friendly table for a year's actuals and settled costs (all-or-nothing)."""
    round_ = _round_or_404(pk)
    user = request.user
    indicators, programmes = _grid_rows(round_, user)
    problems: list[Problem] = []
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {k: v for k, v in request.POST.dict().items() if k != "csrfmiddlewaretoken"}
        ind_sheet, cost_sheet = _("入力表（実績値）"), _("入力表（事業費）")
        actual_rows: list[ActualRow] = []
        expected: dict[str, int] = {}
        for n, item in enumerate(indicators, start=1):
            ind = item["ind"]
            raw = request.POST.get(f"v-{ind.pk}", "").strip()
            value = _grid_number(raw, problems, ind_sheet, n, _("実績値"))
            note = request.POST.get(f"n-{ind.pk}", "").strip()
            if len(note) > 300:
                problems.append(
                    Problem(ind_sheet, n, _("備考"), None, _("備考は 300 文字以内にしてください。"))
                )
            version = request.POST.get(f"ver-{ind.pk}", "")
            if version.isdigit():
                expected[f"value:{ind.pk}"] = int(version)
            actual_rows.append(ActualRow(n, ind.code, round_.fiscal_year, value, None, note))
        cost_rows: list[CostRow] = []
        for n, item in enumerate(programmes, start=1):
            prog = item["prog"]
            amounts: dict[str, int | None] = {}
            for name in GRID_COST_FIELDS:
                raw = request.POST.get(f"c-{prog.pk}-{name}", "").strip()
                value = _grid_number(raw, problems, cost_sheet, n, name)
                if value is not None and (value < 0 or not float(value).is_integer()):
                    problems.append(
                        Problem(
                            cost_sheet,
                            n,
                            name,
                            None,
                            _("金額は 0 以上の千円単位の整数で入力してください。"),
                        )
                    )
                    value = None
                amounts[name] = int(value) if value is not None else None
            fte = _grid_number(
                request.POST.get(f"c-{prog.pk}-fte", "").strip(), problems, cost_sheet, n, "fte"
            )
            for key, field in (("version", "cver"), ("sheet_version", "sver")):
                version = request.POST.get(f"{field}-{prog.pk}", "")
                if version.isdigit():
                    expected[f"{'cost' if key == 'version' else 'sheet'}:{prog.pk}"] = int(version)
            parts = [amounts[k] for k in ("national", "prefectural", "bonds", "other", "general")]
            total = amounts["total"]
            if total is not None and all(p is not None for p in parts):
                parts_sum = sum(p for p in parts if p is not None)
                if parts_sum != total:
                    problems.append(
                        Problem(
                            cost_sheet,
                            n,
                            _("事業費（千円）"),
                            None,
                            _(
                                "財源内訳の合計（%(sum)s 千円）が事業費（%(total)s 千円）と一致しません。"
                            )
                            % {"sum": f"{parts_sum:,}", "total": f"{total:,}"},
                        )
                    )
            cost_rows.append(
                CostRow(
                    row=n,
                    programme=prog.code,
                    fiscal_year=round_.fiscal_year,
                    is_plan=False,
                    total=total,
                    national=amounts["national"],
                    prefectural=amounts["prefectural"],
                    bonds=amounts["bonds"],
                    other=amounts["other"],
                    general=amounts["general"],
                    staff_cost=amounts["staff_cost"],
                    staff_fte=fte,
                    note="",
                )
            )
        if not problems:
            parsed = ParsedUpload(
                actuals=tuple(actual_rows),
                costs=tuple(cost_rows),
                problems=(),
                columns={
                    ACTUALS_SHEET: {"indicator": (_("指標"), ""), "value": (_("実績値"), "")},
                    COSTS_SHEET: {
                        "programme": (_("事業"), ""),
                        "total": (_("事業費（千円）"), ""),
                        "staff_cost": (_("人件費（千円）"), ""),
                    },
                },
            )
            try:
                plan = services.entry_plan(
                    round_=round_, parsed=parsed, user=user, expected_versions=expected
                )
            except services.UploadError as exc:
                rename = {ACTUALS_SHEET: ind_sheet, COSTS_SHEET: cost_sheet}
                problems = [
                    dataclasses.replace(p, sheet=rename.get(p.sheet, p.sheet)) for p in exc.problems
                ]
            else:
                services.entry_apply(round_=round_, plan=plan, actor=user)
                messages.success(
                    request,
                    _("保存しました（%(s)s）。") % {"s": plan.summary_text()},
                )
                return redirect("staff:evaluation_grid", pk=round_.pk)
    errors_by_row: dict[tuple[str, int], list[str]] = {}
    for p in problems:
        if p.row is not None:
            errors_by_row.setdefault((p.sheet, p.row), []).append(p.message)
    ind_sheet, cost_sheet = _("入力表（実績値）"), _("入力表（事業費）")
    for n, item in enumerate(indicators, start=1):
        ind = item["ind"]
        if posted:
            item["value_text"] = posted.get(f"v-{ind.pk}", "")
            item["note"] = posted.get(f"n-{ind.pk}", "")
        else:
            item["value_text"] = (
                presentation.number_text(item["value"]).replace(",", "")
                if item["value"] is not None
                else ""
            )
        item["errors"] = errors_by_row.get((ind_sheet, n), [])
        item["row"] = n
    for n, item in enumerate(programmes, start=1):
        prog = item["prog"]
        cells = []
        for name in GRID_COST_FIELDS:
            text = (
                posted.get(f"c-{prog.pk}-{name}", "")
                if posted
                else ("" if item["values"][name] is None else str(item["values"][name]))
            )
            cells.append((name, text))
        fte = item["fte"]
        cells.append(
            (
                "fte",
                posted.get(f"c-{prog.pk}-fte", "") if posted else ("" if fte is None else str(fte)),
            )
        )
        item["cells"] = cells
        item["errors"] = errors_by_row.get((cost_sheet, n), [])
        item["row"] = n
    return _render(
        request,
        "evaluation/staff_grid.html",
        {
            "round": round_,
            "indicators": indicators,
            "programmes": programmes,
            "problems": problems,
            "cost_headers": [
                _("事業費（千円）"),
                _("国庫支出金"),
                _("県支出金"),
                _("地方債"),
                _("その他"),
                _("一般財源"),
                _("人件費（千円）"),
                _("従事職員数（人工）"),
            ],
        },
        status=400 if problems else 200,
    )


# --------------------------------------------------------------------------- carry-over


@rules.staff_required
def evaluation_carry_over(request: HttpRequest) -> HttpResponse:
    _require(rules.can_carry_over(request.user))
    editions = selectors.editions_for_carry_over()
    from keikaku.plans.models import Edition

    qs = Edition.objects.filter(pk__in=[e.pk for e in editions]).select_related("plan")
    form = CarryOverForm(request.POST or None, editions=qs)
    if request.method == "GET" and editions:
        first = editions[0]
        span = first.end_fy - first.start_fy
        form.initial.update(
            {"former": first.pk, "start_fy": first.end_fy + 1, "end_fy": first.end_fy + 1 + span}
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.edition_carry_over(
                former=data["former"],
                actor=request.user,
                title=data["title"],
                start_fy=data["start_fy"],
                end_fy=data["end_fy"],
                restart_cumulative=data["restart_cumulative"],
                baseline_up_to_fy=data["baseline_up_to_fy"],
                skip_ended_programmes=data["skip_ended_programmes"],
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _(
                    "「%(t)s」を作りました（政策分野 %(a)d、施策 %(m)d、成果指標 %(i)d、"
                    "重点戦略 %(s)d（成果指標 %(si)d）、事務事業 %(p)d）。"
                    "基準値を最新の実績値に更新した指標は %(u)d 件です。目標値を入力してください。"
                )
                % {
                    "t": result.edition.title,
                    "a": result.areas,
                    "m": result.measures,
                    "i": result.indicators,
                    "s": result.strategies,
                    "si": result.strategy_indicators,
                    "p": result.programmes,
                    "u": result.baselines_updated,
                },
            )
            if result.programmes_ended:
                messages.info(
                    request,
                    _("「休止・廃止」「完了」と評価したため引き継がなかった事務事業: %(codes)s")
                    % {"codes": "、".join(result.programmes_ended)},
                )
            if result.baselines_kept:
                messages.warning(
                    request,
                    _("実績値の報告がなく、前期の基準値を引き継いだ指標: %(codes)s")
                    % {"codes": "、".join(result.baselines_kept)},
                )
            return redirect("staff:evaluation_comparison", edition_pk=result.edition.pk)
    return _render(
        request, "evaluation/staff_carry_over.html", {"form": form, "editions": editions}
    )


@rules.staff_required
def evaluation_comparison(request: HttpRequest, edition_pk: int) -> HttpResponse:
    edition = selectors.edition_get(pk=edition_pk)
    if edition is None or edition.predecessor is None:
        raise Http404(_("比べる前の計画がありません。"))
    can_merge = rules.can_carry_over(request.user)
    form = MergeForm(request.POST or None, edition=edition) if can_merge else None
    if request.method == "POST":
        _require(can_merge)
        assert form is not None
        if form.is_valid():
            kept, absorbed = form.cleaned_data["kept"], form.cleaned_data["absorbed"]
            try:
                services.measure_merge(kept=kept, absorbed=absorbed, actor=request.user)
            except services.EvaluationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("施策「%(a)s」を「%(k)s」に統合しました。") % {"a": absorbed, "k": kept},
                )
                return redirect("staff:evaluation_comparison", edition_pk=edition.pk)
    comparison = api.comparison_for_edition(edition.pk)
    assert comparison is not None
    return _render(
        request,
        "evaluation/staff_comparison.html",
        {
            "edition": edition,
            "former": edition.predecessor,
            "comparison": comparison,
            "measure_counts": [
                (_(MEASURE_KIND_LABELS[k]), v) for k, v in comparison.measure_counts().items()
            ],
            "indicator_counts": [
                (_(INDICATOR_KIND_LABELS[k]), v) for k, v in comparison.indicator_counts().items()
            ],
            "strategy_counts": [
                (_(MEASURE_KIND_LABELS[k]), v) for k, v in comparison.strategy_counts().items()
            ],
            "programme_counts": [
                (_(MEASURE_KIND_LABELS[k]), v) for k, v in comparison.programme_counts().items()
            ],
            "item_tables": [
                ("strategies", _("重点戦略"), comparison.strategies),
                ("programmes", _("事務事業"), comparison.programmes),
            ],
            "form": form,
        },
    )


@rules.staff_required
@require_GET
def evaluation_comparison_download(request: HttpRequest, edition_pk: int, fmt: str) -> HttpResponse:
    """The whole comparison (measures, strategies, programmes, indicators) as .xlsx or .csv."""
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("その形式では書き出せません。xlsx か csv を選んでください。"))
    edition = selectors.edition_get(pk=edition_pk)
    comparison = api.comparison_for_edition(edition_pk)
    if edition is None or edition.predecessor is None or comparison is None:
        raise Http404(_("比べる前の計画がありません。"))
    filename = exports.comparison_filename(edition.plan.municipality.code, edition.kind, fmt)
    if fmt == "csv":
        body = exports.comparison_csv_bytes(comparison)
        content_type = "text/csv; charset=utf-8"
    else:
        body = exports.comparison_xlsx_bytes(
            comparison, former=edition.predecessor.title, latter=edition.title
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- public


# The published report keeps the Japanese texts of the time it was published (vocabulary
# labels, the grading scheme's texts, the title with its 和暦 fiscal year). The public pages
# show them in the reader's language: these fields are passed through gettext (a text not in
# the catalogue, such as a grade description the city wrote itself, stays as entered).
_TRANSLATED_FIELDS: dict[type, tuple[str, ...]] = {
    rpt.SchemeInfo: ("name", "description"),
    rpt.GradeLabel: ("description",),
    rpt.IndicatorReport: (
        "direction_label",
        "grade_description",
        "trend_vs_baseline_label",
        "trend_vs_previous_label",
    ),
    rpt.MeasureReport: ("grade_description", "sheet_status_label", "direction_label"),
    rpt.ProgrammeReport: ("sheet_status_label", "direction_label"),
    rpt.ProgrammeIndicatorReport: ("kind_label",),
    rpt.ViewpointReport: ("label", "rating_label"),
    rpt.StrategyReport: ("grade_description",),
    rpt.VerificationReport: ("edition_kind_label",),
}


def _translated(value: Any) -> Any:
    """A copy of a (published) report structure with its labels in the active language."""
    if isinstance(value, tuple):
        items = tuple(_translated(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    fields = _TRANSLATED_FIELDS.get(type(value), ())
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        current = getattr(value, field.name)
        if field.name in fields and isinstance(current, str):
            new = translate_label(current)
        else:
            new = _translated(current)
        if new is not current:
            changes[field.name] = new
    return dataclasses.replace(value, **changes) if changes else value


def _public_title(title: str, fiscal_year: int, edition_title: str, is_final: bool) -> str:
    """The report title in English mode rebuilt with "FY2025" (the stored one reads 令和7年度)."""
    if not is_english(get_language()):
        return title
    if is_final:
        return _("%(edition)s 検証報告書") % {"edition": edition_title}
    return _("%(fy)s %(edition)s 施策評価結果報告書") % {
        "fy": format_fiscal_year(fiscal_year, lang=get_language()),
        "edition": edition_title,
    }


def _published_or_404(fiscal_year: int) -> rpt.VerificationReport:
    report = api.published_report(fiscal_year)
    if report is None:
        raise Http404(_("その年度の評価結果は公開されていません。"))
    report = _translated(report)
    title = _public_title(report.title, report.fiscal_year, report.edition_title, report.is_final)
    return report if title == report.title else dataclasses.replace(report, title=title)


@public_page_cache
def public_index(request: HttpRequest) -> HttpResponse:
    rounds = [
        dataclasses.replace(
            r, title=_public_title(r.title, r.fiscal_year, r.edition_title, r.is_final)
        )
        for r in api.published_rounds()
    ]
    return render(
        request,
        "evaluation/public_index.html",
        {"rounds": rounds, "nav": "evaluation"},
    )


@public_page_cache
def public_round(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    report = _published_or_404(fiscal_year)
    areas = [(a, report.area_measures(a.area_number or 0)) for a in report.areas]
    return render(
        request,
        "evaluation/public_round.html",
        {"areas": areas, "nav": "evaluation", **_overview_context(report)},
    )


@public_page_cache
def public_measure(request: HttpRequest, fiscal_year: int, code: str) -> HttpResponse:
    report = _published_or_404(fiscal_year)
    try:
        measure = report.measure(code)
    except KeyError:
        raise Http404(_("その施策の評価結果はありません。")) from None
    return _public_indicators_page(request, "evaluation/public_measure.html", report, "m", measure)


@public_page_cache
def public_strategy(request: HttpRequest, fiscal_year: int, number: int) -> HttpResponse:
    report = _published_or_404(fiscal_year)
    try:
        strategy = report.strategy(number)
    except KeyError:
        raise Http404(_("その重点戦略の評価結果はありません。")) from None
    return _public_indicators_page(
        request, "evaluation/public_strategy.html", report, "s", strategy
    )


def _public_indicators_page(
    request: HttpRequest,
    template: str,
    report: rpt.VerificationReport,
    name: str,
    owner: rpt.MeasureReport | rpt.StrategyReport,
) -> HttpResponse:
    """The public page of one measure or priority strategy (``owner``, in the context as
    ``name``) with a chart of each of its indicators."""
    charts = [
        (ind, presentation.indicator_chart(ind, f"kpi-{n}"))
        for n, ind in enumerate(owner.indicators, start=1)
    ]
    return render(
        request,
        template,
        {"report": report, name: owner, "charts": charts, "nav": "evaluation"},
    )
