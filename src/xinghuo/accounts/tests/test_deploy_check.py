"""Production settings: `manage.py check --deploy` passes with the documented variables, and the settings
refuse to start without a secret key or a key for the personal fields, with DEBUG on, or with the staff second factor switched off."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def manage(tmp_path: Path, *args: str, drop: tuple[str, ...] = (), **overrides: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with a production environment (nothing inherited but PATH/HOME)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONPATH": "src",
        "XINGHUO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "XINGHUO_FIELD_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "kx.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "XINGHUO_VAR_DIR": str(tmp_path / "var"),
    }
    env.update(overrides)
    for name in drop:
        env.pop(name)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_production_settings_pass_the_deploy_check(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert not (tmp_path / "var" / "secret_key").exists()  # the key came from the environment


@pytest.mark.parametrize(
    ("drop", "overrides", "message"),
    [
        pytest.param((), {"XINGHUO_OTP_REQUIRED": "0"}, "XINGHUO_OTP_REQUIRED=0 is for the embedded demo only", id="otp-off"),
        pytest.param(("SECRET_KEY",), {}, "SECRET_KEY must be set in production", id="no-secret-key"),
        pytest.param((), {"SECRET_KEY": "short-key"}, "SECRET_KEY must be at least 50 characters", id="short-secret-key"),
        pytest.param(("XINGHUO_FIELD_KEY",), {}, "XINGHUO_FIELD_KEY must be set in production", id="no-field-key"),
        pytest.param((), {"XINGHUO_FIELD_KEY": "short"}, "XINGHUO_FIELD_KEY must be at least 32 characters", id="short-field-key"),
        pytest.param((), {"DEBUG": "1"}, "DEBUG must be off in production", id="debug-on"),
        pytest.param(("ALLOWED_HOSTS",), {}, "ALLOWED_HOSTS must be set in production", id="no-allowed-hosts"),
        pytest.param((), {"XINGHUO_OTP_REQUIRED": "maybe"}, "XINGHUO_OTP_REQUIRED must be a boolean", id="otp-garbled"),
    ],
)
def test_unsafe_production_settings_refuse_to_start(tmp_path, drop, overrides, message):
    result = manage(tmp_path, "check", drop=drop, **overrides)

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()
