"""Background work of the opinion analysis: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from django.tasks import task


@task
def analysis_run_execute(run_id: int) -> None:
    """Execute a waiting analysis run (a run already started or finished is left alone)."""
    from keikaku.analysis.services import run_execute

    run_execute(run_id=run_id)
