"""Registrations and imports under concurrent writers (PostgreSQL): a person registered twice at once is registered
once (the person's row lock serialises them), one account claimed for two people at once goes to one (the unique
index decides, and the loser gets the same Chinese refusal), and imports of the same month at once all succeed and
leave one row per officer and month, all of one import's figures (an upsert in key order)."""

from __future__ import annotations

import pytest
from django.conf import settings

from xinghuo.core.errors import DomainError
from xinghuo.officers import services
from xinghuo.officers.errors import OfficerError as E
from xinghuo.officers.importer import import_figures
from xinghuo.officers.models import InfoOfficer, MonthlyFigures
from xinghuo.officers.tests.conftest import officer
from xinghuo.organisations.models import Organisation
from xinghuo.talent.tests.test_race import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]


def test_a_person_registered_twice_at_once_is_registered_once(cast):
    person = cast.enter()
    kx = Organisation.unscoped.get(code="KX370902")

    errors = run_together(lambda i: services.officer_register(actor=cast.county_a, person=person, account=f"kp{i}", organisation=kx), 3)

    assert InfoOfficer.unscoped.filter(person=person).count() == 1
    assert len(errors) == 2
    assert {e.code for e in errors if isinstance(e, DomainError)} == {E.REGISTERED}


def test_one_account_claimed_for_two_people_at_once_goes_to_one(cast):
    people = [cast.enter(), cast.enter_b()]
    orgs = [Organisation.unscoped.get(code="KX370902"), Organisation.unscoped.get(code="KX370911")]
    actors = [cast.county_a, cast.county_b]

    errors = run_together(
        lambda i: services.officer_register(actor=actors[i], person=people[i], account="KP_SAME", organisation=orgs[i]), 2
    )

    assert InfoOfficer.unscoped.count() == 1
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert errors[0].code == E.ACCOUNT_TAKEN


def test_two_imports_of_the_same_month_at_once_leave_one_row_per_officer_and_month(cast):
    officers = [officer(cast, account=f"kp_r{i}") for i in range(20)]

    def load(i: int) -> None:
        rows = [(n, {"month": "2025-03", "account": o.account, "shares": i + 1, "reads": 10}) for n, o in enumerate(officers, start=2)]
        import_figures(actor=cast.county_a, rows=rows)

    errors = run_together(load, 3)

    assert errors == []
    assert MonthlyFigures.unscoped.count() == 20
    assert len(set(MonthlyFigures.unscoped.values_list("shares", flat=True))) == 1  # one import's figures, whole
