"""Background work of the public site: thin, call a service, idempotent.

After every publish (``keikaku.core.signals.public_content_changed``, sent once the
publishing transaction commits) :func:`plan_documents_request` queues
:func:`plan_documents_refresh`, which brings the plan documents (計画書 PDF and Word, 概要版
PDF) up to date, so that the first reader after a publish gets a file that is already made
instead of waiting for WeasyPrint.

At most one refresh waits at a time. A waiting refresh (queued, not started) covers every
publish made before it starts: it reads the content when it starts, after those publishes
committed. So a publish while one is waiting queues nothing; a publish while one is
*running* queues the next one, which makes the documents of the newest content.

Whether one is waiting is found out

* with ``django_tasks_db.DatabaseBackend`` (production; ``keikaku db_worker`` runs it), by
  asking its result table for a refresh still in the state READY. That table is shared by
  every web process and the worker, and the worker moves the row to RUNNING before the task
  reads anything, so the answer is exact. The cache would not do here: the default cache
  (``locmemcache``) belongs to one process, and the worker could not clear the web process's
  entry when it starts.
* with any other backend (ImmediateBackend, DummyBackend, ...), by the cache entry
  :data:`WAITING_KEY`, set with ``cache.add`` (atomic: of two concurrent publishes one adds
  it and queues, the other sees it) and deleted by the task as it starts. Its timeout
  (:data:`WAITING_SECONDS`) only matters when a queued refresh is lost: then at worst the
  next publish within that time queues nothing, and the documents are still made at the
  first download.

Two refreshes that overlap anyway (e.g. two processes asking at the same moment) do no harm:
``build_all`` renders a document only when the fingerprint of its data changed, and the
file lock of ``documents.service`` makes the second wait for the first instead of rendering
the same document again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.tasks import TaskResultStatus, task

logger = logging.getLogger(__name__)

WAITING_KEY = "publication:plan-documents-refresh:waiting"
WAITING_SECONDS = 30 * 60


@task
def plan_documents_refresh() -> int:
    """Bring the plan documents up to the published content (renders only what changed).

    Returns the number of documents that are now current (0 when no plan is published).
    """
    cache.delete(WAITING_KEY)  # from now on a publish needs a new refresh: see the module
    from keikaku.publication.documents import service

    return len(service.build_all())


def _refresh_waiting() -> bool:
    """True when a refresh is queued and not started; otherwise marks one as waiting (the
    caller queues it). See the module docstring."""
    backend = plan_documents_refresh.get_backend()
    from django_tasks_db import DatabaseBackend

    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            task_path=plan_documents_refresh.module_path,
            backend_name=backend.alias,
            status=TaskResultStatus.READY,
        ).exists()
    return not cache.add(WAITING_KEY, True, WAITING_SECONDS)


def plan_documents_request(**kwargs: Any) -> bool:
    """Receiver of ``public_content_changed``: queue a refresh unless one is waiting or
    ``KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD`` is off. True when one was queued."""
    if not settings.KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD:
        return False
    if _refresh_waiting():
        return False
    try:
        plan_documents_refresh.enqueue()
    except Exception:
        cache.delete(WAITING_KEY)
        raise
    return True
