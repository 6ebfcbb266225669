"""Small helpers shared by the staff views of the apps.

A view checks the permission (:func:`require`), writes through an app's audited services and
shows what went wrong: a service's ``ValidationError`` on the form's fields
(:func:`attach_errors`) or as a message (:func:`error_text`), a stale edit
(:class:`~keikaku.core.services.StaleEditError`) as a message or on the form. :class:`Written`
does that for a block of writes and :func:`save_versioned` for the usual create / update with
optimistic concurrency. :func:`split_cleaned` splits a model form's cleaned values into plain
and many-to-many ones; :func:`page_of` pages a list by the ``page`` query parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from keikaku.core.services import StaleEditError


def require(allowed: bool) -> None:
    """PermissionDenied (403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(_("この操作を行う権限がありません。"))


def error_text(exc: Exception) -> str:
    """The message(s) of a ValidationError, or a plain error's text, for ``messages.error``."""
    return " ".join(getattr(exc, "messages", [str(exc)]))


def attach_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has that field,
    otherwise among the form's non-field errors."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def split_cleaned(form: Any) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The cleaned values of a valid model form's ``Meta.fields``: plain fields (those in
    ``cleaned_data``) and many-to-many fields (as lists), for the audited services."""
    changes: dict[str, Any] = {}
    m2m: dict[str, list[Any]] = {}
    many = {field.name for field in form._meta.model._meta.many_to_many}
    for name in form._meta.fields:
        if name in many:
            m2m[name] = list(form.cleaned_data.get(name) or [])
        elif name in form.cleaned_data:
            changes[name] = form.cleaned_data[name]
    return changes, m2m


class Written:
    """``with Written(request=…, form=…) as written:`` runs the writes of the block; after it,
    ``written.ok`` says whether they all went through.

    A StaleEditError becomes a message when ``request`` is given, else an error of the form.
    A ValidationError goes onto ``form`` (after reloading ``refresh``, an instance the bound
    form has changed) or, with no form, becomes a message. Other errors pass through.
    """

    def __init__(
        self,
        *,
        request: HttpRequest | None = None,
        form: Any = None,
        refresh: Model | None = None,
    ) -> None:
        if request is None and form is None:
            raise TypeError("Written needs a request, a form or both.")
        self.request = request
        self.form = form
        self.refresh = refresh
        self.ok = False

    def __enter__(self) -> Written:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if exc is None:
            self.ok = True
            return False
        if isinstance(exc, StaleEditError):
            self._show(str(exc))
            return True
        if isinstance(exc, ValidationError):
            if self.form is None:
                self._show(error_text(exc))
                return True
            if self.refresh is not None:
                self.refresh.refresh_from_db()
            attach_errors(self.form, exc)
            return True
        return False

    def _show(self, text: str) -> None:
        if self.request is not None:
            messages.error(self.request, text)
        else:
            self.form.add_error(None, text)


def save_versioned[T: Model](
    request: HttpRequest,
    form: Any,
    obj: T | None,
    *,
    update: Callable[..., object] | None,
    changes: dict[str, Any],
    create: Callable[[], T] | None = None,
    refresh: bool = False,
) -> T | None:
    """Create a record (``obj`` None: ``create()``) or update ``obj`` by
    ``update(actor=, expected_version=, changes=)``, the version being the form's (or the
    record's own); errors as :class:`Written` with the request (``refresh``: reload ``obj``
    on a ValidationError). Returns the record written, None when nothing was."""
    with Written(request=request, form=form, refresh=obj if refresh else None) as written:
        if obj is None:
            if create is None:
                raise TypeError("save_versioned needs create() for a new record.")
            obj = create()
        else:
            if update is None:
                raise TypeError("save_versioned needs update() for an existing record.")
            update(
                actor=request.user,
                expected_version=form.cleaned_data.get("version") or obj.version,  # type: ignore[attr-defined]
                changes=changes,
            )
    return obj if written.ok else None


def page_of(request: HttpRequest, items: Sequence[Any] | Any, size: int) -> Page[Any]:
    """The page of ``items`` (a list or a queryset) named by the ``page`` query parameter;
    a missing or wrong number gives the first page, one too large the last."""
    return Paginator(items, size).get_page(request.GET.get("page"))
