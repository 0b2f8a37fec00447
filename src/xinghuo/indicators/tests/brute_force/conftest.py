"""The world the brute-force tests count over (the fixtures of this folder only): the small demo, seeded
once for the module inside a transaction that is rolled back when the module ends, so that every test of the module
sees the same records and each test's own changes are undone by pytest-django's per-test savepoint; plus hand-made
records at the edges of every rule."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone
from tests.factories import make_citizen

from xinghuo.core import context
from xinghuo.core.scoping import system_scope
from xinghuo.regions.models import Region

CITY, COUNTY_A, COUNTY_B, ZONE = "370900", "370902", "370911", "370971"  # 泰安市, 泰山区, 岱岳区, 高新区
ZONE_TOWN = "370911003"  # 北集坡街道: a town of 岱岳区 administered by 高新区


@dataclass
class Edges:
    """The pks of the hand-made records, by what each one tests."""

    revoked_hall: int  # 摘牌 星火科技馆: not counted
    warned_station: int  # 复核警示 service station at a village: counted, and covers its town
    warned_station_town: int  # …that town (uncovered by the demo)
    closed_station: int  # a closed station: not counted, its town stays uncovered
    closed_station_town: int
    ended_area_village: int  # a village whose only promoter area has ended: not covered
    inactive_promoter_role: int  # a promoter role ended: not counted, its open area covers nothing
    inactive_promoter_village: int
    new_area_village: int  # a village covered from February of this year (and again in May by another promoter)
    entered_record: int  # a service record entered but not confirmed: not summed
    inactive_volunteer_role: int  # a volunteer whose role ended, with confirmed hours this year
    inactive_volunteer_record: int
    unconfirmed_volunteer_role: int  # a serving volunteer whose only record of the year is not confirmed: not active
    city_own_activity: int  # at the city's own region: the 市本级 part
    county_own_activity: int  # at 泰山区 itself: 泰山区本级
    zone_own_activity: int  # at 高新区 itself
    zone_town_activity: int  # in a town of 岱岳区 that 高新区 administers
    county_b_activity: int  # in 岱岳区: outside county A
    last_year_activity: int  # 2025
    new_year_activity: int  # 00:30 on 1 January 2026 in Tai'an (still 2025 in UTC)
    next_year_activity: int  # 00:30 on 1 January 2027 in Tai'an (still 2026 in UTC): not this year's
    unverified_activity: int  # reported, not yet verified: not counted
    early_listed_person: int  # listed in 2025 and, first, in a published 2024 list: counted once, from 2024
    new_listed_person: int  # listed only in the 2024 list
    declined_person: int  # declined in the 2024 list (and never listed): not counted
    last_year_completion: int
    new_year_completion: int
    new_year_resource: int


def _at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=timezone.get_current_timezone())


def _clone(obj: models.Model, **changes: Any) -> Any:
    """A new row like `obj`, with these fields changed (saved through the model's audited save)."""
    model = type(obj)
    copy = model.unscoped.get(pk=obj.pk) if hasattr(model, "unscoped") else model.objects.get(pk=obj.pk)
    copy.pk = None
    copy.id = None
    copy.uid = uuid.uuid4()
    copy._state.adding = True
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


def _first_village(town: Region) -> Region:
    return Region.objects.filter(level="village", parent=town).order_by("code").first()


def make_edges() -> Edges:
    from xinghuo.activities.models import Activity, Brand
    from xinghuo.experts.models import Nomination, Selection
    from xinghuo.promoters.models import PromoterArea
    from xinghuo.resources.models import CourseCompletion, Resource
    from xinghuo.talent.models import Person, PersonRole
    from xinghuo.venues.models import Venue
    from xinghuo.volunteers.models import ServiceRecord

    county_a, county_b = _region(COUNTY_A), _region(COUNTY_B)
    towns_a = list(Region.objects.filter(level="town", parent=county_a).order_by("code"))
    stations = Venue.unscoped.filter(venue_type="spark_station", status__in=("certified", "warned")).select_related("region")
    covered = {v.region_id if v.region.level == "town" else v.region.parent_id for v in stations}
    uncovered = [t for t in towns_a if t.pk not in covered]
    assert len(uncovered) >= 2, "the demo should leave towns of 泰山区 without a station"

    hall = Venue.unscoped.filter(venue_type="spark_hall").first()
    station = Venue.unscoped.filter(venue_type="spark_station", status="certified").first()
    revoked_hall = _clone(hall, code=None, status="revoked", region=towns_a[0], certified_at=_at(2026, 5, 10))
    warned_station = _clone(station, code=None, status="warned", region=_first_village(uncovered[0]), certified_at=_at(2026, 6, 15))
    closed_station = _clone(station, code=None, status="closed", region=_first_village(uncovered[1]), certified_at=_at(2026, 3, 1))

    # promoters
    serving = list(
        PersonRole.unscoped.filter(kind="promoter", status="active", person__promoter_areas__ended_on__isnull=True)
        .distinct()
        .order_by("pk")
    )
    assert len(serving) >= 2
    taken = set(PromoterArea.unscoped.values_list("village_id", flat=True))
    free = [v for v in Region.objects.filter(level="village", county=county_a).order_by("code")[:400] if v.pk not in taken][:3]
    ended_village, inactive_village, new_village = free
    PromoterArea.unscoped.create(person=serving[0].person, village=ended_village, since=date(2026, 1, 5), ended_on=date(2026, 4, 1))
    PromoterArea.unscoped.create(person=serving[0].person, village=new_village, since=date(2026, 2, 10))
    PromoterArea.unscoped.create(person=serving[1].person, village=new_village, since=date(2026, 5, 1))
    template = serving[0].person
    former = _clone(template, name="边界·前宣传员", region=_first_village(towns_a[1]), id_number="", phone="")
    inactive_promoter = PersonRole.unscoped.create(
        person=former, kind="promoter", status="inactive", since=date(2025, 3, 1), ended_on=date(2026, 2, 1)
    )
    PromoterArea.unscoped.create(person=former, village=inactive_village, since=date(2025, 3, 1))

    # volunteers
    record = ServiceRecord.unscoped.filter(status="confirmed", date__year=2026, volunteer__region__county=county_a).order_by("pk").first()
    entered = _clone(record, status="entered", confirmed_at=None, confirmed_by=None, date=date(2026, 7, 7), hours=Decimal("3.5"))
    retired = _clone(template, name="边界·前志愿者", region=_first_village(towns_a[2]), id_number="", phone="")
    inactive_volunteer = PersonRole.unscoped.create(
        person=retired, kind="volunteer", status="inactive", since=date(2024, 1, 1), ended_on=date(2026, 6, 30)
    )
    retired_record = _clone(record, volunteer=retired, date=date(2026, 3, 3), hours=Decimal("4.5"))
    newcomer_volunteer = _clone(template, name="边界·新志愿者", region=_first_village(towns_a[2]), id_number="", phone="")
    unconfirmed = PersonRole.unscoped.create(person=newcomer_volunteer, kind="volunteer", status="active", since=date(2025, 5, 1))
    _clone(record, volunteer=newcomer_volunteer, status="entered", confirmed_at=None, confirmed_by=None, date=date(2026, 8, 8))

    # activities: every one of 三百三进·市级示范, so that they meet in one indicator
    sanbai = Brand.objects.get(code="sanbai")
    model_activity = Activity.unscoped.filter(status="verified").order_by("pk").first()

    def activity(title: str, region: Region, starts: datetime, status: str = "verified") -> Activity:
        verified = status == "verified"
        return _clone(
            model_activity, title=f"边界·{title}", brand=sanbai, level="city", region=region, venue=None, starts_at=starts,
            ends_at=starts + timedelta(hours=2), registration_opens=None, registration_closes=None, capacity=0, seats_taken=0,
            status=status, reported_at=starts + timedelta(days=1), verified_at=starts + timedelta(days=2) if verified else None,
        )  # fmt: skip

    village_a = _first_village(towns_a[3])
    utc = UTC
    edges_activities = {
        "city_own_activity": activity("市本级", _region(CITY), _at(2026, 4, 10)),
        "county_own_activity": activity("泰山区本级", county_a, _at(2026, 5, 20)),
        "zone_own_activity": activity("高新区本级", _region(ZONE), _at(2026, 6, 6)),
        "zone_town_activity": activity("高新区托管街道", _region(ZONE_TOWN), _at(2026, 8, 8)),
        "county_b_activity": activity(
            "岱岳区", _first_village(Region.objects.filter(parent=county_b).order_by("code").last()), _at(2026, 7, 7)
        ),
        "last_year_activity": activity("去年", village_a, _at(2025, 9, 9)),
        "new_year_activity": activity("元旦凌晨", village_a, datetime(2025, 12, 31, 16, 30, tzinfo=utc)),
        "next_year_activity": activity("明年元旦凌晨", village_a, datetime(2026, 12, 31, 16, 30, tzinfo=utc)),
        "unverified_activity": activity("待核验", village_a, _at(2026, 3, 3), status="reported"),
    }

    # experts: a published 2024 list of chief experts
    city = _region(CITY)
    listed_2025 = Nomination.unscoped.filter(status="listed", selection__kind="chief", selection__year=2025).order_by("pk").first()
    selection = Selection.objects.create(
        city=city, year=2024, kind="chief", status="published", notice_starts=date(2024, 11, 1), notice_ends=date(2024, 11, 8),
        published_at=_at(2024, 12, 10),
    )  # fmt: skip
    newcomer = _clone(template, name="边界·新名家", region=village_a, id_number="", phone="")
    declined = _clone(template, name="边界·未入选", region=village_a, id_number="", phone="")
    for person, status in ((listed_2025.person, "listed"), (newcomer, "listed"), (declined, "declined")):
        Nomination.unscoped.create(selection=selection, person=person, nominator=listed_2025.nominator, reasons="推荐理由", status=status)

    # course completions and a resource at the turn of the year
    completion = CourseCompletion.objects.order_by("pk").first()
    last_year = CourseCompletion.objects.create(user=make_citizen("13900000001"), course=completion.course, completed_at=_at(2025, 10, 10))
    new_year = CourseCompletion.objects.create(
        user=make_citizen("13900000002"), course=completion.course, completed_at=datetime(2025, 12, 31, 17, 0, tzinfo=utc)
    )
    resource = Resource.unscoped.filter(status="published").order_by("pk").first()
    new_year_resource = _clone(resource, published_at=datetime(2025, 12, 31, 16, 45, tzinfo=utc), region=village_a)

    assert Person.unscoped.filter(pk__in=[former.pk, retired.pk, newcomer.pk, declined.pk, newcomer_volunteer.pk]).count() == 5
    return Edges(
        revoked_hall=revoked_hall.pk, warned_station=warned_station.pk, warned_station_town=uncovered[0].pk,
        closed_station=closed_station.pk, closed_station_town=uncovered[1].pk, ended_area_village=ended_village.pk,
        inactive_promoter_role=inactive_promoter.pk, inactive_promoter_village=inactive_village.pk,
        new_area_village=new_village.pk, entered_record=entered.pk, inactive_volunteer_role=inactive_volunteer.pk,
        inactive_volunteer_record=retired_record.pk, unconfirmed_volunteer_role=unconfirmed.pk, **{k: a.pk for k, a in edges_activities.items()},
        early_listed_person=listed_2025.person_id, new_listed_person=newcomer.pk, declined_person=declined.pk,
        last_year_completion=last_year.pk, new_year_completion=new_year.pk, new_year_resource=new_year_resource.pk,
    )  # fmt: skip


@dataclass
class World:
    edges: Edges
    personas: Any  # tests.personas.Personas


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """The personas, the small demo and the edge records, made once for the module inside a transaction rolled
    back at its end (each test runs in a savepoint inside it, as pytest-django's `db` does). The personas come
    first: the demo finds their society (泰安市医学会) in place and keeps it."""
    from tests.personas import make_personas

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cast = make_personas()
            call_command("seed_demo", "--scale", "small", "--quiet")
            with context.as_command("indicator-tests"), system_scope():
                made = make_edges()
            yield World(edges=made, personas=cast)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def edges(world: World, db) -> Edges:
    return world.edges


@pytest.fixture
def personas(world: World, db) -> Any:
    """The root conftest's personas, made once with the demo (making them again would clash with its society)."""
    return world.personas
