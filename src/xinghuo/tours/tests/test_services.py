"""Routes, stops, bookings and TAI科 points through their services: the order of stops, the rules a published
route keeps, the day's group places never exceeded, Chinese messages, and nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent
from xinghuo.tours import services
from xinghuo.tours.errors import TourError
from xinghuo.tours.models import Route, RouteBooking, RouteBookingStatus, RouteStatus, RouteStop, TaiPoint, Trail
from xinghuo.tours.services import StopSpec
from xinghuo.venues.models import VenueStatus

from .conftest import PHONE, TAISHAN, org, region, tomorrow

pytestmark = pytest.mark.django_db


def book(route, user, *, day=None, **overrides):
    values = {"group_name": "岱庙街道中心小学四年级", "party_size": 45, "contact_name": "李老师", "contact_phone": PHONE, **overrides}
    return services.booking_create(route=route, user=user, day=day or tomorrow(), **values)


# --- routes and stops -----------------------------------------------------------------------------------------


def test_stops_keep_the_given_order_and_the_total_duration_adds_up(make_venue):
    a, b, c = make_venue(name="甲"), make_venue(name="乙"), make_venue(name="丙")

    route = services.route_create(
        operator=org("KX370902"), region=region(TAISHAN), name="泰山地质研学",
        stops=[StopSpec(c, 90), StopSpec(a, 45, "午餐后"), StopSpec(b, 30)],
    )  # fmt: skip

    stops = list(RouteStop.unscoped.filter(route=route).order_by("position"))
    assert [(s.position, s.venue.name) for s in stops] == [(1, "丙"), (2, "甲"), (3, "乙")]
    assert Route.unscoped.get(pk=route.pk).total_minutes() == 165
    assert route.status == RouteStatus.DRAFT


def test_a_venue_may_appear_only_once_and_nothing_is_saved(make_venue):
    a, b = make_venue(), make_venue()

    with pytest.raises(DomainError) as exc:
        services.route_create(operator=org("KX370902"), region=region(TAISHAN), name="重复线路",
                              stops=[StopSpec(a, 30), StopSpec(b, 30), StopSpec(a, 30)])  # fmt: skip

    assert exc.value.code == TourError.INVALID_STOPS
    assert "重复" in exc.value.message
    assert not Route.unscoped.filter(name="重复线路").exists()


def test_stop_minutes_must_be_sensible(make_venue):
    with pytest.raises(DomainError) as exc:
        services.route_create(operator=org("KX370902"), region=region(TAISHAN), name="线路", stops=[StopSpec(make_venue(), 2)])

    assert "5 到 600 分钟" in exc.value.message


def test_a_route_needs_a_name_and_a_sane_group_size():
    with pytest.raises(DomainError, match="请填写线路名称"):
        services.route_create(operator=org("KX370902"), region=region(TAISHAN), name="  ")
    with pytest.raises(DomainError, match="下限不大于上限"):
        services.route_create(operator=org("KX370902"), region=region(TAISHAN), name="线路", group_min=60, group_max=40)
    assert not Route.unscoped.exists()


def test_publishing_needs_two_public_stops(make_venue, make_route):
    lonely = make_route(stops=1, published=False)
    with pytest.raises(DomainError, match="至少要有 2 个站点"):
        services.route_publish(route=lonely)

    draft_venue = make_venue(name="未上图的场馆", status=VenueStatus.DRAFT)
    route = make_route(venues=[make_venue(), draft_venue], published=False)
    with pytest.raises(DomainError) as exc:
        services.route_publish(route=route)
    assert exc.value.code == TourError.NOT_PUBLIC_VENUE
    assert "未上图的场馆" in exc.value.message
    assert Route.unscoped.get(pk=route.pk).status == RouteStatus.DRAFT


def test_a_published_route_refuses_a_non_public_stop_and_keeps_its_stops(make_venue, make_route):
    route = make_route(stops=3)
    before = list(RouteStop.unscoped.filter(route=route).values_list("venue_id", "position"))

    with pytest.raises(DomainError) as exc:
        services.route_update(
            route=route, name="新名字", stops=[StopSpec(make_venue(status=VenueStatus.DRAFT), 30), StopSpec(make_venue(), 30)]
        )

    assert exc.value.code == TourError.NOT_PUBLIC_VENUE
    assert list(RouteStop.unscoped.filter(route=route).values_list("venue_id", "position")) == before
    assert Route.unscoped.get(pk=route.pk).name == route.name  # the name was not half-saved either


def test_replacing_stops_reorders_them(make_route):
    route = make_route(stops=3)
    stops = list(RouteStop.unscoped.filter(route=route).select_related("venue").order_by("position"))

    services.route_update(route=route, stops=[StopSpec(stops[2].venue, 20), StopSpec(stops[0].venue, 40)])

    assert [(s.position, s.venue_id, s.minutes) for s in RouteStop.unscoped.filter(route=route).order_by("position")] == [
        (1, stops[2].venue_id, 20), (2, stops[0].venue_id, 40),
    ]  # fmt: skip


def test_withdraw_and_publish_again(make_route):
    route = make_route()

    route = services.route_withdraw(route=route)
    assert route.status == RouteStatus.WITHDRAWN
    with pytest.raises(DomainError, match="只有已发布的线路可以撤回"):
        services.route_withdraw(route=route)
    assert services.route_publish(route=route).status == RouteStatus.PUBLISHED


def test_a_slug_is_unique(make_route):
    make_route(slug="taishan-geology")

    with pytest.raises(DomainError) as exc:
        services.route_create(operator=org("KX370902"), region=region(TAISHAN), name="另一条", slug="taishan-geology")
    assert exc.value.field == "slug"


# --- bookings -------------------------------------------------------------------------------------------------


def test_a_day_never_takes_more_groups_than_the_route_receives(make_route, personas):
    route = make_route(max_groups_per_day=2)
    book(route, personas.citizen)
    book(route, personas.county_a, group_name="二中")

    with pytest.raises(DomainError) as exc:
        book(route, personas.organiser, group_name="三中")

    assert exc.value.code == TourError.DAY_FULL
    assert "已约满" in exc.value.message
    assert RouteBooking.unscoped.filter(route=route).count() == 2
    assert book(route, personas.organiser, day=tomorrow(2), group_name="三中").status == RouteBookingStatus.BOOKED  # another day


def test_a_cancelled_booking_frees_its_place(make_route, personas):
    route = make_route(max_groups_per_day=1)
    first = book(route, personas.citizen)

    services.booking_cancel(booking=first)

    assert book(route, personas.county_a).status == RouteBookingStatus.BOOKED


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"contact_phone": "12345"}, "contact_phone", "手机号或固定电话"),
        ({"contact_phone": "１３８１２３４５６７８"}, "contact_phone", "手机号或固定电话"),  # full-width digits
        ({"party_size": 201}, "party_size", "1 到 200"),
        ({"party_size": 0}, "party_size", "1 到 200"),
        ({"group_name": " "}, "group_name", "学校或团体名称"),
        ({"contact_name": ""}, "contact_name", "带队老师"),
    ],
)
def test_booking_input_is_checked_in_chinese(make_route, personas, overrides, field, words):
    route = make_route()

    with pytest.raises(DomainError) as exc:
        book(route, personas.citizen, **overrides)

    assert exc.value.field == field
    assert words in exc.value.message
    assert not RouteBooking.unscoped.exists()


def test_a_booking_is_for_a_future_day_on_a_published_route(make_route, personas):
    route = make_route()
    with pytest.raises(DomainError, match="从明天起"):
        book(route, personas.citizen, day=timezone.localdate())
    with pytest.raises(DomainError, match="180 天以内"):
        book(route, personas.citizen, day=timezone.localdate() + timedelta(days=400))
    with pytest.raises(DomainError) as exc:
        book(make_route(published=False), personas.citizen)
    assert exc.value.code == TourError.NOT_BOOKABLE


def test_confirm_complete_and_cancel_follow_the_lifecycle(make_route, personas):
    booking = book(make_route(), personas.citizen)

    booking = services.booking_confirm(booking=booking)
    assert booking.status == RouteBookingStatus.CONFIRMED
    with pytest.raises(DomainError, match="只有“已预约”的可以确认"):
        services.booking_confirm(booking=booking)
    with pytest.raises(DomainError, match="当天及以后才能登记完成"):
        services.booking_complete(booking=booking)  # not before the trip
    with time_machine.travel(booking.date + timedelta(days=1)):
        assert services.booking_complete(booking=booking).status == RouteBookingStatus.COMPLETED
        with pytest.raises(DomainError, match="不能再取消"):
            services.booking_cancel(booking=booking)
        with pytest.raises(DomainError, match="研学当天及以后不能在线取消"):
            services.booking_cancel(booking=booking, by_visitor=True)


def test_a_route_with_a_stop_off_the_map_takes_no_booking(make_route, personas):
    from xinghuo.venues.services import venue_set_certification_status

    route = make_route()
    stop = RouteStop.unscoped.filter(route=route).first().venue
    venue_set_certification_status(venue=stop, status="revoked")
    with pytest.raises(DomainError, match="暂停开放"):
        book(route, personas.citizen)


def test_the_same_group_cannot_book_the_same_day_twice(make_route, personas):
    route = make_route()
    book(route, personas.citizen)
    with pytest.raises(DomainError, match="已预约过"):
        book(route, personas.citizen)


def test_the_audit_trail_keeps_the_teacher_phone_masked(make_route, personas):
    booking = book(make_route(), personas.citizen)

    event = AuditEvent.objects.filter(object_type="tours.routebooking", object_id=str(booking.uid)).get()

    assert PHONE not in str(event.changes)
    assert "138****5678" in str(event.changes)


# --- TAI科 points ---------------------------------------------------------------------------------------------


def test_points_get_readable_codes_per_trail_and_go_to_the_trail_end(make_point):
    first, second = make_point(), make_point()
    other = make_point(trail=Trail.TIANZHU)

    assert (first.code, first.position) == ("TAI-ZL-01", 1)
    assert (second.code, second.position) == ("TAI-ZL-02", 2)
    assert (other.code, other.position) == ("TAI-TZ-01", 1)


def test_two_points_cannot_share_a_place_on_a_trail(make_point):
    make_point(position=3)

    with pytest.raises(DomainError) as exc:
        make_point(position=3)

    assert exc.value.field in ("position", None)
    assert TaiPoint.unscoped.count() == 1


def test_a_point_must_lie_in_china_and_have_a_text(make_point):
    with pytest.raises(DomainError):
        make_point(lat=80.0)
    with pytest.raises(DomainError, match="请填写科普解说"):
        make_point(body=" ")
    assert not TaiPoint.unscoped.exists()


def test_editing_a_point_keeps_its_code(make_point):
    point = make_point()

    point = services.point_update(point=point, name="十八盘", trail=Trail.TIANWAI, position=5)

    assert (point.code, point.trail, point.name) == ("TAI-ZL-01", Trail.TIANWAI, "十八盘")
