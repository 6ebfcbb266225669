"""Population vision pages: the staff back office (/staff/population/) and the public page
(/population/, the published outlook only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.core.cache import public_page_cache
from keikaku.core.services import StaleEditError
from keikaku.demography import api, presentation, rules, selectors, services
from keikaku.demography.exports import run_filename, run_workbook_bytes
from keikaku.demography.forms import (
    AssumptionImportForm,
    CensusImportForm,
    OutlookForm,
    RunForm,
    ScenarioForm,
)
from keikaku.demography.models import Scenario, ScenarioResult
from keikaku.plans import api as plans_api

NAV = "population"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("この操作を行う権限がありません。"))


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_slug": NAV, **context})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# --- overview ------------------------------------------------------------------------------


@rules.staff_required
def population_home(request: HttpRequest) -> HttpResponse:
    datasets = [(d, selectors.census_total(d)) for d in selectors.census_dataset_list()]
    return _render(
        request,
        "demography/staff_home.html",
        {
            "datasets": datasets,
            "assumption_sets": selectors.assumption_set_list(),
            "scenarios": selectors.scenario_list(),
            "runs": selectors.projection_run_list()[:20],
            "outlook": selectors.outlook_get(),
            "can_edit": rules.can_edit_population(request.user),
        },
    )


# --- imports -------------------------------------------------------------------------------


def _municipality_initial() -> dict[str, str]:
    """The registered municipality; without one, the one of the latest base population."""
    municipality = plans_api.municipality()
    if municipality is not None:
        return {"municipality_code": municipality.code, "municipality_name": municipality.name}
    latest = selectors.census_dataset_list().order_by("-updated_at").first()
    if latest is not None:
        return {
            "municipality_code": latest.municipality_code,
            "municipality_name": latest.municipality_name,
        }
    return {}


def _upload(field: Any) -> tuple[bytes, str]:
    return field.read(), field.name


@rules.staff_required
def census_import(request: HttpRequest) -> HttpResponse:
    _require(rules.can_edit_population(request.user))
    problems: tuple[str, ...] = ()
    if request.method == "POST":
        form = CensusImportForm(request.POST, request.FILES)
        if form.is_valid():
            data, filename = _upload(form.cleaned_data["file"])
            fields = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            try:
                dataset = services.census_dataset_import(
                    data=data, filename=filename, actor=request.user, **fields
                )
            except services.PopulationError as exc:
                problems = exc.messages
            else:
                messages.success(
                    request,
                    _("%(dataset)s を取り込みました（%(rows)d 行）。")
                    % {"dataset": dataset, "rows": 2 * dataset.age_groups.size},
                )
                return redirect("staff:population_census", pk=dataset.pk)
    else:
        form = CensusImportForm(initial=_municipality_initial())
    return _render(
        request,
        "demography/staff_import.html",
        {
            "form": form,
            "problems": problems,
            "title": _("基準人口の取込"),
            "intro": _(
                "国勢調査などの男女・5歳階級別人口を取り込みます。縦長（year,sex,age_group,population）と、e-Stat の横長の表（年齢・男・女の列）のどちらも読めます。"
            ),
        },
    )


@rules.staff_required
def assumption_import(request: HttpRequest) -> HttpResponse:
    _require(rules.can_edit_population(request.user))
    problems: tuple[str, ...] = ()
    if request.method == "POST":
        form = AssumptionImportForm(request.POST, request.FILES)
        if form.is_valid():
            rates_data, rates_name = _upload(form.cleaned_data["rates_file"])
            births_data, births_name = _upload(form.cleaned_data["births_file"])
            fields = {
                k: v for k, v in form.cleaned_data.items() if k not in {"rates_file", "births_file"}
            }
            try:
                assumptions = services.assumption_set_import(
                    rates_data=rates_data,
                    rates_filename=rates_name,
                    births_data=births_data,
                    births_filename=births_name,
                    actor=request.user,
                    **fields,
                )
            except services.PopulationError as exc:
                problems = exc.messages
            else:
                messages.success(
                    request, _("仮定値「%(name)s」を取り込みました。") % {"name": assumptions.name}
                )
                return redirect("staff:population_assumptions", pk=assumptions.pk)
    else:
        form = AssumptionImportForm()
    return _render(
        request,
        "demography/staff_import.html",
        {
            "form": form,
            "problems": problems,
            "title": _("仮定値の取込"),
            "intro": _(
                "生残率・純移動率と、子ども女性比・出生性比を取り込みます。社人研の市区町村別の仮定値でも、市が独自に定めた値でもかまいません。"
            ),
        },
    )


@rules.staff_required
def census_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = selectors.census_dataset_get(pk=pk)
    if dataset is None:
        raise Http404(_("その基準人口は見つかりません。"))
    table = selectors.census_table(dataset)
    others = [
        d
        for d in selectors.census_dataset_list()
        if d.pk != dataset.pk and d.top_age == dataset.top_age
    ]
    compare = next((d for d in others if d.pk == _int(request.GET.get("compare"))), None)
    compare_table = selectors.census_table(compare) if compare else None
    chart = presentation.pyramid(
        chart_id="census-pyramid",
        title=_("%(year)d年の人口ピラミッド") % {"year": dataset.year},
        year=dataset.year,
        age_groups=dataset.age_groups.labels,
        population=table.population.tolist(),
        comparison_year=compare.year if compare else None,
        comparison=compare_table.population.tolist() if compare_table else None,
    )
    return _render(
        request,
        "demography/staff_census.html",
        {
            "dataset": dataset,
            "total": float(table.population.sum()),
            "chart": chart,
            "others": others,
            "compare": compare,
        },
    )


@rules.staff_required
def assumption_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assumptions = selectors.assumption_set_get(pk=pk)
    if assumptions is None:
        raise Http404(_("その仮定値は見つかりません。"))
    rates, births = selectors.assumption_tables(assumptions)
    labels = [presentation.age_label(g) for g in assumptions.age_groups.labels]
    periods = [
        {
            "start": start,
            "rows": [
                (
                    labels[g],
                    f"{rates.survival[p, 0, g]:.5f}",
                    f"{rates.net_migration[p, 0, g]:.5f}",
                    f"{rates.survival[p, 1, g]:.5f}",
                    f"{rates.net_migration[p, 1, g]:.5f}",
                )
                for g in range(len(labels))
            ],
        }
        for p, start in enumerate(rates.period_starts)
    ]
    return _render(
        request,
        "demography/staff_assumptions.html",
        {
            "assumptions": assumptions,
            "periods": periods,
            "births": list(
                zip(
                    births.years,
                    births.child_woman_ratio.tolist(),
                    births.sex_ratio_at_birth.tolist(),
                    strict=True,
                )
            ),
        },
    )


# --- scenarios -----------------------------------------------------------------------------


@rules.staff_required
def scenario_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk) if pk is not None else None
    can_edit = rules.can_edit_population(request.user)
    stale: StaleEditError | None = None
    if request.method == "POST":
        _require(can_edit)
        form = ScenarioForm(request.POST, instance=scenario or Scenario())
        if form.is_valid():
            try:
                if scenario is None:
                    saved = services.scenario_create(actor=request.user, **form.changes())
                else:
                    expected = form.cleaned_data.get("version")
                    saved = services.scenario_update(
                        scenario=scenario,
                        actor=request.user,
                        expected_version=expected if expected is not None else scenario.version,
                        changes=form.changes(),
                    )
            except StaleEditError as exc:
                stale = exc
                messages.error(request, str(exc))
            except services.PopulationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("シナリオ「%(name)s」を保存しました。") % {"name": saved}
                )
                return redirect("staff:population_scenario", pk=saved.pk)
    else:
        form = ScenarioForm(instance=scenario or Scenario())
    return _render(
        request,
        "demography/staff_scenario.html",
        {"form": form, "scenario": scenario, "stale": stale, "can_edit": can_edit},
    )


@rules.staff_required
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_edit_population(request.user))
    scenario = get_object_or_404(Scenario, pk=pk)
    if request.method == "POST":
        name = scenario.name
        services.scenario_delete(scenario=scenario, actor=request.user)
        messages.success(
            request,
            _("シナリオ「%(name)s」を削除しました。これまでの推計結果は残っています。")
            % {"name": name},
        )
        return redirect("staff:population_home")
    return _render(request, "demography/staff_scenario_delete.html", {"scenario": scenario})


# --- runs ----------------------------------------------------------------------------------


@rules.staff_required
def run_create(request: HttpRequest) -> HttpResponse:
    _require(rules.can_edit_population(request.user))
    problems: tuple[str, ...] = ()
    if request.method == "POST":
        form = RunForm(request.POST)
        if form.is_valid():
            try:
                run = services.projection_run_create(
                    base_dataset=form.cleaned_data["base_dataset"],
                    assumption_set=form.cleaned_data["assumption_set"],
                    scenarios=list(form.cleaned_data["scenarios"]),
                    until=form.cleaned_data["until"],
                    name=form.cleaned_data["name"],
                    actor=request.user,
                )
            except services.PopulationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("推計しました（%(run)s）。") % {"run": run})
                return redirect("staff:population_run", pk=run.pk)
    else:
        form = RunForm(initial={"scenarios": list(selectors.scenario_list())})
    return _render(request, "demography/staff_run_form.html", {"form": form, "problems": problems})


def _run_or_404(pk: int) -> Any:
    run = selectors.projection_run_get(pk=pk)
    if run is None:
        raise Http404(_("その推計は見つかりません。"))
    return run


def _pick_result(results: list[ScenarioResult], value: str | None) -> ScenarioResult:
    wanted = _int(value)
    return next((r for r in results if r.order == wanted), results[0])


@rules.staff_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(pk)
    results = list(run.results.all())
    if not results:
        raise Http404(_("その推計には結果がありません。"))
    selected = _pick_result(results, request.GET.get("scenario"))
    years = list(results[0].years)
    totals = presentation.trend(
        chart_id="run-totals",
        title=_("総人口の推移（シナリオ別）"),
        desc=_("%(first)d年から%(last)d年までの総人口を、シナリオごとに線で示します。")
        % {"first": years[0], "last": years[-1]},
        years=years,
        series=[(r.name, r.totals()) for r in results],
    )
    shares_65 = presentation.trend(
        chart_id="run-ageing",
        title=_("65歳以上の人口（シナリオ別）"),
        desc=_("65歳以上の人口を、シナリオごとに線で示します。"),
        years=years,
        series=[(r.name, list(selectors.result_indicators(r).age_65_plus)) for r in results],
        y_min=0,
        extra_columns=[
            (
                presentation.TableColumn(_("%(name)sの65歳以上の割合") % {"name": r.name}, "share"),
                list(selectors.result_indicators(r).share_65_plus),
            )
            for r in results
        ],
    )
    structure = presentation.age_structure(
        chart_id="run-structure",
        title=_("年齢3区分別の人口（%(name)s）") % {"name": selected.name},
        desc=_("0～14歳、15～64歳、65歳以上の人口の推移（シナリオ「%(name)s」）。")
        % {"name": selected.name},
        years=years,
        indicators=selectors.result_indicators(selected),
    )
    return _render(
        request,
        "demography/staff_run.html",
        {
            "run": run,
            "results": results,
            "selected": selected,
            "totals": totals,
            "ageing": shares_65,
            "structure": structure,
            "sources": run.inputs.get("sources", {}),
        },
    )


@rules.staff_required
def run_pyramid(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(pk)
    results = list(run.results.all())
    if not results:
        raise Http404(_("その推計には結果がありません。"))
    selected = _pick_result(results, request.GET.get("scenario"))
    years = list(selected.years)
    wanted = _int(request.GET.get("year"))
    year: int = wanted if wanted is not None and wanted in years else years[-1]
    t = years.index(year)
    chart = presentation.pyramid(
        chart_id="run-pyramid",
        title=_("%(year)d年の人口ピラミッド（%(name)s）") % {"year": year, "name": selected.name},
        year=year,
        age_groups=run.age_groups.labels,
        population=selected.population[t],
        comparison_year=years[0],
        comparison=selected.population[0],
    )
    return _render(
        request,
        "demography/staff_pyramid.html",
        {
            "run": run,
            "results": results,
            "selected": selected,
            "years": years,
            "year": year,
            "chart": chart,
        },
    )


@rules.staff_required
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(pk)
    response = HttpResponse(
        run_workbook_bytes(run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{run_filename(run)}"'
    return response


# --- outlook -------------------------------------------------------------------------------


@rules.staff_required
def outlook_edit(request: HttpRequest) -> HttpResponse:
    outlook = selectors.outlook_get()
    can_edit = rules.can_edit_population(request.user)
    stale: StaleEditError | None = None
    if request.method == "POST":
        _require(can_edit)
        form = OutlookForm(request.POST, instance=outlook)
        if form.is_valid():
            changes = form.changes()
            if not changes["targets"] and changes["result"] is not None:
                changes["targets"] = services.targets_from_result(changes["result"])
            expected = form.cleaned_data.get("version")
            if outlook is not None and expected is None:
                expected = outlook.version
            try:
                services.outlook_save(
                    outlook=outlook, actor=request.user, expected_version=expected, changes=changes
                )
            except StaleEditError as exc:
                stale = exc
                messages.error(request, str(exc))
            except services.PopulationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "人口の将来展望を保存しました。公開サイトに出すには「公開する」を押してください。"
                    ),
                )
                return redirect("staff:population_outlook")
    else:
        form = OutlookForm(instance=outlook)
    preview = None
    if outlook is not None and outlook.result is not None:
        preview = _outlook_trend(
            chart_id="outlook-preview",
            years=list(outlook.result.years),
            targets=[(int(y), float(v)) for y, v in outlook.targets],
            scenarios=[(r.name, r.totals()) for r in outlook.result.run.results.order_by("order")],
        )
    return _render(
        request,
        "demography/staff_outlook.html",
        {
            "form": form,
            "outlook": outlook,
            "stale": stale,
            "can_edit": can_edit,
            "can_publish": rules.can_publish_outlook(request.user),
            "preview": preview,
            "nav_slug": "population_outlook",
        },
    )


@require_POST
@rules.staff_required
def outlook_publish(request: HttpRequest) -> HttpResponse:
    _require(rules.can_publish_outlook(request.user))
    outlook = selectors.outlook_get()
    if outlook is None:
        messages.error(request, _("人口の将来展望がまだありません。先に保存してください。"))
        return redirect("staff:population_outlook")
    try:
        services.outlook_publish(outlook=outlook, actor=request.user)
    except services.PopulationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("人口の将来展望を公開しました。"))
    return redirect("staff:population_outlook")


@require_POST
@rules.staff_required
def outlook_unpublish(request: HttpRequest) -> HttpResponse:
    _require(rules.can_publish_outlook(request.user))
    outlook = selectors.outlook_get()
    if outlook is not None and outlook.is_published:
        services.outlook_unpublish(outlook=outlook, actor=request.user)
        messages.success(request, _("人口の将来展望を公開サイトから取り下げました。"))
    return redirect("staff:population_outlook")


def _outlook_trend(
    *,
    chart_id: str,
    years: list[int],
    targets: list[tuple[int, float]],
    scenarios: list[tuple[str, list[float]]],
) -> presentation.ChartTable:
    by_year = dict(targets)
    target_series = [by_year.get(y) for y in years]
    target_series[0] = scenarios[0][1][0] if scenarios else None  # the targets start from the base
    return presentation.trend(
        chart_id=chart_id,
        title=_("総人口の将来展望とシナリオ別の推計"),
        desc=_(
            "市が目指す人口（将来展望）と、シナリオごとの推計人口を、%(first)d年から%(last)d年まで線で示します。"
        )
        % {"first": years[0], "last": years[-1]},
        years=years,
        series=[(_("将来展望"), target_series), *scenarios],
    )


# --- public --------------------------------------------------------------------------------


@public_page_cache
def public_outlook(request: HttpRequest) -> HttpResponse:
    outlook = api.published_outlook()
    if outlook is None:
        return render(request, "demography/public_outlook.html", {"outlook": None, "nav": NAV})
    years = list(outlook.years)
    trend = _outlook_trend(
        chart_id="pop-trend",
        years=years,
        targets=list(outlook.targets),
        scenarios=[(s.name, list(s.totals)) for s in outlook.scenarios],
    )
    structure = presentation.age_structure(
        chart_id="pop-structure",
        title=_("年齢3区分別の人口（%(name)s）") % {"name": outlook.scenario_name},
        desc=_(
            "0～14歳、15～64歳、65歳以上の人口の推移。将来展望が従うシナリオ「%(name)s」の推計です。"
        )
        % {"name": outlook.scenario_name},
        years=years,
        indicators=outlook.indicators,
    )
    pyramid_years = years[1:]
    wanted = _int(request.GET.get("year"))
    year: int = (
        wanted
        if wanted is not None and wanted in pyramid_years
        else next((y for y in pyramid_years if y >= 2050), pyramid_years[-1])
    )
    t = years.index(year)
    pyramid = presentation.pyramid(
        chart_id="pop-pyramid",
        title=_("%(year)d年の人口ピラミッド（%(name)s）")
        % {"year": year, "name": outlook.scenario_name},
        year=year,
        age_groups=outlook.age_groups,
        population=outlook.population[t],
        comparison_year=years[0],
        comparison=outlook.population[0],
    )
    base_total = sum(sum(sex) for sex in outlook.population[0])
    return render(
        request,
        "demography/public_outlook.html",
        {
            "outlook": outlook,
            "trend": trend,
            "structure": structure,
            "pyramid": pyramid,
            "pyramid_years": pyramid_years,
            "year": year,
            "base_total": base_total,
            "last_target": outlook.targets[-1] if outlook.targets else None,
            "nav": NAV,
        },
    )
