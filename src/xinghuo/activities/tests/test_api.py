"""The activities API: the public calendar and an activity as JSON, and the brands' progress in the caller's scope."""

from __future__ import annotations

import pytest

from xinghuo.activities.models import Level
from xinghuo.activities.tests.conftest import draft, published, soon, verified

pytestmark = pytest.mark.django_db


def test_the_calendar_lists_published_activities_with_seats_and_links(client, cast):
    lecture = published(cast, title="智能手机防诈骗讲座", capacity=60)
    draft(cast.filer, cast.org_a, title="还在草稿中的活动")

    body = client.get("/api/v1/activities").json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["uid"] == str(lecture.uid)
    assert item["title"] == "智能手机防诈骗讲座"
    assert item["brand"] == "智惠助老"
    assert item["county"] == "泰山区"
    assert item["seats_left"] == 60
    assert item["registration_open"] is True
    assert item["audiences"] == ["老年人"]
    assert item["url"].endswith(f"/activities/{lecture.uid}/")
    assert item["ical_url"].endswith(f"/activities/{lecture.uid}/event.ics")


def test_the_calendar_filters_like_the_page(client, cast):
    published(cast, title="泰山区的讲座")
    published(cast, title="一个月后的讲座", starts_at=soon(days=40))

    by_county = client.get("/api/v1/activities", {"county": "370911"}).json()
    by_date = client.get("/api/v1/activities", {"since": soon(days=30).date().isoformat()}).json()
    by_audience = client.get("/api/v1/activities", {"audience": "youth"}).json()

    assert by_county["count"] == 0
    assert [a["title"] for a in by_date["items"]] == ["一个月后的讲座"]
    assert by_audience["count"] == 0


def test_a_wrong_filter_is_explained_in_chinese(client, db):
    response = client.get("/api/v1/activities", {"format": "radio"})

    assert response.status_code == 422
    assert "参数“format”的值无效" in response.json()["detail"]


def test_an_activity_in_detail_and_a_draft_is_not_found(client, cast):
    lecture = published(cast, title="智能手机防诈骗讲座", description="请带上智能手机")
    hidden = draft(cast.filer, cast.org_a, title="草稿")

    body = client.get(f"/api/v1/activities/{lecture.uid}").json()
    missing = client.get(f"/api/v1/activities/{hidden.uid}")

    assert body["description"] == "请带上智能手机"
    assert body["organiser"] == cast.org_a.name
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_progress_counts_verified_activities_in_the_callers_scope(client, login, cast, personas):
    verified(cast, title="泰山区的智惠助老讲座")
    verified(cast, title="市级的智惠助老讲座", level=Level.CITY)

    assert client.get("/api/v1/activities/progress").status_code == 401
    login(client, personas.city_staff)
    city = {(r["brand_code"], r["level"]): r for r in client.get("/api/v1/activities/progress").json()}
    login(client, personas.county_b)
    county_b = {(r["brand_code"], r["level"]): r for r in client.get("/api/v1/activities/progress").json()}

    assert city[("smart_elderly", "city")]["verified"] == 1
    assert city[("smart_elderly", "city")]["target"] == "3–5 期"
    assert city[("smart_elderly", "grassroots")]["verified"] == 1
    assert county_b[("smart_elderly", "city")]["verified"] == 0
