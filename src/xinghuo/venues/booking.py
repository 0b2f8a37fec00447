"""Visit booking (开放日、预约参观): slots with a capacity that is never exceeded, whatever the concurrency.

The slot row is locked (select_for_update) for every change to its seats, and the database refuses a slot
whose booked seats pass its capacity (CheckConstraint), so even a mistake here cannot oversell. A lock that
cannot be had within a few seconds answers a retryable "busy" message instead of hanging."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinghuo.accounts.models import User
from xinghuo.core.errors import DomainError
from xinghuo.core.locking import lock_row
from xinghuo.core.phones import CONTACT_RE
from xinghuo.core.validation import validate
from xinghuo.venues.models import HOLDING_STATUSES, Booking, BookingStatus, Venue, VisitSlot

MAX_PARTY = 200


class BookingError:
    SLOT_FULL = "slot_full"
    SLOT_CLOSED = "slot_closed"
    SLOT_PAST = "slot_past"
    DUPLICATE = "booking_duplicate"
    INVALID = "booking_invalid"
    STATUS = "booking_status"


def _lock_slot(slot_pk: int) -> VisitSlot:
    """Lock the slot row; on PostgreSQL give up after 3 s with a retryable message."""
    return lock_row(VisitSlot.unscoped.select_for_update().select_related("venue"), slot_pk, busy="预约的人太多了，请稍后再试")


def slot_create(*, venue: Venue, starts_at: datetime, ends_at: datetime, capacity: int, note: str = "") -> VisitSlot:
    if capacity < 1:
        raise DomainError(BookingError.INVALID, "名额至少为 1", field="capacity")
    if ends_at <= starts_at:
        raise DomainError(BookingError.INVALID, "结束时间应晚于开始时间", field="ends_at")
    slot = VisitSlot(venue=venue, starts_at=starts_at, ends_at=ends_at, capacity=capacity, note=note.strip())
    validate(slot, exclude=["venue"])
    try:
        with transaction.atomic():
            slot.save()
    except IntegrityError as exc:
        raise DomainError(BookingError.INVALID, "该场馆在这个时间已有时段", field="starts_at") from exc
    return slot


def slots_create_weekly(
    *, venue: Venue, first_day: datetime, weeks: int, weekdays: list[int], start: str, end: str, capacity: int
) -> list[VisitSlot]:
    """A recurring open day: the same hours on the given weekdays (0 = Monday) for a number of weeks."""
    if not 1 <= weeks <= 26:
        raise DomainError(BookingError.INVALID, "周数应在 1 到 26 之间", field="weeks")
    h1, m1 = (int(p) for p in start.split(":"))
    h2, m2 = (int(p) for p in end.split(":"))
    created = []
    with transaction.atomic():
        for offset in range(weeks * 7):
            day = first_day + timedelta(days=offset)
            if day.weekday() in weekdays:
                begins = day.replace(hour=h1, minute=m1, second=0, microsecond=0)
                finishes = day.replace(hour=h2, minute=m2, second=0, microsecond=0)
                if not VisitSlot.unscoped.filter(venue=venue, starts_at=begins).exists():
                    created.append(slot_create(venue=venue, starts_at=begins, ends_at=finishes, capacity=capacity))
    return created


def booking_create(
    *, slot: VisitSlot, user: User, party_size: int = 1, contact_name: str, contact_phone: str, is_group: bool = False, group_name: str = ""
) -> Booking:
    """Book seats; never more than the slot holds. One active booking per person per slot."""
    contact_phone = (contact_phone or "").strip()
    if not CONTACT_RE.match(contact_phone):
        raise DomainError(BookingError.INVALID, "请填写正确的手机号或固定电话", field="contact_phone")
    if not (contact_name or "").strip():
        raise DomainError(BookingError.INVALID, "请填写联系人", field="contact_name")
    if not 1 <= party_size <= (MAX_PARTY if is_group else 5):
        raise DomainError(
            BookingError.INVALID, f"人数应在 1 到 {MAX_PARTY if is_group else 5} 之间（团体请选择“团体预约”）", field="party_size"
        )
    if is_group and not group_name.strip():
        raise DomainError(BookingError.INVALID, "团体预约请填写学校或团体名称", field="group_name")
    with transaction.atomic():
        locked = _lock_slot(slot.pk)
        if not locked.is_open or not locked.venue.is_public:
            raise DomainError(BookingError.SLOT_CLOSED, "该时段暂不开放预约")
        if locked.starts_at <= timezone.now():
            raise DomainError(BookingError.SLOT_PAST, "该时段已开始，不能再预约")
        if Booking.unscoped.filter(slot=locked, user=user, status__in=HOLDING_STATUSES).exists():
            raise DomainError(BookingError.DUPLICATE, "您已预约过这个时段")
        if locked.booked + party_size > locked.capacity:
            raise DomainError(BookingError.SLOT_FULL, f"名额不足：还剩 {locked.remaining} 个")
        booking = Booking(
            slot=locked, user=user, party_size=party_size, is_group=is_group, group_name=group_name.strip(),
            contact_name=contact_name.strip(), contact_phone=contact_phone,
        )  # fmt: skip
        booking.save()
        locked.booked += party_size
        locked.save(update_fields=["booked", "updated_at"])
    return booking


def _release(booking: Booking, status: str) -> Booking:
    with transaction.atomic():
        slot = _lock_slot(booking.slot_id)
        booking = Booking.unscoped.select_for_update().get(pk=booking.pk)
        if booking.status not in (BookingStatus.BOOKED, BookingStatus.CONFIRMED):
            raise DomainError(BookingError.STATUS, f"预约当前状态为“{booking.get_status_display()}”，不能再变更")
        booking.status = status
        booking.save(update_fields=["status", "updated_at"])
        slot.booked -= booking.party_size
        slot.save(update_fields=["booked", "updated_at"])
    return booking


def booking_cancel(*, booking: Booking) -> Booking:
    """The visitor or the operator cancels; the seats go back to the slot."""
    return _release(booking, BookingStatus.CANCELLED)


def booking_confirm(*, booking: Booking) -> Booking:
    with transaction.atomic():
        booking = Booking.unscoped.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.BOOKED:
            raise DomainError(BookingError.STATUS, "只有“已预约”的可以确认")
        booking.status = BookingStatus.CONFIRMED
        booking.save(update_fields=["status", "updated_at"])
    return booking


def booking_mark_attendance(*, booking: Booking, attended: bool) -> Booking:
    """Attended keeps the seats; a no-show gives them back, taking the locks in the same order as a cancel
    (slot, then booking) so that the two can never deadlock."""
    if not attended:
        return _release(booking, BookingStatus.NO_SHOW)
    with transaction.atomic():
        booking = Booking.unscoped.select_for_update().get(pk=booking.pk)
        if booking.status not in (BookingStatus.BOOKED, BookingStatus.CONFIRMED):
            raise DomainError(BookingError.STATUS, "只有有效的预约可以登记到场")
        booking.status = BookingStatus.ATTENDED
        booking.save(update_fields=["status", "updated_at"])
    return booking
