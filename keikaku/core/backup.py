"""Backup and restore of the whole database (every row of every model) and the uploaded media.

The backup is one zip file:

- ``manifest.json``: format and Keikaku version, Django version, creation time, database vendor,
  the applied migrations per app, every table with its model, columns and row count, the
  SHA-256 of the payload and of every media file;
- ``data.jsonl``: one JSON object per row, ``{"m": "<app_label.model_name>", "v": [values]}``,
  the values in the column order the manifest gives; values are engine-neutral (ISO dates
  with their UTC offset, JSON fields as their JSON text, binary data as base64), so a backup
  taken on SQLite restores into PostgreSQL and back;
- ``media/<path>``: the files under ``MEDIA_ROOT``.

Rows are read and written table by table, auto-created many-to-many tables included, with
plain ``INSERT`` statements: no model ``save()`` and no signals run during a restore, primary
keys are kept, and foreign keys (self-references too) are checked once every row is in
(Django creates them ``DEFERRABLE INITIALLY DEFERRED`` on both engines). A restore runs in one
transaction: it refuses a database that already holds project rows (unless ``force``), checks
that the migration state matches, empties every table, inserts, checks constraints and the row
count of every table against the manifest, and resets the PostgreSQL sequences.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

FORMAT = "keikaku-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
PAYLOAD_NAME = "data.jsonl"
MEDIA_PREFIX = "media/"

# Tables that `migrate` itself fills (post_migrate signal): a freshly migrated database holds rows
# there, so they do not make a database "non-empty". Their rows are still replaced by the backup's,
# keeping the primary keys that other rows refer to.
SEEDED_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})

# Apps whose tables count as "project tables" for the emptiness check.
PROJECT_APP_PREFIX = "keikaku."

_CHUNK = 1 << 16


class BackupError(Exception):
    """A backup or restore cannot go on; the message (Japanese) says where and what to do."""


@dataclass(frozen=True)
class TableInfo:
    model: str
    table: str
    columns: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    media_files: int
    sha256: str


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    tables: int
    rows: int
    media_files: int
    emptied: tuple[str, ...] = field(default_factory=tuple)


# --- models, columns and values -----------------------------------------------------------------


def backup_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every concrete, managed model with its own table, auto-created M2M tables included."""
    seen: set[str] = set()
    result: list[type[models.Model]] = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped:
            continue
        if not router.allow_migrate_model(using, model):
            continue
        if opts.db_table in seen:
            continue
        seen.add(opts.db_table)
        result.append(model)
    return result


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Fields stored in the model's own table (the parent link for multi-table inheritance)."""
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def _column_names(model: type[models.Model]) -> list[str]:
    return [str(f.column) for f in _columns(model)]


def encode_value(fld: models.Field[Any, Any], value: Any) -> Any:
    """A database value (as Django reads it) → a JSON-safe, engine-neutral value."""
    if value is None:
        return None
    kind = fld.get_internal_type()
    if kind == "JSONField":
        return json.dumps(value, cls=getattr(fld, "encoder", None), ensure_ascii=False)
    if kind == "BinaryField":
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def decode_value(fld: models.Field[Any, Any], raw: Any) -> Any:
    """The inverse of `encode_value`: a Python value ready for ``get_db_prep_save``."""
    if raw is None:
        return None
    kind = fld.get_internal_type()
    if kind == "JSONField":
        return json.loads(raw, cls=getattr(fld, "decoder", None))
    if kind == "BinaryField":
        return base64.b64decode(raw)
    return fld.to_python(raw)


def table_rows(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> Iterator[list[Any]]:
    """Every row of the model's table, encoded, in primary-key order."""
    fields = _columns(model)
    qs = model._base_manager.using(using).order_by("pk").values_list(*[f.attname for f in fields])
    for row in qs.iterator(chunk_size=2000):
        yield [encode_value(f, v) for f, v in zip(fields, row, strict=True)]


def database_rows(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[list[Any]]]:
    """All rows of all tables, encoded (for comparisons in tests and checks)."""
    return {m._meta.label_lower: list(table_rows(m, using)) for m in backup_models(using)}


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """Applied migrations per app, sorted (empty when the database was never migrated)."""
    recorder = MigrationRecorder(connections[using])
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def keikaku_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("keikaku")
    except PackageNotFoundError:
        return "unknown"


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def _media_files(root: Path | None) -> list[Path]:
    if root is None or not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- backup -----------------------------------------------------------------------------------


class _HashingWriter:
    """Writes to a zip member while computing the SHA-256 and the size of what it wrote."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.target.write(data)


@contextmanager
def _consistent_read(using: str) -> Iterator[None]:
    """A read transaction; on PostgreSQL one snapshot for every table (REPEATABLE READ)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup_create(
    *,
    path: Path,
    using: str = DEFAULT_DB_ALIAS,
    include_media: bool = True,
    overwrite: bool = False,
) -> BackupResult:
    """Write every row of every table (and the media files) into one zip file at `path`."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(
            _(
                "出力先 %(path)s は既にあります。別のファイル名を指定するか、上書きする場合は "
                "--force を付けてください。"
            )
            % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(
            _("出力先のフォルダー %(dir)s がありません。先にフォルダーを作成してください。")
            % {"dir": path.parent}
        )
    connection = connections[using]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tables: list[TableInfo] = []
    payload_sha = ""
    payload_size = 0
    media_entries: list[dict[str, Any]] = []
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            with _consistent_read(using):
                state = migration_state(using)
                info = zipfile.ZipInfo(PAYLOAD_NAME, date_time=_zip_time())
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as member:
                    writer = _HashingWriter(member)
                    for model in backup_models(using):
                        count = 0
                        label = model._meta.label_lower
                        for values in table_rows(model, using):
                            line = json.dumps(
                                {"m": label, "v": values},
                                ensure_ascii=False,
                                separators=(",", ":"),
                            )
                            writer.write(line.encode("utf-8") + b"\n")
                            count += 1
                        tables.append(
                            TableInfo(
                                model=label,
                                table=model._meta.db_table,
                                columns=tuple(_column_names(model)),
                                rows=count,
                            )
                        )
                    payload_sha = writer.digest.hexdigest()
                    payload_size = writer.size
            root = _media_root()
            if include_media and root is not None:
                for file_path in _media_files(root):
                    rel = file_path.relative_to(root).as_posix()
                    name = MEDIA_PREFIX + rel
                    zf.write(file_path, name)
                    media_entries.append(
                        {
                            "name": name,
                            "path": rel,
                            "sha256": _sha256_file(file_path),
                            "bytes": file_path.stat().st_size,
                        }
                    )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "keikaku_version": keikaku_version(),
                "django_version": _django_version(),
                "created_at": timezone.now().isoformat(),
                "database_vendor": connection.vendor,
                "migrations": state,
                "tables": [
                    {
                        "model": t.model,
                        "table": t.table,
                        "columns": list(t.columns),
                        "rows": t.rows,
                    }
                    for t in tables
                ],
                "row_counts": {t.table: t.rows for t in tables},
                "payload": {
                    "name": PAYLOAD_NAME,
                    "sha256": payload_sha,
                    "bytes": payload_size,
                },
                "media": media_entries,
            }
            zf.writestr(
                MANIFEST_NAME,
                json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False),
            )
        # The file holds personal data and password hashes: readable by its owner only.
        tmp.chmod(0o600)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return BackupResult(
        path=path,
        tables=len(tables),
        rows=sum(t.rows for t in tables),
        media_files=len(media_entries),
        sha256=payload_sha,
    )


def _zip_time() -> tuple[int, int, int, int, int, int]:
    now = timezone.localtime()
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


def _django_version() -> str:
    import django

    return django.get_version()


# --- reading and verifying ----------------------------------------------------------------------


def _open_zip(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise BackupError(
            _("バックアップファイル %(path)s が見つかりません。ファイル名を確認してください。")
            % {"path": path}
        )
    try:
        return zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(
            _(
                "%(path)s は Keikaku のバックアップファイル（zip）として読めません（%(error)s）。"
                "`keikaku backup` で作成したファイルを指定してください。"
            )
            % {"path": path, "error": exc}
        ) from exc


def read_manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        raw = zf.read(MANIFEST_NAME)
    except KeyError as exc:
        raise BackupError(
            _(
                "%(path)s に %(name)s がありません。`keikaku backup` で作成したファイルを"
                "指定してください。"
            )
            % {"path": path, "name": MANIFEST_NAME}
        ) from exc
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(
            _(
                "%(path)s の %(name)s が壊れています（%(error)s）。別のバックアップを使ってください。"
            )
            % {"path": path, "name": MANIFEST_NAME, "error": exc}
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            _(
                "%(path)s は Keikaku のバックアップファイルではありません（format が %(format)s ではありません）。"
            )
            % {"path": path, "format": FORMAT}
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "%(path)s の形式の版 %(found)s には対応していません（対応している版: %(expected)s）。"
                "バックアップを作成した版の Keikaku で復元してください。"
            )
            % {"path": path, "found": manifest.get("format_version"), "expected": FORMAT_VERSION}
        )
    return manifest


def _member_sha256(zf: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with zf.open(name) as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def backup_verify(path: Path) -> dict[str, Any]:
    """Check the file's manifest and the SHA-256 of its payload and media; return the manifest."""
    path = Path(path)
    with _open_zip(path) as zf:
        manifest = read_manifest(zf, path)
        _verify_members(zf, manifest, path)
    return manifest


def _verify_members(zf: zipfile.ZipFile, manifest: dict[str, Any], path: Path) -> None:
    entries = [(PAYLOAD_NAME, manifest["payload"]["sha256"])]
    entries += [(m["name"], m["sha256"]) for m in manifest.get("media", [])]
    names = set(zf.namelist())
    for name, expected in entries:
        if name not in names:
            raise BackupError(
                _(
                    "%(path)s に %(name)s がありません。ファイルが欠けています。別のバックアップを使ってください。"
                )
                % {"path": path, "name": name}
            )
        try:
            actual = _member_sha256(zf, name)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BackupError(
                _("%(path)s の %(name)s を読めません（%(error)s）。ファイルが壊れています。")
                % {"path": path, "name": name, "error": exc}
            ) from exc
        if actual != expected:
            raise BackupError(
                _(
                    "%(path)s の %(name)s のチェックサム（SHA-256）が目録と一致しません。"
                    "ファイルが壊れているか書き換えられています。別のバックアップを使ってください。"
                )
                % {"path": path, "name": name}
            )


# --- restore ----------------------------------------------------------------------------------


def _check_migrations(manifest: dict[str, Any], using: str) -> None:
    backup_state: dict[str, list[str]] = {
        app: sorted(names) for app, names in manifest.get("migrations", {}).items()
    }
    here = migration_state(using)
    if not here:
        raise BackupError(
            _(
                "復元先のデータベースにテーブルがありません。先に `keikaku migrate` を実行してから"
                "復元してください。"
            )
        )
    for app in sorted(set(backup_state) | set(here)):
        ours = here.get(app, [])
        theirs = backup_state.get(app, [])
        if ours != theirs:
            missing = sorted(set(theirs) - set(ours))
            extra = sorted(set(ours) - set(theirs))
            raise BackupError(
                _(
                    "マイグレーションの状態がバックアップと一致しません（アプリ %(app)s: "
                    "このデータベースに無いもの %(missing)s、バックアップに無いもの %(extra)s）。"
                    "バックアップを作成したときと同じ版の Keikaku で `keikaku migrate` を実行した"
                    "空のデータベースに復元してください。"
                )
                % {
                    "app": app,
                    "missing": ", ".join(missing) or "なし",
                    "extra": ", ".join(extra) or "なし",
                }
            )


def _target_models(manifest: dict[str, Any], using: str) -> dict[str, type[models.Model]]:
    """Map each manifest table to a model here, with the same columns, and vice versa."""
    here = {m._meta.label_lower: m for m in backup_models(using)}
    listed = {t["model"] for t in manifest["tables"]}
    for table in manifest["tables"]:
        model = here.get(table["model"])
        if model is None:
            raise BackupError(
                _(
                    "バックアップのテーブル %(table)s（%(model)s）に当たるモデルがこのシステムに"
                    "ありません。同じ版の Keikaku で復元してください。"
                )
                % {"table": table["table"], "model": table["model"]}
            )
        columns = _column_names(model)
        if columns != list(table["columns"]):
            raise BackupError(
                _(
                    "テーブル %(table)s の列がバックアップと一致しません（バックアップ: %(theirs)s、"
                    "このデータベース: %(ours)s）。同じ版の Keikaku で復元してください。"
                )
                % {
                    "table": table["table"],
                    "theirs": ", ".join(table["columns"]),
                    "ours": ", ".join(columns),
                }
            )
    unlisted = sorted(set(here) - listed)
    if unlisted:
        raise BackupError(
            _(
                "このシステムのテーブル %(models)s がバックアップにありません。同じ版の Keikaku で"
                "復元してください。"
            )
            % {"models": ", ".join(unlisted)}
        )
    return here


def _table_count(using: str, table: str) -> int:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def non_empty_project_tables(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, int]]:
    """(table, rows) of project tables that hold rows; empty list = the database is empty."""
    found: list[tuple[str, int]] = []
    for model in backup_models(using):
        opts = model._meta
        if opts.label_lower in SEEDED_BY_MIGRATE:
            continue
        app_config = opts.app_config
        if not app_config.name.startswith(PROJECT_APP_PREFIX):
            continue
        count = _table_count(using, opts.db_table)
        if count:
            found.append((opts.db_table, count))
    return found


def _insert_batches(
    using: str,
    model: type[models.Model],
    rows: Iterable[list[Any]],
) -> int:
    connection = connections[using]
    fields = _columns(model)
    qn = connection.ops.quote_name
    limit = connection.features.max_query_params or 65535
    batch_size = max(1, min(500, limit // max(1, len(fields))))
    head = (
        f"INSERT INTO {qn(model._meta.db_table)} ("
        + ", ".join(qn(c) for c in _column_names(model))
        + ") VALUES "
    )
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch: list[Any] = []
    pending = 0
    total = 0

    def flush() -> None:
        nonlocal batch, pending
        if not pending:
            return
        with connection.cursor() as cursor:
            cursor.execute(head + ", ".join([one] * pending), batch)
        batch = []
        pending = 0

    for raw in rows:
        for fld, value in zip(fields, raw, strict=True):
            batch.append(fld.get_db_prep_save(decode_value(fld, value), connection))
        pending += 1
        total += 1
        if pending >= batch_size:
            flush()
    flush()
    return total


def _payload_rows(zf: zipfile.ZipFile, path: Path) -> Iterator[tuple[int, str, list[Any]]]:
    with zf.open(PAYLOAD_NAME) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        for number, line in enumerate(text, start=1):
            try:
                item = json.loads(line)
                yield number, str(item["m"]), list(item["v"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise BackupError(
                    _("%(path)s の %(name)s %(line)s 行目を読めません（%(error)s）。")
                    % {"path": path, "name": PAYLOAD_NAME, "line": number, "error": exc}
                ) from exc


def _restore_rows(
    zf: zipfile.ZipFile,
    path: Path,
    manifest: dict[str, Any],
    targets: dict[str, type[models.Model]],
    using: str,
) -> int:
    expected_columns = {t["model"]: len(t["columns"]) for t in manifest["tables"]}
    current: str | None = None
    buffer: list[list[Any]] = []
    total = 0

    def flush_model() -> None:
        nonlocal buffer, total
        if current is not None and buffer:
            total += _insert_batches(using, targets[current], buffer)
        buffer = []

    for number, label, values in _payload_rows(zf, path):
        if label not in targets:
            raise BackupError(
                _("%(path)s の %(name)s %(line)s 行目: 不明なモデル %(model)s です。")
                % {"path": path, "name": PAYLOAD_NAME, "line": number, "model": label}
            )
        if len(values) != expected_columns[label]:
            raise BackupError(
                _("%(path)s の %(name)s %(line)s 行目: 列の数が %(count)s ではありません。")
                % {
                    "path": path,
                    "name": PAYLOAD_NAME,
                    "line": number,
                    "count": expected_columns[label],
                }
            )
        if label != current or len(buffer) >= 2000:
            flush_model()
            current = label
        buffer.append(values)
    flush_model()
    return total


def _extract_media(
    zf: zipfile.ZipFile, manifest: dict[str, Any], root: Path, force: bool, written: list[Path]
) -> int:
    count = 0
    root_resolved = root.resolve()
    for entry in manifest.get("media", []):
        rel = str(entry["path"])
        target = (root / rel).resolve()
        if root_resolved not in target.parents:
            raise BackupError(
                _(
                    "メディアファイルのパス %(path)s が MEDIA_ROOT の外を指しています。復元を中止しました。"
                )
                % {"path": rel}
            )
        if target.exists():
            if _sha256_file(target) == entry["sha256"]:
                count += 1
                continue
            if not force:
                raise BackupError(
                    _(
                        "メディアファイル %(path)s が既にあり、内容がバックアップと異なります。"
                        "置き換える場合は --force を付けてください。"
                    )
                    % {"path": target}
                )
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.restore-tmp")
        with zf.open(entry["name"]) as src, tmp.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
        os.replace(tmp, target)
        written.append(target)
        count += 1
    return count


def restore(
    *,
    path: Path,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    include_media: bool = True,
) -> RestoreResult:
    """Restore a backup into an empty, migrated database (or, with `force`, replace its rows)."""
    path = Path(path)
    connection = connections[using]
    with _open_zip(path) as zf:
        manifest = read_manifest(zf, path)
        _verify_members(zf, manifest, path)
        _check_migrations(manifest, using)
        targets = _target_models(manifest, using)
        written: list[Path] = []
        media_count = 0
        emptied: list[str] = []
        try:
            with transaction.atomic(using=using):
                occupied = non_empty_project_tables(using)
                if occupied and not force:
                    table, rows = occupied[0]
                    raise BackupError(
                        _(
                            "復元先のデータベースが空ではありません（%(table)s に %(rows)s 行、"
                            "ほか %(more)s 個のテーブルにデータがあります）。`keikaku migrate` "
                            "した直後の空のデータベースに復元するか、今の内容をすべて消して置き換える"
                            "場合は --force を付けてください。"
                        )
                        % {"table": table, "rows": rows, "more": len(occupied) - 1}
                    )
                emptied = [t for t, _n in occupied]
                tables = [m._meta.db_table for m in targets.values()]
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        # TRUNCATE refuses tables with pending deferred checks from earlier
                        # writes in this transaction: run those checks now.
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    for sql in connection.ops.sql_flush(no_style(), tables):
                        cursor.execute(sql)
                total = _restore_rows(zf, path, manifest, targets, using)
                try:
                    connection.check_constraints(table_names=tables)
                except IntegrityError as exc:
                    raise BackupError(
                        _(
                            "復元したデータの参照関係が正しくありません（%(error)s）。復元を取り消しました。"
                        )
                        % {"error": exc}
                    ) from exc
                for table in manifest["tables"]:
                    actual = _table_count(using, table["table"])
                    if actual != table["rows"]:
                        raise BackupError(
                            _(
                                "テーブル %(table)s の行数が目録と一致しません（目録 %(expected)s 行、"
                                "復元後 %(actual)s 行）。復元を取り消しました。"
                            )
                            % {
                                "table": table["table"],
                                "expected": table["rows"],
                                "actual": actual,
                            }
                        )
                reset_sql = connection.ops.sequence_reset_sql(no_style(), list(targets.values()))
                if reset_sql:
                    with connection.cursor() as cursor:
                        for sql in reset_sql:
                            cursor.execute(sql)
                root = _media_root()
                if include_media and root is not None:
                    media_count = _extract_media(zf, manifest, root, force, written)
        except BaseException:
            for file_path in written:
                file_path.unlink(missing_ok=True)
            raise
    _clear_caches()
    return RestoreResult(
        path=path,
        tables=len(manifest["tables"]),
        rows=total,
        media_files=media_count,
        emptied=tuple(emptied),
    )


def _clear_caches() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    ContentType.objects.clear_cache()
    for alias in settings.CACHES:
        caches[alias].clear()
