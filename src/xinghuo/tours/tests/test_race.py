"""A route's day under concurrent bookings (PostgreSQL): however many schools book the same day at the same
moment, the day takes exactly `max_groups_per_day` groups and every other school is told the day is full."""

from __future__ import annotations

import pytest
from django.conf import settings

from xinghuo.core.errors import DomainError
from xinghuo.tours.errors import TourError
from xinghuo.tours.models import HOLDING_STATUSES, RouteBooking
from xinghuo.tours.services import booking_cancel, booking_create
from xinghuo.venues.tests.test_race import run_together

from .conftest import PHONE, tomorrow

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]

SCHOOLS = 8


def test_concurrent_bookings_never_exceed_the_days_groups(make_route, personas):
    route = make_route(max_groups_per_day=3)
    day = tomorrow(5)
    refused: list[str] = []

    def work(i: int) -> None:
        try:
            booking_create(route=route, user=personas.citizen, day=day, group_name=f"第{i}中学", party_size=40,
                           contact_name="李老师", contact_phone=PHONE)  # fmt: skip
        except DomainError as exc:
            refused.append(exc.code)

    errors = run_together(work, SCHOOLS)

    assert errors == []
    assert RouteBooking.unscoped.filter(route=route, date=day, status__in=HOLDING_STATUSES).count() == 3
    assert refused == [TourError.DAY_FULL] * (SCHOOLS - 3)


def test_a_cancel_racing_new_bookings_frees_exactly_one_place(make_route, personas):
    route = make_route(max_groups_per_day=2)
    day = tomorrow(6)
    kept = booking_create(route=route, user=personas.citizen, day=day, group_name="一中", party_size=40, contact_name="李老师",
                          contact_phone=PHONE)  # fmt: skip
    leaving = booking_create(route=route, user=personas.citizen, day=day, group_name="二中", party_size=40, contact_name="李老师",
                             contact_phone=PHONE)  # fmt: skip

    def work(i: int) -> None:
        if i == 0:
            booking_cancel(booking=leaving)
            return
        try:
            booking_create(route=route, user=personas.citizen, day=day, group_name=f"第{i}中学", party_size=40,
                           contact_name="李老师", contact_phone=PHONE)  # fmt: skip
        except DomainError:
            pass

    errors = run_together(work, 5)

    assert errors == []
    holding = RouteBooking.unscoped.filter(route=route, date=day, status__in=HOLDING_STATUSES)
    assert holding.count() <= 2
    assert holding.filter(pk=kept.pk).exists()
