"""点单式科普: a school asks; the platform suggests experts of the field, free ones and those of the county first; the
county arranges one (the talk becomes a draft activity of the school); an expert is never booked twice for the same
hours; the school gives feedback once the talk is held, and it joins the expert's record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinghuo.activities.models import Activity, ActivityStatus
from xinghuo.activities.tests.conftest import acting_as
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.talks import selectors, services
from xinghuo.talks.errors import TalkError as E
from xinghuo.talks.models import TalkRequest, TalkStatus
from xinghuo.talks.tests.conftest import ask, expert, in_days

pytestmark = pytest.mark.django_db


def refused(code: str, call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code
    return info.value


def held(talk: TalkRequest) -> None:
    with audit.bulk_write(model=Activity, description="测试：讲座已举办"):
        Activity.unscoped.filter(pk=talk.activity_id).update(status=ActivityStatus.HELD)


def test_the_suggestions_are_experts_of_the_field_free_ones_and_the_countys_first(scene):
    cast = scene.cast
    far = expert(cast, "岱岳专家", county_b=True)
    near = expert(cast, "泰山专家")
    booked = expert(cast, "忙碌专家")
    expert(cast, "农业专家", fields=("agriculture",))
    other = ask(scene, topic="另一场")
    services.talk_confirm(actor=cast.county_a, talk=other, expert=booked, starts_at=in_days(8), ends_at=in_days(8, 16))
    talk = ask(scene)

    suggestions = selectors.suggest_experts(talk=talk)

    assert [(s.expert.name, s.available, s.same_county) for s in suggestions] == [
        ("泰山专家", True, True), ("岱岳专家", True, False), ("忙碌专家", False, True),
    ]  # fmt: skip
    assert (near.pk, far.pk) == (suggestions[0].expert.pk, suggestions[1].expert.pk)


def test_arranging_a_talk_makes_a_draft_activity_of_the_school_with_its_expert(scene):
    talk = ask(scene)
    doctor = expert(scene.cast, "王医生")

    talk = services.talk_confirm(actor=scene.cast.county_a, talk=talk, expert=doctor, starts_at=in_days(9), ends_at=in_days(9, 16))

    activity = talk.activity
    assert talk.status == TalkStatus.CONFIRMED
    assert (activity.status, activity.organiser, activity.region.code) == (ActivityStatus.DRAFT, talk.requester, "370902001")
    assert "王医生主讲" in activity.title
    assert activity.brand.code == "sanbai"
    assert activity.audiences == ["elderly"]


def test_an_expert_is_not_booked_twice_for_the_same_hours(scene):
    doctor = expert(scene.cast, "王医生")
    first, second = ask(scene, topic="第一场"), ask(scene, topic="第二场")
    services.talk_confirm(actor=scene.cast.county_a, talk=first, expert=doctor, starts_at=in_days(9), ends_at=in_days(9, 16))

    error = refused(E.BUSY, lambda: services.talk_confirm(actor=scene.cast.county_a, talk=second, expert=doctor,
                                                          starts_at=in_days(9, 15), ends_at=in_days(9, 17)))  # fmt: skip

    assert "已有安排" in error.message
    assert TalkRequest.unscoped.get(pk=second.pk).status == TalkStatus.REQUESTED
    assert Activity.unscoped.count() == 1


def test_a_talk_is_arranged_within_the_weeks_asked_for_by_the_staff_of_its_county(scene):
    talk = ask(scene)
    doctor = expert(scene.cast, "王医生")

    refused(E.INVALID, lambda: services.talk_confirm(actor=scene.cast.county_a, talk=talk, expert=doctor,
                                                     starts_at=in_days(30), ends_at=in_days(30, 16)))  # fmt: skip
    outsider = refused(E.NOT_ALLOWED, lambda: services.talk_confirm(actor=scene.cast.county_b, talk=talk, expert=doctor,
                                                                    starts_at=in_days(9), ends_at=in_days(9, 16)))  # fmt: skip
    school = refused(E.NOT_ALLOWED, lambda: services.talk_confirm(actor=scene.school, talk=talk, expert=doctor,
                                                                  starts_at=in_days(9), ends_at=in_days(9, 16)))  # fmt: skip

    assert (outsider.status, school.status) == (404, 403)
    assert not Activity.unscoped.exists()


def test_feedback_comes_after_the_talk_is_held_and_joins_the_experts_record(scene):
    doctor = expert(scene.cast, "王医生")
    talk = services.talk_confirm(actor=scene.cast.county_a, talk=ask(scene), expert=doctor, starts_at=in_days(9), ends_at=in_days(9, 16))

    early = refused(E.FEEDBACK, lambda: services.talk_feedback(actor=scene.school, talk=talk, rating=5))
    held(talk)
    services.talk_feedback(actor=scene.school, talk=talk, rating=4, comment="讲得通俗，老人爱听")
    with acting_as(scene.cast.county_a):
        record = selectors.expert_record(actor=scene.cast.county_a, expert=doctor)

    assert "举办后" in early.message
    assert TalkRequest.unscoped.get(pk=talk.pk).status == TalkStatus.DONE
    assert (record.this_year, record.rated, record.rating) == (1, 1, 4.0)
    assert record.talks[0].feedback == "讲得通俗，老人爱听"


def test_a_request_with_a_past_date_or_a_bad_phone_is_refused_and_nothing_is_saved(scene):
    today = timezone.localdate()

    past = refused(E.INVALID, lambda: ask(scene, wanted_from=today - timedelta(days=1)))
    phone = refused(E.INVALID, lambda: ask(scene, contact_phone="12345"))

    assert (past.field, phone.field) == ("wanted_from", "contact_phone")
    assert not TalkRequest.unscoped.exists()


def test_a_school_asks_only_for_itself_and_withdraws_before_it_is_arranged(scene):
    refused(E.NOT_ALLOWED, lambda: ask(scene, requester=scene.school_b.membership.organisation))
    talk = ask(scene)

    services.talk_cancel(actor=scene.school, talk=talk)

    assert TalkRequest.unscoped.get(pk=talk.pk).status == TalkStatus.CANCELLED
    refused(E.STATUS, lambda: services.talk_decline(actor=scene.cast.county_a, talk=talk, reason="无对口专家"))


def test_a_declined_request_says_why(scene):
    talk = ask(scene)

    refused(E.INVALID, lambda: services.talk_decline(actor=scene.cast.county_a, talk=talk, reason=" "))
    services.talk_decline(actor=scene.cast.county_a, talk=talk, reason="该领域专家本月已排满，请下月再点")

    assert TalkRequest.unscoped.get(pk=talk.pk).decline_reason == "该领域专家本月已排满，请下月再点"
