"""Generic staff pages of the council and the assembly: one declaration per record type.

In the spirit of :mod:`keikaku.plans.staff` (docs/adr/0005-generic-staff-crud.md), a
:class:`StaffCrud` names a record type's model, form, permission, page titles, list columns
and the services that write it; its ``list_view``, ``edit_view`` and ``delete_view`` are the
views of /staff/council/… and /staff/assembly/…. Every write goes through the audited,
versioned services of :mod:`keikaku.council.services`. The helpers below (page rendering,
lists with search, sort and paging, the edit form, PDF uploads and meeting/report materials)
are shared with the council's own pages in :mod:`keikaku.council.views_staff`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Model, ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keikaku.core.view_helpers import Written, page_of, require
from keikaku.council import rules, selectors, services
from keikaku.council.forms import FileOnlyForm, PdfForm

PAGE_SIZE = 25

View = Callable[..., HttpResponse]
Allowed = Callable[[Any], bool]  # who may write: rules.can_manage_council or can_manage_assembly


def render_page(
    request: HttpRequest, template: str, nav: str, context: dict[str, Any]
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "nav_slug": nav,
            "can_manage_council": rules.can_manage_council(request.user),
            "can_manage_assembly": rules.can_manage_assembly(request.user),
            "can_view_personal": rules.can_view_personal_data(request.user),
            **context,
        },
    )


def _changes(form: Any) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data
    }


def _save(
    request: HttpRequest,
    form: Any,
    obj: Model | None,
    *,
    extra: dict[str, Any] | None,
    create: Callable[..., Any],
    update: Callable[..., Any],
) -> Any:
    """Create or update through the audited services; model errors go back to the form."""
    changes = {**_changes(form), **(extra or {})}
    with Written(form=form):
        if obj is None:
            return create(obj=form._meta.model(**changes), actor=request.user)
        return update(
            obj=obj,
            actor=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=changes,
        )
    return None


# --- generic list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    label: Any
    sort: str | None = None
    numeric: bool = False


def list_page(
    request: HttpRequest,
    qs: Any,
    listing: selectors.Listing,
    *,
    columns: list[Col],
    row: Callable[[Any], tuple[str, list[Any]]],
    title: Any,
    nav: str,
    new_url: str = "",
    new_label: Any = "",
    intro: str = "",
    breadcrumbs: list[tuple[str, Any]] | None = None,
) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs, sort = selectors.listed(qs, listing, q=q, sort=request.GET.get("sort", ""))
    page = page_of(request, qs, PAGE_SIZE)
    return render_page(
        request,
        "council/staff/list.html",
        nav,
        {
            "title": title,
            "intro": intro,
            "columns": columns,
            "rows": [
                (url, list(zip(columns, cells, strict=True)))
                for url, cells in (row(obj) for obj in page.object_list)
            ],
            "page": page,
            "q": q,
            "sort": sort,
            "new_url": new_url,
            "new_label": new_label,
            "breadcrumbs": breadcrumbs or [],
        },
    )


# --- generic edit form ------------------------------------------------------------------------


def edit_page(
    request: HttpRequest,
    *,
    form_class: type[Any],
    obj: Model | None,
    allowed: bool,
    title: Any,
    nav: str,
    list_url: str,
    list_label: Any,
    success_url: Callable[[Any], str],
    template: str = "council/staff/form.html",
    extra: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    create: Callable[..., Any] = services.object_create,
    update: Callable[..., Any] = services.object_update,
) -> HttpResponse:
    """A record's form: anyone on staff sees it; saving needs `allowed`."""
    kwargs = form_kwargs or {}
    if request.method == "POST":
        require(allowed)
        form = form_class(request.POST, instance=obj, **kwargs)
        if form.is_valid():
            saved = _save(request, form, obj, extra=extra, create=create, update=update)
            if saved is not None:
                messages.success(request, _("「%(obj)s」を保存しました。") % {"obj": saved})
                return redirect(success_url(saved))
    else:
        form = form_class(instance=obj, **kwargs)
    return render_page(
        request,
        template,
        nav,
        {
            "form": form,
            "obj": obj,
            "title": title,
            "list_url": list_url,
            "list_label": list_label,
            "can_edit": allowed,
            **(context or {}),
        },
    )


def no_council(request: HttpRequest) -> HttpResponse:
    """Records of the council need the council first: say so and open its settings."""
    messages.warning(
        request,
        _("まちづくり審議会がまだ登録されていません。先に「審議会の設定」で登録してください。"),
    )
    return redirect("staff:council_settings")


def _named(view: View, name: str) -> View:
    view.__name__ = view.__qualname__ = name
    return view


# --- one record type: list, create/edit, delete -----------------------------------------------


@dataclass(frozen=True)
class StaffCrud:
    """The staff pages of one record type.

    URL names (namespace "staff"): ``<name>s`` the list (also the navigation slug),
    ``<name>_new`` the create form, ``<name>`` a record's form and ``<name>_delete`` its delete.
    Writing (create, edit, delete; the list's "add" button) needs ``allowed(user)``; every
    staff member may read.
    """

    name: str  # URL-name stem, e.g. "council_member"
    model: type[Model]
    form_class: type[Any]
    allowed: Allowed
    label: Any  # title of the list and the way back to it
    new_label: Any  # title of the create form and of the list's button
    queryset: Callable[[], QuerySet[Any]]  # the list's records
    listing: selectors.Listing
    columns: tuple[Col, ...]
    cells: Callable[[Any, dt.datetime], list[Any]]  # a record's cells; the time of the request
    intro: Any = ""
    template: str = "council/staff/form.html"
    select_related: tuple[str, ...] = ()  # for the record's form
    in_council: bool = False  # belongs to the council: needs one, saved with it
    back_to_list: bool = False  # after saving, back to the list (else to the record)
    deletable: bool = True
    # extra context of the form page, from the record (None: a new one) and the council
    context: Callable[[Any, Any], dict[str, Any]] | None = None
    # initial values of a new record's form, from that extra context
    new_initial: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # the audited writes (keyword arguments as services.object_create / _update / _delete)
    create: Callable[..., Any] = services.object_create
    update: Callable[..., Any] = services.object_update
    delete: Callable[..., Any] = services.object_delete

    @property
    def nav(self) -> str:
        return f"{self.name}s"

    def url(self, suffix: str = "", *args: Any) -> str:
        return reverse(f"staff:{self.name}{suffix}", args=args or None)

    def list_view(self) -> View:
        @rules.staff_required
        def view(request: HttpRequest) -> HttpResponse:
            now = timezone.now()
            return list_page(
                request,
                self.queryset(),
                self.listing,
                columns=list(self.columns),
                row=lambda obj: (self.url("", obj.pk), self.cells(obj, now)),
                title=str(self.label),
                nav=self.nav,
                new_url=self.url("_new") if self.allowed(request.user) else "",
                new_label=str(self.new_label),
                intro=str(self.intro),
            )

        return _named(view, f"{self.name}_list")

    def edit_view(self) -> View:
        @rules.staff_required
        def view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
            objects = (
                self.model._default_manager.select_related(*self.select_related)
                if self.select_related
                else self.model
            )
            obj: Any = get_object_or_404(objects, pk=pk) if pk else None
            if obj is None:
                require(self.allowed(request.user))
            council = None
            if self.in_council:
                council = obj.council if obj else selectors.council_current()
                if council is None:
                    return no_council(request)
            context = self.context(obj, council) if self.context else {}
            if self.deletable:
                context["delete_url"] = self.url("_delete", obj.pk) if obj else ""
            form_kwargs: dict[str, Any] = {}
            if obj is None and self.new_initial is not None:
                form_kwargs["initial"] = self.new_initial(context)
            return edit_page(
                request,
                form_class=self.form_class,
                obj=obj,
                allowed=self.allowed(request.user),
                title=str(obj) if obj else str(self.new_label),
                nav=self.nav,
                list_url=self.url("s"),
                list_label=str(self.label),
                success_url=self._back_to_list if self.back_to_list else self._record_url,
                template=self.template,
                extra={"council": council} if self.in_council else None,
                context=context,
                form_kwargs=form_kwargs,
                create=self.create,
                update=self.update,
            )

        return _named(view, f"{self.name}_edit")

    def _record_url(self, obj: Any) -> str:
        return self.url("", obj.pk)

    def _back_to_list(self, obj: Any) -> str:
        return self.url("s")

    def delete_view(self) -> View:
        @require_POST
        @rules.staff_required
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            obj = get_object_or_404(self.model, pk=pk)
            require(self.allowed(request.user))
            back = self.url("s")
            label = str(obj)
            try:
                self.delete(obj=obj, actor=request.user)
            except ProtectedError:  # referenced by other records: say why, change nothing
                messages.error(
                    request,
                    _("「%(obj)s」は他の記録から参照されているため削除できません。")
                    % {"obj": label},
                )
                return redirect(back)
            messages.success(request, _("「%(obj)s」を削除しました。") % {"obj": label})
            return redirect(back)

        return _named(view, f"{self.name}_delete")


# --- PDF uploads and materials ----------------------------------------------------------------


NO_FILE = gettext_lazy("ファイル（PDF）を選んでください。")


def pdf_view(
    *,
    model: type[Model],
    owner_field: str,
    allowed: Allowed,
    store: Callable[..., Any],
    done: Any,
    page: str,
    form_class: type[FileOnlyForm] | type[PdfForm] = FileOnlyForm,
    invalid: Any = NO_FILE,
    anchor: str = "",
) -> View:
    """POST a record's PDF: the form's fields (a PdfForm's title too) go to the service
    `store(<owner_field>=obj, …, filename=, data=, actor=)`; then back to the page `page`
    with the message `done`, or `invalid` when the form is not filled in."""

    @require_POST
    @rules.staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        require(allowed(request.user))
        obj = get_object_or_404(model, pk=pk)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            upload = fields.pop("file")
            with Written(request=request) as written:
                store(
                    **{owner_field: obj},
                    **fields,
                    filename=upload.name,
                    data=upload.read(),
                    actor=request.user,
                )
            if written.ok:
                messages.success(request, str(done))
        else:
            messages.error(request, str(invalid))
        return redirect(reverse(page, args=[obj.pk]) + anchor)

    return _named(view, f"{owner_field}_file")


def material_views(
    *,
    owner: type[Model],
    material: type[Model],
    owner_field: str,
    allowed: Allowed,
    add: Callable[..., Any],
    remove: Callable[..., Any],
    page: str,
) -> tuple[View, View]:
    """The add and remove views of the PDF materials of a meeting or a report: `add` and
    `remove` are the services, `page` the URL name of the owner's page."""
    add_view = pdf_view(
        model=owner,
        owner_field=owner_field,
        allowed=allowed,
        store=add,
        done=gettext_lazy("資料を登録しました。"),
        page=page,
        form_class=PdfForm,
        invalid=gettext_lazy("資料名とファイル（PDF）を入力してください。"),
        anchor="#materials-h",
    )

    @require_POST
    @rules.staff_required
    def remove_view(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
        require(allowed(request.user))
        item: Any = get_object_or_404(material, **{f"{owner_field}_id": pk}, pk=material_id)
        remove(material=item, actor=request.user)
        messages.success(request, _("資料「%(t)s」を削除しました。") % {"t": item.title})
        return redirect(reverse(page, args=[pk]) + "#materials-h")

    return (
        _named(add_view, f"{owner_field}_material_add"),
        _named(remove_view, f"{owner_field}_material_remove"),
    )
