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
