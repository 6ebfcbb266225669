"""Open data: machine-readable tables from the registry's datasets, their CSV files and
their update dates.

Machine-readable rules (総務省「機械判読可能なデータの表記方法」, DOMAIN.md §9): one header
row, one value per cell, no merged cells, Gregorian years as numbers, units in the headers
(or a 単位 column when the unit varies by row), and the 全国地方公共団体コード (6 digits,
with the check digit) in the first column of every row. CSV files are UTF-8 with BOM.
Licence: CC BY 4.0.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from keikaku.core.domain.textio import write_csv_bytes
from keikaku.core.selectors import content_version_get
from keikaku.publication.models import DatasetState, PublicState
from keikaku.publication.registry import Column, Dataset, datasets, shared_scope

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"

MUNICIPALITY_COLUMNS = (
    Column("municipality_code", "全国地方公共団体コード", "text"),
    Column("municipality_name", "地方公共団体名", "text"),
)
"""The two first columns of every table. Headers stay Japanese in every interface language:
a table's layout never changes with the reader's language."""


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return int(value) if value.is_integer() and abs(value) < 1e15 else round(value, 6)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def table(dataset: Dataset) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of a dataset, cells as written to CSV."""
    header = [c.header for c in dataset.columns]
    keys = [c.key for c in dataset.columns]
    rows = [[_cell(row.get(k)) for k in keys] for row in dataset.rows()]
    return header, rows


def csv_bytes(dataset: Dataset) -> bytes:
    header, rows = table(dataset)
    return write_csv_bytes([header, *rows])


def fingerprint(rows: Iterable[Iterable[Any]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(list(row), ensure_ascii=False, default=str).encode("utf-8"))
    return digest.hexdigest()


class DatasetStates(dict[str, DatasetState]):
    """The recorded state of each dataset, by key. ``current``: recorded at the current
    content version, so each state's date already is the dataset's own date where it gives
    one (:func:`refresh_dates` records it) and :func:`updated_at` needs no query."""

    current: bool = False


def recorded_states() -> DatasetStates:
    """The states as recorded (three queries, none of them a write)."""
    version = content_version_get()
    states = DatasetStates((s.key, s) for s in DatasetState.objects.all())
    mark = PublicState.objects.filter(key="datasets").first()
    states.current = mark is not None and mark.content_version == version
    return states


def refresh_dates(*, force: bool = False) -> DatasetStates:
    """Record when each dataset's rows last changed (checked once per content version).

    A dataset's own date (``Dataset.updated``) wins when it gives one: it is recorded too, so
    that reading the dates of a current record costs no query per dataset.
    """
    version = content_version_get()
    states = DatasetStates((s.key, s) for s in DatasetState.objects.all())
    state = PublicState.objects.filter(key="datasets").first()
    states.current = True
    if not force and state is not None and state.content_version == version:
        return states
    now = timezone.now()
    with transaction.atomic(), shared_scope():
        for dataset in datasets(include_pending=False):
            _, rows = table(dataset)
            fp = fingerprint(rows)
            own = dataset.updated()
            current = states.get(dataset.key)
            if current is None or current.fingerprint != fp:
                states[dataset.key], _created = DatasetState.objects.update_or_create(
                    key=dataset.key,
                    defaults={
                        "fingerprint": fp,
                        "updated_at": own or now,
                        "row_count": len(rows),
                    },
                )
            elif own is not None and own != current.updated_at:
                current.updated_at = own
                current.save(update_fields=["updated_at"])
        PublicState.objects.update_or_create(
            key="datasets", defaults={"content_version": version, "changed_at": now}
        )
    return states


def updated_at(dataset: Dataset, states: dict[str, DatasetState]) -> dt.datetime | None:
    """When the dataset last changed: its own date when it gives one, else the recorded one.

    With current states (from :func:`refresh_dates` or :func:`recorded_states`) the recorded
    date already is the own one: no query.
    """
    state = states.get(dataset.key)
    if state is not None and isinstance(states, DatasetStates) and states.current:
        return state.updated_at
    own = dataset.updated()
    if own is not None:
        return own
    return state.updated_at if state else None


def catalogue_dates(entries: list[Dataset]) -> dict[str, dt.datetime | None]:
    """The update date of each published dataset of ``entries`` (pending ones: None), with a
    constant number of queries: the recorded states, and the datasets' own dates computed
    once each (their shared aggregates once) when the record is not current."""
    states = recorded_states()
    with shared_scope():
        dates = {d.key: None if d.pending else updated_at(d, states) for d in entries}
    # in the city's time zone (+09:00), however the date was read (database values are UTC)
    return {
        k: timezone.localtime(v) if v is not None and timezone.is_aware(v) else v
        for k, v in dates.items()
    }
