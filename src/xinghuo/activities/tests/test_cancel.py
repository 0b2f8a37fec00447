"""Calling an activity off, and staff cancelling one registration: reasons, notices to the registrants, seats given
back (and the waiting line moved up), the public calendar and iCal showing the cancellation, and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.factories import CitizenFactory

from xinghuo.activities import registrations, services
from xinghuo.activities.errors import ActivityError
from xinghuo.activities.models import (
    Activity,
    ActivityStatus,
    ActivityStep,
    Registration,
    RegistrationNotice,
    RegistrationStatus,
    StepAction,
)
from xinghuo.activities.tests.conftest import draft, published, reported
from xinghuo.core.errors import DomainError

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


def sign_up(activity: Activity, seats: int = 1) -> Registration:
    return registrations.registration_create(activity=activity, user=CitizenFactory(), seats=seats)


class TestCancelActivity:
    def test_a_published_activity_is_called_off_every_registrant_is_told_and_the_seats_are_freed(self, cast):
        activity = published(cast, capacity=2)
        first, second, waiting = sign_up(activity), sign_up(activity), sign_up(activity)

        services.activity_cancel(actor=cast.filer, activity=activity, reason="暴雨橙色预警，活动取消，改期另行通知")

        activity.refresh_from_db()
        assert activity.status == ActivityStatus.CANCELLED
        assert activity.cancel_reason == "暴雨橙色预警，活动取消，改期另行通知"
        assert activity.seats_taken == 0
        assert {Registration.unscoped.get(pk=r.pk).status for r in (first, second, waiting)} == {CANCELLED}
        notices = RegistrationNotice.objects.filter(registration__activity=activity)
        assert notices.count() == 3
        assert all("暴雨橙色预警" in n.text for n in notices)
        step = ActivityStep.unscoped.filter(activity=activity).last()
        assert (step.action, step.from_status, step.data["registrations_cancelled"]) == (StepAction.CANCEL, "published", 3)

    def test_a_reason_is_required_and_nothing_changes_without_it(self, cast):
        activity = published(cast, capacity=2)
        registration = sign_up(activity)

        with pytest.raises(DomainError) as info:
            services.activity_cancel(actor=cast.filer, activity=activity, reason="  ")

        assert info.value.code == ActivityError.REASON_REQUIRED
        assert Activity.unscoped.get(pk=activity.pk).status == ActivityStatus.PUBLISHED
        assert Registration.unscoped.get(pk=registration.pk).status == CONFIRMED

    def test_a_draft_can_be_called_off_but_not_a_held_or_reported_one(self, cast):
        plan = draft(cast.filer, cast.org_a)
        services.activity_cancel(actor=cast.filer, activity=plan, reason="计划调整")
        done = reported(cast)

        with pytest.raises(DomainError) as info:
            services.activity_cancel(actor=cast.filer, activity=done, reason="计划调整")

        assert Activity.unscoped.get(pk=plan.pk).status == ActivityStatus.CANCELLED
        assert info.value.code == ActivityError.STATUS

    def test_another_county_cannot_call_it_off(self, cast):
        activity = published(cast)

        with pytest.raises(DomainError) as info:
            services.activity_cancel(actor=cast.county_b, activity=activity, reason="不是我们的活动")

        assert info.value.status == 404
        assert Activity.unscoped.get(pk=activity.pk).status == ActivityStatus.PUBLISHED

    def test_nobody_signs_up_for_a_cancelled_activity(self, cast):
        activity = published(cast, capacity=10)
        services.activity_cancel(actor=cast.county_a, activity=activity, reason="主讲专家临时有事")

        with pytest.raises(DomainError) as info:
            sign_up(activity)

        assert info.value.message == "该活动已取消"

    def test_the_public_calendar_page_and_ical_show_it_cancelled_a_draft_stays_hidden(self, client, cast):
        activity = published(cast, title="周末天文观测", capacity=10)
        plan = draft(cast.filer, cast.org_a, title="没发布就取消的活动")
        services.activity_cancel(actor=cast.filer, activity=activity, reason="天气不佳，无法观测")
        services.activity_cancel(actor=cast.filer, activity=plan, reason="计划调整")

        calendar = client.get("/activities/").content.decode()
        page = client.get(f"/activities/{activity.uid}/").content.decode()
        ics = client.get(f"/activities/{activity.uid}/event.ics").content.decode()

        assert "周末天文观测" in calendar
        assert "已取消" in calendar
        assert "没发布就取消的活动" not in calendar
        assert "本活动已取消" in page
        assert "天气不佳" in page
        assert 'action="/activities/' not in page  # no sign-up form
        assert "STATUS:CANCELLED" in ics
        assert client.get(f"/activities/{plan.uid}/").status_code == 404

    def test_the_console_cancels_with_a_reason_and_shows_why(self, client, login, cast):
        activity = published(cast, capacity=10)
        login(client, cast.filer.user)

        empty = client.post(f"/console/activities/{activity.uid}/cancel/", {"reason": ""})
        done = client.post(f"/console/activities/{activity.uid}/cancel/", {"reason": "场地临时检修"}, follow=True)

        assert empty.status_code == 400
        assert "请填写取消原因" in empty.content.decode()
        page = done.content.decode()
        assert "活动已取消，已通知报名的群众" in page
        assert "场地临时检修" in page


class TestStaffCancelRegistration:
    def test_staff_cancel_one_registration_the_registrant_is_told_and_the_line_moves_up(self, cast):
        activity = published(cast, capacity=1)
        first, waiting = sign_up(activity), sign_up(activity)

        registrations.registration_cancel_by_staff(actor=cast.filer, registration=first, reason="报名人来电取消")

        assert Registration.unscoped.get(pk=first.pk).status == CANCELLED
        assert Registration.unscoped.get(pk=waiting.pk).status == CONFIRMED
        texts = list(RegistrationNotice.objects.filter(user=first.user).values_list("text", flat=True))
        assert any("报名人来电取消" in t for t in texts)
        assert Activity.unscoped.get(pk=activity.pk).seats_taken == 1

    def test_a_reason_is_required_and_another_county_gets_404(self, cast):
        activity = published(cast, capacity=3)
        registration = sign_up(activity)

        with pytest.raises(DomainError) as blank:
            registrations.registration_cancel_by_staff(actor=cast.filer, registration=registration, reason="")
        with pytest.raises(DomainError) as outsider:
            registrations.registration_cancel_by_staff(actor=cast.county_b, registration=registration, reason="误操作")

        assert blank.value.field == "reason"
        assert outsider.value.status == 404
        assert Registration.unscoped.get(pk=registration.pk).status == CONFIRMED

    def test_not_once_the_activity_has_started(self, cast):
        activity = published(cast, capacity=3)
        registration = sign_up(activity)

        with pytest.raises(DomainError) as info:
            registrations.registration_cancel_by_staff(
                actor=cast.filer, registration=registration, reason="晚了", now=activity.starts_at + timedelta(minutes=1)
            )

        assert info.value.message == "活动已开始，不能取消报名"

    def test_the_console_button_cancels_and_says_so(self, client, login, cast):
        activity = published(cast, capacity=3)
        registration = sign_up(activity)
        login(client, cast.county_a.user)

        page = client.get(f"/console/activities/{activity.uid}/").content.decode()
        response = client.post(f"/console/activities/registrations/{registration.uid}/cancel/", {"reason": "重复报名"}, follow=True)

        assert 'data-testid="registration-cancel"' in page
        assert f"报名 {registration.code} 已取消" in response.content.decode()
        assert Registration.unscoped.get(pk=registration.pk).status == CANCELLED
