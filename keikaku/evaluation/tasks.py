"""Background work of the evaluation: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from django.tasks import task


@task
def evaluation_report_file_make(file_id: int) -> None:
    """Make a waiting report file (one already started or finished is left alone)."""
    from keikaku.evaluation.services import report_file_execute

    report_file_execute(file_id=file_id)
