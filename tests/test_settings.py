"""The settings file fails loudly on bad values instead of running with a surprise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_check(tmp_path, **env):
    full = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT / "src"),
        "XINGHUO_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"], env=full, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"XINGHUO_ENV": "staging"}, "XINGHUO_ENV must be"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "SQLite or PostgreSQL"),
        ({"XINGHUO_OTP_REQUIRED": "nah"}, "XINGHUO_OTP_REQUIRED must be a boolean"),
    ],
)
def test_bad_values_stop_the_platform_with_a_clear_message(tmp_path, env, message):
    result = run_check(tmp_path, **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_a_secret_key_is_generated_once_into_var(tmp_path):
    assert run_check(tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()

    assert run_check(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_redis_takes_cache_and_sessions_when_redis_url_is_set(tmp_path):
    """With REDIS_URL the cache and the sessions live in Redis (CI and this machine run one on 127.0.0.1:6379)."""
    code = (
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('xh-probe', 'ok', 5); "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, cache.get('xh-probe'))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT / "src"),
        "XINGHUO_VAR_DIR": str(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["django_redis.cache.RedisCache", "django.contrib.sessions.backends.cache", "ok"]
