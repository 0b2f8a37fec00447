"""Venue services: what venue_create and venue_update refuse (in Chinese, saving nothing), the unified codes
venue_list_publicly issues, the audit trail of every write, and the map cache they retire on commit."""

from __future__ import annotations

import json
import re

import pytest

from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.core.models import AuditEvent
from xinghuo.venues.errors import VenueError
from xinghuo.venues.models import TYPE_CODES, Venue, VenueCodeCounter, VenueStatus, VenueType
from xinghuo.venues.services import map_changed, venue_list_publicly, venue_update

from .conftest import (
    BEIJIPO,
    DAIMIAO,
    DAIMIAO_VILLAGE,
    DAIYUE,
    HIGH_TECH_ZONE,
    MASKED_PHONE,
    PHONE,
    TAISHAN,
    ZHOUDIAN,
)

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_RE = re.compile(r"^XH-(KJG|FWZ|JD|KXG|GZS|SYS|ZT)-(\d{6})-(\d{4})$")


def last_audit_id() -> int:
    """The newest audit record's id: records are sealed (numbered) only after their transaction commits."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(audit_id: int, action: str | None = None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(id__gt=audit_id, object_type="venues.venue").order_by("id")
    return list(qs.filter(action=action) if action else qs)


# --- What venue_create refuses ----------------------------------------------------------------------------

REFUSED = [
    pytest.param({"opening_hours": {"funday": [["09:00", "17:00"]]}}, VenueError.INVALID_HOURS, "不是星期", id="unknown-day"),
    pytest.param({"opening_hours": {"mon": [["09:00", "25:00"]]}}, VenueError.INVALID_HOURS, "HH:MM", id="25-00"),
    pytest.param({"opening_hours": {"mon": [["9:00", "17:00"]]}}, VenueError.INVALID_HOURS, "HH:MM", id="one-digit-hour"),
    pytest.param({"opening_hours": {"mon": [["09:60", "17:00"]]}}, VenueError.INVALID_HOURS, "HH:MM", id="60-minutes"),
    pytest.param({"opening_hours": {"tue": [["17:00", "09:00"]]}}, VenueError.INVALID_HOURS, "开始早于结束", id="start-after-end"),
    pytest.param({"opening_hours": {"tue": [["09:00", "09:00"]]}}, VenueError.INVALID_HOURS, "开始早于结束", id="empty-span"),
    pytest.param(
        {"opening_hours": {"wed": [["09:00", "12:00"], ["11:30", "14:00"]]}}, VenueError.INVALID_HOURS, "重叠", id="overlapping-spans"
    ),
    pytest.param(
        {"opening_hours": {"wed": [["13:00", "17:00"], ["09:00", "13:30"]]}}, VenueError.INVALID_HOURS, "重叠", id="overlap-given-unsorted"
    ),
    pytest.param({"opening_hours": {"thu": [["09:00", "17:00"], ["10:00", "11:00"]]}}, VenueError.INVALID_HOURS, "重叠", id="nested-span"),
    pytest.param({"opening_hours": "每天 9 点到 5 点"}, VenueError.INVALID_HOURS, "格式不正确", id="hours-not-a-mapping"),
    pytest.param({"closed_dates": ["2026-02-30"]}, VenueError.INVALID_HOURS, "YYYY-MM-DD", id="closed-date-30-feb"),
    pytest.param({"closed_dates": ["2026-05-01", "五一"]}, VenueError.INVALID_HOURS, "YYYY-MM-DD", id="closed-date-words"),
    pytest.param({"audiences": ["public", "aliens"]}, VenueError.INVALID_AUDIENCE, "“aliens”无效", id="unknown-audience"),
    pytest.param(
        {"venue_type": VenueType.SPARK_HALL, "subtype": "sci_tech_yard"}, VenueError.INVALID_SUBTYPE, "不符", id="station-subtype-on-hall"
    ),
    pytest.param({"venue_type": VenueType.EDUCATION_BASE, "subtype": "city"}, VenueError.INVALID_SUBTYPE, "不符", id="subtype-on-untyped"),
    pytest.param(
        {"venue_type": VenueType.SPARK_STATION, "subtype": ""}, VenueError.INVALID_SUBTYPE, "请选择细分类型", id="station-no-subtype"
    ),
    pytest.param(
        {"venue_type": VenueType.SCIENCE_MUSEUM, "subtype": ""}, VenueError.INVALID_SUBTYPE, "请选择细分类型", id="museum-no-subtype"
    ),
    pytest.param({"region": "370900"}, VenueError.INVALID_REGION, "区划", id="city-level-region"),
    pytest.param({"lat": 60.0}, ErrorCode.INVALID, "", id="latitude-outside-china"),
    pytest.param({"lon": 140.5}, ErrorCode.INVALID, "", id="longitude-outside-china"),
    pytest.param({"name": ""}, ErrorCode.INVALID, "", id="no-name"),
]


@pytest.mark.parametrize(("overrides", "code", "words"), REFUSED)
@pytest.mark.parametrize("status", [VenueStatus.DRAFT, VenueStatus.CERTIFIED])
def test_venue_create_refuses_bad_input_in_chinese_and_saves_nothing(make_venue, overrides, code, words, status):
    venues, counters, mark = Venue.unscoped.count(), VenueCodeCounter.objects.count(), last_audit_id()

    with pytest.raises(DomainError) as caught:
        make_venue(status=status, **overrides)

    assert caught.value.code == code
    assert words in caught.value.message
    assert CJK.search(caught.value.message), caught.value.message
    assert Venue.unscoped.count() == venues
    assert VenueCodeCounter.objects.count() == counters  # no number spent on a refused venue
    assert last_audit_id() == mark  # and nothing in the audit trail


MALFORMED_HOURS = [
    pytest.param({"mon": "09:00-17:00"}, id="spans-as-text"),
    pytest.param({"mon": [["09:00"]]}, id="span-without-end"),
    pytest.param({"mon": [["09:00", "12:00", "17:00"]]}, id="span-of-three"),
    pytest.param({"mon": [[9, 17]]}, id="hours-as-numbers"),
    pytest.param({"mon": None}, id="no-spans"),
    pytest.param({"mon": {"09:00": "17:00"}}, id="spans-as-a-mapping"),
]


@pytest.mark.parametrize("hours", MALFORMED_HOURS)
def test_malformed_opening_hours_are_a_domain_error(make_venue, hours):
    with pytest.raises(DomainError) as caught:
        make_venue(opening_hours=hours)

    assert caught.value.code == VenueError.INVALID_HOURS
    assert "开放时段" in caught.value.message
    assert not Venue.unscoped.exists()


def test_closed_dates_that_are_not_a_list_are_a_domain_error(make_venue):
    with pytest.raises(DomainError) as caught:
        make_venue(closed_dates=20260501)

    assert caught.value.code == VenueError.INVALID_HOURS
    assert "闭馆日期" in caught.value.message
    assert not Venue.unscoped.exists()


def test_good_hours_are_kept_sorted_and_adjacent_spans_are_allowed(make_venue):
    venue = make_venue(
        opening_hours={"mon": [["14:00", "17:30"], ["08:30", "12:00"]], "tue": [["09:00", "12:00"], ["12:00", "18:00"]], "sun": []},
        closed_dates=["2026-10-02", "2026-10-01", "2026-10-01"],
    )

    venue.refresh_from_db()
    assert venue.opening_hours == {"mon": [["08:30", "12:00"], ["14:00", "17:30"]], "tue": [["09:00", "12:00"], ["12:00", "18:00"]]}
    assert venue.closed_dates == ["2026-10-01", "2026-10-02"]


def test_unknown_fields_are_a_programming_error(make_venue):
    with pytest.raises(TypeError):
        make_venue(colour="red")


def test_venue_update_checks_the_same_rules_and_leaves_the_venue_as_it_was(make_venue):
    venue = make_venue(status=VenueStatus.CERTIFIED)
    mark = last_audit_id()

    with pytest.raises(DomainError, match="开始早于结束"):
        venue_update(venue=venue, name="改名", opening_hours={"mon": [["18:00", "09:00"]]})
    with pytest.raises(DomainError, match="服务对象"):
        venue_update(venue=venue, audiences=["martians"])

    venue.refresh_from_db()
    assert venue.name != "改名"
    assert venue.audiences == ["public"]
    assert last_audit_id() == mark


# --- Unified codes ----------------------------------------------------------------------------------------


def test_a_draft_has_no_code_and_is_not_public(make_venue):
    venue = make_venue(status=VenueStatus.DRAFT)

    assert venue.code is None
    assert venue.status == VenueStatus.DRAFT
    assert not venue.is_public
    assert not VenueCodeCounter.objects.exists()


def test_the_code_has_the_exact_format(make_venue):
    venue = make_venue(region=DAIMIAO, venue_type=VenueType.SPARK_HALL)

    assert venue.code == "XH-KJG-370902-0001"
    assert venue.status == VenueStatus.REGISTERED


@pytest.mark.parametrize("venue_type", list(VenueType))
def test_every_type_has_its_short_code(make_venue, venue_type):
    venue = make_venue(venue_type=venue_type, region=ZHOUDIAN)

    assert venue.code == f"XH-{TYPE_CODES[venue_type]}-{DAIYUE}-0001"
    assert CODE_RE.match(venue.code)


def test_numbers_are_consecutive_per_type_and_county(make_venue):
    hall_1 = make_venue(region=DAIMIAO)
    station_1 = make_venue(region=DAIMIAO, venue_type=VenueType.SPARK_STATION)
    hall_b = make_venue(region=ZHOUDIAN)
    hall_2 = make_venue(region=DAIMIAO_VILLAGE)  # a village counts under its county
    hall_3 = make_venue(region=TAISHAN)  # so does a venue placed at the county itself
    station_2 = make_venue(region=DAIMIAO, venue_type=VenueType.SPARK_STATION)

    assert [hall_1.code, hall_2.code, hall_3.code] == ["XH-KJG-370902-0001", "XH-KJG-370902-0002", "XH-KJG-370902-0003"]
    assert [station_1.code, station_2.code] == ["XH-FWZ-370902-0001", "XH-FWZ-370902-0002"]
    assert hall_b.code == "XH-KJG-370911-0001"


def test_a_town_in_a_functional_zone_keeps_its_statistical_county_code(make_venue):
    venue = make_venue(region=BEIJIPO)  # 北集坡街道: 岱岳区, administered by 高新区

    assert venue.region.zone.code == HIGH_TECH_ZONE
    assert venue.code == "XH-KJG-370911-0001"


def test_drafts_spend_no_number_and_listing_later_takes_the_next(make_venue):
    draft = make_venue(status=VenueStatus.DRAFT)
    listed = make_venue()

    draft = venue_list_publicly(venue=draft)

    assert listed.code == "XH-KJG-370902-0001"
    assert draft.code == "XH-KJG-370902-0002"


def test_numbers_are_never_reused(make_venue):
    first = make_venue()
    second = make_venue()
    Venue.unscoped.get(pk=second.pk).delete()

    third = make_venue()

    assert (first.code, second.code, third.code) == ("XH-KJG-370902-0001", "XH-KJG-370902-0002", "XH-KJG-370902-0003")


def test_a_code_is_stable_through_certification_updates_and_relisting(make_venue):
    venue = make_venue(status=VenueStatus.REGISTERED)
    code = venue.code

    certified = venue_list_publicly(venue=venue, status=VenueStatus.CERTIFIED)
    updated = venue_update(venue=certified, name="新名字星火科技馆")
    again = venue_list_publicly(venue=updated, status=VenueStatus.CERTIFIED)

    assert certified.code == updated.code == again.code == code
    assert certified.status == VenueStatus.CERTIFIED
    assert certified.certified_at is not None
    assert VenueCodeCounter.objects.get(prefix="XH-KJG-370902").last == 1


def test_listing_only_registers_or_certifies(make_venue):
    venue = make_venue(status=VenueStatus.DRAFT)

    with pytest.raises(ValueError, match="revoked"):
        venue_list_publicly(venue=venue, status=VenueStatus.REVOKED)

    venue.refresh_from_db()
    assert venue.code is None


def test_registered_has_no_certification_time_and_certified_has_one(make_venue):
    registered = make_venue(status=VenueStatus.REGISTERED)
    certified = make_venue(status=VenueStatus.CERTIFIED)

    assert registered.certified_at is None
    assert certified.certified_at is not None
    assert certified.status == VenueStatus.CERTIFIED


# --- Audit ------------------------------------------------------------------------------------------------


def test_creating_a_venue_leaves_one_create_record_with_the_phone_masked(make_venue):
    mark = last_audit_id()

    venue = make_venue(status=VenueStatus.DRAFT, name="岱庙星火科技馆")

    (created,) = events_since(mark)
    assert created.action == "create"
    assert created.object_id == str(venue.uid)
    assert "岱庙星火科技馆" in created.object_repr
    assert created.changes["contact_phone"] == [None, MASKED_PHONE]
    assert created.changes["name"] == [None, "岱庙星火科技馆"]
    assert PHONE not in json.dumps(created.changes, ensure_ascii=False)


def test_creating_a_listed_venue_records_the_create_and_then_the_code(make_venue):
    mark = last_audit_id()

    venue = make_venue(status=VenueStatus.CERTIFIED)

    records = events_since(mark)
    assert [e.action for e in records] == ["create", "update"]
    assert records[1].changes["code"] == [None, venue.code]
    assert records[1].changes["status"] == [VenueStatus.DRAFT, VenueStatus.CERTIFIED]
    assert all(PHONE not in json.dumps(e.changes, ensure_ascii=False) for e in records)


def test_an_update_is_audited_with_old_and_new_values_masked(make_venue):
    venue = make_venue()
    mark = last_audit_id()

    venue_update(venue=venue, contact_phone="13987654321", capacity=80)

    (updated,) = events_since(mark)
    assert updated.action == "update"
    assert updated.changes["contact_phone"] == [MASKED_PHONE, "139****4321"]
    assert updated.changes["capacity"] == ["50", "80"]
    assert "13987654321" not in json.dumps(updated.changes)


def test_an_update_that_changes_nothing_leaves_no_record(make_venue):
    venue = make_venue()
    mark = last_audit_id()

    venue_update(venue=venue, capacity=venue.capacity)

    assert events_since(mark) == []


# --- The map cache ----------------------------------------------------------------------------------------


def test_listing_a_venue_retires_the_map_cache_on_commit(make_venue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        make_venue(refresh_map=False)

    assert map_changed in callbacks


def test_updating_a_venue_retires_the_map_cache_on_commit(make_venue, django_capture_on_commit_callbacks):
    venue = make_venue()

    with django_capture_on_commit_callbacks() as callbacks:
        venue_update(venue=venue, name="改过的名字")

    assert map_changed in callbacks
