"""Registration for activities: capacity, the first-come-first-served waiting line (entries of many seats too),
promotion on cancel, one per person, the registration window, guardians for minors, masked phones, and the pages."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import openpyxl
import pytest
from tests.factories import CitizenFactory

from xinghuo.activities import registrations as services
from xinghuo.activities.errors import RegistrationError as E
from xinghuo.activities.models import Activity, Registration, RegistrationNotice, RegistrationStatus
from xinghuo.activities.services import activity_mark_held
from xinghuo.activities.tests.conftest import published, soon
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


def sign_up(activity: Activity, seats: int = 1, user=None, **kwargs) -> Registration:
    return services.registration_create(activity=activity, user=user or CitizenFactory(), seats=seats, **kwargs)


def statuses(*registrations: Registration) -> list[str]:
    return [Registration.unscoped.get(pk=r.pk).status for r in registrations]


def taken(activity: Activity) -> int:
    return Activity.unscoped.get(pk=activity.pk).seats_taken


def raises(code: str, call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code
    return info.value


class TestCapacityAndWaitlist:
    def test_seats_are_confirmed_up_to_the_capacity_then_the_line_takes_multi_seat_entries_in_order(self, cast):
        activity = published(cast, capacity=10)

        family, group = sign_up(activity, 4), sign_up(activity, 5, group_name="泰山小学", group_contact="13800000001")
        three, one = sign_up(activity, 3), sign_up(activity, 1)

        assert statuses(family, group, three, one) == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
        # the 1-seat entry would fit, but someone came before it: it waits (strictly first come first served)
        assert taken(activity) == 9

    def test_a_cancel_promotes_the_line_from_its_head_while_the_head_fits(self, cast):
        activity = published(cast, capacity=10)
        family, group, three, one = sign_up(activity, 4), sign_up(activity, 5, group_name="泰山小学", group_contact="13800000001"), sign_up(activity, 3), sign_up(activity, 1)  # fmt: skip

        services.registration_cancel(registration=group, by=group.user)

        assert statuses(family, group, three, one) == [CONFIRMED, CANCELLED, CONFIRMED, CONFIRMED]
        assert taken(activity) == 8
        assert RegistrationNotice.objects.filter(registration=three).exists()
        assert "已从候补转为报名成功" in RegistrationNotice.objects.get(registration=one).text

    def test_a_head_that_does_not_fit_is_never_skipped_for_a_smaller_later_entry(self, cast):
        activity = published(cast, capacity=5)
        single, _four = sign_up(activity, 1), sign_up(activity, 4)
        head, later = sign_up(activity, 3), sign_up(activity, 1)

        services.registration_cancel(registration=single, by=single.user)

        assert statuses(head, later) == [WAITLISTED, WAITLISTED]
        assert taken(activity) == 4

        services.registration_cancel(registration=head, by=head.user)  # the head leaves the line: the next one fits

        assert statuses(later) == [CONFIRMED]
        assert taken(activity) == 5

    def test_promotion_stops_once_the_activity_has_started(self, cast):
        activity = published(cast, capacity=1)
        first, waiting = sign_up(activity), sign_up(activity)
        started = activity.starts_at + timedelta(minutes=1)
        activity.seats_taken = 0  # as if the seat came free (the caller holds the row)

        assert services.registration_promote(activity=activity, now=started) == []
        assert statuses(waiting) == [WAITLISTED]
        raises(E.STARTED, lambda: services.registration_cancel(registration=first, by=first.user, now=started))
        # the same line before the start is promoted
        assert services.registration_promote(activity=activity, now=activity.starts_at - timedelta(minutes=1)) == [waiting]

    def test_an_activity_without_capacity_takes_no_registration(self, cast):
        activity = published(cast, capacity=0)

        raises(E.NO_REGISTRATION, lambda: sign_up(activity))


class TestRules:
    def test_one_registration_per_person_and_again_after_a_cancel(self, cast):
        activity = published(cast, capacity=5)
        person = CitizenFactory()
        first = sign_up(activity, user=person)

        raises(E.DUPLICATE, lambda: sign_up(activity, user=person))
        services.registration_cancel(registration=first, by=person)
        again = sign_up(activity, user=person)

        assert again.status == CONFIRMED
        assert taken(activity) == 1

    def test_registration_closes_at_its_closing_time_and_opens_at_its_opening_time(self, cast):
        start = soon(days=5)
        activity = published(cast, capacity=5, starts_at=start, ends_at=start + timedelta(hours=2),
                             registration_opens=start - timedelta(days=3), registration_closes=start - timedelta(days=1))  # fmt: skip

        raises(E.CLOSED, lambda: sign_up(activity, now=start - timedelta(hours=23)))
        raises(E.NOT_OPEN, lambda: sign_up(activity, now=start - timedelta(days=4)))
        assert sign_up(activity, now=start - timedelta(days=2)).status == CONFIRMED

    def test_no_registration_once_started_or_unpublished(self, cast):
        activity = published(cast, capacity=5)

        raises(E.STARTED, lambda: sign_up(activity, now=activity.starts_at))
        activity_mark_held(actor=cast.filer, activity=activity, now=activity.starts_at + timedelta(minutes=5))
        raises(E.CLOSED, lambda: sign_up(activity))

    def test_a_participant_under_14_needs_a_guardian_with_phone_and_consent(self, cast):
        activity = published(cast, capacity=5)
        child = {"participant_name": "小明", "participant_age": 10}

        raises(E.GUARDIAN_REQUIRED, lambda: sign_up(activity, **child))
        raises(E.GUARDIAN_REQUIRED, lambda: sign_up(activity, **child, guardian_name="王芳", guardian_phone="13900001111"))
        registration = sign_up(activity, **child, guardian_name="王芳", guardian_phone="13900001111", guardian_consent=True)
        teen = sign_up(activity, participant_name="小刚", participant_age=15)

        assert registration.guardian_consent_at is not None
        assert teen.guardian_name == ""
        assert teen.guardian_consent_at is None

    def test_groups_need_a_teachers_contact_and_stay_within_100(self, cast):
        activity = published(cast, capacity=200)

        raises(E.INVALID, lambda: sign_up(activity, 30, group_name="泰山小学"))
        raises(E.INVALID, lambda: sign_up(activity, 101, group_name="泰山小学", group_contact="13800000001"))
        raises(E.INVALID, lambda: sign_up(activity, 6))  # a family is at most 5

    def test_each_registration_has_a_short_random_check_in_code(self, cast):
        activity = published(cast, capacity=50)

        codes = [sign_up(activity).code for _ in range(10)]

        assert len(set(codes)) == 10
        assert all(len(c) == 8 and set(c) <= set(services.CODE_ALPHABET) for c in codes)

    def test_a_code_drawn_that_is_taken_already_is_drawn_again(self, cast, monkeypatch):
        activity = published(cast, capacity=5)
        first = sign_up(activity)
        draws = iter([first.code, "ABCDEFGH"])
        monkeypatch.setattr(services, "_new_code", lambda: next(draws))

        second = sign_up(activity)

        assert second.code == "ABCDEFGH"
        assert statuses(first, second) == [CONFIRMED, CONFIRMED]
        assert taken(activity) == 2

    def test_codes_made_in_bulk_are_new_and_of_the_same_alphabet(self):
        taken = {"AAAAAAAA"}

        codes = services.new_codes(500, taken=taken, rng=random.Random(1))

        assert len(set(codes)) == 500
        assert "AAAAAAAA" not in codes
        assert taken >= set(codes)
        assert all(len(c) == 8 and set(c) <= set(services.CODE_ALPHABET) for c in codes)

    def test_the_audit_keeps_phones_masked(self, cast):
        activity = published(cast, capacity=5)
        sign_up(activity, user=CitizenFactory(phone="13712345678"), participant_name="小明", participant_age=9, guardian_name="王芳",
                guardian_phone="13987654321", guardian_consent=True)  # fmt: skip

        trail = str(list(AuditEvent.objects.filter(object_type="activities.registration").values_list("changes", flat=True)))

        assert "13712345678" not in trail
        assert "13987654321" not in trail
        assert "137****5678" in trail


class TestPages:
    def test_anonymous_visitors_see_the_activity_and_a_login_link(self, client, cast):
        activity = published(cast, capacity=5)

        page = client.get(f"/activities/{activity.uid}/").content.decode()

        assert activity.title in page
        assert "登录后报名" in page

    def test_drafts_have_no_public_page(self, client, cast):
        from xinghuo.activities.tests.conftest import draft

        assert client.get(f"/activities/{draft(cast.filer, cast.org_a).uid}/").status_code == 404

    def test_a_citizen_signs_up_sees_my_activities_with_the_code_and_cancels(self, client, login, personas, cast):
        activity = published(cast, capacity=5)
        login(client, personas.citizen)

        response = client.post(f"/activities/{activity.uid}/register/", {"seats": 2})
        registration = Registration.unscoped.get(activity=activity, user=personas.citizen)
        mine = client.get("/me/activities/").content.decode()

        assert response.status_code == 302
        assert registration.code in mine
        assert "已报名" in mine
        client.post(f"/me/activities/{registration.uid}/cancel/")
        assert statuses(registration) == [CANCELLED]
        assert taken(activity) == 0

    def test_my_activities_shows_the_place_in_the_waiting_line(self, client, login, personas, cast):
        activity = published(cast, capacity=1)
        sign_up(activity), sign_up(activity)
        login(client, personas.citizen)
        client.post(f"/activities/{activity.uid}/register/", {"seats": 1})

        assert "候补中（第 2 位）" in client.get("/me/activities/").content.decode()

    def test_the_console_lists_registrations_with_masked_phones_and_the_waitlist_order(self, client, login, personas, cast):
        activity = published(cast, capacity=1)
        sign_up(activity, user=CitizenFactory(phone="13711112222")), sign_up(activity, user=CitizenFactory(phone="13733334444"))
        login(client, personas.county_a)

        page = client.get(f"/console/activities/{activity.uid}/").content.decode()

        assert "137****2222" in page
        assert "137****4444" in page
        assert "13711112222" not in page
        assert "候补第 1 位" in page

    def test_the_console_exports_registrations_with_masked_phones(self, client, login, personas, cast):
        activity = published(cast, capacity=3)
        sign_up(activity, user=CitizenFactory(phone="13711112222"))
        login(client, personas.county_a)

        response = client.get(f"/console/activities/{activity.uid}/registrations/export/")
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = [c.value for row in sheet.iter_rows() for c in row]

        assert "137****2222" in values
        assert "13711112222" not in values

    def test_an_outsider_county_gets_404_on_the_console_pages(self, client, login, personas, cast):
        activity = published(cast, capacity=3)
        login(client, personas.county_b)

        assert client.get(f"/console/activities/{activity.uid}/").status_code == 404
        assert client.get(f"/console/activities/{activity.uid}/registrations/export/").status_code == 404

    def test_nobody_cancels_someone_elses_registration(self, client, login, personas, cast):
        registration = sign_up(published(cast, capacity=3))
        login(client, personas.citizen)

        assert client.post(f"/me/activities/{registration.uid}/cancel/").status_code == 404
        raises(E.NOT_ALLOWED, lambda: services.registration_cancel(registration=registration, by=personas.citizen))
