"""The rules around the main journey: what a withdrawal means, what a returned application keeps, who may read
whose objection, how a stale page is answered, and that a refused upload leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from xinghuo.certification import services
from xinghuo.certification.errors import CertificationError as E
from xinghuo.certification.models import AnnualReview, Application, ApplicationKind, ApplicationStatus, Evidence, Step, StepAction
from xinghuo.certification.tests.conftest import acting_as, full_marks, in_notice, pdf, png, submitted_application
from xinghuo.core.errors import DomainError
from xinghuo.venues.models import Venue, VenueStatus

pytestmark = pytest.mark.django_db


def test_withdrawing_a_five_year_re_assessment_gives_the_plaque_up(cast, make_venue, personas):
    hall = make_venue(name="泰山新能源星火科技馆", status="certified", operator=personas.org_a)
    with acting_as(cast.operator):
        application = services.application_create(actor=cast.operator, venue=hall, kind=ApplicationKind.REASSESSMENT)
        services.application_withdraw(actor=cast.operator, application=application)
    assert Venue.unscoped.get(pk=hall.pk).status == VenueStatus.REVOKED


def test_staff_withdrawing_an_operators_application_say_why(cast):
    application = submitted_application(cast)
    with pytest.raises(DomainError) as silent:
        services.application_withdraw(actor=cast.county_a, application=application)
    assert silent.value.code == E.REASON_REQUIRED
    services.application_withdraw(actor=cast.county_a, application=application, reason="运营单位书面申请撤回")
    assert Application.unscoped.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN


def test_a_returned_application_keeps_what_was_reviewed(cast):
    application = submitted_application(cast)
    services.application_county_review(actor=cast.county_a, application=application, approve=False, reason="请补充照片")
    reviewed = Evidence.unscoped.get(application=application)
    with acting_as(cast.operator):
        with pytest.raises(DomainError) as kept:
            services.evidence_remove(actor=cast.operator, evidence=reviewed)
        assert "作为办理记录保留" in kept.value.message
        added = services.evidence_add(actor=cast.operator, application=application, upload=png())
        services.evidence_remove(actor=cast.operator, evidence=added)  # a file added since the return may go
    submit = Step.unscoped.get(application=application, action=StepAction.SUBMIT)
    assert len(submit.data["self_scores"]) == application.standard.indicators.count()


def test_one_open_objection_per_person(cast):
    application = in_notice(cast)
    services.objection_file(application=application, content="服务站周末不开放，请核实情况", contact_name="李", contact_phone="13900001111",
                            actor=cast.citizen)  # fmt: skip
    with pytest.raises(DomainError) as again:
        services.objection_file(application=application, content="再次提出：服务站周末不开放", contact_name="李",
                                contact_phone="13900001111", actor=cast.citizen)  # fmt: skip
    assert "尚在核实中" in again.value.message


def test_the_operator_reads_objections_without_who_raised_them(client, login, cast):
    application = in_notice(cast)
    services.objection_file(application=application, content="服务站的科普终端长期关机", contact_name="李先生", contact_phone="13900001111",
                            actor=cast.citizen)  # fmt: skip
    login(client, cast.operator.user)
    page = client.get(f"/console/certification/{application.uid}/").content.decode()
    assert "服务站的科普终端长期关机" in page
    assert "李先生" not in page
    assert "139****1111" not in page
    login(client, cast.city.user)
    assert "139****1111" in client.get(f"/console/certification/{application.uid}/").content.decode()


def test_a_stale_page_is_told_what_happened(client, login, cast):
    application = submitted_application(cast)
    services.application_county_review(actor=cast.county_a, application=application, approve=True)
    login(client, cast.county_a.user)  # a colleague's page still shows the review form
    response = client.post(
        f"/console/certification/{application.uid}/county-review/", {"decision": "return", "reason": "材料不全"}, follow=True
    )
    assert response.status_code == 200
    assert "待市级评审" in response.content.decode()  # the message names the status it has moved on to
    assert Application.unscoped.get(pk=application.pk).status == ApplicationStatus.COUNTY_APPROVED


def test_a_refused_photo_leaves_no_file_behind(cast, make_venue, personas):
    hall = make_venue(name="泰山新能源星火科技馆", status="certified", operator=personas.org_a)
    review = AnnualReview.unscoped.create(venue=hall, year=2026)
    before = {p for p in Path(settings.PRIVATE_ROOT).rglob("*") if p.is_file()}
    with pytest.raises(DomainError):
        services.annual_review_report(
            actor=cast.operator, review=review, opening_days=200, visitors=5000, activities=12, report="全年开放两百天，接待五千人次，开展活动十二场。",
            photos=[png("1.png"), png("2.png"), SimpleUploadedFile("3.png", b"%PDF-1.4 not a photo")],
        )  # fmt: skip
    after = {p for p in Path(settings.PRIVATE_ROOT).rglob("*") if p.is_file()}
    assert after == before
    assert not Evidence.unscoped.filter(review=review).exists()


def test_the_list_of_applications_costs_a_fixed_number_of_queries(client, login, cast, make_venue, personas, django_assert_max_num_queries):
    submitted_application(cast)
    with acting_as(cast.operator):
        for i in range(5):
            venue = make_venue(name=f"服务站{i}", venue_type="spark_station", operator=personas.org_a, status="draft")
            application = services.application_create(actor=cast.operator, venue=venue)
            services.application_save_self_assessment(actor=cast.operator, application=application, scores=full_marks(application))
            services.evidence_add(actor=cast.operator, application=application, upload=pdf())
    login(client, cast.county_a.user)
    with django_assert_max_num_queries(8):
        assert client.get("/console/certification/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/console/certification/{application.uid}/").status_code == 200
