"""seed_demo: realistic, deterministic and idempotent demo data with a login for every role."""

import pytest
from django.core.management import call_command
from django.db import transaction

from xinghuo.accounts.models import Membership, User
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.portal.models import News

pytestmark = pytest.mark.django_db


def test_small_demo_has_every_role_and_prints_the_logins(capsys):
    call_command("seed_demo", "--scale", "small", "--seed", "7")

    out = capsys.readouterr().out
    assert {m.role for m in Membership.objects.filter(is_active=True)} == set(Role.values)
    for login in ("sysadmin", "secadmin", "auditadmin", "kepu", "taishan", "daiyue", "xuehui_org", "reviewer", "13800000000"):
        assert login in out
    assert "Xinghuo@2026" in out
    assert Organisation.unscoped.filter(kind=OrganisationKind.SCHOOL).count() >= 9
    assert News.unscoped.filter(status="published").exists()


def test_running_it_again_adds_nothing():
    call_command("seed_demo", "--scale", "small", "--quiet")
    counts = (User.objects.count(), Organisation.unscoped.count(), News.unscoped.count())

    call_command("seed_demo", "--scale", "small", "--quiet")

    assert (User.objects.count(), Organisation.unscoped.count(), News.unscoped.count()) == counts


def test_the_same_seed_gives_the_same_data():
    def companies_after_seeding() -> list[str]:
        with transaction.atomic():
            call_command("seed_demo", "--scale", "small", "--seed", "3", "--quiet")
            names = sorted(Organisation.unscoped.filter(kind=OrganisationKind.COMPANY).values_list("name", flat=True))
            transaction.set_rollback(True)
        return names

    first = companies_after_seeding()

    assert first
    assert companies_after_seeding() == first


def test_the_demo_phone_numbers_never_reach_a_page_unmasked(client):
    call_command("seed_demo", "--scale", "small", "--quiet")
    from tests.personas import login_client

    login_client(client, User.objects.get(username="kepu"))
    school = Organisation.unscoped.filter(kind=OrganisationKind.SCHOOL).exclude(contact_phone="").first()

    text = client.get(f"/console/organisations/{school.uid}/").content.decode()

    assert school.contact_phone not in text
    assert school.contact_phone[:3] + "****" + school.contact_phone[-4:] in text
