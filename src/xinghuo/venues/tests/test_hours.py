"""Opening hours: a weekly pattern of spans (start inclusive, end exclusive) and closed dates that win over
it; the `open_now` filter of the GeoJSON API and of the map page, at a fixed moment."""

from __future__ import annotations

import json

import pytest
import time_machine

from xinghuo.venues.models import Venue

from .conftest import local

STATION = {d: [["08:30", "11:30"], ["14:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
MONDAY = (2026, 3, 2)  # a Monday
NEXT_MONDAY = (2026, 3, 9)


def station(closed: list[str] | None = None) -> Venue:
    return Venue(opening_hours=STATION, closed_dates=closed or [])


def test_the_dates_used_are_the_weekdays_they_claim():
    assert local(*MONDAY).weekday() == 0
    assert local(*NEXT_MONDAY).weekday() == 0


@pytest.mark.parametrize(
    ("hour", "minute", "second", "is_open"),
    [
        (8, 29, 59, False),
        (8, 30, 0, True),  # a span opens at its start
        (11, 29, 59, True),
        (11, 30, 0, False),  # and is closed at its end
        (12, 0, 0, False),  # between the morning and afternoon spans
        (14, 0, 0, True),
        (17, 29, 0, True),
        (17, 30, 0, False),
        (0, 0, 0, False),
        (23, 59, 59, False),
    ],
)
def test_spans_include_their_start_and_exclude_their_end(hour, minute, second, is_open):
    assert station().is_open_at(local(*MONDAY, hour, minute, second)) is is_open


@pytest.mark.parametrize(("day", "is_open"), [(2, True), (6, True), (7, False), (8, False)])  # Mon, Fri, Sat, Sun
def test_the_weekly_pattern_decides_the_day(day, is_open):
    assert station().is_open_at(local(2026, 3, day, 10, 0)) is is_open


def test_a_closed_date_wins_over_the_weekly_pattern():
    venue = station(closed=["2026-03-09"])

    assert not venue.is_open_at(local(*NEXT_MONDAY, 10, 0))
    assert venue.is_open_at(local(*MONDAY, 10, 0))  # the Monday before is an ordinary Monday


def test_no_hours_means_never_open():
    venue = Venue(opening_hours={}, closed_dates=[])

    assert not venue.is_open_at(local(*MONDAY, 10, 0))


def test_the_hours_table_shows_every_day_and_closed_days():
    rows = dict(station().hours_rows())

    assert rows["周一"] == "08:30–11:30、14:00–17:30"
    assert rows["周六"] == "闭馆"
    assert list(rows) == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def test_upcoming_closed_dates_are_today_and_later_in_order():
    venue = station(closed=["2026-03-01", "2026-03-20", "2026-03-02"])

    assert venue.upcoming_closed_dates(local(*MONDAY).date()) == ["2026-03-02", "2026-03-20"]


# --- open_now in the API and on the map page -------------------------------------------------------------


@pytest.fixture
def three_venues(make_venue):
    """At 10:00 on a Monday: one open (every day 9–17), one closed by its weekly pattern (Saturdays only),
    one closed for the day (its closed date)."""
    return {
        "open": make_venue(name="天天开放科技馆"),
        "saturday": make_venue(name="周六开放实验室", opening_hours={"sat": [["09:00", "12:00"]]}),
        "closed_today": make_venue(name="今日闭馆科技馆", closed_dates=["2026-03-02"]),
    }


def geojson_names(client, **params) -> set[str]:
    response = client.get("/api/v1/venues.geojson", params)
    assert response.status_code == 200, response.content
    return {f["properties"]["name"] for f in json.loads(response.content)["features"]}


def test_open_now_in_the_api_keeps_only_venues_open_at_this_moment(client, three_venues):
    with time_machine.travel(local(*MONDAY, 10, 0), tick=False):
        assert geojson_names(client, open_now="true") == {"天天开放科技馆"}
        assert geojson_names(client) == {"天天开放科技馆", "周六开放实验室", "今日闭馆科技馆"}

    with time_machine.travel(local(2026, 3, 7, 10, 0), tick=False):  # Saturday: its closed date is past
        assert geojson_names(client, open_now="true") == {"天天开放科技馆", "周六开放实验室", "今日闭馆科技馆"}

    with time_machine.travel(local(*MONDAY, 18, 0), tick=False):
        assert geojson_names(client, open_now="true") == set()


def test_open_now_uses_taian_time_not_utc(client, three_venues):
    # 02:00 UTC is 10:00 in Tai'an (open); 10:00 UTC is 18:00 in Tai'an (closed).
    with time_machine.travel("2026-03-02T02:00:00Z", tick=False):
        assert geojson_names(client, open_now="true") == {"天天开放科技馆"}
    with time_machine.travel("2026-03-02T10:00:00Z", tick=False):
        assert geojson_names(client, open_now="true") == set()


def test_open_now_on_the_map_page(client, three_venues):
    with time_machine.travel(local(*MONDAY, 10, 0), tick=False):
        response = client.get("/map/", {"open_now": "on"})
        everything = client.get("/map/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "天天开放科技馆" in text
    assert "周六开放实验室" not in text
    assert "今日闭馆科技馆" not in text
    assert "共 1 处" in text
    assert "共 3 处" in everything.content.decode()


def test_the_venue_page_says_whether_it_is_open_now(client, three_venues):
    with time_machine.travel(local(*MONDAY, 10, 0), tick=False):
        open_page = client.get(f"/v/{three_venues['open'].code}/").content.decode()
        closed_page = client.get(f"/v/{three_venues['closed_today'].code}/").content.decode()

    assert 'data-testid="open-now">此刻开放<' in open_page
    assert 'data-testid="open-now">此刻未开放<' in closed_page
    assert "2026-03-02" in closed_page  # the closed date is listed
