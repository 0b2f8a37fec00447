"""Registration under concurrency (PostgreSQL): the last seats never oversell, one person's repeated clicks make one
registration, a lock not had within 3 s answers "busy" — and, to prove the harness races, the same sign-ups
without the row lock do oversell."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Sum
from tests.factories import CitizenFactory

from xinghuo.activities import registrations as services
from xinghuo.activities.models import Activity, Registration, RegistrationStatus
from xinghuo.activities.tests.conftest import published
from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.venues.tests.test_race import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]

PEOPLE = 30


@pytest.fixture
def wide_window(monkeypatch):
    """Widen the gap between the check of the seats and the write of the registration, so that every writer is
    inside it at once: a lock that holds still holds; a missing one is caught every time. Short enough that thirty
    writers queued on the lock all get it within its 3 s timeout."""
    taken = services._taken

    def slow(activity):
        seats = taken(activity)
        time.sleep(0.03)
        return seats

    monkeypatch.setattr(services, "_taken", slow)


def last_five_seats(cast) -> Activity:
    """An activity of 10 seats with 5 already taken."""
    activity = published(cast, capacity=10)
    services.registration_create(activity=activity, user=CitizenFactory(), seats=5)
    return activity


def sign_up_together(activity: Activity, people: list) -> tuple[list[str], list[BaseException]]:
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        try:
            outcomes.append(services.registration_create(activity=activity, user=people[i]).status)
        except DomainError as exc:
            outcomes.append(exc.code)

    errors = run_together(attempt, len(people))
    return outcomes, errors


def confirmed_seats(activity: Activity) -> int:
    return Registration.unscoped.filter(activity=activity, status=RegistrationStatus.CONFIRMED).aggregate(n=Sum("seats"))["n"]


def test_thirty_sign_ups_for_the_last_five_seats_confirm_exactly_five(cast, wide_window):
    activity = last_five_seats(cast)
    people = [CitizenFactory() for _ in range(PEOPLE)]

    outcomes, errors = sign_up_together(activity, people)

    assert errors == []
    assert outcomes.count(RegistrationStatus.CONFIRMED) == 5
    assert outcomes.count(RegistrationStatus.WAITLISTED) == PEOPLE - 5
    assert Activity.unscoped.get(pk=activity.pk).seats_taken == 10
    assert confirmed_seats(activity) == 10
    users = list(Registration.unscoped.filter(activity=activity).values_list("user_id", flat=True))
    assert len(users) == len(set(users)) == PEOPLE + 1


def test_twenty_identical_requests_of_one_person_make_one_registration(cast, wide_window):
    activity = published(cast, capacity=10)
    person = CitizenFactory()

    outcomes, errors = sign_up_together(activity, [person] * 20)

    assert errors == []
    assert outcomes.count(RegistrationStatus.CONFIRMED) == 1
    assert outcomes.count("registration_duplicate") == 19
    assert Registration.unscoped.filter(activity=activity, user=person).count() == 1
    assert Activity.unscoped.get(pk=activity.pk).seats_taken == 1


def test_without_the_row_lock_the_same_sign_ups_oversell(cast, wide_window, monkeypatch):
    """The control: the harness does race. Without the lock (and so without the guarded counter) the writers all
    see free seats at once and confirm more than the capacity."""
    activity = last_five_seats(cast)
    people = [CitizenFactory() for _ in range(PEOPLE)]
    monkeypatch.setattr(services, "LOCKING", False)

    outcomes, errors = sign_up_together(activity, people)

    assert errors == []
    assert outcomes.count(RegistrationStatus.CONFIRMED) > 5
    assert confirmed_seats(activity) > activity.capacity


def test_a_lock_not_had_within_three_seconds_answers_busy(cast):
    activity = published(cast, capacity=10)
    person = CitizenFactory()
    locked, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Activity.unscoped.select_for_update().get(pk=activity.pk)
                locked.set()
                done.wait(timeout=4)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        started = time.monotonic()
        with pytest.raises(DomainError) as info:
            services.registration_create(activity=activity, user=person)
        waited = time.monotonic() - started
    finally:
        done.set()
        holder.join(timeout=10)

    assert info.value.code == ErrorCode.BUSY
    assert info.value.status == 503
    assert 2.5 < waited < 4
    assert not Registration.unscoped.filter(activity=activity).exists()


def test_ten_scanners_at_the_door_check_one_code_in_once(cast):
    """Several staff phones scan the same QR at once: one check-in, the others told it is done."""
    activity = published(cast, capacity=10)
    registration = services.registration_create(activity=activity, user=CitizenFactory())
    at_the_door = activity.starts_at - timedelta(minutes=20)
    outcomes: list[str] = []

    def scan(_: int) -> None:
        try:
            services.registration_check_in(actor=cast.county_a, activity=activity, code=registration.code, now=at_the_door)
            outcomes.append("checked_in")
        except DomainError as exc:
            outcomes.append(exc.code)

    errors = run_together(scan, 10)

    assert errors == []
    assert outcomes.count("checked_in") == 1
    assert outcomes.count("registration_already_checked_in") == 9
    registration.refresh_from_db()
    assert registration.checked_in_at == at_the_door


def test_a_cancellation_racing_a_check_in_leaves_one_of_them(cast):
    """The registrant cancels on the phone while staff scan the code: never cancelled and checked in at once, and
    the seat is given back only when the cancellation won."""
    for _ in range(10):
        activity = published(cast, capacity=10)
        registration = services.registration_create(activity=activity, user=CitizenFactory())
        at_the_door = activity.starts_at - timedelta(minutes=20)

        def act(i: int, registration=registration, activity=activity, at_the_door=at_the_door) -> None:
            try:
                if i == 0:
                    services.registration_cancel(registration=registration, by=registration.user, now=at_the_door)
                else:
                    services.registration_check_in(actor=cast.county_a, activity=activity, code=registration.code, now=at_the_door)
            except DomainError:
                pass

        assert run_together(act, 2) == []
        registration.refresh_from_db()
        taken = Activity.unscoped.get(pk=activity.pk).seats_taken
        if registration.status == RegistrationStatus.CANCELLED:
            assert (registration.checked_in_at, taken) == (None, 0)
        else:
            assert (registration.status, taken) == (RegistrationStatus.CONFIRMED, 1)
            assert registration.checked_in_at == at_the_door
