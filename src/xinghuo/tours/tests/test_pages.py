"""Public pages: the route list and a route's page (stops in order even without tiles or JavaScript), booking by
a signed-in teacher, TAI科 trails and points with their QR codes."""

from __future__ import annotations

import json
import re

import pytest

from xinghuo.tours.models import RouteBooking, Trail
from xinghuo.tours.services import route_withdraw
from xinghuo.venues.models import VenueStatus

from .conftest import PHONE, tomorrow

pytestmark = pytest.mark.django_db


def test_the_route_list_shows_published_routes_only(client, make_route):
    make_route(name="泰山地质研学")
    make_route(name="还在草稿的线路", published=False)
    route_withdraw(route=make_route(name="撤回的线路"))

    text = client.get("/tours/").content.decode()

    assert "泰山地质研学" in text
    assert "还在草稿的线路" not in text
    assert "撤回的线路" not in text


def test_a_route_page_lists_its_stops_in_order_without_tiles(client, make_venue, make_route, settings):
    settings.MAP_TILES = "none"
    venues = [make_venue(name="第三个建的"), make_venue(name="第一个建的"), make_venue(name="第二个建的")]
    route = make_route(venues=[venues[1], venues[2], venues[0]], minutes=50, slug="taishan-geology")

    response = client.get("/tours/taishan-geology/")

    text = response.content.decode()
    assert response.status_code == 200
    listing = text[text.index('data-testid="stop-list"') :]
    assert listing.index("第一个建的") < listing.index("第二个建的") < listing.index("第三个建的")
    assert "2 小时 30 分钟" in text
    assert "data-tiles" not in text  # no tile server configured: the list and the markers still show
    points = json.loads(re.search(r'<script id="xh-route-points" type="application/json">(.*?)</script>', text, re.S).group(1))
    assert [p["n"] for p in points] == [1, 2, 3]
    assert points[0]["name"] == "第一个建的"
    assert client.get(f"/tours/{route.uid}/").status_code == 200  # the UUID works too


def test_a_route_page_points_at_the_configured_tiles_and_has_no_inline_script(client, make_route, settings):
    settings.MAP_TILES = "tianditu"
    route = make_route()

    text = client.get(f"/tours/{route.key}/").content.decode()

    assert "data-tiles=" in text
    assert "tianditu" in text
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text)
    assert all('type="application/json"' in s for s in scripts)  # data only, no code


def test_drafts_and_unknown_routes_are_not_found(client, make_route):
    draft = make_route(published=False, slug="draft-route")

    assert client.get("/tours/draft-route/").status_code == 404
    assert client.get(f"/tours/{draft.uid}/").status_code == 404
    assert client.get("/tours/no-such-route/").status_code == 404


def test_booking_needs_a_signed_in_user(client, make_route):
    route = make_route()

    response = client.get(f"/tours/{route.key}/book/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_teacher_books_a_route_and_sees_it_in_my_bookings(client, login, personas, make_route):
    route = make_route(name="泰山生态研学")
    login(client, personas.citizen)

    response = client.post(f"/tours/{route.key}/book/", {
        "date": tomorrow(3).isoformat(), "group_name": "泰山实验中学初一", "party_size": 48,
        "contact_name": "赵老师", "contact_phone": PHONE,
    })  # fmt: skip

    assert response.status_code == 302
    booking = RouteBooking.unscoped.get()
    assert (booking.user, booking.party_size, booking.date) == (personas.citizen, 48, tomorrow(3))
    text = client.get("/me/tours/").content.decode()
    assert "泰山生态研学" in text
    assert "泰山实验中学初一" in text


def test_a_full_day_is_answered_on_the_form(client, login, personas, make_route):
    route = make_route(max_groups_per_day=1)
    login(client, personas.citizen)
    data = {"date": tomorrow().isoformat(), "group_name": "一中", "party_size": 40, "contact_name": "赵老师", "contact_phone": PHONE}
    client.post(f"/tours/{route.key}/book/", data)

    response = client.post(f"/tours/{route.key}/book/", {**data, "group_name": "二中"})

    assert response.status_code == 400
    assert "已约满" in response.content.decode()
    assert RouteBooking.unscoped.count() == 1


def test_a_bad_phone_is_answered_beside_its_field(client, login, personas, make_route):
    route = make_route()
    login(client, personas.citizen)

    response = client.post(f"/tours/{route.key}/book/", {
        "date": tomorrow().isoformat(), "group_name": "一中", "party_size": 40, "contact_name": "赵老师", "contact_phone": "123",
    })  # fmt: skip

    assert response.status_code == 400
    assert "请填写正确的手机号或固定电话" in response.content.decode()


def test_a_user_cancels_only_their_own_booking(client, login, personas, make_route):
    from xinghuo.tours.services import booking_create

    route = make_route()
    mine = booking_create(route=route, user=personas.citizen, day=tomorrow(), group_name="一中", party_size=30,
                          contact_name="赵老师", contact_phone=PHONE)  # fmt: skip
    theirs = booking_create(route=route, user=personas.organiser, day=tomorrow(), group_name="二中", party_size=30,
                            contact_name="钱老师", contact_phone=PHONE)  # fmt: skip
    login(client, personas.citizen)

    assert client.post(f"/me/tours/{theirs.uid}/cancel/").status_code == 404
    assert client.post(f"/me/tours/{mine.uid}/cancel/").status_code == 302
    assert RouteBooking.unscoped.get(pk=mine.pk).status == "cancelled"
    assert RouteBooking.unscoped.get(pk=theirs.pk).status == "booked"


def test_a_stop_whose_venue_was_revoked_says_so(client, make_venue, make_route):
    from xinghuo.venues.tests.conftest import set_status

    a, b = make_venue(name="后来摘牌的馆"), make_venue()
    route = make_route(venues=[a, b])
    set_status(a, VenueStatus.REVOKED)

    text = client.get(f"/tours/{route.key}/").content.decode()

    assert "后来摘牌的馆" in text
    assert "暂停开放" in text


# --- TAI科 ----------------------------------------------------------------------------------------------------


def test_a_trail_page_lists_its_points_in_order_with_map_data(client, make_point, settings):
    settings.MAP_TILES = "none"
    make_point(name="红门宫", position=1)
    make_point(name="南天门", position=9)
    make_point(name="中天门", position=5)
    make_point(name="未公开的点", position=7, is_published=False)
    make_point(name="天烛峰的点", trail=Trail.TIANZHU)

    text = client.get("/tai/trail/central/").content.decode()

    listing = text[text.index('data-testid="point-list"') :]
    assert listing.index("红门宫") < listing.index("中天门") < listing.index("南天门")
    assert "未公开的点" not in text
    assert "天烛峰的点" not in listing
    points = json.loads(re.search(r'<script id="xh-trail-points" type="application/json">(.*?)</script>', text, re.S).group(1))
    assert [p["name"] for p in points] == ["红门宫", "中天门", "南天门"]
    assert points[0]["url"] == "/tai/TAI-ZL-01/"


def test_an_unknown_trail_is_not_found(client):
    assert client.get("/tai/trail/everest/").status_code == 404


def test_the_tai_index_lists_the_four_trails(client, make_point):
    make_point()

    text = client.get("/tai/").content.decode()

    for label in ("红门—中天门—南天门（中路）", "天外村路线", "桃花峪路线", "天烛峰路线"):
        assert label in text


def test_a_point_page_shows_text_neighbours_and_its_qr(client, make_point):
    make_point(name="红门宫", position=1)
    point = make_point(name="斗母宫", position=2, body="侧柏与油松林带随海拔垂直分布。")
    make_point(name="经石峪", position=3)

    text = client.get(f"/tai/{point.code}/").content.decode()

    assert "斗母宫" in text
    assert "侧柏与油松林带随海拔垂直分布。" in text
    assert "红门宫" in text
    assert "经石峪" in text
    assert f"/tai/{point.code}/qr.svg" in text
    assert 'data-testid="point-picture"' not in text  # no picture, no empty frame


def test_a_point_with_a_picture_shows_it(client, make_point):
    from xinghuo.venues.tests.test_edit import jpeg_with_gps

    point = make_point(picture=jpeg_with_gps("shibapan.jpg"), picture_caption="十八盘")

    text = client.get(f"/tai/{point.code}/").content.decode()

    assert 'data-testid="point-picture"' in text
    assert "十八盘" in text
    picture = client.get(f"/tai/{point.code}/picture.jpg")
    assert picture.status_code == 200
    assert b"".join(picture.streaming_content)[:2] == b"\xff\xd8"


def test_unpublished_and_unknown_points_are_not_found(client, make_point):
    hidden = make_point(is_published=False)

    assert client.get(f"/tai/{hidden.code}/").status_code == 404
    assert client.get(f"/tai/{hidden.code}/qr.svg").status_code == 404
    assert client.get("/tai/TAI-ZL-99/").status_code == 404


def test_the_svg_qr_encodes_the_point_page(client, make_point):
    point = make_point(name='岱顶<script>alert("x")</script>')

    response = client.get(f"/tai/{point.code}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith(("<?xml", "<svg"))
    assert "<script>" not in svg


def test_the_png_qr_is_a_png_of_the_point_page(client, make_point):
    point = make_point()

    response = client.get(f"/tai/{point.code}/qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "public" in response["Cache-Control"]
