"""Every list of this issue exports to Excel in the actor's scope, personal values masked, the export audited."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from xinghuo.certification import services
from xinghuo.certification.tests.conftest import acting_as, submitted_application
from xinghuo.core.models import AuditEvent
from xinghuo.venues.booking import booking_create, slot_create

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_applications_and_reviews_export_in_scope(client, login, cast, make_venue, personas):
    submitted_application(cast)
    old = make_venue(name="岱庙社区科普馆", status="certified", operator=personas.org_a)
    old.certified_at = timezone.now() - timedelta(days=400)
    old.save(update_fields=["certified_at"])
    with acting_as(cast.city):
        services.annual_reviews_open(actor=cast.city, year=timezone.localdate().year)

    login(client, cast.county_a.user)
    applications = rows_of(client.get("/console/certification/export/"))
    assert applications[0][0] == "场馆"
    assert [r[0] for r in applications[1:]] == [cast.venue.name]
    reviews = rows_of(client.get("/console/certification/reviews/export/"))
    assert [r[1] for r in reviews[1:]] == [old.name]

    login(client, cast.county_b.user)
    assert rows_of(client.get("/console/certification/export/"))[1:] == []
    assert rows_of(client.get("/console/certification/reviews/export/"))[1:] == []
    assert AuditEvent.objects.filter(action="export", object_type="certification.annualreview").count() == 2


def test_visit_bookings_export_with_the_phone_masked(client, login, personas, make_venue):
    venue = make_venue()
    start = timezone.now() + timedelta(days=3)
    slot = slot_create(venue=venue, starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    booking_create(slot=slot, user=personas.citizen, party_size=2, contact_name="王女士", contact_phone="13912345678")
    login(client, personas.county_a)
    rows = rows_of(client.get("/console/venues/bookings/export/"))
    assert rows[1][5] == "王女士"
    assert rows[1][6] == "139****5678"
    login(client, personas.county_b)
    assert rows_of(client.get("/console/venues/bookings/export/"))[1:] == []


def test_the_standards_export_lists_every_indicator(client, login, personas):
    login(client, personas.county_a)
    rows = rows_of(client.get("/console/certification/standards/export/"))
    assert rows[0][:3] == ["场馆类型", "标准", "版本"]
    stations = [r for r in rows[1:] if r[0] == "星火科普服务站"]
    assert [r[6] for r in stations[:5]] == ["有网络", "有人员", "有场所", "有活动", "有终端"]
    assert sum(r[7] for r in stations) == 100
