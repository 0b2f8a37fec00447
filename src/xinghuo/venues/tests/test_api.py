"""The public map's API: GET /api/v1/venues.geojson (valid RFC 7946 GeoJSON, filters, errors) and
GET /api/v1/venues/nearest (checked against a brute-force sort over every public venue)."""

from __future__ import annotations

import gzip
import json
import random
import re

import pytest

from xinghuo.venues.geo import haversine_m
from xinghuo.venues.models import PUBLIC_STATUSES, Audience, Venue, VenueStatus, VenueType
from xinghuo.venues.services import map_changed

from .conftest import (
    BEIJIPO,
    DAIMIAO,
    DAIMIAO_VILLAGE,
    HIGH_TECH_ZONE,
    PHONE,
    TAISHAN,
    ZHOUDIAN,
    set_status,
)

pytestmark = pytest.mark.django_db

GEOJSON = "/api/v1/venues.geojson"
NEAREST = "/api/v1/venues/nearest"
CJK = re.compile(r"[\u4e00-\u9fff]")


def fetch(client, **params) -> dict:
    response = client.get(GEOJSON, params)
    assert response.status_code == 200, response.content.decode()
    return json.loads(response.content)


def names(client, **params) -> set[str]:
    return {f["properties"]["name"] for f in fetch(client, **params)["features"]}


# --- GeoJSON: the document --------------------------------------------------------------------------------


def assert_rfc7946_point_collection(doc: dict) -> None:
    """The parts of RFC 7946 a FeatureCollection of points must satisfy (§3.1.2, §3.2, §3.3, §4)."""
    assert doc["type"] == "FeatureCollection"
    assert isinstance(doc["features"], list)
    assert "crs" not in doc  # §4: no crs member; coordinates are WGS-84
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature.get("id"), (str, int))
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]  # exactly two positions: longitude first
        assert all(isinstance(x, (int, float)) for x in (lon, lat))
        assert 73 <= lon <= 136, f"longitude {lon} is not in China — swapped with latitude?"
        assert 3 <= lat <= 54, f"latitude {lat} is not in China"


def test_geojson_is_a_valid_feature_collection_of_points_in_china(client, make_venue):
    hall = make_venue(name="泰山新能源星火科技馆", lat=36.2012345678, lon=117.0898765432)
    make_venue(venue_type=VenueType.SPARK_STATION, region=ZHOUDIAN, lat=36.1, lon=117.0)
    make_venue(venue_type=VenueType.EDUCATION_BASE, lat=35.9, lon=116.5)

    response = client.get(GEOJSON)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    doc = json.loads(response.content)
    assert_rfc7946_point_collection(doc)
    assert len(doc["features"]) == 3
    feature = next(f for f in doc["features"] if f["id"] == hall.code)
    assert feature["geometry"]["coordinates"] == [pytest.approx(117.0898765432, abs=1e-6), pytest.approx(36.2012345678, abs=1e-6)]
    props = feature["properties"]
    assert props["code"] == hall.code
    assert props["name"] == "泰山新能源星火科技馆"
    assert props["type"] == VenueType.SPARK_HALL
    assert props["url"] == f"/v/{hall.code}/"


def test_geojson_is_served_to_anyone_and_never_shows_a_phone(client, make_venue):
    make_venue()

    text = client.get(GEOJSON).content.decode()

    assert PHONE not in text
    assert PHONE[-4:] not in text  # not even masked: contact details are on the venue's page only


def test_an_empty_map_is_an_empty_collection(client, db):
    assert fetch(client) == {"type": "FeatureCollection", "features": []}


def test_drafts_revoked_and_closed_venues_never_appear(client, make_venue):
    make_venue(name="登记", status=VenueStatus.REGISTERED)
    make_venue(name="认定", status=VenueStatus.CERTIFIED)
    set_status(make_venue(name="警示"), VenueStatus.WARNED)
    make_venue(name="草稿", status=VenueStatus.DRAFT)
    set_status(make_venue(name="摘牌", status=VenueStatus.CERTIFIED), VenueStatus.REVOKED)
    set_status(make_venue(name="关闭"), VenueStatus.CLOSED)

    assert names(client) == {"登记", "认定", "警示"}
    assert names(client, open_now="true") <= {"登记", "认定", "警示"}
    nearest = client.get(NEAREST, {"lat": 36.2, "lon": 117.1, "limit": 50}).json()
    assert {i["name"] for i in nearest["items"]} == {"登记", "认定", "警示"}


def test_a_revoked_venue_leaves_the_map_as_soon_as_the_map_changes(client, make_venue):
    venue = make_venue(name="将被摘牌", status=VenueStatus.CERTIFIED)
    assert names(client) == {"将被摘牌"}

    set_status(venue, VenueStatus.REVOKED)

    assert names(client) == set()


def test_a_listing_reaches_the_map_when_its_transaction_commits(client, make_venue, django_capture_on_commit_callbacks):
    make_venue(name="先有的")
    assert names(client) == {"先有的"}  # the map data is now cached

    with django_capture_on_commit_callbacks(execute=True):
        make_venue(name="新登记的", refresh_map=False)  # only the service's own on-commit hook retires the cache

    assert names(client) == {"先有的", "新登记的"}
    nearest = client.get(NEAREST, {"lat": 36.2, "lon": 117.1}).json()
    assert {i["name"] for i in nearest["items"]} == {"先有的", "新登记的"}


def test_the_geojson_has_an_etag_and_answers_304_when_unchanged(client, make_venue):
    make_venue()
    first = client.get(GEOJSON)

    again = client.get(GEOJSON, headers={"If-None-Match": first["ETag"]})

    assert first["ETag"]
    assert again.status_code == 304
    assert again.content == b""


def test_the_etag_changes_with_the_map(client, make_venue):
    make_venue()
    before = client.get(GEOJSON)["ETag"]

    make_venue()

    after = client.get(GEOJSON, headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after["ETag"] != before
    assert len(json.loads(after.content)["features"]) == 2


def test_the_geojson_is_gzipped_for_clients_that_ask(client, make_venue):
    make_venue(name="压缩")
    plain = client.get(GEOJSON)

    zipped = client.get(GEOJSON, headers={"Accept-Encoding": "gzip, deflate"})

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content


# --- GeoJSON: filters -------------------------------------------------------------------------------------


@pytest.fixture
def typed(make_venue):
    make_venue(name="科技馆", venue_type=VenueType.SPARK_HALL)
    make_venue(name="服务站", venue_type=VenueType.SPARK_STATION)
    make_venue(name="教育基地", venue_type=VenueType.EDUCATION_BASE)
    make_venue(name="实验室", venue_type=VenueType.OPEN_LAB)


@pytest.mark.parametrize(
    ("type_param", "expected"),
    [
        ("spark_hall", {"科技馆"}),
        ("spark_station", {"服务站"}),
        ("spark_hall,education_base", {"科技馆", "教育基地"}),
        ("education_base,spark_hall,open_lab", {"科技馆", "教育基地", "实验室"}),
        ("spark_hall,", {"科技馆"}),  # a trailing comma is harmless
        ("", {"科技馆", "服务站", "教育基地", "实验室"}),
        ("science_museum", set()),
    ],
)
def test_type_filter_takes_one_or_several_types(client, typed, type_param, expected):
    assert names(client, type=type_param) == expected


@pytest.fixture
def placed(make_venue):
    make_venue(name="岱庙街道", region=DAIMIAO)
    make_venue(name="东湖社区", region=DAIMIAO_VILLAGE)
    make_venue(name="泰山区本级", region=TAISHAN)
    make_venue(name="粥店街道", region=ZHOUDIAN)
    make_venue(name="北集坡街道", region=BEIJIPO)  # 岱岳区, administered by 高新区


@pytest.mark.parametrize(
    ("region_code", "expected"),
    [
        ("370902", {"岱庙街道", "东湖社区", "泰山区本级"}),  # a county: its towns' and villages' venues too
        ("370911", {"粥店街道", "北集坡街道"}),  # a zone's town still belongs to its statistical county
        (HIGH_TECH_ZONE, {"北集坡街道"}),  # a zone: the towns it administers
        ("370972", set()),  # 泰山景区 administers 大津口乡, which has no venue here
        (DAIMIAO, {"岱庙街道", "东湖社区"}),  # a town: its villages too
        (DAIMIAO_VILLAGE, {"东湖社区"}),
        ("370900", {"岱庙街道", "东湖社区", "泰山区本级", "粥店街道", "北集坡街道"}),
    ],
)
def test_region_filter_covers_the_subtree(client, placed, region_code, expected):
    assert names(client, region=region_code) == expected


def test_audience_filter(client, make_venue):
    make_venue(name="青少年", audiences=[Audience.YOUTH, Audience.PUBLIC])
    make_venue(name="农民与老人", audiences=[Audience.FARMERS, Audience.ELDERLY])
    make_venue(name="无对象", audiences=[])

    assert names(client, audience="youth") == {"青少年"}
    assert names(client, audience="elderly") == {"农民与老人"}
    assert names(client, audience="public") == {"青少年"}
    assert names(client, audience="workers") == set()


def test_bbox_keeps_only_the_venues_inside(client, make_venue):
    make_venue(name="城区", lat=36.20, lon=117.10)
    make_venue(name="西南", lat=36.05, lon=116.95)
    make_venue(name="北边外", lat=36.45, lon=117.10)
    make_venue(name="东边外", lat=36.20, lon=117.45)
    make_venue(name="东平", lat=35.94, lon=116.47)

    assert names(client, bbox="116.9,36.0,117.4,36.4") == {"城区", "西南"}
    assert names(client, bbox="116.9, 36.0, 117.5, 36.5") == {"城区", "西南", "北边外", "东边外"}
    assert names(client, bbox="116.0,35.5,116.6,36.0") == {"东平"}
    assert names(client, bbox="100,20,101,21") == set()


def test_filters_combine(client, make_venue):
    make_venue(name="泰山区科技馆", region=DAIMIAO, venue_type=VenueType.SPARK_HALL, audiences=[Audience.YOUTH], lat=36.2, lon=117.1)
    make_venue(name="泰山区服务站", region=DAIMIAO, venue_type=VenueType.SPARK_STATION, audiences=[Audience.YOUTH], lat=36.2, lon=117.1)
    make_venue(name="岱岳区科技馆", region=ZHOUDIAN, venue_type=VenueType.SPARK_HALL, audiences=[Audience.YOUTH], lat=36.2, lon=117.1)
    make_venue(name="远处科技馆", region=DAIMIAO, venue_type=VenueType.SPARK_HALL, audiences=[Audience.YOUTH], lat=35.9, lon=116.5)

    assert names(client, type="spark_hall", region="370902", audience="youth", bbox="117.0,36.1,117.2,36.3") == {"泰山区科技馆"}


BAD_FILTERS = [
    pytest.param({"bbox": "116.9,36.0,117.4"}, "bbox", id="bbox-three-numbers"),
    pytest.param({"bbox": "116.9,36.0,117.4,36.4,0"}, "bbox", id="bbox-five-numbers"),
    pytest.param({"bbox": "west,south,east,north"}, "bbox", id="bbox-words"),
    pytest.param({"bbox": "117.4,36.0,116.9,36.4"}, "bbox", id="bbox-west-east-of-east"),
    pytest.param({"bbox": "116.9,36.4,117.4,36.0"}, "bbox", id="bbox-south-north-of-north"),
    pytest.param({"bbox": "116.9,36.0,116.9,36.4"}, "bbox", id="bbox-no-width"),
    pytest.param({"bbox": "-190,36.0,117.4,36.4"}, "bbox", id="bbox-off-the-globe"),
    pytest.param({"type": "museum"}, "type", id="unknown-type"),
    pytest.param({"type": "spark_hall,museum"}, "type", id="one-unknown-type-of-two"),
    pytest.param({"region": "999999"}, "region", id="unknown-region"),
    pytest.param({"region": "泰山区"}, "region", id="region-by-name"),
    pytest.param({"audience": "aliens"}, "audience", id="unknown-audience"),
]


@pytest.mark.parametrize(("params", "field"), BAD_FILTERS)
def test_bad_filters_get_400_with_a_chinese_reason(client, make_venue, params, field):
    make_venue()

    response = client.get(GEOJSON, params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "venue_invalid_filter"
    assert CJK.search(body["detail"]), body
    assert body.get("field") == field


def test_a_bad_open_now_is_a_422_in_chinese(client, db):
    response = client.get(GEOJSON, {"open_now": "sometimes"})

    assert response.status_code == 422
    body = response.json()
    assert {"code", "detail"} <= set(body)
    assert CJK.search(body["detail"])


# --- Nearest ----------------------------------------------------------------------------------------------

QUERY_POINTS = [
    (36.20, 117.09),  # 泰安 centre
    (36.2566, 117.1009),  # 泰山 summit
    (35.76, 116.80),  # 宁阳, at the edge of the cloud
    (36.60, 118.00),  # north-east, outside it
    (36.65, 117.12),  # 济南
    (39.90, 116.40),  # 北京: the search has to widen a long way
    (-33.86, 151.21),  # Sydney: the far side of the globe
]
LIMITS = [1, 2, 5, 10, 29, 30, 31, 50]


@pytest.fixture
def scattered(make_venue):
    """30 public venues at reproducible random points around Tai'an, and a draft and a revoked venue right at
    the centre that must never be returned."""
    rng = random.Random(370900)
    types = list(VenueType)
    for i in range(30):
        make_venue(
            name=f"随机场馆{i:02d}",
            venue_type=types[i % len(types)],
            region=DAIMIAO if i % 2 else ZHOUDIAN,
            lat=round(rng.uniform(35.80, 36.50), 6),
            lon=round(rng.uniform(116.60, 117.60), 6),
            status=VenueStatus.CERTIFIED if i % 3 else VenueStatus.REGISTERED,
        )
    make_venue(name="草稿", status=VenueStatus.DRAFT, lat=36.20, lon=117.09)
    set_status(make_venue(name="已摘牌", lat=36.2001, lon=117.0901), VenueStatus.REVOKED)
    map_changed()


def brute_force(lat: float, lon: float, limit: int) -> list[tuple[str, int]]:
    public = Venue.unscoped.filter(status__in=PUBLIC_STATUSES)
    ranked = sorted(public, key=lambda v: (haversine_m(lat, lon, v.lat, v.lon), v.pk))
    return [(v.code, round(haversine_m(lat, lon, v.lat, v.lon))) for v in ranked[:limit]]


def test_nearest_equals_a_brute_force_sort_over_every_public_venue(client, scattered):
    assert Venue.unscoped.filter(status__in=PUBLIC_STATUSES).count() == 30
    for lat, lon in QUERY_POINTS:
        for limit in LIMITS:
            response = client.get(NEAREST, {"lat": lat, "lon": lon, "limit": limit})
            assert response.status_code == 200, response.content
            body = response.json()
            got = [(item["code"], item["distance_m"]) for item in body["items"]]

            assert got == brute_force(lat, lon, limit), f"nearest to ({lat}, {lon}), limit {limit}"
            assert body["count"] == min(limit, 30)


def test_nearest_from_a_venue_finds_it_first_at_zero_metres(client, scattered):
    venue = Venue.unscoped.filter(status=VenueStatus.CERTIFIED).order_by("pk")[3]

    body = client.get(NEAREST, {"lat": venue.lat, "lon": venue.lon, "limit": 3}).json()

    first = body["items"][0]
    assert (first["code"], first["distance_m"]) == (venue.code, 0)
    assert [i["distance_m"] for i in body["items"]] == sorted(i["distance_m"] for i in body["items"])


def test_nearest_items_describe_the_venue(client, make_venue):
    venue = make_venue(name="最近的科技馆", lat=36.21, lon=117.10)

    body = client.get(NEAREST, {"lat": 36.20, "lon": 117.10}).json()

    assert body == {
        "count": 1,
        "items": [
            {
                "code": venue.code,
                "name": "最近的科技馆",
                "type": VenueType.SPARK_HALL,
                "address": venue.address,
                "lat": 36.21,
                "lon": 117.10,
                "distance_m": round(haversine_m(36.20, 117.10, 36.21, 117.10)),
                "url": f"/v/{venue.code}/",
            }
        ],
    }
    assert 1100 <= body["items"][0]["distance_m"] <= 1125  # 0.01° of latitude ≈ 1.11 km


def test_nearest_defaults_to_ten(client, scattered):
    assert client.get(NEAREST, {"lat": 36.2, "lon": 117.1}).json()["count"] == 10


def test_nearest_with_no_venues_is_empty(client, db):
    assert client.get(NEAREST, {"lat": 36.2, "lon": 117.1}).json() == {"count": 0, "items": []}


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"lat": 36.2, "lon": 117.1, "limit": 0}, id="limit-0"),
        pytest.param({"lat": 36.2, "lon": 117.1, "limit": 51}, id="limit-51"),
        pytest.param({"lat": 36.2, "lon": 117.1, "limit": -1}, id="limit-negative"),
        pytest.param({"lat": 36.2, "lon": 117.1, "limit": "ten"}, id="limit-words"),
        pytest.param({"lon": 117.1}, id="no-lat"),
        pytest.param({"lat": 36.2}, id="no-lon"),
        pytest.param({"lat": "北纬36度", "lon": 117.1}, id="lat-words"),
    ],
)
def test_nearest_refuses_bad_parameters_with_422_in_chinese(client, db, params):
    response = client.get(NEAREST, params)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert CJK.search(body["detail"]), body


@pytest.mark.parametrize("params", [{"lat": 91, "lon": 117.1}, {"lat": 36.2, "lon": 181}, {"lat": -90.5, "lon": 0}])
def test_nearest_refuses_a_point_off_the_globe_with_400(client, db, params):
    response = client.get(NEAREST, params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "venue_invalid_filter"
    assert CJK.search(body["detail"])
