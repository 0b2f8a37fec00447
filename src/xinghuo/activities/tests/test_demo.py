"""The demo's activities: every step of the lifecycle, made through the services, counting toward the brands'
targets once verified; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from xinghuo.activities import selectors
from xinghuo.activities.models import Activity, ActivityPhoto, ActivityStatus, ActivityStep, Level
from xinghuo.core.scoping import system_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")


def test_the_small_demo_has_activities_at_every_step(demo):
    activities = list(Activity.unscoped.all())

    assert 20 <= len(activities) <= 30
    assert {a.status for a in activities} == set(ActivityStatus.values) - {ActivityStatus.CANCELLED}  # TODO: a called-off one
    assert {a.level for a in activities} == set(Level.values)
    assert all(a.region.city.code == "370900" for a in Activity.unscoped.select_related("region__city") if a.region.city)
    assert ActivityPhoto.unscoped.filter(activity__status=ActivityStatus.VERIFIED).exists()
    assert ActivityStep.unscoped.filter(action="return").exists()


def test_the_verified_demo_activities_count_toward_their_brands(demo):
    verified = Activity.unscoped.filter(status=ActivityStatus.VERIFIED)
    year = verified.first().starts_at.year

    with system_scope():
        counted = sum(row.verified for row in selectors.brand_progress(year))

    assert counted == verified.filter(starts_at__year=year).count() > 0


def test_running_it_again_adds_nothing(demo):
    counts = (Activity.unscoped.count(), ActivityStep.unscoped.count())

    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")

    assert (Activity.unscoped.count(), ActivityStep.unscoped.count()) == counts
