"""The settings file fails loudly on bad values instead of running with a surprise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from xinghuo.config.settings import file_storages

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
        ({"XINGHUO_STORAGE": "oss"}, "XINGHUO_STORAGE must be local or s3, got 'oss'"),
        ({"XINGHUO_STORAGE": "s3"}, "XINGHUO_STORAGE=s3 needs S3_BUCKET"),
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


def test_uploads_are_kept_on_local_disk_by_default(tmp_path):
    storages = file_storages({}, private_root=tmp_path)

    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["OPTIONS"] == {"location": tmp_path, "base_url": None}


def test_s3_storage_is_set_up_from_the_environment(tmp_path):
    storages = file_storages(
        {
            "XINGHUO_STORAGE": "s3",
            "S3_ENDPOINT_URL": "https://obs.cn-east-3.example.gov.cn",
            "S3_BUCKET": "kepu-media",
            "S3_PRIVATE_BUCKET": "kepu-private",
            "S3_PRIVATE_LOCATION": "",
            "S3_REGION": "cn-east-3",
            "S3_ACCESS_KEY_ID": "AK",
            "S3_SECRET_ACCESS_KEY": "SK",
            "S3_ADDRESSING_STYLE": "virtual",
        },
        private_root=tmp_path,
    )

    assert {alias: storage["BACKEND"] for alias, storage in storages.items()} == {
        "default": "storages.backends.s3.S3Storage",
        "private": "storages.backends.s3.S3Storage",
    }
    default, private = storages["default"]["OPTIONS"], storages["private"]["OPTIONS"]
    assert (default["bucket_name"], private["bucket_name"], private["location"]) == ("kepu-media", "kepu-private", "")
    for options in (default, private):
        assert options["endpoint_url"] == "https://obs.cn-east-3.example.gov.cn"
        assert (options["region_name"], options["access_key"], options["secret_key"]) == ("cn-east-3", "AK", "SK")
        assert options["addressing_style"] == "virtual"
        assert (options["default_acl"], options["querystring_auth"], options["file_overwrite"]) == (None, True, False)


def test_in_one_bucket_private_files_get_their_own_key_prefix(tmp_path):
    private = file_storages({"XINGHUO_STORAGE": "s3", "S3_BUCKET": "kepu"}, private_root=tmp_path)["private"]["OPTIONS"]

    assert (private["bucket_name"], private["location"]) == ("kepu", "private")
    assert (private["endpoint_url"], private["access_key"], private["addressing_style"]) == (None, None, None)  # boto3's own


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"XINGHUO_STORAGE": "ftp"}, "XINGHUO_STORAGE must be local or s3, got 'ftp'"),
        ({"XINGHUO_STORAGE": "s3"}, "XINGHUO_STORAGE=s3 needs S3_BUCKET"),
        ({"XINGHUO_STORAGE": "s3", "S3_BUCKET": "kepu", "S3_ACCESS_KEY_ID": "AK"}, "must be set together"),
        ({"XINGHUO_STORAGE": "s3", "S3_BUCKET": "kepu", "S3_ADDRESSING_STYLE": "dns"}, "S3_ADDRESSING_STYLE must be path, virtual or auto"),
        ({"XINGHUO_STORAGE": "s3", "S3_BUCKET": "kepu", "S3_PRIVATE_LOCATION": "/"}, "S3_PRIVATE_LOCATION must not be empty"),
    ],
)
def test_bad_storage_settings_are_refused_with_a_clear_message(tmp_path, env, message):
    with pytest.raises(ImproperlyConfigured) as info:
        file_storages(env, private_root=tmp_path)

    assert message in str(info.value)
