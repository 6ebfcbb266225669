"""Generated plan documents: built from the published data, cached as files.

A file is keyed by the fingerprint of the data it shows (content.fingerprint): when the
public content version changes, the data is gathered again (cheap) and the file is made
again only if its data changed (WeasyPrint takes seconds). Requests for the current
content version go straight to the file.

The files are made ahead of the first download:

* after every publish, in the background: ``content_version_bump`` sends
  ``keikaku.core.signals.public_content_changed`` once the transaction commits, and
  ``keikaku.publication.tasks`` then queues ``plan_documents_refresh`` (one at a time), which
  calls :func:`build_all` — when ``KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD`` is on (the default)
  and ``keikaku db_worker`` runs the queue;
* by ``keikaku build-plan-documents`` (run by setup-demo) and the staff page's rebuild button.

A download that comes before the background build has finished (or with no worker running)
still builds the document on demand (:func:`document_get_or_build`). Both take the same file
lock per document, so a download during a running build waits for it and then serves its file
instead of rendering the document a second time.
"""

from __future__ import annotations

import fcntl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keikaku.core.selectors import content_version_get
from keikaku.publication.documents import content, render
from keikaku.publication.models import PlanDocument


@dataclass(frozen=True)
class Spec:
    kind: str
    fmt: str
    title: Any
    description: Any
    content_type: str


SPECS: dict[tuple[str, str], Spec] = {
    ("plan", "pdf"): Spec(
        "plan",
        "pdf",
        _("計画書（PDF）"),
        _("計画の全文。目次、施策ごとの成果指標とグラフ、資料編を含みます。"),
        "application/pdf",
    ),
    ("plan", "docx"): Spec(
        "plan",
        "docx",
        _("計画書（Word）"),
        _("計画の全文を編集できる形式で。グラフは数値の表で示しています。"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("summary", "pdf"): Spec(
        "summary",
        "pdf",
        _("概要版（PDF、4ページ）"),
        _("将来像、施策の体系、重点戦略、人口の見通しを4ページにまとめたものです。"),
        "application/pdf",
    ),
}


def documents_dir() -> Path:
    path = Path(getattr(settings, "KEIKAKU_DOCUMENTS_DIR", Path(settings.VAR_DIR) / "documents"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def document_path(record: PlanDocument) -> Path:
    return documents_dir() / record.path


def download_name(record: PlanDocument) -> str:
    from keikaku.publication.plandata import published_plan

    plan = published_plan()
    code = plan.municipality_code if plan else "keikaku"
    return f"{code}-{record.kind}.{record.fmt}"


def _render(kind: str, fmt: str, data: dict[str, Any]) -> tuple[bytes, int | None]:
    if (kind, fmt) == ("plan", "pdf"):
        pdf = render.render_plan_pdf(data)
        return pdf.data, pdf.pages
    if (kind, fmt) == ("summary", "pdf"):
        pdf = render.render_summary_pdf(data)
        return pdf.data, pdf.pages
    if (kind, fmt) == ("plan", "docx"):
        return render.render_plan_docx(data), None
    raise KeyError((kind, fmt))


def _usable(record: PlanDocument | None) -> bool:
    return record is not None and document_path(record).exists()


def document_get_or_build(*, kind: str, fmt: str, force: bool = False) -> PlanDocument | None:
    """The document for the published content (built now when its data changed)."""
    version = content_version_get()
    memo = f"publication:document:{version}:{kind}:{fmt}"
    if not force:
        record_id = cache.get(memo)
        if record_id is not None:
            record = PlanDocument.objects.filter(pk=record_id).first()
            if _usable(record):
                return record
    data = content.plan_document_data()
    if data is None:
        return None
    fp = content.fingerprint(data, kind=kind, fmt=fmt, renderer_version=render.RENDERER_VERSION)
    record = PlanDocument.objects.filter(kind=kind, fmt=fmt, language="ja", fingerprint=fp).first()
    if force or not _usable(record):
        lock_path = documents_dir() / f".{kind}-{fmt}.lock"
        with lock_path.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            record = PlanDocument.objects.filter(
                kind=kind, fmt=fmt, language="ja", fingerprint=fp
            ).first()
            if force or not _usable(record):
                record = _build(kind, fmt, fp, version, data)
    elif record is not None and record.content_version != version:
        PlanDocument.objects.filter(pk=record.pk).update(content_version=version)
    assert record is not None
    cache.set(memo, record.pk, 3600)
    return record


def _build(kind: str, fmt: str, fp: str, version: int, data: dict[str, Any]) -> PlanDocument:
    started = time.perf_counter()
    payload, pages = _render(kind, fmt, data)
    seconds = time.perf_counter() - started
    name = f"{kind}-{fp[:20]}.{fmt}"
    target = documents_dir() / name
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(target)
    record, _created = PlanDocument.objects.update_or_create(
        kind=kind,
        fmt=fmt,
        language="ja",
        fingerprint=fp,
        defaults={
            "content_version": version,
            "path": name,
            "size": len(payload),
            "pages": pages,
            "seconds": round(seconds, 3),
            "generated_at": timezone.now(),
        },
    )
    # Keep the two latest files of each kind; older ones go.
    old = PlanDocument.objects.filter(kind=kind, fmt=fmt, language="ja").order_by("-generated_at")
    for stale in old[2:]:
        path = document_path(stale)
        stale.delete()
        if not PlanDocument.objects.filter(path=stale.path).exists():
            path.unlink(missing_ok=True)
    return record


def document_list() -> list[dict[str, Any]]:
    """The downloads of the documents page (with size and date when already built)."""
    version = content_version_get()
    out = []
    for (kind, fmt), spec in SPECS.items():
        record = (
            PlanDocument.objects.filter(kind=kind, fmt=fmt, content_version=version)
            .order_by("-generated_at")
            .first()
        )
        out.append({"spec": spec, "record": record if _usable(record) else None})
    return out


def build_all(*, force: bool = False) -> list[PlanDocument]:
    out = []
    for kind, fmt in SPECS:
        record = document_get_or_build(kind=kind, fmt=fmt, force=force)
        if record is not None:
            out.append(record)
    return out
