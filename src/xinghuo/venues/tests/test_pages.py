"""Public pages: the cloud map's server-rendered list (no JavaScript, no tile server needed), each venue's
plaque page with its live status, the plaque's QR code, and the home page's way in."""

from __future__ import annotations

import io
import re

import pytest
import segno

from xinghuo.venues.models import Audience, VenueStatus, VenueType

from .conftest import BEIJIPO, DAIMIAO, MASKED_PHONE, PHONE, ZHOUDIAN, set_status

pytestmark = pytest.mark.django_db

ITEM_RE = re.compile(r'<li class="xh-venue-item"><a href="/v/(?P<code>[^/]+)/"><strong>(?P<name>[^<]+)</strong>')
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def listed(response) -> dict[str, str]:
    """name → code of the venues in the map page's list."""
    assert response.status_code == 200
    return {m["name"]: m["code"] for m in ITEM_RE.finditer(response.content.decode())}


# --- The map page -----------------------------------------------------------------------------------------


def test_the_map_lists_public_venues_without_javascript_or_tiles(client, make_venue, settings):
    settings.MAP_TILES = "none"
    hall = make_venue(name="泰山新能源星火科技馆")
    make_venue(name="岱庙党群服务中心星火科普服务站", venue_type=VenueType.SPARK_STATION, status=VenueStatus.CERTIFIED)
    make_venue(name="粥店科普教育基地", venue_type=VenueType.EDUCATION_BASE, region=ZHOUDIAN)
    make_venue(name="草稿馆", status=VenueStatus.DRAFT)
    set_status(make_venue(name="摘牌馆"), VenueStatus.REVOKED)
    set_status(make_venue(name="关闭馆"), VenueStatus.CLOSED)

    response = client.get("/map/")

    text = response.content.decode()
    venues = listed(response)
    assert set(venues) == {"泰山新能源星火科技馆", "岱庙党群服务中心星火科普服务站", "粥店科普教育基地"}
    assert venues["泰山新能源星火科技馆"] == hall.code
    assert "共 3 处" in text
    assert "data-tiles=" not in text  # no tile server configured, the list is the map
    assert "草稿馆" not in text
    assert "摘牌馆" not in text
    assert "关闭馆" not in text
    assert PHONE not in text


def test_the_list_is_rendered_on_the_server_even_when_tiles_are_configured(client, make_venue, settings):
    settings.MAP_TILES = "tianditu"
    settings.TIANDITU_KEY = "test-key"
    make_venue(name="有底图也有列表")

    response = client.get("/map/")

    assert set(listed(response)) == {"有底图也有列表"}
    assert "data-tiles=" in response.content.decode()


def test_the_map_page_points_its_script_at_the_api_with_the_same_filters(client, make_venue):
    make_venue()

    text = client.get("/map/", {"type": "spark_hall", "region": "370902", "audience": "youth"}).content.decode()

    match = re.search(r'data-geojson="([^"]+)"', text)
    assert match
    url = match.group(1).replace("&amp;", "&")
    assert url.startswith("/api/v1/venues.geojson?")
    assert {"type=spark_hall", "region=370902", "audience=youth"} <= set(url.split("?", 1)[1].split("&"))


@pytest.fixture
def network(make_venue):
    make_venue(name="泰山区科技馆", region=DAIMIAO, audiences=[Audience.YOUTH])
    make_venue(name="泰山区服务站", region=DAIMIAO, venue_type=VenueType.SPARK_STATION, audiences=[Audience.ELDERLY])
    make_venue(name="岱岳区教育基地", region=ZHOUDIAN, venue_type=VenueType.EDUCATION_BASE, audiences=[Audience.YOUTH])
    make_venue(name="高新区开放实验室", region=BEIJIPO, venue_type=VenueType.OPEN_LAB, audiences=[Audience.WORKERS])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "spark_station"}, {"泰山区服务站"}),
        ({"region": "370902"}, {"泰山区科技馆", "泰山区服务站"}),
        ({"region": "370911"}, {"岱岳区教育基地", "高新区开放实验室"}),
        ({"region": "370971"}, {"高新区开放实验室"}),  # a zone: the towns it administers
        ({"audience": "youth"}, {"泰山区科技馆", "岱岳区教育基地"}),
        ({"q": "实验室"}, {"高新区开放实验室"}),
        ({"q": "泰山区"}, {"泰山区科技馆", "泰山区服务站"}),
        ({"type": "spark_hall", "region": "370911"}, set()),
        ({"type": "", "region": "", "audience": "", "q": ""}, {"泰山区科技馆", "泰山区服务站", "岱岳区教育基地", "高新区开放实验室"}),
    ],
)
def test_the_map_filters_by_type_region_audience_and_name(client, network, params, expected):
    response = client.get("/map/", params)

    assert set(listed(response)) == expected
    assert f"共 {len(expected)} 处" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"type": "museum"},
        {"region": "999999"},
        {"region": "370902001"},  # a town: not one of the page's choices
        {"audience": "aliens"},
        {"open_now": "maybe"},
        {"q": "馆" * 200},
        {"page": "abc"},
        {"page": "9999"},
        {"type": ["spark_hall", "open_lab"]},
    ],
)
def test_a_bad_filter_value_is_answered_without_an_error(client, network, params):
    response = client.get("/map/", params)

    assert response.status_code == 200
    assert 'data-testid="venue-list"' in response.content.decode()


def test_the_list_is_paginated_and_counts_every_venue(client, make_venue):
    for i in range(25):
        make_venue(name=f"第{i:02d}号场馆")

    first = client.get("/map/")
    second = client.get("/map/", {"page": 2})

    assert len(listed(first)) == 20
    assert len(listed(second)) == 5
    assert set(listed(first)).isdisjoint(listed(second))
    assert "共 25 处" in first.content.decode()


def test_the_map_page_runs_a_bounded_number_of_queries(client, make_venue, django_assert_max_num_queries):
    for i in range(20):
        make_venue(name=f"场馆{i}", region=DAIMIAO if i % 2 else ZHOUDIAN)

    with django_assert_max_num_queries(10):
        response = client.get("/map/")

    assert len(listed(response)) == 20


# --- The plaque page --------------------------------------------------------------------------------------


def test_the_venue_page_shows_name_hours_and_a_masked_phone(client, make_venue):
    venue = make_venue(
        name="泰山新能源星火科技馆",
        opening_hours={"tue": [["09:00", "12:00"], ["14:00", "17:00"]], "sat": [["09:00", "17:00"]]},
        summary="新能源互动展区。",
        capacity=120,
    )

    response = client.get(f"/v/{venue.code}/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "泰山新能源星火科技馆" in text
    assert "新能源互动展区。" in text
    assert re.search(r"<th[^>]*>周二</th><td>09:00–12:00、14:00–17:00</td>", text)
    assert re.search(r"<th[^>]*>周一</th><td>闭馆</td>", text)
    assert MASKED_PHONE in text
    assert PHONE not in text
    assert "同时 120 人" in text
    assert f"已登记 · 编号 {venue.code}" in text


def test_a_landline_is_masked_too(client, make_venue):
    venue = make_venue(contact_phone="0538-6221234")

    text = client.get(f"/v/{venue.code}/").content.decode()

    assert "0538-6221234" not in text
    assert "6221234" not in text
    assert "1234" in text


def test_a_certified_venue_says_so_with_its_code(client, make_venue):
    venue = make_venue(status=VenueStatus.CERTIFIED)

    text = client.get(f"/v/{venue.code}/").content.decode()

    assert "认定有效 · 编号 XH-KJG-370902-0001" in text


def test_a_revoked_plaque_says_so_to_anyone(client, make_venue):
    venue = set_status(make_venue(name="被摘牌的科技馆", status=VenueStatus.CERTIFIED), VenueStatus.REVOKED)

    response = client.get(f"/v/{venue.code}/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "该场馆已被摘牌" in text
    assert "认定有效" not in text
    assert "开放时间" not in text  # no hours or open-now badge for a venue that is no longer one
    assert 'data-testid="open-now"' not in text


@pytest.mark.parametrize(
    ("status", "words"),
    [(VenueStatus.CLOSED, "该场馆已关闭"), (VenueStatus.WARNED, "年度复核被警示")],
)
def test_closed_and_warned_venues_say_so(client, make_venue, status, words):
    venue = set_status(make_venue(status=VenueStatus.CERTIFIED), status)

    response = client.get(f"/v/{venue.code}/")

    assert response.status_code == 200
    assert words in response.content.decode()


def test_a_draft_has_no_code_and_so_no_page(client, make_venue):
    draft = make_venue(name="还在草稿", status=VenueStatus.DRAFT)

    assert draft.code is None
    assert client.get("/v/None/").status_code == 404
    assert client.get("/v//").status_code == 404
    assert "还在草稿" not in client.get("/map/").content.decode()


def test_an_unknown_code_is_404(client, make_venue):
    make_venue()

    assert client.get("/v/XH-KJG-370902-9999/").status_code == 404
    assert client.get("/v/XH-KJG-370902-9999/qr.svg").status_code == 404
    assert client.get("/v/XH-KJG-370902-9999/qr.png").status_code == 404


# --- The QR plaque ----------------------------------------------------------------------------------------


def expected_qr(url: str, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="q").save(buffer, kind=kind, **options)
    return buffer.getvalue()


def test_the_svg_plaque_is_titled_with_the_name_and_encodes_the_page_url(client, make_venue):
    venue = make_venue(name="泰山新能源星火科技馆", status=VenueStatus.CERTIFIED)

    response = client.get(f"/v/{venue.code}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg
    assert "<title>泰山新能源星火科技馆</title>" in svg
    # The same matrix as a QR code of the page's absolute URL (segno is deterministic for the same input).
    page = f"http://testserver/v/{venue.code}/"
    assert response.content == expected_qr(page, "svg", scale=8, border=2, title="泰山新能源星火科技馆")
    assert response.content != expected_qr(f"/v/{venue.code}/", "svg", scale=8, border=2, title="泰山新能源星火科技馆")
    assert client.get(page).status_code == 200


def test_a_name_with_markup_cannot_script_the_svg(client, make_venue):
    venue = make_venue(name='科技馆<script>alert("x")</script>&')

    svg = client.get(f"/v/{venue.code}/qr.svg").content.decode()

    assert "<script>" not in svg
    assert "<title>科技馆&lt;script&gt;" in svg


def test_the_png_plaque_is_a_png_of_the_page_url(client, make_venue):
    venue = make_venue()

    response = client.get(f"/v/{venue.code}/qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    assert f'filename="{venue.code}.png"' in response["Content-Disposition"]
    assert response.content == expected_qr(f"http://testserver/v/{venue.code}/", "png", scale=10, border=2)


def test_the_plaque_uses_the_host_it_was_asked_on(client, make_venue, settings):
    settings.ALLOWED_HOSTS = ["kepu.example.cn"]
    venue = make_venue()

    response = client.get(f"/v/{venue.code}/qr.png", HTTP_HOST="kepu.example.cn", secure=True)

    assert response.content == expected_qr(f"https://kepu.example.cn/v/{venue.code}/", "png", scale=10, border=2)


def test_a_revoked_venue_keeps_its_qr_so_the_plaque_can_say_it_is_revoked(client, make_venue):
    venue = set_status(make_venue(status=VenueStatus.CERTIFIED), VenueStatus.REVOKED)

    assert client.get(f"/v/{venue.code}/qr.svg").status_code == 200
    assert client.get(f"/v/{venue.code}/qr.png").status_code == 200


def test_plaques_may_be_cached_by_anyone(client, make_venue):
    venue = make_venue()

    response = client.get(f"/v/{venue.code}/qr.svg")

    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]


# --- The way in -------------------------------------------------------------------------------------------


def test_the_home_page_entrance_opens_the_map(client, make_venue):
    make_venue(name="从首页进来")

    home = client.get("/").content.decode()

    assert re.search(r'href="/map/"[^>]*data-testid="entrance-map"', home)
    assert "从首页进来" in client.get("/map/").content.decode()


def test_the_venue_page_links_back_to_the_map_and_its_qr(client, make_venue):
    venue = make_venue()

    text = client.get(f"/v/{venue.code}/").content.decode()

    assert 'href="/map/"' in text
    assert f'src="/v/{venue.code}/qr.svg"' in text
    assert f'href="/v/{venue.code}/qr.png"' in text
