"""The demo's activities: every step of the lifecycle, made through the services, counting toward the brands'
targets once verified; registrations that keep every rule the registration services keep; idempotent.

The `city` scale (≈3,000 activities, ≈50,000 registrations) is too slow for the suite: its bulk year is tested
scaled down — the same code, a few hundred activities and a pool of 400 citizens."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone

from xinghuo.accounts.models import User, UserKind
from xinghuo.activities import registrations, selectors
from xinghuo.activities.demo import cast as demo_cast
from xinghuo.activities.demo import year
from xinghuo.activities.models import (
    Activity,
    ActivityPhoto,
    ActivityStatus,
    ActivityStep,
    Brand,
    Level,
    Registration,
    RegistrationStatus,
)
from xinghuo.core import audit, context
from xinghuo.core.demo import DemoContext
from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.core.phones import MOBILE_RE
from xinghuo.core.scoping import system_scope
from xinghuo.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

OPEN = (ActivityStatus.PUBLISHED, ActivityStatus.HELD, ActivityStatus.REPORTED, ActivityStatus.VERIFIED)
HELD = (ActivityStatus.HELD, ActivityStatus.REPORTED, ActivityStatus.VERIFIED)
CODE = re.compile(f"^[{registrations.CODE_ALPHABET}]{{{registrations.CODE_LENGTH}}}$")


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")


def assert_the_registrations_keep_the_rules() -> None:
    confirmed = {
        row["activity"]: row["n"]
        for row in Registration.unscoped.filter(status=RegistrationStatus.CONFIRMED).values("activity").annotate(n=Sum("seats"))
    }
    door = {
        row["activity"]: row["n"]
        for row in Registration.unscoped.filter(checked_in_at__isnull=False).values("activity").annotate(n=Sum("seats"))
    }
    for activity in Activity.unscoped.all():
        assert activity.seats_taken == confirmed.get(activity.pk, 0) <= activity.capacity, activity
        if activity.status in (ActivityStatus.REPORTED, ActivityStatus.VERIFIED) and activity.pk in door:
            assert activity.attendance >= door[activity.pk], activity
        line = list(Registration.unscoped.filter(activity=activity, status=RegistrationStatus.WAITLISTED).order_by("created_at", "id"))
        if line:  # a waiting line only behind a head that does not fit
            assert activity.seats_taken + line[0].seats > activity.capacity, activity
    rows = list(Registration.unscoped.select_related("activity"))
    assert all(r.activity.capacity > 0 and r.activity.status in OPEN for r in rows)
    for r in rows:
        if r.participant_age is not None and r.participant_age < registrations.ADULT_AGE:
            assert r.guardian_name, r
            assert MOBILE_RE.match(r.guardian_phone), r
            assert r.guardian_consent_at is not None, r
        if r.checked_in_at is not None:
            assert r.status == RegistrationStatus.CONFIRMED, r
            assert r.activity.status in HELD, r
            assert r.checked_in_by_id is not None, r
            assert r.activity.starts_at - registrations.CHECKIN_OPENS_BEFORE <= r.checked_in_at < r.activity.ends_at, r
        assert (r.confirmed_at is None) == (r.status == RegistrationStatus.WAITLISTED), r
        assert MOBILE_RE.match(r.contact_phone), r
        assert r.group_contact or not r.group_name, r
    codes = [r.code for r in rows]
    assert len(set(codes)) == len(codes)
    assert all(CODE.match(c) for c in codes)


def test_the_small_demo_has_activities_at_every_step(demo):
    activities = list(Activity.unscoped.all())

    assert 20 <= len(activities) <= 30
    assert {a.status for a in activities} == set(ActivityStatus.values)
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


def test_the_small_demo_signs_people_up_through_the_services(demo):
    rows = list(Registration.unscoped.all())
    created = AuditEvent.objects.filter(object_type="activities.registration", action=AuditAction.CREATE)

    assert 10 <= len(rows) <= 15
    assert created.count() == len(rows)  # one audited save each: made by registration_create, not in bulk
    assert {r.status for r in rows} == set(RegistrationStatus.values)
    assert sum(r.status == RegistrationStatus.WAITLISTED for r in rows) == 1
    assert any(r.checked_in_at for r in rows)
    assert any(r.group_name for r in rows)
    assert any(r.participant_age is not None and r.participant_age < registrations.ADULT_AGE for r in rows)
    assert Registration.unscoped.filter(user__phone="13800000000").exists()  # the printed citizen login has some


def test_the_small_demo_registrations_keep_the_rules(demo):
    assert_the_registrations_keep_the_rules()


def test_running_it_again_adds_nothing(demo):
    counts = (Activity.unscoped.count(), ActivityStep.unscoped.count(), Registration.unscoped.count())

    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")

    assert (Activity.unscoped.count(), ActivityStep.unscoped.count(), Registration.unscoped.count()) == counts


@pytest.fixture
def a_year_scaled_down(demo, monkeypatch):
    """The city scale's bulk year with a tenth of the grassroots activities, after the small demo, for 400 citizens."""
    monkeypatch.setitem(year.GRASSROOTS, "city", 285)
    monkeypatch.setitem(year.CITY_MORE, "city", 20)
    people = [User(phone=f"1380001{i:04d}", name=f"张{i}", kind=UserKind.CITIZEN) for i in range(400)]
    with context.as_command("test"), system_scope():
        with audit.bulk_write(model=User, description="测试：公众"):
            User.objects.bulk_create(people)
        cast = demo_cast.cast_for(demo_cast.CITY, {b.code: b for b in Brand.objects.all()})
        cast.citizens = demo_cast.citizens_by_city([demo_cast.CITY])[demo_cast.CITY]
        before = Activity.unscoped.count()
        made = year.write_years(DemoContext(scale="city", seed=7), [cast], timezone.now())
    return before, made


def test_a_year_in_bulk_keeps_the_registration_rules(a_year_scaled_down):
    before, (activities, signed) = a_year_scaled_down
    rows = Registration.unscoped.all()

    assert activities == Activity.unscoped.count() - before == sum(year.BULK_CITY_VERIFIED.values()) + 20 + 285
    assert signed > 1000
    assert rows.filter(status=RegistrationStatus.WAITLISTED).exists()
    assert rows.filter(status=RegistrationStatus.CANCELLED).exists()
    assert rows.filter(checked_in_at__isnull=False).exists()
    assert rows.exclude(group_name="").exists()
    assert rows.filter(participant_age__lt=registrations.ADULT_AGE).exists()
    assert_the_registrations_keep_the_rules()


def test_a_year_in_bulk_reaches_every_town_with_a_history_for_each_activity(a_year_scaled_down):
    towns = set(
        Region.objects.filter(city__code="370900", level=RegionLevel.TOWN, county__level=RegionLevel.COUNTY).values_list("pk", flat=True)
    )
    held_in = set(Activity.unscoped.filter(level=Level.GRASSROOTS).values_list("region", flat=True))
    published = Activity.unscoped.filter(status=ActivityStatus.PUBLISHED, capacity__gt=0, starts_at__gt=timezone.now())

    assert towns <= held_in
    assert not Activity.unscoped.filter(steps__isnull=True).exists()
    assert not Activity.unscoped.filter(~Q(status="draft"), submitted_at__isnull=True).exists()
    assert not published.filter(Q(registration_opens__isnull=True) | Q(registration_closes__isnull=True)).exists()


def test_a_year_in_bulk_verifies_the_city_demonstrations_toward_this_years_targets(a_year_scaled_down):
    this_year = Activity.unscoped.filter(level=Level.CITY, status=ActivityStatus.VERIFIED, starts_at__year=timezone.localtime().year)
    in_bulk = this_year.filter(photos__isnull=True)  # those walked through the services carry a photo

    for code, n in year.BULK_CITY_VERIFIED.items():
        assert in_bulk.filter(brand__code=code).count() == n, code
