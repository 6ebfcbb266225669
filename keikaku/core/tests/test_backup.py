"""Backup and restore: every row of every table survives a round trip, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, models

from keikaku.core.backup import (
    BackupError,
    backup_create,
    backup_verify,
    database_rows,
    decode_value,
    encode_value,
    non_empty_project_tables,
    restore,
)
from keikaku.core.models import AuditEvent
from keikaku.core.services import audit_record

# The backup covers every installed app; the core app's tests reach the other apps' models
# through the app registry (core must not import the apps above it).
User = get_user_model()


Department = apps.get_model("accounts", "Department")
Municipality = apps.get_model("plans", "Municipality")
Measure = apps.get_model("plans", "Measure")
Edition = apps.get_model("plans", "Edition")


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def _staff(username: str, last: str, first: str, codenames: list[str]):
    user = User.objects.create_user(
        username=username,
        password="pass-for-tests-1",
        is_staff=True,
        last_name=last,
        first_name=first,
    )
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="plans", codename__in=codenames)
    )
    return user


def _make_varied_data(media_root: Path) -> None:
    """Rows in many tables: JSON, M2M, self-references pointing forward, 髙 and 𠮷."""
    muni = Municipality.objects.create(
        code="112411", name="鶴ヶ島市", prefecture="埼玉県", is_demo=True
    )
    plan = apps.get_model("plans", "ComprehensivePlan").objects.create(
        municipality=muni, title="第6次鶴ヶ島市総合計画", ordinal=6, start_fy=2020, end_fy=2029
    )
    apps.get_model("plans", "BasicConcept").objects.create(
        plan=plan, vision="しあわせ共感 安心のまち つるがしま", start_fy=2020, end_fy=2029
    )
    former = Edition.objects.create(
        plan=plan, kind="former", title="前期基本計画", start_fy=2020, end_fy=2024, status="ended"
    )
    latter = Edition.objects.create(
        plan=plan,
        kind="latter",
        title="後期基本計画",
        start_fy=2025,
        end_fy=2029,
        status="in_force",
        predecessor=former,
    )
    area = apps.get_model("plans", "PolicyArea").objects.create(
        edition=latter, number=1, title="子育て・教育"
    )
    measure = Measure.objects.create(
        area=area,
        code="1-1",
        title="髙橋さんと𠮷田さんの「子育て」～支援①",
        plain_summary="子どもを育てる家族を手伝います。",
        sdgs=[3, 11, 17],
    )
    indicator = apps.get_model("plans", "Indicator").objects.create(
        measure=measure,
        code="1-1-1",
        name="待機児童数",
        unit="人",
        direction="decrease",
        baseline_value=12,
        baseline_fy=2023,
        target_value=0,
        target_fy=2029,
    )
    apps.get_model("plans", "IndicatorValue").objects.create(
        indicator=indicator, fiscal_year=2025, value=0.1 + 0.2
    )
    takahashi = _staff("henshu", "髙橋", "一郎", ["change_measure"])
    yoshida = _staff("jimukyoku", "𠮷田", "花子", ["change_measure"])
    group = Group.objects.create(name="事務局")
    group.permissions.add(*Permission.objects.filter(codename="change_edition"))
    yoshida.groups.add(group)
    # A section created before its department: the self-reference points to a higher id.
    child = Department.objects.create(code="0601", name="こども支援課", kind="section")
    section = Department.objects.create(code="0101", name="政策推進課", kind="section")
    department = Department.objects.create(code="01", name="総合政策部", kind="department")
    section.parent = department
    section.save()
    yoshida.department = section
    yoshida.save()
    measure.departments.add(child, section)
    audit_record(
        actor=takahashi,
        action="update",
        obj=measure,
        before={"title": "旧", "nested": {"list": [1, 2.5, None, True], "名前": "𠮷田"}},
        after={"title": measure.title},
    )
    (media_root / "plans").mkdir()
    (media_root / "plans" / "概要版.pdf").write_bytes(b"%PDF-1.7\n\x00\xff demo")


def _expected_counts() -> dict[str, int]:
    return {label: len(rows) for label, rows in database_rows().items()}


def _fresh_migrated_state_with_shifted_ids() -> None:
    """Empty every table, then let post_migrate recreate content types and permissions at
    different ids than before, as in a database migrated on another server."""
    call_command("flush", interactive=False, verbosity=0)
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    ContentType.objects.create(app_label="zz_placeholder", model="shift")
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    ContentType.objects.filter(app_label="zz_placeholder").delete()
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_row_of_every_table(media_root, tmp_path):
    _make_varied_data(media_root)
    before = database_rows()
    target = tmp_path / "keikaku-backup.zip"
    result = backup_create(path=target)
    assert result.rows == sum(len(rows) for rows in before.values())
    assert result.media_files == 1

    _fresh_migrated_state_with_shifted_ids()
    (media_root / "plans" / "概要版.pdf").unlink()
    assert non_empty_project_tables() == []
    assert ContentType.objects.get_for_model(Measure).pk != next(
        row[0] for row in before["contenttypes.contenttype"] if row[1:] == ["plans", "measure"]
    )

    restored = restore(path=target)

    assert restored.rows == result.rows
    after = database_rows()
    assert after == before
    assert (media_root / "plans" / "概要版.pdf").read_bytes() == b"%PDF-1.7\n\x00\xff demo"
    assert set(User.objects.values_list("last_name", flat=True)) == {"髙橋", "𠮷田"}
    measure = Measure.objects.get()
    assert measure.title == "髙橋さんと𠮷田さんの「子育て」～支援①"
    assert measure.sdgs == [3, 11, 17]
    assert {d.name for d in measure.departments.all()} == {"こども支援課", "政策推進課"}
    assert Department.objects.get(code="0101").parent.code == "01"
    assert Edition.objects.get(kind="latter").predecessor.kind == "former"
    event = AuditEvent.objects.get(action="update")
    assert event.before == {"title": "旧", "nested": {"list": [1, 2.5, None, True], "名前": "𠮷田"}}
    yoshida = User.objects.get(username="jimukyoku")
    assert yoshida.has_perm("plans.change_edition")
    # Sequences continue after the restored ids (PostgreSQL needs the reset).
    highest = max(row[0] for row in before["plans.municipality"])
    new = Municipality.objects.create(code="112429", name="日高市", prefecture="埼玉県")
    assert new.pk == highest + 1


@pytest.mark.django_db(transaction=True)
def test_failed_restore_writes_nothing(media_root, tmp_path):
    _make_varied_data(media_root)
    source = tmp_path / "keikaku-backup.zip"
    backup_create(path=source)
    # Claim one more municipality than the payload holds: the count check fails at the end.
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                for table in manifest["tables"]:
                    if table["table"] == "plans_municipality":
                        table["rows"] += 1
                data = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
            zout.writestr(item, data)
    _fresh_migrated_state_with_shifted_ids()
    (media_root / "plans" / "概要版.pdf").unlink()
    empty_state = database_rows()

    with pytest.raises(BackupError) as err:
        restore(path=broken)

    assert str(err.value) == (
        "テーブル plans_municipality の行数が目録と一致しません（目録 2 行、復元後 1 行）。"
        "復元を取り消しました。"
    )
    assert database_rows() == empty_state
    assert not (media_root / "plans" / "概要版.pdf").exists()


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data_and_changes_nothing(media_root, tmp_path):
    _make_varied_data(media_root)
    target = tmp_path / "b.zip"
    backup_create(path=target)
    Municipality.objects.create(code="112429", name="日高市", prefecture="埼玉県")
    state = database_rows()

    with pytest.raises(BackupError) as err:
        restore(path=target)

    occupied = non_empty_project_tables()
    assert ("plans_municipality", 2) in occupied
    assert occupied[0] == ("core_auditevent", 1)
    assert str(err.value) == (
        "復元先のデータベースが空ではありません（core_auditevent に 1 行、"
        f"ほか {len(occupied) - 1} 個のテーブルにデータがあります）。`keikaku migrate` した"
        "直後の空のデータベースに復元するか、今の内容をすべて消して置き換える場合は --force を"
        "付けてください。"
    )
    assert database_rows() == state


@pytest.mark.django_db
def test_force_replaces_the_current_rows_with_the_backup(media_root, tmp_path):
    _make_varied_data(media_root)
    before = database_rows()
    target = tmp_path / "b.zip"
    backup_create(path=target)
    Municipality.objects.create(code="112429", name="日高市", prefecture="埼玉県")
    Measure.objects.update(title="変更後")
    (media_root / "plans" / "概要版.pdf").write_bytes(b"changed")

    result = restore(path=target, force=True)

    assert database_rows() == before
    assert "plans_municipality" in result.emptied
    assert (media_root / "plans" / "概要版.pdf").read_bytes() == b"%PDF-1.7\n\x00\xff demo"


@pytest.mark.django_db
def test_restore_refuses_a_tampered_payload(media_root, tmp_path):
    _make_varied_data(media_root)
    source = tmp_path / "b.zip"
    backup_create(path=source)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "data.jsonl":
                data = data.replace("髙橋".encode(), "高橋".encode())
            zout.writestr(item, data)

    with pytest.raises(BackupError) as err:
        backup_verify(tampered)

    assert str(err.value) == (
        f"{tampered} の data.jsonl のチェックサム（SHA-256）が目録と一致しません。"
        "ファイルが壊れているか書き換えられています。別のバックアップを使ってください。"
    )


@pytest.mark.django_db
def test_restore_refuses_a_different_migration_state(media_root, tmp_path):
    source = tmp_path / "b.zip"
    backup_create(path=source)
    future = tmp_path / "future.zip"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(future, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"]["plans"].append("0099_future")
                data = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
            zout.writestr(item, data)

    with pytest.raises(BackupError) as err:
        restore(path=future)

    assert str(err.value) == (
        "マイグレーションの状態がバックアップと一致しません（アプリ plans: このデータベースに"
        "無いもの 0099_future、バックアップに無いもの なし）。バックアップを作成したときと同じ版の"
        " Keikaku で `keikaku migrate` を実行した空のデータベースに復元してください。"
    )


@pytest.mark.django_db
def test_manifest_lists_versions_tables_counts_and_checksums(media_root, tmp_path):
    _make_varied_data(media_root)
    target = tmp_path / "b.zip"
    backup_create(path=target)

    manifest = backup_verify(target)

    assert manifest["format"] == "keikaku-backup"
    assert manifest["format_version"] == 1
    assert manifest["keikaku_version"] != ""
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["migrations"]["plans"][0] == "0001_initial"
    assert manifest["row_counts"]["plans_municipality"] == 1
    assert manifest["row_counts"]["plans_measure_departments"] == 2
    assert manifest["row_counts"]["accounts_user"] == 2
    tables = {t["model"]: t for t in manifest["tables"]}
    assert tables["plans.measure_departments"]["columns"] == ["id", "measure_id", "department_id"]
    assert len(manifest["payload"]["sha256"]) == 64
    assert manifest["media"][0]["path"] == "plans/概要版.pdf"
    assert (
        manifest["media"][0]["bytes"] == 16
    )  # "%PDF-1.7" 8 + newline 1 + 0x00 1 + 0xff 1 + " demo" 5
    with zipfile.ZipFile(target) as zf:
        lines = zf.read("data.jsonl").decode("utf-8").splitlines()
    assert sum(t["rows"] for t in manifest["tables"]) == len(lines)
    assert any("𠮷田" in line for line in lines)


def test_encoded_values_round_trip_for_every_kind_of_field():
    # (field, value read from the database, encoded form)
    cases = [
        (models.BinaryField(), b"\x00\xff\x10", base64.b64encode(b"\x00\xff\x10").decode()),
        (models.DecimalField(max_digits=12, decimal_places=3), Decimal("1234.500"), "1234.500"),
        (
            models.UUIDField(),
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "12345678-1234-5678-1234-567812345678",
        ),
        (
            models.DurationField(),
            dt.timedelta(days=1, seconds=5, microseconds=7),
            "P1DT00H00M05.000007S",
        ),
        (models.TimeField(), dt.time(9, 30, 0, 123456), "09:30:00.123456"),
        (models.DateField(), dt.date(2025, 4, 1), "2025-04-01"),
        (
            models.DateTimeField(),
            dt.datetime(2025, 3, 31, 15, 0, 0, 123456, tzinfo=dt.UTC),
            "2025-03-31T15:00:00.123456+00:00",
        ),
        (models.FloatField(), 0.1 + 0.2, 0.30000000000000004),
        (models.JSONField(), {"名前": "𠮷田", "n": [1, None]}, '{"名前": "𠮷田", "n": [1, null]}'),
        (models.JSONField(), "文字列だけ", '"文字列だけ"'),
        (models.CharField(), "髙橋", "髙橋"),
        (models.BooleanField(), False, False),
    ]
    for fld, value, encoded in cases:
        assert encode_value(fld, value) == encoded
        assert decode_value(fld, json.loads(json.dumps(encoded))) == value
        assert encode_value(fld, None) is None
        assert decode_value(fld, None) is None


@pytest.mark.django_db
def test_commands_back_up_check_and_refuse_with_japanese_messages(media_root, tmp_path):
    _make_varied_data(media_root)
    target = tmp_path / "b.zip"
    out = io.StringIO()
    call_command("backup", "-o", str(target), stdout=out)
    assert out.getvalue().startswith(f"バックアップを作成しました: {target}（")

    with pytest.raises(CommandError) as err:
        call_command("backup", "-o", str(target))
    assert str(err.value) == (
        f"出力先 {target} は既にあります。別のファイル名を指定するか、上書きする場合は "
        "--force を付けてください。"
    )

    out = io.StringIO()
    call_command("restore", str(target), "--check", stdout=out)
    assert out.getvalue().startswith(f"バックアップファイルは正常です: {target}（作成 ")

    missing = tmp_path / "none.zip"
    with pytest.raises(CommandError) as err:
        call_command("restore", str(missing))
    assert str(err.value) == (
        f"バックアップファイル {missing} が見つかりません。ファイル名を確認してください。"
    )

    not_zip = tmp_path / "plain.zip"
    not_zip.write_text("これは zip ではありません", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("restore", str(not_zip))
    assert str(err.value) == (
        f"{not_zip} は Keikaku のバックアップファイル（zip）として読めません"
        "（File is not a zip file）。`keikaku backup` で作成したファイルを指定してください。"
    )
