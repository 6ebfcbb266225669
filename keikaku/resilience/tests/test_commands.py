"""Management commands: import-resilience-catalogue, import-revitalisation-frameworks and
load-demo-resilience (one-line Japanese errors, non-zero exit, nothing written)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from keikaku.resilience.models import CatalogueVersion, Framework
from keikaku.resilience.tests.factories import CATALOGUE_CSV

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_catalogue_file(tmp_path):
    path = tmp_path / "city.csv"
    path.write_bytes(CATALOGUE_CSV)
    out = _run("import_resilience_catalogue", str(path), "--code", "city", "--title", "市の一覧")
    assert out == "「市の一覧」を取り込みました（目標 2、事態 3、施策分野 3）。\n"
    assert CatalogueVersion.objects.get(code="city").is_complete is True


def test_import_catalogue_faulty_file_fails_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("kind,code,text\ngoal,1,目標\nscenario,1-1,\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("import_resilience_catalogue", str(path), "--code", "c", "--title", "t")
    assert str(err.value) == (
        "取り込めませんでした（1 件の誤り。何も保存していません）: bad.csv: 3行目「text」列: 文言が空です。"
    )
    assert CatalogueVersion.objects.count() == 0


def test_import_catalogue_needs_code_title_or_builtin(tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("import_resilience_catalogue")
    assert str(err.value) == "CSV ファイルを指定するか、--builtin を付けてください。"
    with pytest.raises(CommandError) as err:
        call_command("import_resilience_catalogue", str(tmp_path / "x.csv"))
    assert str(err.value) == "--code と --title を指定してください。"


def test_import_catalogue_builtin_is_idempotent():
    assert _run("import_resilience_catalogue", "--builtin") == "同梱の一覧を 2 件読み込みました。\n"
    assert _run("import_resilience_catalogue", "--builtin") == (
        "同梱の一覧は読み込み済みです。何も変更していません。\n"
    )


def test_import_frameworks_builtin():
    assert (
        _run("import_revitalisation_frameworks", "--builtin") == "枠組みを 5 件取り込みました。\n"
    )
    assert Framework.objects.get(code="chihososei-2025").pillars.count() == 3


def test_load_demo_resilience_needs_the_demo_city():
    with pytest.raises(CommandError) as err:
        call_command("load_demo_resilience")
    assert str(err.value) == (
        "デモ用の自治体（鶴ヶ島市）の後期基本計画がありません。先に keikaku load-demo を実行してください。"
    )
