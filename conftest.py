"""Personas and fixtures shared by every test.

The base data (Tai'an's regions, the association, its departments and the county associations) is loaded
once per test database. Personas are named for who they are:

    city_staff      市科协科普部 staff
    county_a        泰山区科协 staff            county_b   岱岳区科协 staff (the outsider for county A)
    organiser       a society's filer           reviewer   an expert reviewer
    citizen         a citizen with a phone      sysadmin / secadmin / auditadmin  the three separated admins

`login(client, persona)` signs a client in as the persona, past the second factor.
"""

import os

os.environ.setdefault("XINGHUO_ENV", "test")

import pytest
from django.core.management import call_command
from django.db.models.signals import post_migrate

from xinghuo.core import context


def _load_base_data() -> None:
    from xinghuo.regions.models import Region

    if not Region.objects.filter(code="370900").exists():
        with context.as_command("test-setup"):
            call_command("load_regions", "3709", verbosity=0)
    from xinghuo.organisations.models import Organisation

    if not Organisation.unscoped.filter(code="KX370900").exists():
        with context.as_command("test-setup"):
            call_command("load_base_data", verbosity=0)
    # The default construction standards come from a data migration, which a flush empties like any table.
    import importlib

    from django.apps import apps

    importlib.import_module("xinghuo.certification.migrations.0002_default_standards").create(apps, None)
    # ... and so do the activity brands and their yearly targets.
    importlib.import_module("xinghuo.activities.migrations.0002_default_brands").create(apps, None)
    # ... and the red-line lexicon of the resource library.
    importlib.import_module("xinghuo.resources.migrations.0002_red_line_lexicon").create(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_base_data()


def _reload_after_flush(sender, app_config, **kwargs) -> None:
    """A transactional test (race tests, browser tests) flushes the database when it ends, and the flush emits
    post_migrate: put the base data back then, so that every test after it finds the city as it was."""
    if app_config.label == "portal":  # the last of the platform's apps: every table exists, and is empty
        _load_base_data()


post_migrate.connect(_reload_after_flush, dispatch_uid="xinghuo-tests-base-data")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Every test starts with empty caches: the shared one, and the map data each process keeps."""
    from django.core.cache import cache

    from xinghuo.venues.selectors import clear_process_caches

    cache.clear()
    clear_process_caches()


@pytest.fixture
def personas(db):
    from tests.personas import make_personas

    return make_personas()


@pytest.fixture
def login():
    from tests.personas import login_client

    return login_client


class Bucket:
    """The bucket of the `s3` fixture, looked into from outside the platform."""

    def __init__(self, client, name: str) -> None:
        self.client, self.name = client, name

    def keys(self) -> list[str]:
        return [item["Key"] for item in self.client.list_objects_v2(Bucket=self.name).get("Contents", [])]

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def is_public(self, key: str) -> bool:
        """Whether the object's ACL grants anything to a group (AllUsers, AuthenticatedUsers) beyond its owner."""
        return any("URI" in grant["Grantee"] for grant in self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"])


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    """Uploads kept in S3-compatible storage as XINGHUO_STORAGE=s3 sets it up: one bucket, the private files under
    the key prefix private/, at a MinIO-like endpoint that moto answers inside the process (no network)."""
    import boto3
    from moto import mock_aws

    from xinghuo.config.settings import file_storages

    endpoint, name = "http://s3.xinghuo.test:9000", "xinghuo-uploads"
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", endpoint)
    env = {
        "XINGHUO_STORAGE": "s3",
        "S3_ENDPOINT_URL": endpoint,
        "S3_BUCKET": name,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
        "S3_ADDRESSING_STYLE": "path",
    }
    with mock_aws():
        client = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test-key", aws_secret_access_key="test-secret"
        )
        client.create_bucket(Bucket=name)
        settings.STORAGES = {**file_storages(env, private_root=tmp_path), "staticfiles": settings.STORAGES["staticfiles"]}
        yield Bucket(client, name)
