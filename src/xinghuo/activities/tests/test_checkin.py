"""Check-in at the door (签到): the QR of a confirmed registration on “我的活动”, and the staff's check-in page whose
service takes only a confirmed code of this very activity, once, from an hour before the start until the end."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from tests.factories import CitizenFactory

from xinghuo.activities import registrations as services
from xinghuo.activities.errors import RegistrationError as E
from xinghuo.activities.models import Activity, Registration, RegistrationStatus
from xinghuo.activities.tests.conftest import published
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def sign_up(activity: Activity, seats: int = 1, user=None) -> Registration:
    return services.registration_create(activity=activity, user=user or CitizenFactory(), seats=seats)


def at_door(activity: Activity, minutes: int = 5):
    """A moment during the activity (minutes after its start)."""
    return activity.starts_at + timedelta(minutes=minutes)


def raises(code: str, call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code
    return info.value


class TestService:
    def test_a_confirmed_code_checks_in_once_recording_when_and_by_whom_and_is_audited(self, cast):
        activity = published(cast, capacity=10)
        registration = sign_up(activity, 3)
        before = AuditEvent.objects.count()

        done = services.registration_check_in(
            actor=cast.filer, activity=activity, code=f" {registration.code.lower()} ", now=at_door(activity)
        )

        saved = Registration.unscoped.get(pk=registration.pk)
        assert saved.checked_in_at == at_door(activity)
        assert saved.checked_in_by == cast.filer.user
        assert done.pk == registration.pk
        assert AuditEvent.objects.count() > before

    def test_twice_answers_a_clear_message_and_keeps_the_first_check_in(self, cast):
        activity = published(cast, capacity=10)
        registration = sign_up(activity)
        services.registration_check_in(actor=cast.filer, activity=activity, code=registration.code, now=at_door(activity))

        error = raises(E.ALREADY_CHECKED_IN, lambda: services.registration_check_in(
            actor=cast.county_a, activity=activity, code=registration.code, now=at_door(activity, 30)))  # fmt: skip

        assert "已于" in error.message
        assert "签到过" in error.message
        assert Registration.unscoped.get(pk=registration.pk).checked_in_at == at_door(activity)

    def test_another_activitys_code_is_refused(self, cast):
        activity, other = published(cast, capacity=10), published(cast, capacity=10, title="另一场讲座")
        theirs = sign_up(other)

        error = raises(E.UNKNOWN_CODE, lambda: services.registration_check_in(
            actor=cast.filer, activity=activity, code=theirs.code, now=at_door(activity)))  # fmt: skip

        assert "不是本活动" in error.message
        assert Registration.unscoped.get(pk=theirs.pk).checked_in_at is None

    def test_a_waitlisted_or_cancelled_code_is_refused(self, cast):
        activity = published(cast, capacity=1)
        first, waiting = sign_up(activity), sign_up(activity)
        assert waiting.status == RegistrationStatus.WAITLISTED
        gone = sign_up(published(cast, capacity=5, title="第三场"))

        raises(
            E.STATUS, lambda: services.registration_check_in(actor=cast.filer, activity=activity, code=waiting.code, now=at_door(activity))
        )
        services.registration_cancel(registration=gone, by=gone.user)
        raises(E.STATUS, lambda: services.registration_check_in(
            actor=cast.filer, activity=gone.activity, code=gone.code, now=at_door(gone.activity)))  # fmt: skip
        assert Registration.unscoped.get(pk=first.pk).checked_in_at is None

    @pytest.mark.parametrize(("offset", "opens"), [
        (timedelta(hours=-1, minutes=-1), False), (timedelta(hours=-1), True), (timedelta(hours=1, minutes=59), True), (timedelta(hours=2), False),
    ])  # fmt: skip
    def test_check_in_is_open_from_an_hour_before_the_start_until_the_end(self, cast, offset, opens):
        activity = published(cast, capacity=10)  # two hours long
        registration = sign_up(activity)

        def call() -> Registration:
            return services.registration_check_in(
                actor=cast.filer, activity=activity, code=registration.code, now=activity.starts_at + offset
            )

        if opens:
            assert call().checked_in_at is not None
        else:
            raises(E.CHECKIN_CLOSED, call)

    def test_an_unknown_code_and_a_blank_one_are_refused(self, cast):
        activity = published(cast, capacity=10)

        raises(
            E.UNKNOWN_CODE,
            lambda: services.registration_check_in(actor=cast.filer, activity=activity, code="ZZZZ2222", now=at_door(activity)),
        )
        raises(
            E.UNKNOWN_CODE, lambda: services.registration_check_in(actor=cast.filer, activity=activity, code="  ", now=at_door(activity))
        )

    def test_a_checked_in_registration_cannot_be_cancelled(self, cast):
        activity = published(cast, capacity=10)
        registration = sign_up(activity)
        services.registration_check_in(
            actor=cast.filer, activity=activity, code=registration.code, now=activity.starts_at - timedelta(minutes=30)
        )

        raises(
            E.STATUS,
            lambda: services.registration_cancel(
                registration=registration, by=registration.user, now=activity.starts_at - timedelta(minutes=20)
            ),
        )


class TestQr:
    def test_a_confirmed_registration_has_a_qr_of_just_its_code_on_my_activities(self, client, login, personas, cast):
        activity = published(cast, capacity=10)
        registration = sign_up(activity, user=personas.citizen)
        login(client, personas.citizen)

        page = client.get("/me/activities/").content.decode()
        response = client.get(f"/me/activities/{registration.uid}/qr.svg")

        assert f"/me/activities/{registration.uid}/qr.svg" in page
        assert registration.code in page
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content

    def test_the_qr_encodes_the_code_and_nothing_else(self, monkeypatch, client, login, personas, cast):
        import segno

        seen = []
        real = segno.make
        monkeypatch.setattr(segno, "make", lambda content, **kw: (seen.append(content), real(content, **kw))[1])
        registration = sign_up(published(cast, capacity=10), user=personas.citizen)
        login(client, personas.citizen)

        client.get(f"/me/activities/{registration.uid}/qr.svg")

        assert seen == [registration.code]

    def test_a_waitlisted_registration_has_no_qr(self, client, login, personas, cast):
        activity = published(cast, capacity=1)
        sign_up(activity)
        waiting = sign_up(activity, user=personas.citizen)
        login(client, personas.citizen)

        assert "qr.svg" not in client.get("/me/activities/").content.decode()
        assert client.get(f"/me/activities/{waiting.uid}/qr.svg").status_code == 404

    def test_someone_elses_qr_is_404(self, client, login, personas, cast):
        registration = sign_up(published(cast, capacity=10))
        login(client, personas.citizen)

        assert client.get(f"/me/activities/{registration.uid}/qr.svg").status_code == 404


class TestCheckInPage:
    def test_staff_check_in_by_the_manual_form_and_the_detail_page_counts_it(self, client, login, cast):
        from django.utils import timezone

        start = timezone.now() + timedelta(minutes=30)
        activity = published(cast, capacity=10, starts_at=start, ends_at=start + timedelta(hours=2))
        registration = sign_up(activity, 2)
        login(client, cast.filer.user)

        assert client.get(f"/console/activities/{activity.uid}/checkin/").status_code == 200
        response = client.post(f"/console/activities/{activity.uid}/checkin/", {"code": registration.code}, follow=True)

        assert "签到成功" in response.content.decode()
        assert Registration.unscoped.get(pk=registration.pk).checked_in_by == cast.filer.user
        again = client.post(f"/console/activities/{activity.uid}/checkin/", {"code": registration.code}, follow=True)
        assert again.status_code == 200
        assert "签到过" in again.content.decode()
        detail = client.get(f"/console/activities/{activity.uid}/").content.decode()
        assert "已签到 1 份 2 人" in detail

    def test_a_wrong_code_shows_the_message_beside_the_field(self, client, login, cast):
        from django.utils import timezone

        start = timezone.now() + timedelta(minutes=30)
        activity = published(cast, capacity=10, starts_at=start, ends_at=start + timedelta(hours=2))
        login(client, cast.filer.user)

        response = client.post(f"/console/activities/{activity.uid}/checkin/", {"code": "ZZZZ2222"})

        assert response.status_code == 400
        assert "不是本活动" in response.content.decode()

    def test_an_outsider_county_gets_404(self, client, login, personas, cast):
        activity = published(cast, capacity=10)
        login(client, personas.county_b)

        assert client.get(f"/console/activities/{activity.uid}/checkin/").status_code == 404
        assert client.post(f"/console/activities/{activity.uid}/checkin/", {"code": "ABCDEFGH"}).status_code == 404

    def test_the_report_form_starts_from_the_checked_in_seats(self, client, login, cast):
        from xinghuo.activities.services import activity_mark_held

        activity = published(cast, capacity=10)
        for seats in (2, 3):
            registration = sign_up(activity, seats)
            services.registration_check_in(actor=cast.filer, activity=activity, code=registration.code, now=at_door(activity))
        sign_up(activity, 4)  # confirmed but never came
        activity_mark_held(actor=cast.filer, activity=activity, now=at_door(activity))
        login(client, cast.filer.user)

        page = client.get(f"/console/activities/{activity.uid}/").content.decode()

        field = re.search(r'<input[^>]*name="attendance"[^>]*>', page)
        assert field is not None
        assert 'value="5"' in field.group(0)


def test_a_minors_name_is_masked_on_every_staff_page_and_export(client, login, cast):
    """A child signed up by a guardian: staff see 王** at the door, on the activity page and in the export."""
    from django.utils import timezone

    start = timezone.now() + timedelta(minutes=30)
    activity = published(cast, capacity=10, starts_at=start, ends_at=start + timedelta(hours=2))
    child = services.registration_create(
        activity=activity, user=CitizenFactory(), participant_name="王小明", participant_age=9, guardian_name="王建国",
        guardian_phone="13912345678", guardian_consent=True,
    )  # fmt: skip
    adult = services.registration_create(activity=activity, user=CitizenFactory(), participant_name="李秀英", participant_age=67)
    login(client, cast.filer.user)

    detail = client.get(f"/console/activities/{activity.uid}/").content.decode()
    checked = client.post(f"/console/activities/{activity.uid}/checkin/", {"code": child.code}, follow=True).content.decode()
    export = client.get(f"/console/activities/{activity.uid}/registrations/export/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}

    for page in (detail, checked):
        assert "王小明" not in page
        assert "王**" in page
    assert "王小明" not in cells
    assert "王**" in cells
    assert "13912345678" not in cells
    assert "李秀英" in detail  # an adult participant is named
    assert adult.participant_shown == "李秀英"
