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
from keikaku.publication.registry import Column, Dataset, datasets

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


def refresh_dates(*, force: bool = False) -> dict[str, DatasetState]:
    """Record when each dataset's rows last changed (checked once per content version).

    A dataset's own date (``Dataset.updated``) wins when it gives one.
    """
    version = content_version_get()
    states = {s.key: s for s in DatasetState.objects.all()}
    state = PublicState.objects.filter(key="datasets").first()
    if not force and state is not None and state.content_version == version:
        return states
    now = timezone.now()
    with transaction.atomic():
        for dataset in datasets(include_pending=False):
            _, rows = table(dataset)
            fp = fingerprint(rows)
            current = states.get(dataset.key)
            if current is None or current.fingerprint != fp:
                own = dataset.updated()
                states[dataset.key], _created = DatasetState.objects.update_or_create(
                    key=dataset.key,
                    defaults={
                        "fingerprint": fp,
                        "updated_at": own or now,
                        "row_count": len(rows),
                    },
                )
        PublicState.objects.update_or_create(
            key="datasets", defaults={"content_version": version, "changed_at": now}
        )
    return states


def updated_at(dataset: Dataset, states: dict[str, DatasetState]) -> dt.datetime | None:
    own = dataset.updated()
    if own is not None:
        return own
    state = states.get(dataset.key)
    return state.updated_at if state else None
