"""A certification the whole way: filed, returned by the county, mended, passed, scored, put to public notice,
objected to, answered and certified — every step recorded with who, when and why, and in the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xinghuo.certification import services
from xinghuo.certification.errors import CertificationError as E
from xinghuo.certification.models import Application, ApplicationStatus, Grade, Objection, Step, StepAction
from xinghuo.certification.tests.conftest import acting_as, after_notice, fake_pdf, full_marks, in_notice, pdf, submitted_application
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent
from xinghuo.venues.models import Venue, VenueStatus

pytestmark = pytest.mark.django_db


def test_the_whole_way_with_a_return_and_an_objection(cast):
    # Given a draft service station and its operator
    with acting_as(cast.operator):
        application = services.application_create(actor=cast.operator, venue=cast.venue, statement="申请认定")
        # submitting with nothing filled in is refused and changes nothing
        with pytest.raises(DomainError) as missing:
            services.application_submit(actor=cast.operator, application=application)
        assert missing.value.code == E.INCOMPLETE
        assert "未自评" in missing.value.message
        services.application_save_self_assessment(actor=cast.operator, application=application, scores=full_marks(application))
        with pytest.raises(DomainError) as no_files:
            services.application_submit(actor=cast.operator, application=application)
        assert "证明材料" in no_files.value.message
        # a program renamed to .pdf is refused by its content
        with pytest.raises(DomainError) as renamed:
            services.evidence_add(actor=cast.operator, application=application, upload=fake_pdf())
        assert renamed.value.code == E.EVIDENCE_INVALID
        services.evidence_add(actor=cast.operator, application=application, upload=pdf())
        application = services.application_submit(actor=cast.operator, application=application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.round == 1

    # The county returns it with a reason; a return without one is refused
    with pytest.raises(DomainError) as no_reason:
        services.application_county_review(actor=cast.county_a, application=application, approve=False, reason=" ")
    assert no_reason.value.code == E.REASON_REQUIRED
    application = services.application_county_review(
        actor=cast.county_a, application=application, approve=False, reason="活动记录不全，请补充近三个月的活动照片"
    )
    assert application.status == ApplicationStatus.RETURNED

    # The operator mends and resubmits: the history stays
    with acting_as(cast.operator):
        services.evidence_add(actor=cast.operator, application=application, upload=pdf("活动照片.pdf"))
        application = services.application_submit(actor=cast.operator, application=application)
    assert application.round == 2
    application = services.application_county_review(actor=cast.county_a, application=application, approve=True, reason="材料齐全")

    # The city scores every indicator and puts it to public notice
    with acting_as(cast.city):
        application = services.application_city_review(
            actor=cast.city, application=application, scores=full_marks(application, 0.92), decision="notice", reason="达到优秀"
        )
    assert application.status == ApplicationStatus.IN_NOTICE
    assert application.review_total == 92
    assert application.grade == Grade.EXCELLENT
    assert application.notice_ends - application.notice_starts == timedelta(days=application.standard.notice_days - 1)

    # A citizen objects during notice; the city cannot decide until it is answered
    objection = services.objection_file(
        application=application, content="该服务站周末从不开门，活动照片是摆拍的", contact_name="李先生",
        contact_phone="13900001111", actor=cast.citizen,
    )  # fmt: skip
    with pytest.raises(DomainError) as pending:
        services.application_decide(actor=cast.city, application=application, certify=True, today=after_notice(application))
    assert pending.value.code == E.OBJECTIONS_PENDING
    services.objection_answer(actor=cast.city, objection=objection, answer="经实地核实，服务站按公示时间开放，异议不成立", upheld=False)

    # ... and not before the notice period has run its course
    with pytest.raises(DomainError) as early:
        services.application_decide(actor=cast.city, application=application, certify=True, today=application.notice_ends)
    assert early.value.code == E.NOTICE_OPEN
    application = services.application_decide(actor=cast.city, application=application, certify=True, today=after_notice(application))

    # Then: certified, the unified code issued, the plaque live
    assert application.status == ApplicationStatus.CERTIFIED
    venue = Venue.unscoped.get(pk=cast.venue.pk)
    assert venue.status == VenueStatus.CERTIFIED
    assert venue.code == "XH-FWZ-370902-0001"
    assert venue.certified_at

    steps = list(Step.unscoped.filter(application=application).values_list("action", "actor_label", "reason"))
    assert [a for a, _, _ in steps] == [
        StepAction.CREATE, StepAction.SUBMIT, StepAction.COUNTY_RETURN, StepAction.SUBMIT, StepAction.COUNTY_APPROVE,
        StepAction.CITY_SCORE, StepAction.NOTICE, StepAction.OBJECTION, StepAction.OBJECTION_ANSWER, StepAction.CERTIFY,
    ]  # fmt: skip
    assert steps[2][1] == cast.county_a.user.audit_label()
    assert "活动记录不全" in steps[2][2]
    assert steps[-1][1] == cast.city.user.audit_label()

    # Every step is in the audit trail, as are the status changes and the venue's code
    audited_steps = AuditEvent.objects.filter(object_type="certification.step", action="create").count()
    assert audited_steps == len(steps)
    status_changes = [
        e.changes["status"][1]
        for e in AuditEvent.objects.filter(object_type="certification.application", object_id=str(application.uid)).order_by("id")
        if "status" in e.changes
    ]
    assert status_changes == ["draft", "submitted", "returned", "submitted", "county_approved", "in_notice", "certified"]
    venue_event = AuditEvent.objects.filter(object_type="venues.venue", object_id=str(venue.uid)).order_by("-id").first()
    assert venue_event.changes["code"] == [None, "XH-FWZ-370902-0001"]
    objection_event = AuditEvent.objects.get(object_type="certification.objection", action="create")
    assert objection_event.changes["contact_phone"][1] == "139****1111"


def test_a_county_cannot_act_on_another_countys_application(cast):
    application = submitted_application(cast)
    with pytest.raises(DomainError) as other:
        services.application_county_review(actor=cast.county_b, application=application, approve=True)
    assert other.value.status == 404
    # nor can the city do the county's step, nor the operator the city's
    with pytest.raises(DomainError) as city:
        services.application_county_review(actor=cast.city, application=application, approve=True)
    assert city.value.code == E.NOT_ALLOWED
    assert Application.unscoped.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    assert not Step.unscoped.filter(application=application, action=StepAction.COUNTY_APPROVE).exists()


def test_an_upheld_objection_stops_certification(cast):
    application = in_notice(cast)
    objection = services.objection_file(
        application=application, content="服务站所在场所已改作仓库，无法开展活动", contact_name="王女士", contact_phone="0538-6221234",
        channel="phone", actor=cast.city,
    )  # fmt: skip
    services.objection_answer(actor=cast.city, objection=objection, answer="经核实情况属实", upheld=True)
    with pytest.raises(DomainError) as upheld:
        services.application_decide(actor=cast.city, application=application, certify=True, today=after_notice(application))
    assert upheld.value.code == E.OBJECTION_UPHELD
    application = services.application_decide(actor=cast.city, application=application, certify=False, reason="公示异议经核实成立")
    assert application.status == ApplicationStatus.REJECTED
    assert Venue.unscoped.get(pk=cast.venue.pk).status == VenueStatus.DRAFT


def test_objections_only_during_notice(cast):
    application = in_notice(cast)
    with pytest.raises(DomainError) as late:
        services.objection_file(
            application=application, content="公示期已过还能提异议吗？请核实", contact_name="赵", contact_phone="13900001111",
            today=after_notice(application),
        )  # fmt: skip
    assert late.value.code == E.NOTICE_CLOSED
    with pytest.raises(DomainError) as bad_phone:
        services.objection_file(application=application, content="内容足够长的一条异议说明", contact_name="赵", contact_phone="12345")
    assert bad_phone.value.field == "contact_phone"
    # a phoned-in objection is recorded by the city, not by the public
    with pytest.raises(DomainError):
        services.objection_file(
            application=application, content="内容足够长的一条异议说明", contact_name="赵", contact_phone="13900001111", channel="phone"
        )
    assert not Objection.unscoped.exists()


def test_a_key_indicator_below_sixty_percent_fails_whatever_the_total(cast):
    application = submitted_application(cast)
    services.application_county_review(actor=cast.county_a, application=application, approve=True)
    with acting_as(cast.city):
        scores = full_marks(application, 1.0)
        network = application.scores.get(indicator__name="有网络")
        scores[network.indicator_id] = ("5", "未接入平台")  # 5 of 15: total 90, but a 五有 item is missing
        with pytest.raises(DomainError) as short:
            services.application_city_review(actor=cast.city, application=application, scores=scores, decision="notice")
        assert "有网络" in short.value.message
        # nothing half-saved: the scores were not kept
        assert not application.scores.exclude(review_score=None).exists()
        application = services.application_city_review(
            actor=cast.city, application=application, scores=scores, decision="reject", reason="五有中“有网络”未达标"
        )
    assert application.status == ApplicationStatus.REJECTED
    assert application.grade == Grade.FAIL


def test_scores_outside_an_indicators_range_are_refused(cast):
    with acting_as(cast.operator):
        application = services.application_create(actor=cast.operator, venue=cast.venue)
        first = application.scores.select_related("indicator").first()
        with pytest.raises(DomainError) as high:
            services.application_save_self_assessment(
                actor=cast.operator, application=application, scores={first.indicator_id: (str(first.indicator.weight + 1), "")}
            )
        assert f"0 到 {first.indicator.weight}" in high.value.message
        with pytest.raises(DomainError):
            services.application_save_self_assessment(actor=cast.operator, application=application, scores={first.indicator_id: ("十", "")})


def test_one_open_application_per_venue_and_only_for_venues_in_scope(cast):
    with acting_as(cast.operator):
        services.application_create(actor=cast.operator, venue=cast.venue)
        with pytest.raises(DomainError) as twice:
            services.application_create(actor=cast.operator, venue=cast.venue)
    assert twice.value.code == E.ALREADY_OPEN
    with pytest.raises(DomainError) as outsider:
        services.application_create(actor=cast.county_b, venue=cast.venue)
    assert outsider.value.status == 404


def test_a_returned_application_can_be_withdrawn_and_filed_again(cast):
    application = submitted_application(cast)
    services.application_county_review(actor=cast.county_a, application=application, approve=False, reason="场所照片不清晰")
    services.application_withdraw(actor=cast.operator, application=application, reason="场所改造后再申请")
    with acting_as(cast.operator):
        again = services.application_create(actor=cast.operator, venue=cast.venue)
    assert again.status == ApplicationStatus.DRAFT
    assert Application.unscoped.filter(venue=cast.venue).count() == 2
