"""Console pages: routes and bookings in the actor's scope (county A never reaches county B's), creating and
editing a route with its ordered stops, publish and withdraw, confirm and cancel with the teacher phone masked,
the Excel export, and TAI科 points for the city and 泰山区 / 泰山景区."""

from __future__ import annotations

import io

import openpyxl
import pytest

from xinghuo.core.models import AuditEvent
from xinghuo.tours.models import Route, RouteBooking, RouteBookingStatus, RouteStatus, RouteStop, TaiPoint
from xinghuo.tours.services import booking_create

from .conftest import DAIYUE, MASKED_PHONE, PHONE, ZHOUDIAN, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties(make_route, make_venue, personas):
    """A published route of 泰山区 (county A) and one of 岱岳区 (county B), each with a booking."""
    route_a = make_route(name="泰山区地质研学")
    route_b = make_route(name="岱岳区农业研学", region=DAIYUE, operator="KX370911",
                         venues=[make_venue(region=ZHOUDIAN, operator="KX370911") for _ in range(2)])  # fmt: skip
    booking_a = booking_create(route=route_a, user=personas.citizen, day=tomorrow(), group_name="泰山区实验学校", party_size=40,
                               contact_name="李老师", contact_phone=PHONE)  # fmt: skip
    booking_b = booking_create(route=route_b, user=personas.citizen, day=tomorrow(), group_name="岱岳区实验学校", party_size=40,
                               contact_name="王老师", contact_phone=PHONE)  # fmt: skip
    return route_a, route_b, booking_a, booking_b


def test_county_staff_see_their_own_routes_and_bookings_only(client, login, personas, two_counties):
    route_a, route_b, _, booking_b = two_counties
    login(client, personas.county_a)

    routes = client.get("/console/tours/").content.decode()
    bookings = client.get("/console/tours/bookings/").content.decode()

    assert route_a.name in routes
    assert route_b.name not in routes
    assert "泰山区实验学校" in bookings
    assert "岱岳区实验学校" not in bookings
    assert client.get(f"/console/tours/{route_b.uid}/edit/").status_code == 404
    assert client.post(f"/console/tours/{route_b.uid}/withdraw/").status_code == 404
    assert client.post(f"/console/tours/bookings/{booking_b.uid}/confirm/").status_code == 404
    assert RouteBooking.unscoped.get(pk=booking_b.pk).status == RouteBookingStatus.BOOKED


def test_city_staff_see_every_county(client, login, personas, two_counties):
    login(client, personas.city_staff)

    text = client.get("/console/tours/").content.decode()

    assert "泰山区地质研学" in text
    assert "岱岳区农业研学" in text


def test_the_teacher_phone_is_masked_in_the_console(client, login, personas, two_counties):
    login(client, personas.county_a)

    text = client.get("/console/tours/bookings/").content.decode()

    assert MASKED_PHONE in text
    assert PHONE not in text


def test_staff_confirm_complete_and_cancel_bookings(client, login, personas, two_counties):
    _, _, booking_a, _ = two_counties
    login(client, personas.county_a)

    client.post(f"/console/tours/bookings/{booking_a.uid}/confirm/")
    assert RouteBooking.unscoped.get(pk=booking_a.pk).status == RouteBookingStatus.CONFIRMED
    client.post(f"/console/tours/bookings/{booking_a.uid}/cancel/")
    assert RouteBooking.unscoped.get(pk=booking_a.pk).status == RouteBookingStatus.CANCELLED
    response = client.post(f"/console/tours/bookings/{booking_a.uid}/cancel/", follow=True)
    assert "不能再取消" in response.content.decode()
    assert client.post(f"/console/tours/bookings/{booking_a.uid}/explode/").status_code == 404


def test_a_citizen_or_reviewer_cannot_open_the_console(client, login, personas, two_counties):
    for persona in (personas.citizen, personas.reviewer):
        login(client, persona)
        assert client.get("/console/tours/").status_code in (302, 404)


def stop_rows(*rows: tuple[str, int, str], extra: int = 3) -> dict[str, str]:
    data = {
        "stops-TOTAL_FORMS": str(len(rows) + extra),
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "12",
    }
    for i, (code, minutes, notes) in enumerate(rows):
        data.update({f"stops-{i}-venue": code, f"stops-{i}-minutes": str(minutes or ""), f"stops-{i}-notes": notes})
    return data


def route_post(**overrides) -> dict[str, str]:
    return {"name": "泰山科技之旅", "summary": "一天走三馆", "operator": "", "region": "370902", "audiences": ["youth"],
            "group_min": "20", "group_max": "50", "max_groups_per_day": "3", **overrides}  # fmt: skip


def test_county_staff_create_a_route_with_ordered_stops_then_publish_it(client, login, personas, make_venue):
    from xinghuo.organisations.models import Organisation

    a, b, c = make_venue(name="甲馆"), make_venue(name="乙馆"), make_venue(name="丙馆")
    operator = Organisation.unscoped.get(code="KX370902")
    login(client, personas.county_a)

    response = client.post("/console/tours/new/", {
        **route_post(operator=str(operator.uid)), **stop_rows((c.code, 60, "先看丙"), ("", 0, ""), (a.code.lower(), 45, ""), (b.code, 30, "")),
    })  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:3000]
    route = Route.unscoped.get(name="泰山科技之旅")
    assert [s.venue.name for s in RouteStop.unscoped.filter(route=route).order_by("position")] == ["丙馆", "甲馆", "乙馆"]
    assert (route.status, route.max_groups_per_day, route.audiences) == (RouteStatus.DRAFT, 3, ["youth"])
    client.post(f"/console/tours/{route.uid}/publish/")
    assert Route.unscoped.get(pk=route.pk).status == RouteStatus.PUBLISHED
    assert client.get(f"/console/tours/{route.uid}/edit/").status_code == 200


def test_an_unknown_venue_code_is_answered_on_its_line_and_nothing_is_saved(client, login, personas, make_venue):
    from xinghuo.organisations.models import Organisation

    a = make_venue()
    login(client, personas.county_a)

    response = client.post("/console/tours/new/", {
        **route_post(operator=str(Organisation.unscoped.get(code="KX370902").uid)), **stop_rows((a.code, 60, ""), ("XH-KJG-000000-0000", 30, "")),
    })  # fmt: skip

    assert response.status_code == 400
    assert "没有这个编号的场馆" in response.content.decode()
    assert not Route.unscoped.exists()


def test_a_duplicate_stop_is_answered_in_chinese(client, login, personas, make_venue):
    from xinghuo.organisations.models import Organisation

    a = make_venue()
    login(client, personas.county_a)

    response = client.post("/console/tours/new/", {
        **route_post(operator=str(Organisation.unscoped.get(code="KX370902").uid)), **stop_rows((a.code, 60, ""), (a.code, 30, "")),
    })  # fmt: skip

    assert response.status_code == 400
    assert "重复出现" in response.content.decode()
    assert not Route.unscoped.exists()


def test_the_export_lists_the_routes_in_scope_and_is_audited(client, login, personas, two_counties):
    login(client, personas.county_a)

    response = client.get("/console/tours/export/")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["泰山区地质研学"]
    assert AuditEvent.objects.filter(action="export", object_type="tours.route").exists()


# --- TAI科 ----------------------------------------------------------------------------------------------------


def tai_post(**overrides) -> dict[str, str]:
    return {"name": "泰山杂岩", "trail": "central", "theme": "geology", "body": "约二十五亿年前的太古宙片麻岩。", "lat": "36.2200",
            "lon": "117.1150", "elevation_m": "260", "region": "370902202", "is_published": "on", **overrides}  # fmt: skip


def test_city_staff_file_a_tai_point_and_it_gets_a_code(client, login, personas):
    login(client, personas.city_staff)

    response = client.post("/console/tours/tai/new/", tai_post())

    assert response.status_code == 302, response.content.decode()[:2000]
    point = TaiPoint.unscoped.get()
    assert (point.code, point.position, point.owner.code) == ("TAI-ZL-01", 1, "KX370900-KPB")
    assert "泰山杂岩" in client.get("/console/tours/tai/").content.decode()
    assert "TAI-ZL-01" in client.get("/console/tours/tai/print/").content.decode()


def test_a_point_picture_is_uploaded_and_checked(client, login, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinghuo.venues.tests.test_edit import jpeg_with_gps

    login(client, personas.county_a)

    bad = client.post("/console/tours/tai/new/", {**tai_post(), "picture": SimpleUploadedFile("x.png", b"MZ not a picture")})
    good = client.post("/console/tours/tai/new/", {**tai_post(), "picture": jpeg_with_gps("shibapan.jpg")})

    assert bad.status_code == 400
    assert "JPEG、PNG 或 WebP" in bad.content.decode()
    assert good.status_code == 302
    point = TaiPoint.unscoped.get()
    assert point.picture.name.startswith("tai/")
    assert point.picture.name.endswith(".jpg")
    picture = client.get(f"/console/tours/tai/{point.uid}/picture/")
    assert picture["Content-Type"] == "image/jpeg"
    assert b"".join(picture.streaming_content)[:2] == b"\xff\xd8"


def test_county_a_edits_its_tai_point_but_county_b_cannot_reach_it_or_file_one(client, login, personas, make_point):
    point = make_point(name="斗母宫")
    login(client, personas.county_b)
    assert client.get(f"/console/tours/tai/{point.uid}/edit/").status_code == 404
    assert client.get("/console/tours/tai/new/").status_code == 404
    assert "斗母宫" not in client.get("/console/tours/tai/").content.decode()

    login(client, personas.county_a)
    response = client.post(f"/console/tours/tai/{point.uid}/edit/", tai_post(name="斗母宫古侧柏", position="4"))

    assert response.status_code == 302
    point = TaiPoint.unscoped.get(pk=point.pk)
    assert (point.name, point.position, point.code) == ("斗母宫古侧柏", 4, "TAI-ZL-01")


def test_organisers_have_no_tai_console(client, login, personas):
    login(client, personas.organiser)

    assert client.get("/console/tours/tai/").status_code == 404


def test_route_bookings_export_in_scope_with_the_phone_masked(client, login, personas, two_counties):
    login(client, personas.county_a)

    response = client.get("/console/tours/bookings/export/")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.iter_rows(values_only=True))

    assert [r[2] for r in rows[1:]] == ["泰山区实验学校"]
    assert rows[1][5] == MASKED_PHONE
    assert AuditEvent.objects.filter(action="export", object_type="tours.routebooking").exists()


def test_tai_points_export_to_excel(client, login, personas, make_point):
    make_point(name="十八盘")
    make_point(name="扇子崖", trail="tianwai")
    login(client, personas.county_a)

    response = client.get("/console/tours/tai/export/?trail=central")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.iter_rows(values_only=True))

    assert [r[1] for r in rows[1:]] == ["十八盘"]
    assert rows[1][0].startswith("TAI-ZL-")


def test_organisers_file_routes_and_staff_publish_them(client, login, personas, make_route):
    draft = make_route(published=False, operator=personas.society, region="370900")
    login(client, personas.organiser)
    assert "测试线路" in client.get("/console/tours/").content.decode()
    assert client.post(f"/console/tours/{draft.uid}/publish/").status_code == 404
    assert Route.unscoped.get(pk=draft.pk).status == RouteStatus.DRAFT
    login(client, personas.city_staff)
    client.post(f"/console/tours/{draft.uid}/publish/")
    assert Route.unscoped.get(pk=draft.pk).status == RouteStatus.PUBLISHED
