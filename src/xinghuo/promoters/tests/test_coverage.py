"""The coverage figures, the villages without a promoter and the promoters' list, each against a brute-force count
over the records: promoters scattered over the city by the demo's seeder, some roles ended, some areas released."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from xinghuo.activities.models import Activity, ActivityStatus
from xinghuo.activities.tests.conftest import acting_as, draft
from xinghuo.core import audit, id_numbers
from xinghuo.core.demo import DemoContext
from xinghuo.promoters import demo, selectors, services
from xinghuo.promoters.models import PromoterArea
from xinghuo.promoters.tests.conftest import TAISHAN, promoter, villages
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent import services as talent
from xinghuo.talent.models import PersonRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def scattered(cast) -> list:
    """Forty promoters in random villages of the city, given their villages by the demo's seeder; then three roles
    ended and three villages released."""
    rng = random.Random(7)
    all_villages = list(Region.objects.filter(level=RegionLevel.VILLAGE, county__isnull=False).order_by("code"))
    people = [
        cast.enter(cast.city, name=f"宣传员{i}", region=rng.choice(all_villages), phone=f"1391234{i:04d}",
                   id_number=id_numbers.make("370902", date(1975, 1, 1) + timedelta(days=i), 100 + i), roles=["promoter"])
        for i in range(40)
    ]  # fmt: skip
    made = demo.seed(DemoContext(scale="small", seed=3))
    assert made["宣传员负责区域"] >= 40
    for person in people[:3]:
        talent.person_remove_role(actor=cast.city, person=person, kind="promoter")
    for area in PromoterArea.unscoped.filter(person__in=people[3:6]).order_by("id")[:3]:
        services.promoter_release(actor=cast.city, area=area)
    return people


def brute_covered() -> set[int]:
    """Village ids with an open area whose person holds the promoter role now: every row looked at in Python."""
    serving = {r.person_id for r in PersonRole.unscoped.all() if r.kind == "promoter" and r.status == "active"}
    return {a.village_id for a in PromoterArea.unscoped.all() if a.ended_on is None and a.person_id in serving}


def test_the_city_figures_and_each_countys_match_a_brute_force_count(scattered):
    covered = brute_covered()
    city = Region.objects.get(level=RegionLevel.CITY)
    all_villages = list(Region.objects.filter(level=RegionLevel.VILLAGE))

    figures = selectors.coverage(within=city)

    assert figures.total.villages == len(all_villages) == 3782
    assert figures.total.covered == len(covered)
    for row in figures.rows:
        mine = [v for v in all_villages if v.county_id == row.region.pk]
        assert (row.villages, row.covered) == (len(mine), sum(v.pk in covered for v in mine)), row.region.name
    assert figures.promoters == 37


def test_a_countys_towns_and_its_villages_without_a_promoter_match_a_brute_force_count(scattered):
    covered = brute_covered()
    county = Region.objects.get(code=TAISHAN)
    mine = list(Region.objects.filter(level=RegionLevel.VILLAGE, county=county))

    figures = selectors.coverage(within=county)
    uncovered = list(selectors.uncovered_villages(within=county))

    for row in figures.rows:
        of_town = [v for v in mine if v.town_id == row.region.pk]
        assert (row.villages, row.covered) == (len(of_town), sum(v.pk in covered for v in of_town)), row.region.name
    assert sorted(v.pk for v in uncovered) == sorted(v.pk for v in mine if v.pk not in covered)
    town = figures.rows[0].region
    assert [v.pk for v in selectors.uncovered_villages(within=county, town=town.code)] == sorted(
        (v.pk for v in mine if v.town_id == town.pk and v.pk not in covered), key=lambda pk: Region.objects.get(pk=pk).code
    )


def test_the_promoters_list_counts_their_villages_and_this_years_activities_there(cast, personas):
    person, idle = promoter(cast, name="有村"), promoter(cast, name="无村")
    two = villages(TAISHAN, 2)
    services.promoter_assign(actor=cast.county_a, person=person, villages=two)
    held, planned = (draft(cast.county_a, personas.org_a, region=village) for village in two)
    yesterday = timezone.now() - timedelta(days=1)
    with audit.bulk_write(model=Activity, description="测试：一场已举办、一场未举办"):
        Activity.unscoped.filter(pk=held.pk).update(status=ActivityStatus.HELD, starts_at=yesterday, ends_at=yesterday + timedelta(hours=2))
        Activity.unscoped.filter(pk=planned.pk).update(status=ActivityStatus.PUBLISHED)  # not held yet: does not count

    with acting_as(cast.county_a):
        rows = list(selectors.promoter_list(actor=cast.county_a, within=Region.objects.get(code=TAISHAN)))

    assert [(p.name, p.villages, p.activities) for p in rows] == [("无村", 0, 0), ("有村", 2, 1)]
    assert idle.pk == rows[0].pk
