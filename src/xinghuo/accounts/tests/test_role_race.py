"""The separation of the three admins under concurrent grants (PostgreSQL): two grants of different admin roles
to one account, at the same moment, must not both succeed."""

import threading

import pytest
from django.conf import settings
from django.db import connections
from tests.factories import StaffFactory

from xinghuo.accounts import services
from xinghuo.accounts.models import Membership
from xinghuo.accounts.roles import ADMIN_ROLES, Role
from xinghuo.core.errors import DomainError
from xinghuo.organisations.models import Organisation

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]


def test_two_concurrent_admin_grants_to_one_account_do_not_both_succeed(monkeypatch):
    # given a staff account with no role, and two grants of different admin roles arriving together
    user = StaffFactory(username="kpb_race")
    office = Organisation.unscoped.get(code="KX370900-BGS")
    inside = threading.Barrier(2)
    waited = threading.local()
    original_record = services.audit.record

    def record_once_both_are_inside(*args, **kwargs):
        # The first audit record of a grant is written inside its transaction, after the check and the insert:
        # hold each grant there until the other has got as far too (or could not, being refused or blocked).
        # This is the interleaving that two admins clicking at the same moment can produce.
        if not getattr(waited, "done", False):
            waited.done = True
            try:
                inside.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass
        return original_record(*args, **kwargs)

    monkeypatch.setattr(services.audit, "record", record_once_both_are_inside)
    outcomes: dict[str, str] = {}

    def grant(role: str) -> None:
        try:
            services.membership_grant(user=user, organisation=office, role=role)
            outcomes[role] = "granted"
        except DomainError as exc:
            outcomes[role] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant, args=(role,)) for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then one of them is refused, and the account holds one admin role
    assert sorted(outcomes.values()) == ["granted", "role_not_allowed"]
    assert Membership.objects.filter(user=user, role__in=ADMIN_ROLES, is_active=True).count() == 1
