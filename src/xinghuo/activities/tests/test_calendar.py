"""The public activity calendar: only what the public may see, its filters, the iCalendar feed and each activity's
.ics file (checked line by line against RFC 5545), sharing, the sign-up rate limit and the portal's entrance."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from xinghuo.activities import ical, throttle
from xinghuo.activities.models import Activity, Brand, Format, Registration
from xinghuo.activities.tests.conftest import draft, fields, published, soon, verified
from xinghuo.core import audit
from xinghuo.regions.models import Region

pytestmark = pytest.mark.django_db

ZHOUDIAN = "370911001"  # 粥店街道 (岱岳区, county B)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def listed(client, query: str = "") -> str:
    response = client.get(f"/activities/{query}")
    assert response.status_code == 200
    return response.content.decode()


# --- the serializer --------------------------------------------------------------------------------------------


def test_text_is_escaped_backslash_first():
    assert ical.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "泰山科普" * 40  # 3 octets a character

    folded = ical.fold(line)

    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line
    assert ical.fold("SHORT:x") == "SHORT:x"


def test_times_are_utc_and_naive_ones_are_refused():
    shanghai = datetime(2026, 3, 1, 17, 30, tzinfo=timezone.get_fixed_timezone(480))
    assert ical.utc(shanghai) == "20260301T093000Z"
    with pytest.raises(ValueError, match="naive"):
        ical.utc(datetime(2026, 3, 1, 9, 30))


def check_ics(body: bytes) -> list[str]:
    """RFC 5545 as far as we write it: CRLF everywhere, ≤75 octets a line, balanced BEGIN/END; the unfolded lines."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    raw = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in raw)
    text = body.decode().replace("\r\n ", "")  # unfold
    lines = text.split("\r\n")[:-1]
    stack = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    for line in lines:
        if line.startswith(("DTSTART", "DTEND", "DTSTAMP")):
            assert re.fullmatch(r"DT(START|END|STAMP):\d{8}T\d{6}Z", line), line
    return lines


# --- the pages -------------------------------------------------------------------------------------------------


def test_the_calendar_lists_public_activities_only_and_never_a_draft_of_county_b(client, cast):
    given = published(cast, title="智能手机防诈骗讲座")
    past = verified(cast, title="已核验的健康讲座", starts_at=soon(days=1))
    with audit.bulk_write(model=Activity, description="测试：活动已于十天前举办"):
        Activity.unscoped.filter(pk=past.pk).update(starts_at=soon(days=-10), ends_at=soon(days=-10) + timedelta(hours=2))
    draft(cast.filer, cast.org_a, title="还是草稿的讲座")
    draft(cast.filer_b, cast.org_b, title="岱岳区草稿讲座", region=Region.objects.get(code=ZHOUDIAN), address="粥店街道某社区")

    text = listed(client)

    assert "智能手机防诈骗讲座" in text
    assert f"/activities/{given.uid}/" in text
    assert "还是草稿的讲座" not in text
    assert "岱岳区草稿讲座" not in text
    assert "已核验的健康讲座" not in text  # upcoming by default
    assert "已核验的健康讲座" in listed(client, f"?month={soon(days=-10):%Y-%m}")
    assert "余 60 个" in text


def test_the_calendar_groups_by_day_in_order_of_start(client, cast):
    published(cast, title="后天下午的讲座", starts_at=soon(days=2, hour=14))
    published(cast, title="后天上午的讲座", starts_at=soon(days=2, hour=9))
    published(cast, title="五天后的讲座", starts_at=soon(days=5))

    text = listed(client)

    assert text.count('data-testid="day"') == 2
    assert text.index("后天上午的讲座") < text.index("后天下午的讲座") < text.index("五天后的讲座")


def test_the_calendar_filters_by_brand_county_audience_format_and_dates(client, cast):
    published(cast, title="线下助老讲座")
    published(cast, title="线上青少年课", format=Format.ONLINE, online_url="https://live.example.cn/1", address="", audiences=["youth"],
              brand=cast_brand("free"), starts_at=soon(days=20))  # fmt: skip

    assert "线上青少年课" not in listed(client, "?brand=smart_elderly")
    assert "线下助老讲座" not in listed(client, "?audience=youth")
    assert "线下助老讲座" not in listed(client, "?format=online")
    assert "线上青少年课" in listed(client, "?format=online")
    assert "线上青少年课" not in listed(client, "?format=offline")
    assert "线下助老讲座" in listed(client, "?county=370902")
    assert "线下助老讲座" not in listed(client, "?county=370911")
    window = f"?since={soon(days=15):%Y-%m-%d}&until={soon(days=25):%Y-%m-%d}"
    assert "线下助老讲座" not in listed(client, window)
    assert "线上青少年课" in listed(client, window)
    bad = listed(client, "?month=2026-13&until=2026-01-01&since=2026-02-01")
    assert 'data-testid="filter-errors"' in bad


def cast_brand(code: str) -> Brand:
    return Brand.objects.get(code=code)


def test_the_feed_is_valid_icalendar_with_the_same_filters(client, cast):
    first = published(cast, title="讲座：健康, 饮食; 与\\睡眠", description="第一行\n第二行" + "，很长的说明" * 30)
    published(cast, title="线上青少年课", format=Format.ONLINE, online_url="https://live.example.cn/1", address="", audiences=["youth"])
    draft(cast.filer_b, cast.org_b, title="岱岳区草稿讲座", region=Region.objects.get(code=ZHOUDIAN), address="粥店街道某社区")

    response = client.get("/activities/calendar.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = check_ics(response.content)
    assert lines.count("BEGIN:VEVENT") == 2
    assert f"UID:{first.uid}@xinghuo" in lines
    assert "SUMMARY:讲座：健康\\, 饮食\\; 与\\\\睡眠" in lines
    assert f"URL:http://testserver/activities/{first.uid}/" in lines
    assert "LOCATION:线上" in lines
    assert "LOCATION:岱庙街道社区活动中心" in lines
    assert any(line.startswith("DESCRIPTION:") and "第一行\\n第二行" in line for line in lines)
    start = first.starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in lines
    assert "岱岳区草稿讲座" not in response.content.decode()
    youth = check_ics(client.get("/activities/calendar.ics?audience=youth").content)
    assert youth.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:线上青少年课" in youth


def test_each_activity_has_an_ics_file_and_a_share_link(client, cast):
    activity = published(cast)
    page = client.get(f"/activities/{activity.uid}/").content.decode()

    assert f'href="/activities/{activity.uid}/event.ics"' in page
    assert "加入日历" in page
    assert f'value="http://testserver/activities/{activity.uid}/"' in page
    assert "分享" in page
    lines = check_ics(client.get(f"/activities/{activity.uid}/event.ics").content)
    assert lines.count("BEGIN:VEVENT") == 1
    assert f"UID:{activity.uid}@xinghuo" in lines


def test_a_draft_has_no_ics_file(client, cast):
    activity = draft(cast.filer, cast.org_a)

    assert client.get(f"/activities/{activity.uid}/event.ics").status_code == 404


# --- the rate limit --------------------------------------------------------------------------------------------


def test_sign_up_is_limited_per_person_and_changes_nothing_over_the_limit(client, login, personas, cast, monkeypatch):
    monkeypatch.setattr(throttle, "PER_USER", 3)
    activity = published(cast, **fields(capacity=60))
    login(client, personas.citizen)
    for _ in range(2):
        assert client.post(f"/activities/{activity.uid}/register/", {"seats": 1, "participant_name": ""}).status_code in (200, 302, 400)
    client.post(f"/activities/{activity.uid}/register/", {"seats": 1})
    before = Registration.unscoped.count()

    response = client.post(f"/activities/{activity.uid}/register/", {"seats": 1})

    assert response.status_code == 429
    assert "报名提交过于频繁" in response.content.decode()
    assert Registration.unscoped.count() == before


def test_sign_up_is_limited_per_address_across_people(client, login, personas, cast, monkeypatch):
    from tests.factories import CitizenFactory

    monkeypatch.setattr(throttle, "PER_IP", 2)
    activity = published(cast)
    for _ in range(2):
        login(client, CitizenFactory())
        assert client.post(f"/activities/{activity.uid}/register/", {"seats": 1}).status_code == 302
    login(client, CitizenFactory())

    response = client.post(f"/activities/{activity.uid}/register/", {"seats": 1})

    assert response.status_code == 429
    assert Registration.unscoped.filter(activity=activity).count() == 2
    cache.clear()  # a minute later
    assert client.post(f"/activities/{activity.uid}/register/", {"seats": 1}).status_code == 302


def test_the_window_counts_attempts_and_a_new_window_starts_over():
    assert all(throttle.signup_allowed(user_id=1, ip="10.0.0.9") for _ in range(throttle.PER_USER))
    assert not throttle.signup_allowed(user_id=1, ip="10.0.0.9")
    assert throttle.signup_allowed(user_id=2, ip="10.0.0.9")  # another person from the same address
    cache.delete("signup-rate:user:1")
    assert throttle.signup_allowed(user_id=1, ip="10.0.0.9")


# --- the portal ------------------------------------------------------------------------------------------------


def test_the_portal_entrance_opens_the_calendar_and_me_links_my_activities(client, login, personas):
    home = client.get("/").content.decode()
    assert 'href="/activities/" data-testid="entrance-activities"' in home

    login(client, personas.citizen)
    me = client.get("/me/").content.decode()
    assert 'href="/me/activities/"' in me
    assert "我的活动" in me


def test_the_month_grid_places_each_activity_on_its_day_and_links_the_day(client, cast):
    first = published(cast, title="十日的防诈骗讲座", starts_at=soon(days=10, hour=9))
    published(cast, title="十日下午的讲座", starts_at=soon(days=10, hour=14))
    later = published(cast, title="下个月以后的讲座", starts_at=soon(days=70))
    day = timezone.localtime(first.starts_at).date()

    response = client.get("/activities/", {"view": "month", "month": day.strftime("%Y-%m")})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-date="{day.isoformat()}"' in page
    cell = page.split(f'data-date="{day.isoformat()}"', 1)[1].split("</td>", 1)[0]
    assert "十日的防诈骗讲座" in cell
    assert "十日下午的讲座" in cell
    assert f"since={day.isoformat()}&amp;until={day.isoformat()}" in cell
    assert later.title not in page
    assert f"{day.year}年{day.month}月" in page


def test_the_month_grid_keeps_the_filters_when_moving_between_months(client, cast):
    response = client.get("/activities/", {"view": "month", "month": "2027-01", "audience": "elderly"})

    page = response.content.decode()
    assert "audience=elderly&amp;view=month&amp;month=2026-12" in page  # the month before
    assert "audience=elderly&amp;view=month&amp;month=2027-02" in page
    assert "2027年1月" in page


def test_the_calendar_reads_a_fixed_number_of_queries_however_many_activities(client, cast, django_assert_max_num_queries):
    for n in range(12):
        published(cast, title=f"第 {n} 场讲座", starts_at=soon(days=5 + n))

    with django_assert_max_num_queries(8):
        assert client.get("/activities/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/activities/", {"view": "month"}).status_code == 200
