"""Settings: the production configuration passes Django's deployment checks with no warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_configuration_passes_check_deploy(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "KEIKAKU_", "SECRET_KEY"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "KEIKAKU_PRODUCTION": "true",
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789abcdef",
            "ALLOWED_HOSTS": "keikaku.example.jp",
            "KEIKAKU_VAR_DIR": str(tmp_path),
        }
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_secret_key_is_generated_once_into_the_var_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "KEIKAKU_VAR_DIR"}}
    env.update({"KEIKAKU_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    second = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert len(first) >= 50
    assert first == second == (tmp_path / "secret_key").read_text().strip()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
