"""Background work of the formulation: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from django.tasks import task


@task
def notification_email_send(notification_id: int) -> None:
    from keikaku.workflow.services import notification_email_deliver

    notification_email_deliver(notification_id=notification_id)
