"""Unified codes under concurrent listings (PostgreSQL): venues listed at the same moment in one county and
of one type get distinct, consecutive numbers — including the very first listings, when the counter row does
not exist yet and every writer tries to create it."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connections

from xinghuo.core import context
from xinghuo.venues.models import Venue, VenueCodeCounter, VenueStatus
from xinghuo.venues.services import venue_list_publicly

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]

WRITERS = 8


def run_together(work, n: int) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with context.acting(context.ActorContext(user_label=f"lister{i}", source="test")):
                work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_concurrent_first_listings_in_a_county_get_distinct_consecutive_codes(make_venue):
    drafts = [make_venue(name=f"并发场馆{i}", status=VenueStatus.DRAFT) for i in range(WRITERS)]
    assert not VenueCodeCounter.objects.exists()

    errors = run_together(lambda i: venue_list_publicly(venue=drafts[i], status=VenueStatus.CERTIFIED), WRITERS)

    assert errors == []
    codes = sorted(Venue.unscoped.values_list("code", flat=True))
    assert codes == [f"XH-KJG-370902-{n:04d}" for n in range(1, WRITERS + 1)]
    assert VenueCodeCounter.objects.get(prefix="XH-KJG-370902").last == WRITERS


def test_concurrent_listings_of_one_venue_issue_one_code(make_venue):
    draft = make_venue(status=VenueStatus.DRAFT)

    errors = run_together(lambda i: venue_list_publicly(venue=draft, status=VenueStatus.REGISTERED), 4)

    assert errors == []
    assert Venue.unscoped.get(pk=draft.pk).code == "XH-KJG-370902-0001"
    assert VenueCodeCounter.objects.get(prefix="XH-KJG-370902").last == 1  # no number spent on the repeats
