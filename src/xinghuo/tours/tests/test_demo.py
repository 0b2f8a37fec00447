"""The demo's routes and TAI科 points: made of real demo venues of Tai'an, every point on Mount Tai, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from xinghuo.tours.demo import POINTS, ROUTES
from xinghuo.tours.models import Route, RouteBooking, RouteStatus, RouteStop, TaiPoint, Trail

pytestmark = pytest.mark.django_db

MOUNT_TAI = {"lat": (36.19, 36.28), "lon": (117.04, 117.14)}


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")


def test_the_small_demo_has_a_published_route_of_public_venues(demo):
    route = Route.unscoped.get()
    stops = list(RouteStop.unscoped.filter(route=route).select_related("venue", "venue__region__city").order_by("position"))

    assert route.status == RouteStatus.PUBLISHED
    assert route.slug == ROUTES[0][0]
    assert 3 <= len(stops) <= 5
    assert all(s.venue.is_public for s in stops)
    assert all(s.venue.region.city.code == "370900" for s in stops)
    assert RouteBooking.unscoped.filter(route=route).exists()


def test_the_small_demo_has_points_on_every_trail_on_mount_tai(demo):
    points = list(TaiPoint.unscoped.all())

    assert {p.trail for p in points} == set(Trail.values)
    assert all(p.is_published for p in points)
    assert all(MOUNT_TAI["lat"][0] <= p.lat <= MOUNT_TAI["lat"][1] for p in points)
    assert all(MOUNT_TAI["lon"][0] <= p.lon <= MOUNT_TAI["lon"][1] for p in points)
    assert TaiPoint.unscoped.get(code="TAI-ZL-01").name.startswith("红门")


def test_the_point_table_is_big_enough_for_the_city_demo():
    assert 20 <= len(POINTS) <= 30
    assert len(ROUTES) >= 3


def test_running_it_again_adds_nothing(demo):
    counts = (Route.unscoped.count(), RouteStop.unscoped.count(), RouteBooking.unscoped.count(), TaiPoint.unscoped.count())

    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")

    assert (Route.unscoped.count(), RouteStop.unscoped.count(), RouteBooking.unscoped.count(), TaiPoint.unscoped.count()) == counts


def test_the_demo_pages_answer(demo, client):
    route = Route.unscoped.get()

    assert client.get("/tours/").status_code == 200
    assert client.get(f"/tours/{route.slug}/").status_code == 200
    assert client.get("/tai/trail/central/").status_code == 200
    assert client.get("/tai/TAI-ZL-01/").status_code == 200
