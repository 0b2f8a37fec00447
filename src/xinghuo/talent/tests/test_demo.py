"""The demo's people: every role in every county, numbers that pass every check, one person with several roles, a
child with a guardian, ID numbers stored encrypted; idempotent. The `city` scale (≈25,000 people) is too slow for
the suite: its plan is tested scaled down — the same code, a hundredth of the people."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from xinghuo.core import context, id_numbers
from xinghuo.core.demo import DemoContext
from xinghuo.core.phones import MOBILE_RE
from xinghuo.core.scoping import system_scope
from xinghuo.talent import demo, services
from xinghuo.talent.models import Person, PersonRole, RoleKind

pytestmark = pytest.mark.django_db


def _seed(scale: str = "small") -> dict[str, int]:
    ctx = DemoContext(scale=scale, seed=2026)
    ctx.shared["cities"] = ["370900"]
    with context.as_command("seed_demo"), system_scope():
        return demo.seed(ctx)


def test_the_small_demo_has_every_role_in_every_county_with_valid_numbers():
    made = _seed()

    people = list(Person.unscoped.select_related("region"))
    assert made["人员"] == len(people) >= 40
    assert set(PersonRole.unscoped.values_list("kind", flat=True)) == set(RoleKind.values)
    assert len({p.region.county_id for p in people}) == 6
    for person in people:
        assert id_numbers.validate(person.id_number) == person.id_number
        assert person.birth_year == id_numbers.birth_date(person.id_number).year
        assert not person.phone or MOBILE_RE.match(person.phone)
    assert PersonRole.unscoped.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()  # one person, many roles


def test_the_demo_child_is_entered_with_a_guardian():
    _seed()

    child = Person.unscoped.get(guardian_name__gt="")
    assert services.is_minor(child, timezone.localdate())
    assert child.guardian_consent_at is not None
    assert MOBILE_RE.match(child.guardian_phone)


def test_the_demo_id_numbers_are_stored_encrypted():
    _seed()

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM talent_person")
        stored = [row[0] for row in cursor.fetchall()]
    assert all(value.startswith("v1:") for value in stored)


def test_running_it_again_adds_nothing():
    _seed()
    counts = (Person.unscoped.count(), PersonRole.unscoped.count())

    assert _seed() == {}
    assert (Person.unscoped.count(), PersonRole.unscoped.count()) == counts


def test_the_city_plan_scaled_down_places_each_promoter_in_a_village_of_their_own(monkeypatch):
    plan = {kind: max(1, n // 100) for kind, n in demo.CITY_PLAN.items()}
    monkeypatch.setattr(demo, "CITY_PLAN", plan)

    made = _seed("city")

    assert made["人员"] == sum(plan.values())
    regions = list(Person.unscoped.filter(roles__kind=RoleKind.PROMOTER).values_list("region__level", "region_id"))
    assert len(regions) == plan[RoleKind.PROMOTER]
    assert {level for level, _ in regions} == {"village"}
    assert len({region for _, region in regions}) == len(regions)
