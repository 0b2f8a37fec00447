"""Registered, active and the active rate by county and by town, the officers' list and the top lists, each against a
brute-force count over the records: officers scattered over the city, registered on different days, some roles ended
(one before the months counted), figures for some months and not others."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from xinghuo.activities.tests.conftest import acting_as
from xinghuo.core import audit, id_numbers
from xinghuo.officers import selectors, services
from xinghuo.officers.models import ACTIVE_MIN_SHARES, InfoOfficer, MonthlyFigures
from xinghuo.officers.selectors import Period
from xinghuo.officers.tests.conftest import TAISHAN, figures, officer
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent import services as talent
from xinghuo.talent.models import PersonRole

pytestmark = pytest.mark.django_db

MONTHS = [Period(2025, m) for m in range(1, 7)]


@pytest.fixture
def scattered(cast) -> list[InfoOfficer]:
    """Forty officers in random villages (and two at county level) of the city, registered between late 2024 and
    April 2025, with random figures (a quarter of the months missing, a third with no share); then three roles ended
    today and one ended in February 2025."""
    rng = random.Random(11)
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE, county__isnull=False).order_by("code"))
    places = [rng.choice(villages) for _ in range(40)] + list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")[:2])
    kx = Organisation.unscoped.get(code="KX370900")
    officers = []
    for i, region in enumerate(places):
        person = cast.enter(cast.city, name=f"信息员{i:02d}", region=region, phone=f"1391234{i:04d}",
                            id_number=id_numbers.make("370902", date(1975, 1, 1) + timedelta(days=i), 100 + i))  # fmt: skip
        officers.append(services.officer_register(actor=cast.city, person=person, account=f"kp{i}", organisation=kx,
                                                  registered_on=date(2024, 11, 1) + timedelta(days=rng.randint(0, 170))))  # fmt: skip
    rows = []
    for o in officers:
        for p in MONTHS:
            if rng.random() < 0.25:
                continue
            shares = 0 if rng.random() < 0.33 else rng.randint(1, 40)
            rows.append((o, p.year, p.month, shares, shares * rng.randint(0, 50) + rng.randint(0, 9)))
    figures(rows)
    for o in officers[:3]:
        talent.person_remove_role(actor=cast.city, person=o.person, kind="info_officer")
    with audit.bulk_write(model=PersonRole, description="测试：二月停用"):
        PersonRole.unscoped.filter(person=officers[3].person, kind="info_officer").update(
            status="inactive", since=date(2024, 1, 1), ended_on=date(2025, 2, 10)
        )
    return officers


def brute(period: Period) -> dict[int, tuple[bool, int, int]]:
    """officer id → (active, shares, reads) for the officers in post during the period: every row looked at in Python."""
    roles = {r.person_id: r for r in PersonRole.unscoped.all() if r.kind == "info_officer"}
    result = {}
    for o in InfoOfficer.unscoped.all():
        role = roles.get(o.person_id)
        if o.registered_on > period.last_day or role is None:
            continue
        if role.status != "active" and role.ended_on < period.first_day:
            continue
        rows = [f for f in MonthlyFigures.unscoped.all() if f.officer_id == o.pk and f.year == period.year
                and (period.month is None or f.month == period.month)]  # fmt: skip
        shares, reads = sum(f.shares for f in rows), sum(f.reads for f in rows)
        result[o.pk] = (any(f.shares >= ACTIVE_MIN_SHARES for f in rows), shares, reads)
    return result


def county_of(officer_id: int) -> int | None:
    region = InfoOfficer.unscoped.select_related("person__region").get(pk=officer_id).person.region
    return region.pk if region.level in ("county", "zone") else region.county_id


def test_the_city_and_each_countys_figures_match_a_brute_force_count_month_by_month(scattered):
    city = Region.objects.get(level=RegionLevel.CITY)
    for period in MONTHS:
        expected = brute(period)
        by_county = Counter(county_of(pk) for pk in expected)
        active_by_county = Counter(county_of(pk) for pk, (active, _, _) in expected.items() if active)

        figures = selectors.activity(within=city, period=period)

        assert figures.total.registered == len(expected), period
        assert figures.total.active == sum(1 for a, _, _ in expected.values() if a), period
        got = {(None if r.whole else r.region.pk): (r.registered, r.active) for r in figures.rows}
        assert got == {c: (n, active_by_county[c]) for c, n in by_county.items()}, period
        assert figures.total.rate == pytest.approx(figures.total.active / figures.total.registered)


def test_the_ended_role_counts_before_it_ended_and_not_after(cast, scattered):
    city = Region.objects.get(level=RegionLevel.CITY)
    ended = scattered[3]

    with acting_as(cast.city):
        january = set(selectors.officer_list(actor=cast.city, within=city, period=Period(2025, 1)))
        march = set(selectors.officer_list(actor=cast.city, within=city, period=Period(2025, 3)))

    assert ended.registered_on > date(2025, 1, 31) or ended in january
    assert ended not in march
    assert march == set(InfoOfficer.unscoped.filter(pk__in=brute(Period(2025, 3))))


def test_a_countys_figures_by_town_match_too(scattered):
    taishan = Region.objects.get(code=TAISHAN)
    period = Period(2025, 4)
    expected = {pk: v for pk, v in brute(period).items() if county_of(pk) == taishan.pk}

    figures = selectors.activity(within=taishan, period=period)

    assert figures.total.registered == len(expected)
    assert figures.total.active == sum(1 for a, _, _ in expected.values() if a)
    assert all(r.region.level == RegionLevel.TOWN or r.whole for r in figures.rows)


def test_the_list_of_active_and_inactive_officers_matches_and_carries_the_months_figures(cast, scattered):
    city = Region.objects.get(level=RegionLevel.CITY)
    period = Period(2025, 5)
    expected = brute(period)

    with acting_as(cast.city):
        active = list(selectors.officer_list(actor=cast.city, within=city, period=period, active="1"))
        inactive = list(selectors.officer_list(actor=cast.city, within=city, period=period, active="0"))

    assert {o.pk for o in active} == {pk for pk, (a, _, _) in expected.items() if a}
    assert {o.pk for o in inactive} == {pk for pk, (a, _, _) in expected.items() if not a}
    assert all((o.m_shares, o.m_reads) == expected[o.pk][1:] for o in active + inactive)
    assert [o.m_shares for o in active] == sorted((o.m_shares for o in active), reverse=True)


@pytest.mark.parametrize("period", [Period(2025, 2), Period(2025)], ids=["month", "year"])
@pytest.mark.parametrize("by", ["shares", "reads"])
def test_the_top_lists_match_a_sort_of_the_brute_force_sums(cast, scattered, period, by):
    city = Region.objects.get(level=RegionLevel.CITY)
    index = 1 if by == "shares" else 2
    names = dict(InfoOfficer.unscoped.values_list("pk", "person__name"))
    expected = sorted(((v[index], pk) for pk, v in brute(period).items() if v[index] > 0), key=lambda t: (-t[0], names[t[1]], t[1]))

    top = selectors.top_officers(actor=cast.city, within=city, period=period, by=by, limit=10)

    assert [(getattr(r, by), r.officer.pk) for r in top] == expected[:10]
    assert [r.rank for r in top] == list(range(1, len(top) + 1))


def test_a_county_sees_only_its_own_officers(cast):
    mine, theirs = officer(cast), officer(cast, county="370911")
    figures([(mine, 2025, 3, 5, 50), (theirs, 2025, 3, 9, 90)])
    taishan = Region.objects.get(code=TAISHAN)

    within = selectors.within_for(cast.county_a, "370911")
    top = selectors.top_officers(actor=cast.county_a, within=within, period=Period(2025, 3), by="shares")

    assert within == taishan
    assert [r.officer for r in top] == [mine]
    assert selectors.latest_month(taishan) == Period(2025, 3)
