"""Staff pages for the plan workbook: export downloads and a two-step import.

Import: upload (.xlsx, a .zip of CSVs, .json, or one or more .csv files) → every problem
listed with sheet, row and column, or a preview of what would be created, updated and
deleted → confirm. The uploaded files wait in the session between the two steps; the
confirmation applies only what the preview showed (see importexport.PreviewOutdated).
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from keikaku.plans import importexport, rules
from keikaku.plans.models import Edition
from keikaku.plans.selectors import edition_list

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SESSION_KEY = "plan_import_pending"
TEMPLATE = "staff/plan_import.html"


def _editions() -> list[dict[str, Any]]:
    return [{"pk": e.pk, "label": importexport.edition_label(e)} for e in edition_list()]


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    default = importexport.edition_default()
    context: dict[str, Any] = {
        "nav_slug": "import",
        "editions": _editions(),
        "default_edition": default.pk if default else None,
        "can_import": rules.can_edit_plan(request.user),
        "problems": None,
        "preview": None,
        "token": None,
        "delete_missing": False,
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    context.update(extra)
    return context


def _render(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, TEMPLATE, _context(request, **extra), status=status)


def _files_from_session(pending: dict[str, Any]) -> list[tuple[str, bytes]]:
    return [(name, base64.b64decode(data)) for name, data in pending["files"]]


def _preview_upload(request: HttpRequest) -> HttpResponse:
    uploads = request.FILES.getlist("file")
    delete_missing = request.POST.get("delete_missing") == "on"
    if not uploads:
        return _render(
            request,
            400,
            upload_error=_("ファイルが選ばれていません。取り込むファイルを選んでください。"),
        )
    if sum(f.size or 0 for f in uploads) > MAX_UPLOAD_BYTES:
        return _render(
            request,
            400,
            upload_error=_(
                "ファイルが大きすぎます（上限 %(mb)d MB）。シートを分けるか、不要な行を削除してください。"
            )
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    files = [(f.name or "upload", f.read()) for f in uploads]
    result = importexport.read_upload(files)
    if result.data is None:
        return _render(request, problems=result.problems, delete_missing=delete_missing)
    try:
        preview = importexport.plan_import_preview(data=result.data, delete_missing=delete_missing)
    except importexport.PlanImportError as exc:
        return _render(request, problems=exc.problems, delete_missing=delete_missing)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "files": [(name, base64.b64encode(data).decode("ascii")) for name, data in files],
        "delete_missing": delete_missing,
        "digest": preview.digest,
    }
    return _render(request, preview=preview, token=token, delete_missing=delete_missing)


def _confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(
            request,
            _(
                "確認の期限が切れたか、別の画面で取り込みを始めました。もう一度ファイルをアップロードしてください。"
            ),
        )
        return redirect("staff:plan_import")
    result = importexport.read_upload(_files_from_session(pending))
    if result.data is None:
        request.session.pop(SESSION_KEY, None)
        return _render(request, problems=result.problems)
    try:
        done = importexport.plan_import_apply(
            data=result.data,
            actor=request.user,
            delete_missing=bool(pending["delete_missing"]),
            expected_digest=pending["digest"],
        )
    except importexport.PreviewOutdated as exc:
        pending["digest"] = exc.preview.digest
        request.session[SESSION_KEY] = pending
        return _render(
            request,
            preview=exc.preview,
            token=pending["token"],
            delete_missing=pending["delete_missing"],
            outdated=str(exc),
        )
    except importexport.PlanImportError as exc:
        request.session.pop(SESSION_KEY, None)
        return _render(request, problems=exc.problems)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("「%(target)s」を取り込みました（%(summary)s）。変更はすべて操作履歴に記録しました。")
        % {"target": done.target, "summary": done.summary_text()},
    )
    return redirect("staff:plan_import")


@rules.staff_required
def plan_import(request: HttpRequest) -> HttpResponse:
    """GET: the export links and the upload form. POST: preview, confirm or cancel."""
    if request.method == "POST":
        if not rules.can_edit_plan(request.user):
            raise PermissionDenied(_("計画を取り込む権限がありません。"))
        action = request.POST.get("action", "preview")
        if action == "confirm":
            return _confirm(request)
        if action == "cancel":
            request.session.pop(SESSION_KEY, None)
            messages.info(request, _("取り込みを取りやめました。データは変わっていません。"))
            return redirect("staff:plan_import")
        return _preview_upload(request)
    return _render(request)


@rules.staff_required
def plan_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download one edition as xlsx, csv (a zip of CSVs) or json."""
    if fmt not in importexport.EXPORT_FORMATS:
        raise Http404(_("その形式では書き出せません。xlsx・csv・json のいずれかを選んでください。"))
    edition: Edition | None
    pk = request.GET.get("edition", "")
    if pk:
        if not pk.isdigit():
            raise Http404(_("その基本計画はありません。"))
        edition = (
            Edition.objects.select_related("plan", "plan__municipality").filter(pk=int(pk)).first()
        )
    else:
        edition = importexport.edition_default()
    if edition is None:
        raise Http404(_("書き出す基本計画がありません。先に基本計画を登録してください。"))
    data = importexport.workbook_for_edition(edition)
    try:
        body = importexport.export_bytes(data, fmt)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("staff:plan_import")
    response = HttpResponse(body, content_type=importexport.EXPORT_FORMATS[fmt][0])
    response["Content-Disposition"] = (
        f'attachment; filename="{importexport.export_filename(edition, fmt)}"'
    )
    response["Cache-Control"] = "no-store"
    return response
