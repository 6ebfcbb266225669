"""Staff pages (/staff/resilience/…): catalogue, regional plan, action plan, map and sites,
national frameworks and the local strategy, sectoral plans and the consistency report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.core.view_helpers import Written, require, split_cleaned
from keikaku.plans.models import Edition
from keikaku.resilience import exports, rules, selectors, services
from keikaku.resilience.domain.actionplan import (
    CostLine,
    budget_changes,
    filter_entries,
    site_features,
)
from keikaku.resilience.domain.geo import feature_collection
from keikaku.resilience.forms import (
    ActionPlanForm,
    CatalogueImportForm,
    EntryForm,
    FrameworkImportForm,
    MapFilterForm,
    RegionalPlanForm,
    RegionalScenarioForm,
    ScenarioKpiForm,
    SectoralPlanForm,
    SiteForm,
    TagForm,
)
from keikaku.resilience.models import (
    ActionPlan,
    ActionPlanEntry,
    CatalogueVersion,
    FrameworkTag,
    RegionalPlan,
    RegionalScenario,
    ScenarioKpi,
    SectoralPlan,
    Site,
)


def _render(request: HttpRequest, template: str, nav: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        template,
        {
            "nav_slug": nav,
            "can_edit": rules.can_edit_resilience(request.user),
            "can_publish": rules.can_publish_resilience(request.user),
            **context,
        },
    )


def _saved[T](form: Any, write: Callable[[], T]) -> T | None:
    """Run a write; a stale edit or a model error goes back to the form (and None back)."""
    with Written(form=form):
        return write()
    return None


def _write(
    request: HttpRequest,
    form: Any,
    obj: Any,
    changes: dict[str, Any],
    m2m: dict[str, list[Any]] | None = None,
) -> Any:
    """Create (``obj`` None or unsaved) or update through the audited services."""

    def write() -> Any:
        if obj is None or obj.pk is None:
            new = form._meta.model(**changes)
            return services.object_create(obj=new, actor=request.user, m2m=m2m)
        return services.object_update(
            obj=obj,
            actor=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=changes,
            m2m=m2m,
        )

    return _saved(form, write)


def _save_form(request: HttpRequest, form: Any, obj: Any, **extra: Any) -> Any:
    """Save a model form's fields (and ``extra``); model errors go back to the form."""
    changes, m2m = split_cleaned(form)
    return _write(request, form, obj, changes | extra, m2m)


def _import_page(
    request: HttpRequest,
    form_class: type[forms.Form],
    *,
    load_builtin: Callable[[], str],
    import_file: Callable[[bytes, str, dict[str, Any]], HttpResponse],
    template: str,
    nav: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """A page of reference data (catalogues, frameworks): load the shipped data (action
    "builtin", the message ``load_builtin`` returns) or import an uploaded CSV; a faulty file
    writes nothing and its problems are listed on the page."""
    form = form_class()
    problems: tuple[str, ...] = ()
    if request.method == "POST":
        require(rules.can_import_reference(request.user))
        if request.POST.get("action") == "builtin":
            messages.success(request, load_builtin())
            return redirect(request.path)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                return import_file(upload.read(), upload.name, form.cleaned_data)
            except services.ResilienceError as exc:
                problems = exc.problems
    return _render(
        request,
        template,
        nav,
        {
            **context(),
            "form": form,
            "problems": problems,
            "can_import": rules.can_import_reference(request.user),
        },
    )


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf_attachment(
    request: HttpRequest, render_pdf: Callable[[], bytes], filename: str, *, back: str
) -> HttpResponse:
    """The PDF as a download; when it cannot be made (no Japanese font), back to ``back``
    with the reason."""
    try:
        body = render_pdf()
    except exports.ExportError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return _attachment(body, exports.PDF_TYPE, filename)


def _editions() -> QuerySet[Edition]:
    return Edition.objects.order_by("-start_fy")


def _edition(request: HttpRequest) -> Edition | None:
    """The edition chosen by ?edition=<id>, else the latest."""
    pk = request.GET.get("edition")
    if pk and pk.isdigit():
        return _editions().filter(pk=int(pk)).first()
    return _editions().first()


# --- overview --------------------------------------------------------------------------------


@rules.staff_required
def home(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.regional_plan_list())
    return _render(
        request,
        "resilience/staff/home.html",
        "resilience",
        {
            "regional_plans": plans,
            "action_plans": selectors.action_plan_list(),
            "catalogues": selectors.catalogue_version_list(),
            "published": selectors.publication_get("action_plan", "current"),
        },
    )


# --- catalogue ---------------------------------------------------------------------------------


@rules.staff_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    def load_builtin() -> str:
        loaded = services.catalogue_load_builtin(actor=request.user)
        if loaded:
            return _("同梱の一覧を %(n)s 件読み込みました。") % {"n": len(loaded)}
        return _("同梱の一覧は読み込み済みです。")

    def import_file(data: bytes, name: str, values: dict[str, Any]) -> HttpResponse:
        version = services.catalogue_import(
            data=data,
            source=name,
            code=values["code"],
            title=values["title"],
            basic_plan_date=values["basic_plan_date"],
            is_complete=values["is_complete"],
            replace=values["replace"],
            actor=request.user,
        )
        messages.success(request, _("「%(title)s」を取り込みました。") % {"title": version})
        return redirect("staff:resilience_catalogue", pk=version.pk)

    return _import_page(
        request,
        CatalogueImportForm,
        load_builtin=load_builtin,
        import_file=import_file,
        template="resilience/staff/catalogues.html",
        nav="resilience_catalogues",
        context=lambda: {"catalogues": selectors.catalogue_version_list()},
    )


@rules.staff_required
def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CatalogueVersion, pk=pk)
    return _render(
        request,
        "resilience/staff/catalogue.html",
        "resilience_catalogues",
        {
            "version": version,
            "goals": version.goals.prefetch_related("scenarios"),
            "fields": version.policy_fields.all(),
        },
    )


# --- regional plan -------------------------------------------------------------------------------


@rules.staff_required
def regional_plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(RegionalPlan, pk=pk) if pk else None
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        form = RegionalPlanForm(request.POST, instance=plan)
        if form.is_valid():
            saved = _save_form(request, form, plan)
            if saved is not None:
                messages.success(request, _("保存しました。"))
                return redirect("staff:resilience_plan", pk=saved.pk)
    else:
        initial: dict[str, Any] = {}
        if plan is None:
            edition = _editions().first()
            if edition is not None:
                initial = {
                    "edition": edition,
                    "start_fy": edition.start_fy,
                    "end_fy": edition.end_fy,
                    "title": _("国土強靱化地域計画"),
                }
        form = RegionalPlanForm(instance=plan, initial=initial)
    context: dict[str, Any] = {"form": form, "plan": plan}
    if plan is not None:
        context["scenarios"] = plan.scenarios.select_related("scenario").prefetch_related("kpis")
        context["action_plans"] = selectors.action_plan_list(plan)
        context["action_plan_form"] = ActionPlanForm(
            initial={
                "fiscal_year": plan.start_fy,
                "title": _("%(plan)s アクションプラン") % {"plan": plan.title},
            }
        )
    return _render(request, "resilience/staff/regional_plan.html", "resilience", context)


@rules.staff_required
def scenario_edit(request: HttpRequest, plan_pk: int, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(RegionalPlan, pk=plan_pk)
    scenario = get_object_or_404(RegionalScenario, pk=pk, regional_plan=plan) if pk else None
    kpi_form = ScenarioKpiForm(edition=plan.edition)
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        if request.POST.get("action") == "add_kpi" and scenario is not None:
            kpi_form = ScenarioKpiForm(request.POST, edition=plan.edition)
            if kpi_form.is_valid() and _save_form(
                request, kpi_form, None, regional_scenario=scenario
            ):
                messages.success(request, _("指標を追加しました。"))
                return redirect("staff:resilience_scenario", plan_pk=plan.pk, pk=scenario.pk)
            form = RegionalScenarioForm(instance=scenario, regional_plan=plan)
        else:
            form = RegionalScenarioForm(request.POST, instance=scenario, regional_plan=plan)
            if form.is_valid():
                saved = _save_form(request, form, scenario, regional_plan=plan)
                if saved is not None:
                    messages.success(request, _("保存しました。"))
                    return redirect("staff:resilience_scenario", plan_pk=plan.pk, pk=saved.pk)
    else:
        form = RegionalScenarioForm(instance=scenario, regional_plan=plan)
    return _render(
        request,
        "resilience/staff/scenario.html",
        "resilience",
        {
            "plan": plan,
            "scenario": scenario,
            "form": form,
            "kpi_form": kpi_form,
            "kpis": scenario.kpis.all() if scenario else [],
        },
    )


@require_POST
@rules.staff_required
def kpi_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_edit_resilience(request.user))
    kpi = get_object_or_404(ScenarioKpi, pk=pk)
    scenario = kpi.regional_scenario
    services.object_delete(obj=kpi, actor=request.user)
    messages.success(request, _("指標を削除しました。"))
    return redirect("staff:resilience_scenario", plan_pk=scenario.regional_plan_id, pk=scenario.pk)


# --- action plan --------------------------------------------------------------------------------


@require_POST
@rules.staff_required
def action_plan_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    require(rules.can_edit_resilience(request.user))
    plan = get_object_or_404(RegionalPlan, pk=plan_pk)
    form = ActionPlanForm(request.POST)
    if form.is_valid():
        saved = _save_form(request, form, None, regional_plan=plan)
        if saved is not None:
            messages.success(request, _("アクションプランを作りました。"))
            return redirect("staff:resilience_action_plan", pk=saved.pk)
    for error in [str(e) for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    return redirect("staff:resilience_plan", pk=plan.pk)


def _action_plan(pk: int) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.select_related("regional_plan", "regional_plan__edition"), pk=pk
    )


@rules.staff_required
def action_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _action_plan(pk)
    entries = selectors.entries_data(plan)
    flt = selectors.parse_filter(request.GET)
    shown = filter_entries(entries, flt)
    table = selectors.action_plan_table(plan, shown)
    entry_ids = {e.programme.code: e.pk for e in plan.entries.select_related("programme")}
    return _render(
        request,
        "resilience/staff/action_plan.html",
        "resilience",
        {
            "plan": plan,
            "table": table,
            "entry_ids": entry_ids,
            "filter_form": MapFilterForm(
                request.GET or None, options=selectors.filter_options(entries, plan.regional_plan)
            ),
            "filter_active": flt.active,
            "total": len(entries),
            "shown": len(shown),
            "published": selectors.publication_get("action_plan", "current"),
        },
    )


@rules.staff_required
def entry_edit(request: HttpRequest, plan_pk: int, pk: int | None = None) -> HttpResponse:
    plan = _action_plan(plan_pk)
    entry = get_object_or_404(ActionPlanEntry, pk=pk, action_plan=plan) if pk else None
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        if request.POST.get("action") == "sync_costs" and entry is not None:
            years = services.entry_costs_sync(entry=entry, actor=request.user)
            messages.success(
                request, _("実施計画から %(n)s 年度分の事業費を取り込みました。") % {"n": years}
            )
            return redirect("staff:resilience_entry", plan_pk=plan.pk, pk=entry.pk)
        form = EntryForm(request.POST, instance=entry, action_plan=plan)
        if form.is_valid():
            if entry is None:
                changes, m2m = split_cleaned(form)
                saved = _saved(
                    form,
                    lambda: services.entry_create(
                        action_plan=plan,
                        actor=request.user,
                        scenarios=m2m.get("scenarios", []),
                        policy_fields=m2m.get("policy_fields", []),
                        **changes,
                    ),
                )
            else:
                saved = _save_form(request, form, entry)
            if saved is not None:
                messages.success(request, _("保存しました。"))
                return redirect("staff:resilience_entry", plan_pk=plan.pk, pk=saved.pk)
    else:
        form = EntryForm(instance=entry, action_plan=plan)
    return _render(
        request,
        "resilience/staff/entry.html",
        "resilience",
        {
            "plan": plan,
            "entry": entry,
            "form": form,
            "costs": entry.costs.all() if entry else [],
            "sites": entry.sites.all() if entry else [],
        },
    )


@rules.staff_required
def entry_delete(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = _action_plan(plan_pk)
    entry = get_object_or_404(ActionPlanEntry, pk=pk, action_plan=plan)
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        services.object_delete(obj=entry, actor=request.user)
        messages.success(request, _("事業をアクションプランから外しました。"))
        return redirect("staff:resilience_action_plan", pk=plan.pk)
    return _render(
        request,
        "resilience/staff/confirm_delete.html",
        "resilience",
        {
            "plan": plan,
            "obj": entry,
            "back": reverse("staff:resilience_entry", args=[plan.pk, entry.pk]),
            "message": _("事業「%(name)s」をアクションプランから外します。箇所も削除します。")
            % {"name": entry.programme},
        },
    )


@require_POST
@rules.staff_required
def action_plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_edit_resilience(request.user))
    plan = _action_plan(pk)
    try:
        new = services.action_plan_copy_to_next_year(action_plan=plan, actor=request.user)
    except services.ResilienceError as exc:
        for problem in exc.problems:
            messages.error(request, problem)
        return redirect("staff:resilience_action_plan", pk=plan.pk)
    messages.success(
        request,
        _("%(fy)s年度の版を作りました。予算の変更を確かめてください。") % {"fy": new.fiscal_year},
    )
    return redirect("staff:resilience_budget", pk=new.pk)


def _cost_lines(plan: ActionPlan) -> list[CostLine]:
    return [
        CostLine(e.programme_code, e.programme_name, e.costs, e.total_cost)
        for e in selectors.entries_data(plan)
    ]


@rules.staff_required
def budget_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _action_plan(pk)
    changes = budget_changes(_cost_lines(plan.previous), _cost_lines(plan)) if plan.previous else ()
    return _render(
        request,
        "resilience/staff/budget.html",
        "resilience",
        {
            "plan": plan,
            "changes": [c for c in changes if c.status != "unchanged"],
            "unchanged": sum(1 for c in changes if c.status == "unchanged"),
        },
    )


@rules.staff_required
def action_plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _action_plan(pk)
    entries = selectors.entries_data(plan)
    table = selectors.action_plan_table(plan, entries)
    name = f"action-plan-{plan.fiscal_year}"
    if fmt == "xlsx":
        budget = None
        if plan.previous is not None:
            budget = budget_changes(_cost_lines(plan.previous), _cost_lines(plan))
        data = exports.action_plan_xlsx(
            table,
            entries,
            municipality_code=selectors.municipality_code(),
            budget=budget,
            previous_fiscal_year=plan.previous.fiscal_year if plan.previous else None,
        )
        return _attachment(data, exports.XLSX_TYPE, f"{name}.xlsx")
    if fmt == "pdf":
        return _pdf_attachment(
            request,
            lambda: exports.action_plan_pdf(table, generated_on=dt.date.today()),
            f"{name}.pdf",
            back=reverse("staff:resilience_action_plan", args=[plan.pk]),
        )
    data = exports.sites_geojson(
        entries, municipality_code=selectors.municipality_code(), name=plan.title
    )
    return _attachment(data, exports.GEOJSON_TYPE, f"{name}.geojson")


@require_POST
@rules.staff_required
def action_plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_publish_resilience(request.user))
    plan = _action_plan(pk)
    if request.POST.get("action") == "unpublish":
        services.action_plan_unpublish(actor=request.user)
        messages.success(request, _("公開を取り下げました。"))
    else:
        services.action_plan_publish(action_plan=plan, actor=request.user)
        messages.success(request, _("アクションプランと事業実施箇所を公開しました。"))
    return redirect("staff:resilience_action_plan", pk=plan.pk)


# --- map and sites ----------------------------------------------------------------------------


def map_context(
    entries: list[Any], options: dict[str, Any], request: HttpRequest, code: str
) -> dict[str, Any]:
    """What both map pages (staff and public) show: the filter, the list and the GeoJSON."""
    from django.conf import settings

    flt = selectors.parse_filter(request.GET)
    shown = filter_entries(entries, flt)
    features = site_features(shown, municipality_code=code)
    rows = []
    for entry in shown:
        for site in entry.sites:
            rows.append({"entry": entry, "site": site})
    return {
        "filter_form": MapFilterForm(request.GET or None, options=options),
        "filter_active": flt.active,
        "site_rows": rows,
        "located_count": len(features),
        "geojson": feature_collection(features),
        "map_config": {
            "tileUrl": settings.KEIKAKU_MAP_TILE_URL,
            "attribution": settings.KEIKAKU_MAP_TILE_ATTRIBUTION,
            "center": settings.KEIKAKU_MAP_CENTER,
        },
    }


@rules.staff_required
def site_map(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _action_plan(pk)
    city = plan.regional_plan.city_bounds()
    form = SiteForm(action_plan=plan, city=city)
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        form = SiteForm(request.POST, action_plan=plan, city=city)
        if form.is_valid():
            values = form.site_values()
            site = _saved(form, lambda: services.site_create(actor=request.user, **values))
            if site is not None:
                messages.success(
                    request, _("箇所「%(name)s」を追加しました。") % {"name": site.name}
                )
                return redirect(reverse("staff:resilience_map", args=[plan.pk]) + "#site-list")
    entries = selectors.entries_data(plan)
    context = map_context(
        entries,
        selectors.filter_options(entries, plan.regional_plan),
        request,
        selectors.municipality_code(),
    )
    site_ids = {
        s.pk: s
        for s in Site.objects.filter(entry__action_plan=plan).only("id", "entry_id", "version")
    }
    return _render(
        request,
        "resilience/staff/map.html",
        "resilience_map",
        {
            **context,
            "plan": plan,
            "form": form,
            "site_ids": site_ids,
            "geojson_url": reverse("staff:resilience_sites_geojson", args=[plan.pk]),
        },
    )


@rules.staff_required
def sites_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _action_plan(pk)
    entries = filter_entries(selectors.entries_data(plan), selectors.parse_filter(request.GET))
    data = exports.sites_geojson(
        entries, municipality_code=selectors.municipality_code(), name=plan.title
    )
    return HttpResponse(data, content_type=exports.GEOJSON_TYPE)


@rules.staff_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(
        Site.objects.select_related("entry", "entry__action_plan__regional_plan"), pk=pk
    )
    plan = site.entry.action_plan
    city = plan.regional_plan.city_bounds()
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        if request.POST.get("action") == "delete":
            services.object_delete(obj=site, actor=request.user)
            messages.success(request, _("箇所「%(name)s」を削除しました。") % {"name": site.name})
            return redirect("staff:resilience_map", pk=plan.pk)
        form = SiteForm(request.POST, instance=site, action_plan=plan, city=city)
        if form.is_valid() and _write(request, form, site, form.site_values()) is not None:
            messages.success(request, _("保存しました。"))
            return redirect("staff:resilience_map", pk=plan.pk)
    else:
        form = SiteForm(instance=site, action_plan=plan, city=city)
    return _render(
        request,
        "resilience/staff/site.html",
        "resilience_map",
        {"plan": plan, "site": site, "form": form},
    )


# --- frameworks and the local strategy -----------------------------------------------------------


@rules.staff_required
def framework_list(request: HttpRequest) -> HttpResponse:
    def load_builtin() -> str:
        services.frameworks_load_builtin(actor=request.user)
        return _("同梱の枠組みを読み込みました。")

    def import_file(data: bytes, name: str, values: dict[str, Any]) -> HttpResponse:
        services.frameworks_import(data=data, source=name, actor=request.user)
        messages.success(request, _("取り込みました。"))
        return redirect("staff:resilience_frameworks")

    return _import_page(
        request,
        FrameworkImportForm,
        load_builtin=load_builtin,
        import_file=import_file,
        template="resilience/staff/frameworks.html",
        nav="resilience_frameworks",
        context=lambda: {"frameworks": selectors.framework_list()},
    )


@rules.staff_required
def local_strategy(request: HttpRequest) -> HttpResponse:
    edition = _edition(request)
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        if request.POST.get("action") == "delete_tag":
            tag = get_object_or_404(FrameworkTag, pk=request.POST.get("tag"))
            services.framework_tag_delete(tag=tag, actor=request.user)
            messages.success(request, _("対応付けを外しました。"))
        else:
            form = TagForm(request.POST)
            if form.is_valid():
                target = {
                    k: form.cleaned_data[k]
                    for k in ("strategy", "indicator")
                    if form.cleaned_data[k] is not None
                }
                try:
                    services.framework_tag_create(
                        pillar=form.cleaned_data["pillar"], actor=request.user, **target
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        messages.error(request, message)
                else:
                    messages.success(request, _("国の総合戦略の柱に対応付けました。"))
            else:
                messages.error(request, _("柱・目標を選んでください。"))
        url = reverse("staff:resilience_local_strategy")
        return redirect(f"{url}?edition={edition.pk}" if edition else url)
    data = selectors.local_strategy(edition) if edition else None
    return _render(
        request,
        "resilience/staff/local_strategy.html",
        "resilience_local_strategy",
        {
            "edition": edition,
            "editions": _editions(),
            "data": data,
            "tag_form": TagForm(),
        },
    )


@rules.staff_required
def local_strategy_export(request: HttpRequest, fmt: str) -> HttpResponse:
    edition = _edition(request)
    if edition is None:
        messages.error(request, _("基本計画がありません。"))
        return redirect("staff:resilience_local_strategy")
    data = selectors.local_strategy(edition)
    title = _("地方版総合戦略（%(edition)s の重点戦略）") % {"edition": edition.title}
    name = f"local-strategy-{edition.start_fy}"
    if fmt == "docx":
        return _attachment(
            exports.local_strategy_docx(data, title=title), exports.DOCX_TYPE, f"{name}.docx"
        )
    return _pdf_attachment(
        request,
        lambda: exports.local_strategy_pdf(data, title=title),
        f"{name}.pdf",
        back=reverse("staff:resilience_local_strategy"),
    )


# --- sectoral plans --------------------------------------------------------------------------------


@rules.staff_required
def sectoral_list(request: HttpRequest) -> HttpResponse:
    department = request.GET.get("department", "")
    status = request.GET.get("status", "")
    plans = selectors.sectoral_plan_list(
        department=department, status=status, search=request.GET.get("q", "")
    )
    return _render(
        request,
        "resilience/staff/sectoral_list.html",
        "resilience_sectoral",
        {
            "plans": plans,
            "statuses": SectoralPlan.Status.choices,
            "departments": sorted(
                {p.department.name for p in selectors.sectoral_plan_list() if p.department}
            ),
            "department": department,
            "status": status,
            "q": request.GET.get("q", ""),
            "published": selectors.publication_get("sectoral_plans", "all"),
        },
    )


@rules.staff_required
def sectoral_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(SectoralPlan, pk=pk) if pk else None
    edition = _edition(request)
    if request.method == "POST":
        require(rules.can_edit_resilience(request.user))
        if request.POST.get("action") == "delete" and plan is not None:
            services.object_delete(obj=plan, actor=request.user)
            messages.success(request, _("「%(name)s」を削除しました。") % {"name": plan.name})
            return redirect("staff:resilience_sectoral")
        form = SectoralPlanForm(request.POST, instance=plan, edition=edition)
        if form.is_valid():
            changes, m2m = split_cleaned(form)
            if plan is not None and edition is not None:
                # Links to measures of other editions stay.
                m2m["measures"] += list(plan.measures.exclude(area__edition=edition))
            saved = _write(request, form, plan, changes, m2m)
            if saved is not None:
                messages.success(request, _("保存しました。"))
                return redirect("staff:resilience_sectoral_edit", pk=saved.pk)
    else:
        form = SectoralPlanForm(instance=plan, edition=edition)
    return _render(
        request,
        "resilience/staff/sectoral_form.html",
        "resilience_sectoral",
        {"plan": plan, "form": form, "edition": edition},
    )


@require_POST
@rules.staff_required
def sectoral_publish(request: HttpRequest) -> HttpResponse:
    require(rules.can_publish_resilience(request.user))
    services.sectoral_plans_publish(actor=request.user)
    messages.success(request, _("個別計画の一覧を公開しました。"))
    return redirect("staff:resilience_sectoral")


@rules.staff_required
def consistency(request: HttpRequest) -> HttpResponse:
    edition = _edition(request)
    fy_text = request.GET.get("fy", "")
    report = (
        selectors.consistency_for_edition(
            edition, current_fy=int(fy_text) if fy_text.isdigit() else None
        )
        if edition
        else None
    )
    return _render(
        request,
        "resilience/staff/consistency.html",
        "resilience_consistency",
        {
            "edition": edition,
            "editions": _editions(),
            "report": report,
        },
    )


def json_for_script(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
