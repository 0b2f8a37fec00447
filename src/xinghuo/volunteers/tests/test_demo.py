"""The volunteers' demo: teams with members, service records that keep every rule (a record a day, hours in range,
kept by the organiser), running totals equal to the records, stars earned by the hours, a notice open; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Sum

from xinghuo.volunteers.models import (
    MAX_TEAMS,
    AwardStatus,
    Certificate,
    RecordStatus,
    ServiceRecord,
    StarAward,
    StarObjection,
    Team,
    TeamMembership,
    VolunteerHours,
    star_for,
)

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_teams_records_stars_and_a_notice_that_keep_the_rules(client):
    call_command("seed_demo", "--scale", "small", "--quiet")

    assert Team.unscoped.filter(organisation__memberships__user__username="xuehui_org").exists()
    assert TeamMembership.unscoped.values("person").annotate(n=Count("id")).aggregate(m=Max("n"))["m"] <= MAX_TEAMS
    assert 300 <= ServiceRecord.unscoped.count() <= 600
    per_day = ServiceRecord.unscoped.values("volunteer", "date").annotate(h=Sum("hours")).aggregate(m=Max("h"))["m"]
    assert per_day <= 24
    for record in ServiceRecord.unscoped.filter(activity__isnull=False).select_related("activity")[:50]:
        assert record.organisation_id == record.activity.organiser_id
    for row in VolunteerHours.unscoped.all():
        confirmed = ServiceRecord.unscoped.filter(volunteer_id=row.person_id, status=RecordStatus.CONFIRMED)
        assert row.confirmed_hours == confirmed.aggregate(s=Sum("hours"))["s"]
        assert row.records == confirmed.count()
    for award in StarAward.unscoped.filter(status=AwardStatus.AWARDED):
        assert star_for(award.hours) == award.level
        assert Certificate.unscoped.filter(award=award).exists()
    noticed = StarAward.unscoped.filter(status=AwardStatus.NOTICED)
    assert noticed.exists()
    assert StarObjection.unscoped.filter(award__in=noticed).exists()
    assert noticed.first().person.name in client.get("/volunteers/notice/").content.decode()


def test_seeding_again_adds_nothing():
    call_command("seed_demo", "--scale", "small", "--quiet")
    counts = (Team.unscoped.count(), ServiceRecord.unscoped.count(), StarAward.unscoped.count())

    call_command("seed_demo", "--scale", "small", "--quiet")

    assert (Team.unscoped.count(), ServiceRecord.unscoped.count(), StarAward.unscoped.count()) == counts
