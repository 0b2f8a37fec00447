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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_base_data()


@pytest.fixture(autouse=True)
def _base_data_after_flush(request):
    """Transactional tests flush the database afterwards; reload the base data for the tests after them."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _load_base_data()


@pytest.fixture
def personas(db):
    from tests.personas import make_personas

    return make_personas()


@pytest.fixture
def login():
    from tests.personas import login_client

    return login_client
