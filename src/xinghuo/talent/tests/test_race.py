"""The registry under concurrent writers (PostgreSQL): the same person entered at the same moment by two counties'
imports is entered once (the unique blind index decides, and the loser gets the same Chinese refusal as a
duplicate found before), and a role given twice at once is given once (the person's row lock serialises them)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connections

from xinghuo.core import context
from xinghuo.core.errors import DomainError
from xinghuo.regions.models import Region
from xinghuo.talent import services
from xinghuo.talent.errors import TalentError
from xinghuo.talent.models import Person, PersonRole, RoleKind
from xinghuo.talent.tests.conftest import DAIMIAO, ID_A, ZHOUDIAN

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]


def run_together(work, n: int) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with context.acting(context.ActorContext(user_label=f"writer{i}", source="test")):
                work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_one_person_entered_by_two_counties_at_once_is_entered_once(cast):
    actors = [cast.county_a, cast.county_b]
    regions = [Region.objects.get(code=DAIMIAO), Region.objects.get(code=ZHOUDIAN)]

    def enter(i: int) -> None:
        services.person_create(actor=actors[i], name="王建国", region=regions[i], id_number=ID_A, consent_given=True)

    errors = run_together(enter, 2)

    assert Person.unscoped.count() == 1
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert errors[0].code == TalentError.DUPLICATE


def test_a_role_given_twice_at_once_is_given_once(cast):
    person = cast.enter()

    errors = run_together(lambda i: services.person_add_role(actor=cast.county_a, person=person, kind=RoleKind.EXPERT), 4)

    assert PersonRole.unscoped.filter(person=person, kind=RoleKind.EXPERT).count() == 1
    assert len(errors) == 3
    assert {e.code for e in errors if isinstance(e, DomainError)} == {TalentError.ROLE}
