"""Concurrent writers on PostgreSQL (row locks; SQLite serialises writers anyway): two organisations recording the
same volunteer's day at once never exceed 24 hours, and confirming at once never loses hours from the total."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from xinghuo.core.errors import DomainError
from xinghuo.volunteers import services
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import RecordStatus, ServiceRecord, VolunteerHours
from xinghuo.volunteers.tests.conftest import held_activity

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]


def _slowed(monkeypatch, name: str) -> None:
    """Make services.<name> take a moment, so that two writers are surely inside their transactions together."""
    original = getattr(services, name)

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, name, slow)


def _at_once(*calls) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_organisations_recording_the_same_day_at_once_never_exceed_24_hours(cast, monkeypatch):
    # given activities of the society and of the school on the same day (and a record's check taking a moment)
    _slowed(monkeypatch, "validate")
    society_day, school_day = held_activity(cast.society_org), held_activity(cast.school_org, title="校园科技节")
    day = timezone.localdate() - timedelta(days=3)

    # when both record 14 hours of the same volunteer at the same moment
    outcomes = _at_once(
        lambda: services.record_enter(actor=cast.society, volunteer=cast.vol_a, date=day, hours=14, content="讲解", activity=society_day),
        lambda: services.record_enter(actor=cast.school_a, volunteer=cast.vol_a, date=day, hours=14, content="讲解", activity=school_day),
    )

    # then one is kept and the other told of the day's limit
    assert E.DAY_LIMIT in outcomes
    assert ServiceRecord.unscoped.filter(volunteer=cast.vol_a, date=day).aggregate(s=Sum("hours"))["s"] == Decimal(14)


def test_confirming_at_once_keeps_the_running_total_equal_to_the_records(cast, monkeypatch):
    # given records of the same volunteer kept by two organisations
    day = timezone.localdate() - timedelta(days=3)
    mine = services.record_enter(actor=cast.society, volunteer=cast.vol_a, date=day, hours=3, content="讲解",
                                 activity=held_activity(cast.society_org))  # fmt: skip
    theirs = services.record_enter(actor=cast.school_a, volunteer=cast.vol_a, date=day, hours=5, content="讲解",
                                   activity=held_activity(cast.school_org, title="校园科技节"))  # fmt: skip

    # when each confirms its own at the same moment (and adding to the total takes a moment)
    _slowed(monkeypatch, "_credit")
    _at_once(
        lambda: services.records_confirm(actor=cast.society, records=[mine]),
        lambda: services.records_confirm(actor=cast.school_a, records=[theirs]),
    )

    # then both count
    assert ServiceRecord.unscoped.filter(status=RecordStatus.CONFIRMED).count() == 2
    assert VolunteerHours.unscoped.get(person=cast.vol_a).confirmed_hours == Decimal(8)
