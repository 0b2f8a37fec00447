"""The demo's venue network (`seed_demo --scale small`): enough 星火科技馆 and service stations for the plan's
first-year targets, every one coded, stations spread over the towns with some towns left uncovered, all of it
inside Tai'an and valid by the same rules venue_create applies."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
from django.core.management import call_command

from xinghuo.core.validation import validate
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.venues.models import PUBLIC_STATUSES, SUBTYPES, TYPE_CODES, Audience, Venue, VenueCodeCounter, VenueStatus, VenueType
from xinghuo.venues.services import clean_closed_dates, clean_opening_hours

from .conftest import DAIMIAO

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^XH-(?P<type>[A-Z]+)-(?P<county>\d{6})-(?P<number>\d{4})$")
TAIAN_BOX = {"lat": (35.5, 36.6), "lon": (116.2, 118.0)}


@pytest.fixture
def demo(db) -> list[Venue]:
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")
    return list(Venue.unscoped.select_related("region", "region__county", "region__city"))


def test_the_demo_meets_the_first_year_targets(demo):
    halls = [v for v in demo if v.venue_type == VenueType.SPARK_HALL]
    stations = [v for v in demo if v.venue_type == VenueType.SPARK_STATION]

    assert len(halls) >= 20
    assert len(stations) >= 60
    assert all(v.code for v in halls + stations)
    assert {v.subtype for v in halls} == {"public_resource", "new_technology", "enterprise", "thematic"}
    assert {v.subtype for v in stations} == {"party_service_center", "civilization_practice", "sci_tech_yard"}
    assert {v.venue_type for v in demo} == set(VenueType.values)


def test_every_demo_venue_has_a_unique_code_of_its_type_and_county(demo):
    codes = [v.code for v in demo]
    assert len(set(codes)) == len(codes)
    numbers: dict[str, list[int]] = defaultdict(list)
    for v in demo:
        match = CODE_RE.match(v.code or "")
        assert match, v.code
        county = v.region if v.region.level in (RegionLevel.COUNTY, RegionLevel.ZONE) else v.region.county
        assert match["type"] == TYPE_CODES[v.venue_type], v.code
        assert match["county"] == county.code, v.code
        numbers[f"{match['type']}-{match['county']}"].append(int(match["number"]))
    for prefix, issued in numbers.items():
        assert sorted(issued) == list(range(1, len(issued) + 1)), prefix  # consecutive from 0001


def test_stations_are_spread_over_the_towns_leaving_some_uncovered(demo):
    towns = set(Region.objects.filter(city__code="370900", level=RegionLevel.TOWN).values_list("code", flat=True))
    covered = {v.region.code for v in demo if v.venue_type == VenueType.SPARK_STATION}

    assert len(towns) == 88
    assert covered <= towns  # each station sits in a town of Tai'an
    assert len(covered) >= 60  # spread, not stacked in a few towns
    assert towns - covered, "every town has a station: coverage would not be a real figure"
    counties = {Region.objects.get(code=code).county.code for code in covered}
    assert counties == {"370902", "370911", "370921", "370923", "370982", "370983"}


def test_every_demo_venue_is_inside_taian(demo):
    outside = [
        (v.name, v.lat, v.lon)
        for v in demo
        if not (TAIAN_BOX["lat"][0] <= v.lat <= TAIAN_BOX["lat"][1] and TAIAN_BOX["lon"][0] <= v.lon <= TAIAN_BOX["lon"][1])
    ]

    assert not outside
    assert all(v.region.city.code == "370900" for v in demo)


def test_demo_venues_obey_the_rules_venue_create_applies(demo):
    for v in demo:
        assert clean_opening_hours(v.opening_hours) == v.opening_hours, v.name
        assert clean_closed_dates(v.closed_dates) == v.closed_dates, v.name
        assert set(v.audiences) <= set(Audience.values), v.name
        allowed = [key for key, _ in SUBTYPES.get(v.venue_type, [])]
        assert (v.subtype in allowed) if allowed else (v.subtype == ""), v.name
        assert v.region.level in (RegionLevel.TOWN, RegionLevel.VILLAGE, RegionLevel.COUNTY, RegionLevel.ZONE)
        assert v.status in PUBLIC_STATUSES
        validate(v, exclude=["code"])


def test_the_demo_is_on_the_map(client, demo):
    public = [v for v in demo if v.status in PUBLIC_STATUSES]

    doc = json.loads(client.get("/api/v1/venues.geojson").content)
    stations = json.loads(client.get("/api/v1/venues.geojson", {"type": "spark_station", "region": "370902"}).content)

    assert len(doc["features"]) == len(public)
    assert {f["id"] for f in stations["features"]} == {
        v.code for v in demo if v.venue_type == VenueType.SPARK_STATION and v.region.county.code == "370902"
    }
    assert f"共 {len(public)} 处" in client.get("/map/").content.decode()


def test_a_venue_listed_after_the_demo_takes_the_next_number(demo, make_venue):
    issued = [int(v.code[-4:]) for v in demo if v.code.startswith("XH-KJG-370902-")]

    venue = make_venue(region=DAIMIAO, venue_type=VenueType.SPARK_HALL)

    assert venue.code == f"XH-KJG-370902-{max(issued, default=0) + 1:04d}"


def test_seeding_again_adds_no_venue(demo):
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")

    assert Venue.unscoped.count() == len(demo)


def test_demo_phones_are_masked_on_the_plaque_page(client, demo):
    venue = next(v for v in demo if v.status == VenueStatus.CERTIFIED and len(v.contact_phone) == 11 and v.contact_phone.isdigit())

    text = client.get(f"/v/{venue.code}/").content.decode()

    assert venue.contact_phone not in text
    assert f"{venue.contact_phone[:3]}****{venue.contact_phone[-4:]}" in text


def test_the_demo_never_reissues_a_number_and_leaves_the_counters_ahead(make_venue, db):
    gone = make_venue(region=DAIMIAO, venue_type=VenueType.SPARK_HALL)
    Venue.unscoped.get(pk=gone.pk).delete()  # the only venue: the demo will seed (it skips a non-empty table)

    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")

    assert not Venue.unscoped.filter(code=gone.code).exists(), f"{gone.code} was issued twice"
    issued = [int(c[-4:]) for c in Venue.unscoped.filter(code__startswith="XH-KJG-370902-").values_list("code", flat=True)]
    assert VenueCodeCounter.objects.get(prefix="XH-KJG-370902").last == max(issued)
    assert make_venue(region=DAIMIAO).code == f"XH-KJG-370902-{max(issued) + 1:04d}"


def test_the_demo_venues_are_searchable_as_soon_as_they_are_made(demo):
    from xinghuo.search import search

    halls = sum(1 for v in demo if v.venue_type == VenueType.SPARK_HALL)
    stations = {v.name for v in demo if v.venue_type == VenueType.SPARK_STATION}

    assert search(Venue.unscoped.filter(venue_type=VenueType.SPARK_HALL), "星火科技馆").count() == halls
    assert search(Venue.unscoped.filter(venue_type=VenueType.SPARK_HALL), "xhkjg").count() == halls
    assert set(search(Venue.unscoped.all(), "服务站").values_list("name", flat=True)) == stations
