"""Signals of the shared kernel.

``public_content_changed`` tells the apps that build something from the published content
(e.g. keikaku.publication's plan documents) that it changed. It is sent by
``keikaku.core.services.content_version_bump`` for the public scope, after the transaction
that bumped the version commits (``transaction.on_commit``), and once per transaction however
many bumps it made: a receiver reads the committed, newest content. A transaction that rolls
back sends nothing. Bumps of the staff scope send nothing.

Receivers are called with ``sender=ContentVersion`` and must not raise into the caller: the
signal is sent with ``send_robust`` after the commit, and a receiver's error is logged (the
publish has already happened; a failed follow-up must not turn it into an error page).
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

public_content_changed = Signal()


class _SendAfterCommit:
    """The on-commit callback of one transaction: sends the signal once."""

    __slots__ = ("sent",)

    def __init__(self) -> None:
        self.sent = False

    def __call__(self) -> None:
        if self.sent:
            return
        self.sent = True
        from keikaku.core.models import ContentVersion

        for receiver, result in public_content_changed.send_robust(sender=ContentVersion):
            if isinstance(result, Exception):
                logger.error(
                    "public_content_changed: receiver %r failed",
                    receiver,
                    exc_info=(type(result), result, result.__traceback__),
                )


def public_content_changed_on_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Send :data:`public_content_changed` once the current transaction commits (now when
    there is none).

    A callback of this transaction that has not run yet already covers this change: it runs
    after the commit and the receivers read everything committed by then. Savepoints are
    handled by Django: a callback registered inside a savepoint that rolls back is dropped, so
    a later bump in the same transaction registers a new one.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:  # (savepoint ids, callback, robust)
            func = entry[1]
            if isinstance(func, _SendAfterCommit) and not func.sent:
                return
    transaction.on_commit(_SendAfterCommit(), using=using, robust=True)
