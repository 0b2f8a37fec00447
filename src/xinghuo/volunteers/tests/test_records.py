"""Service records: 谁组织谁记录，谁记录谁证明 — the organiser of the service enters and confirms it; only confirmed
hours count; a day holds at most 24 hours; a county sees its own people's records."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent
from xinghuo.core.scoping import scope
from xinghuo.volunteers import selectors, services
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import RecordStatus, ServiceRecord, VolunteerHours
from xinghuo.volunteers.tests.conftest import held_activity, team_of

pytestmark = pytest.mark.django_db


def _enter(cast, activity, person=None, hours="3", days_ago=3, actor=None):
    return services.record_enter(
        actor=actor or cast.society, volunteer=person or cast.vol_a, date=timezone.localdate() - timedelta(days=days_ago), hours=hours,
        content="科普讲解", activity=activity,
    )  # fmt: skip


def _total(person) -> Decimal:
    row = VolunteerHours.unscoped.filter(person=person).first()
    return row.confirmed_hours if row else Decimal(0)


def test_entered_hours_count_only_once_the_organiser_confirms_them(cast):
    # given the society held an activity and entered three hours of a volunteer's service at it
    activity = held_activity(cast.society_org)
    record = _enter(cast, activity)
    assert record.status == RecordStatus.ENTERED
    assert record.organisation == cast.society_org
    assert _total(cast.vol_a) == 0

    # when the society confirms it
    services.records_confirm(actor=cast.society, records=[record])

    # then the three hours count
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED
    assert record.confirmed_at is not None
    assert _total(cast.vol_a) == Decimal("3.0")


def test_an_organiser_cannot_record_hours_at_another_organisations_activity(cast):
    # given an activity of the school of county A
    activity = held_activity(cast.school_org)

    # when the medical society tries to record a volunteer's hours at it, then it is refused and nothing is kept
    with pytest.raises(DomainError) as refused:
        _enter(cast, activity)
    assert refused.value.code == E.NOT_RECORDER
    assert "岱庙街道中心小学" in refused.value.message
    assert not ServiceRecord.unscoped.exists()


def test_county_staff_do_not_record_for_a_school_of_their_county(cast):
    activity = held_activity(cast.school_org)

    with pytest.raises(DomainError) as refused:
        _enter(cast, activity, actor=cast.county_a)

    assert refused.value.code == E.NOT_RECORDER


def test_city_department_staff_record_for_the_city_associations_own_activity(cast):
    activity = held_activity(cast.city_org)

    record = _enter(cast, activity, actor=cast.city)

    assert record.organisation == cast.city_org


def test_only_the_recording_organisation_confirms(cast):
    record = _enter(cast, held_activity(cast.society_org))

    with pytest.raises(DomainError) as refused:
        services.records_confirm(actor=cast.school_a, records=[record])

    assert refused.value.code == E.NOT_RECORDER
    record.refresh_from_db()
    assert record.status == RecordStatus.ENTERED


def test_a_record_is_confirmed_once(cast):
    record = _enter(cast, held_activity(cast.society_org))
    services.records_confirm(actor=cast.society, records=[record])

    with pytest.raises(DomainError) as refused:
        services.records_confirm(actor=cast.society, records=[record])

    assert refused.value.code == E.STATUS
    assert _total(cast.vol_a) == Decimal("3.0")


@pytest.mark.parametrize("hours", ["0", "-1", "24.5", "2.25", "两小时"])
def test_hours_out_of_range_are_refused(cast, hours):
    with pytest.raises(DomainError) as refused:
        _enter(cast, held_activity(cast.society_org), hours=hours)

    assert refused.value.code == E.HOURS


def test_a_day_holds_at_most_24_hours_of_one_volunteer_across_organisations(cast):
    # given 20 hours recorded by the society on a day (one long activity)
    _enter(cast, held_activity(cast.society_org), hours="20")

    # when the school records 5 more hours of the same volunteer on the same day, then it is refused
    with pytest.raises(DomainError) as refused:
        _enter(cast, held_activity(cast.school_org, title="校园科技节"), hours="5", actor=cast.school_a)
    assert refused.value.code == E.DAY_LIMIT

    # but 4 hours fit
    _enter(cast, held_activity(cast.school_org, title="校园科技节"), hours="4", actor=cast.school_a)


def test_the_database_refuses_a_record_above_24_hours_even_past_the_service(cast):
    activity = held_activity(cast.society_org)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.unscoped.create(volunteer=cast.vol_a, date=timezone.localdate(), hours=Decimal("24.5"), content="x",
                                      activity=activity, organisation=cast.society_org)  # fmt: skip


def test_service_days_must_fall_within_the_activity(cast):
    activity = held_activity(cast.society_org, days_ago=3)

    with pytest.raises(DomainError) as refused:
        _enter(cast, activity, days_ago=10)

    assert refused.value.code == E.ACTIVITY
    assert refused.value.field == "date"


def test_someone_without_the_volunteer_role_is_not_recorded(cast):
    expert = cast.volunteer("孙专家", 7, roles=("expert",))

    with pytest.raises(DomainError) as refused:
        _enter(cast, held_activity(cast.society_org), person=expert)

    assert refused.value.code == E.NOT_VOLUNTEER


def test_a_recorder_finds_a_volunteer_by_phone_or_id_number_with_the_name(cast):
    assert services.volunteer_find(key=cast.vol_a.phone, name="赵志愿") == cast.vol_a
    assert services.volunteer_find(key=cast.vol_b.id_number, name="钱志愿") == cast.vol_b
    with pytest.raises(DomainError) as wrong_name:
        services.volunteer_find(key=cast.vol_a.phone, name="钱志愿")
    assert wrong_name.value.code == E.UNKNOWN_PERSON


def test_a_county_sees_its_own_peoples_records_and_the_recorder_sees_all_it_keeps(cast):
    # given the society recorded a volunteer of county A and one of county B
    activity = held_activity(cast.society_org)
    mine_a, mine_b = _enter(cast, activity), _enter(cast, activity, person=cast.vol_b)

    # then county B sees only its volunteer's record, county A only its own, the society both, the city both
    def seen(actor):
        with scope(**actor.scope_kwargs()):
            return set(selectors.record_list(actor=actor))

    assert seen(cast.county_b) == {mine_b}
    assert seen(cast.county_a) == {mine_a}
    assert seen(cast.society) == {mine_a, mine_b}
    assert seen(cast.city) == {mine_a, mine_b}
    assert seen(cast.school_a) == set()


def test_the_running_total_always_equals_the_sum_of_confirmed_records(cast):
    # given a mix of entries, confirmations and deletions of entered records for two volunteers
    rng = random.Random(7)
    activity = held_activity(cast.society_org, days_ago=30, length_days=29)
    team = team_of(cast.society, cast.society_org, members=(cast.vol_a, cast.vol_b))
    entered = []
    for day in range(1, 29):
        for person in (cast.vol_a, cast.vol_b):
            hours = Decimal(rng.randint(1, 60)) / 10
            entered.append(services.record_enter(actor=cast.society, volunteer=person, date=timezone.localdate() - timedelta(days=day),
                                                 hours=hours, content="讲解", activity=activity if day % 2 else None, team=team))  # fmt: skip
        if day % 5 == 0:
            batch, entered = entered[:-1], entered[-1:]
            services.records_confirm(actor=cast.society, records=batch)
        if day % 7 == 0:
            services.record_delete(actor=cast.society, record=entered.pop())

    # then each volunteer's running total is the sum of their confirmed records
    for person in (cast.vol_a, cast.vol_b):
        confirmed = ServiceRecord.unscoped.filter(volunteer=person, status=RecordStatus.CONFIRMED)
        assert _total(person) == confirmed.aggregate(s=Sum("hours"))["s"]
        assert VolunteerHours.unscoped.get(person=person).records == confirmed.count()
    assert ServiceRecord.unscoped.filter(status=RecordStatus.ENTERED).exists()


def test_a_confirmed_record_cannot_be_deleted(cast):
    record = _enter(cast, held_activity(cast.society_org))
    services.records_confirm(actor=cast.society, records=[record])

    with pytest.raises(DomainError) as refused:
        services.record_delete(actor=cast.society, record=record)

    assert refused.value.code == E.STATUS


def test_a_confirmation_made_in_error_is_taken_back_with_a_reason_and_the_hours_leave_the_total(cast):
    # given two confirmed records of the society
    activity = held_activity(cast.society_org)
    first, second = _enter(cast, activity, hours="3"), _enter(cast, activity, hours="2", days_ago=3)
    services.records_confirm(actor=cast.society, records=[first, second])

    # when the school tries to take one back, then it may not; when the society does, with a reason
    with pytest.raises(DomainError) as refused:
        services.record_unconfirm(actor=cast.school_a, record=first, reason="录错了志愿者")
    assert refused.value.code == E.NOT_RECORDER
    services.record_unconfirm(actor=cast.society, record=first, reason="录错了志愿者")

    # then it waits for confirmation again (and may be deleted), and the total is the other record's
    first.refresh_from_db()
    assert first.status == RecordStatus.ENTERED
    assert _total(cast.vol_a) == Decimal("2.0")
    assert VolunteerHours.unscoped.get(person=cast.vol_a).records == 1
    services.record_delete(actor=cast.society, record=first)
    assert AuditEvent.objects.filter(object_id=str(first.uid), changes__unconfirmed__1="录错了志愿者").exists()
