"""Visit booking: seats are never oversold; a citizen books on the venue's page; operators confirm, cancel
and record attendance; a county sees only its own venues' bookings."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from tests.factories import CitizenFactory

from xinghuo.core.errors import DomainError
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues import booking as services
from xinghuo.venues.models import Booking, BookingStatus, Venue, VenueStatus, VenueType, VisitSlot
from xinghuo.venues.services import venue_create

HOURS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def make_hall(county_code: str = "370902", town_code: str = "370902001") -> Venue:
    return venue_create(
        operator=Organisation.unscoped.get(code=f"KX{county_code}"), region=Region.objects.get(code=town_code),
        status=VenueStatus.CERTIFIED, name=f"{town_code}星火科技馆", venue_type=VenueType.SPARK_HALL, subtype="thematic",
        address="某路 1 号", lat=36.2, lon=117.1, opening_hours=HOURS,
    )  # fmt: skip


def make_slot(venue: Venue, capacity: int = 10, hours_ahead: int = 48) -> VisitSlot:
    start = timezone.now() + timedelta(hours=hours_ahead)
    return services.slot_create(venue=venue, starts_at=start, ends_at=start + timedelta(hours=2), capacity=capacity)


def book(slot, user, n=1, **extra):
    return services.booking_create(slot=slot, user=user, party_size=n, contact_name="张老师", contact_phone="13812345678", **extra)


@pytest.mark.django_db
class TestBookingRules:
    def test_seats_are_counted_and_the_last_ones_go_to_whoever_asks_first(self):
        slot = make_slot(make_hall(), capacity=5)
        a, b = CitizenFactory(), CitizenFactory()

        book(slot, a, 3)
        with pytest.raises(DomainError, match="名额不足：还剩 2 个"):
            book(slot, b, 3)
        book(slot, b, 2)

        slot.refresh_from_db()
        assert (slot.booked, slot.remaining) == (5, 0)

    def test_one_active_booking_per_person_per_slot_and_cancelling_frees_the_seats(self):
        slot = make_slot(make_hall(), capacity=5)
        user = CitizenFactory()
        first = book(slot, user, 2)

        with pytest.raises(DomainError, match="您已预约过这个时段"):
            book(slot, user, 1)
        services.booking_cancel(booking=first)
        book(slot, user, 1)

        slot.refresh_from_db()
        assert slot.booked == 1

    def test_groups_state_their_school_and_individuals_bring_at_most_five(self):
        slot = make_slot(make_hall(), capacity=100)

        with pytest.raises(DomainError, match="团体预约"):
            book(slot, CitizenFactory(), 6)
        with pytest.raises(DomainError, match="学校或团体名称"):
            book(slot, CitizenFactory(), 40, is_group=True)
        group = book(slot, CitizenFactory(), 40, is_group=True, group_name="岱庙街道中心小学")

        assert group.is_group

    def test_bad_contacts_a_past_slot_and_a_closed_slot_are_refused_and_save_nothing(self):
        hall = make_hall()
        slot = make_slot(hall)
        past = make_slot(hall, hours_ahead=-1)
        user = CitizenFactory()

        with pytest.raises(DomainError, match="正确的手机号或固定电话"):
            services.booking_create(slot=slot, user=user, contact_name="李", contact_phone="12345")
        with pytest.raises(DomainError, match="已开始"):
            book(past, user)
        slot.is_open = False
        slot.save(update_fields=["is_open"])
        with pytest.raises(DomainError, match="暂不开放"):
            book(slot, user)

        assert Booking.unscoped.count() == 0

    def test_attendance_and_no_shows(self):
        slot = make_slot(make_hall(), capacity=5)
        came, missed = book(slot, CitizenFactory(), 2), book(slot, CitizenFactory(), 2)

        services.booking_confirm(booking=came)
        services.booking_mark_attendance(booking=came, attended=True)
        services.booking_mark_attendance(booking=missed, attended=False)

        slot.refresh_from_db()
        assert Booking.unscoped.get(pk=came.pk).status == BookingStatus.ATTENDED
        assert slot.booked == 2
        with pytest.raises(DomainError):
            services.booking_cancel(booking=Booking.unscoped.get(pk=came.pk))

    def test_weekly_open_days(self):
        hall = make_hall()
        monday = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        monday += timedelta(days=7 - monday.weekday())

        created = services.slots_create_weekly(
            venue=hall, first_day=monday, weeks=2, weekdays=[5, 6], start="09:00", end="11:30", capacity=20
        )
        again = services.slots_create_weekly(
            venue=hall, first_day=monday, weeks=2, weekdays=[5, 6], start="09:00", end="11:30", capacity=20
        )

        assert len(created) == 4
        assert again == []
        assert {timezone.localtime(s.starts_at).strftime("%a %H:%M") for s in created} == {"Sat 09:00", "Sun 09:00"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_the_last_seats_never_oversell():
    if connection.vendor != "postgresql":
        pytest.skip("the race runs on PostgreSQL; SQLite serialises writers")
    slot = make_slot(make_hall(), capacity=7)
    people = [CitizenFactory() for _ in range(16)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def attempt(user) -> None:
        try:
            barrier.wait(timeout=30)
            book(slot, user, 1)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    slot.refresh_from_db()
    assert outcomes.count("ok") == 7
    assert outcomes.count("slot_full") == 9
    assert slot.booked == 7
    assert Booking.unscoped.filter(slot=slot, status=BookingStatus.BOOKED).count() == 7


@pytest.mark.django_db
class TestBookingPages:
    def test_a_citizen_books_on_the_venue_page_and_sees_it_under_my_bookings(self, client, login, personas):
        hall = make_hall()
        slot = make_slot(hall, capacity=3)
        login(client, personas.citizen)

        page = client.get(f"/v/{hall.code}/").content.decode()
        response = client.post(
            f"/v/{hall.code}/book/{slot.uid}/", {"party_size": 2, "contact_name": "王芳", "contact_phone": "13912345678"}
        )
        mine = client.get("/me/bookings/").content.decode()

        assert f"/v/{hall.code}/book/{slot.uid}/" in page
        assert response.status_code == 302
        assert hall.name in mine
        assert "已预约" in mine

    def test_anonymous_visitors_are_sent_to_sign_in_first(self, client):
        hall = make_hall()
        slot = make_slot(hall)

        response = client.get(f"/v/{hall.code}/book/{slot.uid}/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_a_full_slot_says_so_and_books_nothing(self, client, login, personas):
        hall = make_hall()
        slot = make_slot(hall, capacity=1)
        book(slot, CitizenFactory())
        login(client, personas.citizen)

        response = client.post(
            f"/v/{hall.code}/book/{slot.uid}/", {"party_size": 1, "contact_name": "王芳", "contact_phone": "13912345678"}, follow=True
        )

        assert "名额不足" in response.content.decode()
        assert not Booking.unscoped.filter(user=personas.citizen).exists()

    def test_the_operator_sees_and_confirms_bookings_masked_and_another_county_cannot(self, client, login, personas):
        hall = make_hall()
        booking = book(make_slot(hall), personas.citizen, 2)

        login(client, personas.county_a)
        listing = client.get("/console/venues/bookings/").content.decode()
        confirm = client.post(f"/console/venues/bookings/{booking.uid}/confirm/")
        login(client, personas.county_b)
        other = client.get("/console/venues/bookings/").content.decode()
        forbidden = client.post(f"/console/venues/bookings/{booking.uid}/cancel/")

        assert hall.name in listing
        assert "138****5678" in listing
        assert "13812345678" not in listing
        assert confirm.status_code == 302
        assert Booking.unscoped.get(pk=booking.pk).status == BookingStatus.CONFIRMED
        assert hall.name not in other
        assert forbidden.status_code == 404

    def test_staff_open_weekly_slots_and_bad_input_opens_none(self, client, login, personas):
        hall = make_hall()
        login(client, personas.county_a)
        day = (timezone.localdate() + timedelta(days=1)).isoformat()

        bad = client.post(
            f"/console/venues/{hall.uid}/slots/",
            {"first_day": day, "weeks": 1, "weekdays": ["0"], "start": "11:00", "end": "09:00", "capacity": 10},
        )
        good = client.post(
            f"/console/venues/{hall.uid}/slots/",
            {"first_day": day, "weeks": 1, "weekdays": [str(i) for i in range(7)], "start": "09:00", "end": "11:00", "capacity": 10},
        )

        assert bad.status_code == 400
        assert "结束时间应晚于开始时间" in bad.content.decode()
        assert good.status_code == 302
        assert VisitSlot.unscoped.filter(venue=hall).count() == 7
