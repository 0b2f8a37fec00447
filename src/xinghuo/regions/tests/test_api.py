"""GET /api/v1/regions: Tai'an's division, filters, pagination and Chinese errors."""

import pytest

pytestmark = pytest.mark.django_db


def test_taian_has_88_towns_and_3782_villages(client):
    towns = client.get("/api/v1/regions", {"within": "370900", "level": "town"}).json()
    villages = client.get("/api/v1/regions", {"within": "370900", "level": "village"}).json()

    assert towns["count"] == 88
    assert villages["count"] == 3782


def test_six_counties_and_three_zones(client):
    counties = client.get("/api/v1/regions", {"within": "3709", "level": "county"}).json()
    zones = client.get("/api/v1/regions", {"within": "3709", "level": "zone"}).json()

    assert {r["name"] for r in counties["items"]} == {"泰山区", "岱岳区", "新泰市", "肥城市", "宁阳县", "东平县"}
    assert {r["short_name"] for r in zones["items"]} == {"高新区", "泰山景区", "旅游经济开发区"}


def test_a_zone_contains_the_towns_it_administers_which_keep_their_county(client):
    towns = client.get("/api/v1/regions", {"within": "370971", "level": "town"}).json()["items"]

    assert {t["name"] for t in towns} == {"北集坡街道", "良庄镇"}
    assert {t["county_code"] for t in towns} == {"370911"}
    assert {t["zone_code"] for t in towns} == {"370971"}


def test_pages_hold_page_size_items_and_the_full_count(client):
    page2 = client.get("/api/v1/regions", {"within": "370902", "level": "village", "page": 2, "page_size": 50}).json()
    page1 = client.get("/api/v1/regions", {"within": "370902", "level": "village", "page": 1, "page_size": 50}).json()

    assert len(page2["items"]) == 50
    assert page2["count"] == page1["count"]
    assert not {r["code"] for r in page1["items"]} & {r["code"] for r in page2["items"]}


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"within": "999999"}, 400, "未找到区划代码"),
        ({"within": "abc"}, 400, "区划代码应为数字"),
        ({"level": "province"}, 422, "层级"),
        ({"page": 0}, 422, "页码"),
        ({"page_size": 100000}, 422, "每页条数"),
    ],
)
def test_bad_input_gets_a_chinese_message(client, params, status, message):
    response = client.get("/api/v1/regions", params)

    assert response.status_code == status
    body = response.json()
    assert body["code"] == "invalid"
    assert message in body["detail"]


def test_a_corrected_name_shows_once_the_regions_change(client):
    from xinghuo.core import audit
    from xinghuo.regions.models import Region
    from xinghuo.regions.services import regions_changed

    before = client.get("/api/v1/regions", {"within": "370902", "level": "town", "page_size": 1}).json()
    with audit.bulk_write(model=Region, description="更正名称"):
        Region.objects.filter(code=before["items"][0]["code"]).update(name="岱庙街道（更正）")

    stale = client.get("/api/v1/regions", {"within": "370902", "level": "town", "page_size": 1}).json()
    regions_changed()
    fresh = client.get("/api/v1/regions", {"within": "370902", "level": "town", "page_size": 1}).json()

    assert stale == before  # served from the cache until the division is declared changed
    assert fresh["items"][0]["name"] == "岱庙街道（更正）"
