"""Staff back office views for the plan structure (generic over plans.staff.ENTITIES)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.core.domain.textdiff import char_diff
from keikaku.core.selectors import audit_event_list
from keikaku.core.services import StaleEditError, object_type_of
from keikaku.core.view_helpers import attach_errors, page_of, require, split_cleaned
from keikaku.plans import rules, services
from keikaku.plans.models import Edition, Measure
from keikaku.plans.staff import ENTITIES, Entity, form_class_for, resolve_column

PAGE_SIZE = 50


def _entity(slug: str) -> Entity:
    entity = ENTITIES.get(slug)
    if entity is None:
        raise Http404(_("そのページはありません。"))
    return entity


@rules.staff_required
def entity_list(request: HttpRequest, slug: str) -> HttpResponse:
    entity = _entity(slug)
    qs = entity.queryset()
    q = request.GET.get("q", "").strip()
    if q:
        cond = Q()
        for name in entity.search:
            cond |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(cond)
    filters: dict[str, str] = {}
    for name in entity.parent_filters:
        value = request.GET.get(name, "").strip()
        if value.isdigit():
            qs = qs.filter(**{f"{name}_id" if "__" not in name else f"{name}__id": int(value)})
            filters[name] = value
    editions = list(Edition.objects.order_by("-start_fy")) if entity.edition_path else []
    edition_choice = request.GET.get("edition_filter")
    if entity.edition_path and editions:
        if edition_choice is None:
            edition_choice = str(editions[0].pk)
        if edition_choice.isdigit():
            qs = qs.filter(**{f"{entity.edition_path}_id": int(edition_choice)})
    sortable = {c.sort: c for c in entity.columns if c.sort}
    sort = request.GET.get("sort", entity.default_sort)
    if sort.lstrip("-") not in sortable:
        sort = entity.default_sort
    qs = qs.order_by(sort, "pk")
    page = page_of(request, qs, PAGE_SIZE)
    rows = [
        (obj, [(c, resolve_column(obj, c.name)) for c in entity.columns])
        for obj in page.object_list
    ]
    return render(
        request,
        "staff/entity_list.html",
        {
            "entity": entity,
            "page": page,
            "rows": rows,
            "q": q,
            "sort": sort,
            "filters": filters,
            "editions": editions,
            "edition_choice": edition_choice or "",
            "nav_slug": slug,
        },
    )


@rules.staff_required
def entity_create(request: HttpRequest, slug: str) -> HttpResponse:
    entity = _entity(slug)
    require(rules.can_edit_plan(request.user))
    form_class = form_class_for(entity)
    initial = {k: v for k, v in request.GET.items() if k in entity.fields}
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            changes, m2m = split_cleaned(form)
            obj = entity.model(**changes)
            require(rules.can_edit_object(request.user, obj, "add"))
            try:
                services.plan_object_create(obj=obj, actor=request.user, m2m=m2m)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("「%(obj)s」を登録しました。") % {"obj": obj})
                return redirect("staff:entity_edit", slug=slug, pk=obj.pk)
    else:
        form = form_class(initial=initial)
    return render(
        request,
        "staff/entity_form.html",
        {"entity": entity, "form": form, "obj": None, "nav_slug": slug},
    )


@rules.staff_required
def entity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    entity = _entity(slug)
    obj = get_object_or_404(entity.queryset(), pk=pk)
    can_edit = rules.can_edit_object(request.user, obj)
    form_class = form_class_for(entity)
    stale: StaleEditError | None = None
    if request.method == "POST":
        require(can_edit)
        form = form_class(request.POST, instance=obj)
        if form.is_valid():
            changes, m2m = split_cleaned(form)
            expected = form.cleaned_data.get("version")
            try:
                services.plan_object_update(
                    obj=obj,
                    actor=request.user,
                    expected_version=expected if expected is not None else obj.version,
                    changes=changes,
                    m2m=m2m,
                )
            except StaleEditError as exc:
                stale = exc
                messages.error(request, str(exc))
            except ValidationError as exc:
                obj.refresh_from_db()
                attach_errors(form, exc)
            else:
                messages.success(request, _("「%(obj)s」を保存しました。") % {"obj": obj})
                return redirect("staff:entity_edit", slug=slug, pk=obj.pk)
    else:
        form = form_class(instance=obj)
    return render(
        request,
        "staff/entity_form.html",
        {
            "entity": entity,
            "form": form,
            "obj": obj,
            "stale": stale,
            "can_edit": can_edit,
            "is_measure": isinstance(obj, Measure),
            "is_edition": isinstance(obj, Edition),
            "nav_slug": slug,
        },
    )


@rules.staff_required
def entity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    entity = _entity(slug)
    obj = get_object_or_404(entity.queryset(), pk=pk)
    require(rules.can_edit_object(request.user, obj, "delete"))
    if request.method == "POST":
        label = str(obj)
        try:
            services.plan_object_delete(obj=obj, actor=request.user)
        except ProtectedError:
            messages.error(
                request,
                _("「%(obj)s」は他のデータから参照されているため削除できません。") % {"obj": label},
            )
            return redirect("staff:entity_edit", slug=slug, pk=pk)
        messages.success(
            request,
            _("「%(obj)s」を削除しました。操作履歴に削除前の内容が残っています。") % {"obj": label},
        )
        return redirect("staff:entity_list", slug=slug)
    return render(
        request, "staff/entity_delete.html", {"entity": entity, "obj": obj, "nav_slug": slug}
    )


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:  # noqa: BLE001 - fields removed since the event was recorded
        return name


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def history_rows(model: type[models.Model], events: Any) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        before = event.before or {}
        after = event.after or {}
        changes = []
        names = list(after) + [n for n in before if n not in after]
        for name in names:
            if name == "version":
                continue
            a, b = _display(before.get(name)), _display(after.get(name))
            if a == b:
                continue
            changes.append(
                {
                    "label": _field_label(model, name),
                    "segments": char_diff(a, b),
                    "before": a,
                    "after": b,
                }
            )
        rows.append({"event": event, "changes": changes})
    return rows


@rules.staff_required
def entity_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    entity = _entity(slug)
    obj = get_object_or_404(entity.queryset(), pk=pk)
    events = audit_event_list(object_type=object_type_of(obj), object_id=str(obj.pk))
    page = page_of(request, events, 30)
    return render(
        request,
        "staff/entity_history.html",
        {
            "entity": entity,
            "obj": obj,
            "page": page,
            "rows": history_rows(entity.model, page.object_list),
            "nav_slug": slug,
        },
    )


@require_POST
@rules.staff_required
def edition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    require(rules.can_edit_object(request.user, edition, "publish"))
    count = services.edition_publish(edition=edition, actor=request.user)
    messages.success(
        request,
        _("「%(edition)s」を公開しました（%(count)d ページ）。")
        % {"edition": edition, "count": count},
    )
    return redirect("staff:entity_edit", slug="editions", pk=pk)


@require_POST
@rules.staff_required
def edition_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_publish(request.user))
    edition = get_object_or_404(Edition, pk=pk)
    services.edition_unpublish(edition=edition, actor=request.user)
    messages.success(
        request, _("「%(edition)s」を公開サイトから取り下げました。") % {"edition": edition}
    )
    return redirect("staff:entity_edit", slug="editions", pk=pk)


@require_POST
@rules.staff_required
def measure_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require(rules.can_publish(request.user))
    measure = get_object_or_404(Measure.objects.select_related("area__edition"), pk=pk)
    require(rules.can_edit_object(request.user, measure, "publish"))
    services.measure_publish(measure=measure, actor=request.user)
    if measure.area.edition.is_public:
        url = reverse("public:measure", kwargs={"code": measure.code})
        messages.success(request, _("「%(m)s」を公開しました。") % {"m": measure})
        return redirect(
            f"{reverse('staff:entity_edit', kwargs={'slug': 'measures', 'pk': pk})}?published={url}"
        )
    messages.warning(
        request,
        _(
            "「%(m)s」の公開内容を更新しました。基本計画そのものがまだ公開されていないため、公開サイトには表示されません。"
        )
        % {"m": measure},
    )
    return redirect("staff:entity_edit", slug="measures", pk=pk)


@rules.staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    from keikaku.plans.models import Indicator, PolicyArea
    from keikaku.plans.selectors import edition_list

    return render(
        request,
        "staff/home.html",
        {
            "editions": edition_list(),
            "counts": {
                "areas": PolicyArea.objects.count(),
                "measures": Measure.objects.count(),
                "indicators": Indicator.objects.count(),
            },
            "recent": audit_event_list()[:15],
            "nav_slug": "home",
        },
    )


@rules.staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    events = audit_event_list()
    q = request.GET.get("q", "").strip()
    if q:
        events = events.filter(Q(object_repr__icontains=q) | Q(actor_name__icontains=q))
    page = page_of(request, events, 50)
    return render(request, "staff/audit_log.html", {"page": page, "q": q, "nav_slug": "audit"})
