"""Writes of registrations (活动报名): sign up, cancel, and promote from the waiting list.

A capacity of 0 means the activity takes no registration (the form's "0 表示不限名额、无需报名"); otherwise its
confirmed seats (`Activity.seats_taken`) never pass its capacity, whatever the concurrency: every change to the
seats locks the activity row first (select_for_update; on PostgreSQL a lock not had within 3 s answers a retryable
"busy"), then the registration rows — always in that order — and the database refuses a count above the capacity
(CheckConstraint) and a second active registration of one person (UniqueConstraint).

At the door staff check the confirmed in by their code (`registration_check_in`), from an hour before the start
until the end.

The waiting line is strictly first come first served, for entries of one seat or many (a family, a class): a new
sign-up is confirmed only when it fits *and* nobody is waiting; when seats come free the line is promoted from its
head while the head fits — a smaller later entry never jumps a head that does not fit. Promotion stops once the
activity has started. The promoted person gets a notice on “我的活动” (a text message would go out on commit).
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.models import User
from xinghuo.activities import permissions
from xinghuo.activities.errors import RegistrationError as E
from xinghuo.activities.models import (
    ACTIVE_REGISTRATION_STATUSES,
    Activity,
    ActivityStatus,
    Registration,
    RegistrationNotice,
    RegistrationStatus,
)
from xinghuo.core.errors import DomainError
from xinghuo.core.locking import lock_row
from xinghuo.core.phones import CONTACT_RE, MOBILE_RE

log = logging.getLogger(__name__)

MAX_FAMILY = 5
MAX_GROUP = 100
ADULT_AGE = 14
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door
CODE_LENGTH = 8
CODE_DRAWS = 3  # codes a sign-up draws at most when the one drawn is taken (see _new_code)
assert len(CODE_ALPHABET) == 32  # _code picks each letter with 5 bits
#: Tests only: False reads the activity without its row lock and counts confirmed seats instead of keeping the
#: guarded counter — to prove that the race tests race (without the lock they oversell).
LOCKING = True


def _lock_activity(pk: int) -> Activity:
    """The activity row, locked; on PostgreSQL give up after 3 s with a retryable message."""
    if not LOCKING:
        return Activity.unscoped.get(pk=pk)
    return lock_row(Activity.unscoped.select_for_update(of=("self",)).select_related("brand"), pk, busy="报名的人太多了，请稍后再试")


def _taken(activity: Activity) -> int:
    if LOCKING:
        return activity.seats_taken
    confirmed = Registration.unscoped.filter(activity=activity, status=RegistrationStatus.CONFIRMED)
    return confirmed.aggregate(n=Sum("seats"))["n"] or 0


def _add_seats(activity: Activity, seats: int) -> None:
    if LOCKING:
        activity.seats_taken += seats
        activity.save(update_fields=["seats_taken", "updated_at"])


def _code(bits: int) -> str:
    """A code from 40 random bits: the alphabet has 32 letters, so each 5 bits pick one, all equally likely."""
    return "".join(CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def _new_code() -> str:
    """A fresh check-in code, not looked up first: with 40 random bits, a code already taken is a one-in-a-million
    event even among a million registrations, and the unique index refuses it (then the sign-up draws again)."""
    return _code(secrets.randbits(5 * CODE_LENGTH))


def new_codes(count: int, *, taken: set[str], rng: random.Random) -> list[str]:
    """`count` codes for a bulk write (the demo): none in `taken` — the codes already stored, read once by the
    caller — nor repeated; `taken` grows by them. Not for a person's sign-up: `rng` may be a seeded one."""
    codes = []
    while len(codes) < count:
        code = _code(rng.getrandbits(5 * CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def _check_open(activity: Activity, now: datetime) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(E.CLOSED, "该活动已取消")
    if activity.status != ActivityStatus.PUBLISHED:
        raise DomainError(E.CLOSED, "该活动不在报名中")
    if activity.capacity == 0:
        raise DomainError(E.NO_REGISTRATION, "该活动不限名额，无需报名，直接参加即可")
    if activity.starts_at <= now:
        raise DomainError(E.STARTED, "活动已开始，不能再报名")
    if activity.registration_opens and now < activity.registration_opens:
        opens = timezone.localtime(activity.registration_opens)
        raise DomainError(E.NOT_OPEN, f"报名 {opens:%m月%d日 %H:%M} 开始")
    if activity.registration_closes and now >= activity.registration_closes:
        raise DomainError(E.CLOSED, "报名已截止")


def registration_state(activity: Activity, now: datetime | None = None) -> tuple[bool, str]:
    """(open for sign-up now, and if not, why) — what the pages and the API show beside an activity."""
    try:
        _check_open(activity, now or timezone.now())
    except DomainError as exc:
        return False, exc.message
    return True, ""


def _validate(
    *, user: User, seats: int, group_name: str, group_contact: str, participant_name: str, participant_age: int | None,
    guardian_name: str, guardian_phone: str, guardian_consent: bool,
) -> None:  # fmt: skip
    if not MOBILE_RE.match(user.phone or ""):
        raise DomainError(E.INVALID, "请先在账户中绑定手机号，再报名")
    limit = MAX_GROUP if group_name else MAX_FAMILY
    if not 1 <= seats <= limit:
        raise DomainError(E.INVALID, f"人数应在 1 到 {limit} 之间（学校等团体请填写团体名称）", field="seats")
    if group_name and not CONTACT_RE.match(group_contact):
        raise DomainError(E.INVALID, "团体报名请填写带队老师的联系电话", field="group_contact")
    if participant_name:
        if participant_age is None or not 0 <= participant_age <= 120:
            raise DomainError(E.INVALID, "为他人报名请填写参加人的年龄", field="participant_age")
        if participant_age < ADULT_AGE:
            if not guardian_name:
                raise DomainError(
                    E.GUARDIAN_REQUIRED, f"未满 {ADULT_AGE} 岁的参加人须由监护人报名：请填写监护人姓名", field="guardian_name"
                )
            if not MOBILE_RE.match(guardian_phone):
                raise DomainError(E.GUARDIAN_REQUIRED, "请填写监护人的手机号", field="guardian_phone")
            if not guardian_consent:
                raise DomainError(E.GUARDIAN_REQUIRED, "请确认监护人同意参加人报名本活动", field="guardian_consent")
    elif participant_age is not None:
        raise DomainError(E.INVALID, "请填写参加人姓名", field="participant_name")


def registration_create(
    *, activity: Activity, user: User, seats: int = 1, group_name: str = "", group_contact: str = "", participant_name: str = "",
    participant_age: int | None = None, guardian_name: str = "", guardian_phone: str = "", guardian_consent: bool = False,
    now: datetime | None = None,
) -> Registration:  # fmt: skip
    """Sign up: confirmed when the seats fit and nobody waits, else on the waiting list. One per person."""
    group_name, group_contact = (group_name or "").strip(), (group_contact or "").strip()
    participant_name, guardian_name, guardian_phone = (participant_name or "").strip(), (guardian_name or "").strip(), (guardian_phone or "").strip()  # fmt: skip
    _validate(user=user, seats=seats, group_name=group_name, group_contact=group_contact, participant_name=participant_name,
              participant_age=participant_age, guardian_name=guardian_name, guardian_phone=guardian_phone,
              guardian_consent=guardian_consent)  # fmt: skip
    now = now or timezone.now()
    # Everything that needs no lock is done before taking it: the row lock serialises a rush, so what it covers is
    # kept to reading the seats, one insert and one update.
    if Registration.unscoped.filter(activity_id=activity.pk, user=user, status__in=ACTIVE_REGISTRATION_STATUSES).exists():
        raise DomainError(E.DUPLICATE, "您已报名过这个活动，请在“我的活动”中查看")
    minor = participant_name and participant_age is not None and participant_age < ADULT_AGE
    for draw in range(CODE_DRAWS):
        code = _new_code()
        try:
            return _register(
                activity_id=activity.pk, user=user, seats=seats, code=code, now=now, group_name=group_name,
                group_contact=group_contact, participant_name=participant_name, participant_age=participant_age,
                minor=bool(minor), guardian_name=guardian_name, guardian_phone=guardian_phone,
            )  # fmt: skip
        except IntegrityError as exc:
            if Registration.unscoped.filter(activity_id=activity.pk, user=user, status__in=ACTIVE_REGISTRATION_STATUSES).exists():
                raise DomainError(E.DUPLICATE, "您已报名过这个活动，请在“我的活动”中查看") from exc  # a twin request got in first
            if draw + 1 < CODE_DRAWS and Registration.unscoped.filter(code=code).exists():
                continue  # the code was taken: draw another
            raise
    raise AssertionError("unreachable")  # the last draw returns or raises


def _register(
    *, activity_id: int, user: User, seats: int, code: str, now: datetime, group_name: str, group_contact: str,
    participant_name: str, participant_age: int | None, minor: bool, guardian_name: str, guardian_phone: str,
) -> Registration:  # fmt: skip
    """The locked part of a sign-up (see registration_create)."""
    with transaction.atomic():
        locked = _lock_activity(activity_id)
        _check_open(locked, now)
        # the line is looked at only when the seats would fit: in a rush most sign-ups do not
        fits = _taken(locked) + seats <= locked.capacity and not (
            Registration.unscoped.filter(activity=locked, status=RegistrationStatus.WAITLISTED).exists()
        )
        registration = Registration(
            activity=locked, user=user, seats=seats, code=code, contact_phone=user.phone,
            status=RegistrationStatus.CONFIRMED if fits else RegistrationStatus.WAITLISTED, confirmed_at=now if fits else None,
            group_name=group_name, group_contact=group_contact if group_name else "", participant_name=participant_name,
            participant_age=participant_age if participant_name else None, guardian_name=guardian_name if minor else "",
            guardian_phone=guardian_phone if minor else "", guardian_consent_at=now if minor else None,
        )  # fmt: skip
        registration.save()  # one active registration a person: the database's partial unique index decides
        if fits:
            _add_seats(locked, seats)
    return registration


def _notify(registration: Registration, text: str) -> None:
    """Tell the registrant on “我的活动”; a text message, when a gateway is configured, would go out only once the
    change is committed."""
    RegistrationNotice(registration=registration, user_id=registration.user_id, text=text[:300]).save()
    transaction.on_commit(lambda: log.info("registration notice", extra={"registration": str(registration.uid)}))


def _notify_promoted(registration: Registration) -> None:
    _notify(registration, f"您报名的“{registration.activity.title}”已从候补转为报名成功，签到码 {registration.code}。")


def registration_promote(*, activity: Activity, now: datetime | None = None) -> list[Registration]:
    """Confirm the waiting line from its head while the head fits; stop at the first that does not, and once the
    activity has started. The caller holds the activity's row lock (taken first); this locks the line's rows."""
    now = now or timezone.now()
    if activity.status != ActivityStatus.PUBLISHED or activity.starts_at <= now:
        return []
    promoted = []
    line = Registration.unscoped.filter(activity=activity, status=RegistrationStatus.WAITLISTED).order_by("created_at", "id")
    for head in line.select_for_update() if LOCKING else line:
        if _taken(activity) + head.seats > activity.capacity:
            break
        head.status, head.confirmed_at = RegistrationStatus.CONFIRMED, now
        head.save(update_fields=["status", "confirmed_at", "updated_at"])
        _add_seats(activity, head.seats)
        head.activity = activity
        _notify_promoted(head)
        promoted.append(head)
    return promoted


def _cancel(
    registration: Registration, *, reaches: Callable[[Activity], bool], now: datetime,
    notice: Callable[[Registration], str] | None = None,
) -> Registration:  # fmt: skip
    """Cancel one registration until the activity starts (not once checked in), give its seats back and move the
    waiting line up. Locks the activity first, then the registration; `reaches(activity)` checks the scope under
    the lock; `notice(registration)`, if given, is what the registrant is told."""
    with transaction.atomic():
        activity = _lock_activity(registration.activity_id)  # always the activity first, then the registrations
        if not reaches(activity):
            raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
        registration = Registration.unscoped.select_for_update().get(pk=registration.pk)
        if registration.status not in ACTIVE_REGISTRATION_STATUSES:
            raise DomainError(E.STATUS, f"报名当前为“{registration.get_status_display()}”，不能取消")
        if activity.starts_at <= now:
            raise DomainError(E.STARTED, "活动已开始，不能取消报名")
        if registration.checked_in_at is not None:
            raise DomainError(E.STATUS, "已签到的报名不能取消")
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        if was_confirmed:
            _add_seats(activity, -registration.seats)
        registration.activity = activity
        if notice is not None:
            _notify(registration, notice(registration))
        registration_promote(activity=activity, now=now)  # a head that leaves the line may let the next one in
    return registration


def registration_cancel(*, registration: Registration, by: User, now: datetime | None = None) -> Registration:
    """The registrant cancels (until the activity starts); freed seats go to the waiting line in order."""
    if registration.user_id != by.pk:
        raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
    return _cancel(registration, reaches=lambda _: True, now=now or timezone.now())


def registration_cancel_by_staff(*, actor: Actor, registration: Registration, reason: str, now: datetime | None = None) -> Registration:
    """Staff cancel a registration for the registrant (asked by telephone, or a duplicate of a group sign-up), with
    a reason the registrant is told; until the activity starts; the waiting line moves up as when they cancel."""
    if actor.role not in permissions.VIEWER_ROLES:
        raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.INVALID, "请填写取消原因，报名人会收到通知", field="reason")
    return _cancel(
        registration, reaches=lambda a: actor.reaches(region_id=a.region_id, organisation_id=a.organiser_id),
        now=now or timezone.now(), notice=lambda r: f"您报名的“{r.activity.title}”（签到码 {r.code}）已由主办方取消：{reason}",
    )  # fmt: skip


def cancel_all(*, activity: Activity, reason: str, now: datetime) -> int:
    """The activity is called off: every active registration is cancelled and its registrant told why. The caller
    holds the activity's row lock; returns how many registrations were cancelled."""
    line = Registration.unscoped.filter(activity=activity, status__in=ACTIVE_REGISTRATION_STATUSES).order_by("created_at", "id")
    cancelled = 0
    for registration in line.select_for_update():
        registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration.activity = activity
        _notify(registration, f"很抱歉，您报名的“{activity.title}”已取消：{reason}")
        cancelled += 1
    if activity.seats_taken:
        activity.seats_taken = 0
        activity.save(update_fields=["seats_taken", "updated_at"])
    return cancelled


#: Check-in opens this long before the activity starts (people queue at the door) and closes when it ends.
CHECKIN_OPENS_BEFORE = timedelta(hours=1)


def normalise_code(code: str) -> str:
    """What staff type or scan, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def registration_check_in(*, actor: Actor, activity: Activity, code: str, now: datetime | None = None) -> Registration:
    """Staff check a registrant in at the door by the code (typed, or scanned from the QR on “我的活动”).

    The code must be a confirmed registration of this very activity (a waitlisted code is not valid until it is
    confirmed); check-in is open from an hour before the start until the end. Locks the activity row first, then
    the registration (the order every seat change keeps)."""
    if actor.role not in permissions.VIEWER_ROLES:
        raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
    code = normalise_code(code)
    if not code:
        raise DomainError(E.UNKNOWN_CODE, "请输入签到码", field="code")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_activity(activity.pk)
        registration = Registration.unscoped.select_for_update().filter(activity=locked, code=code).first()
        if registration is None:
            raise DomainError(E.UNKNOWN_CODE, f"签到码 {code} 不是本活动的报名，请核对", field="code")
        if locked.status not in (ActivityStatus.PUBLISHED, ActivityStatus.HELD):
            raise DomainError(E.CHECKIN_CLOSED, f"活动当前为“{locked.get_status_display()}”，不能签到")
        if now < locked.starts_at - CHECKIN_OPENS_BEFORE:
            opens = timezone.localtime(locked.starts_at - CHECKIN_OPENS_BEFORE)
            raise DomainError(E.CHECKIN_CLOSED, f"签到 {opens:%m月%d日 %H:%M} 开始（活动开始前 1 小时）")
        if now >= locked.ends_at:
            raise DomainError(E.CHECKIN_CLOSED, "活动已结束，不能再签到")
        if registration.status == RegistrationStatus.WAITLISTED:
            raise DomainError(E.STATUS, f"签到码 {code} 仍在候补中，尚未报名成功，不能签到", field="code")
        if registration.status != RegistrationStatus.CONFIRMED:
            raise DomainError(E.STATUS, f"签到码 {code} 的报名已取消，不能签到", field="code")
        if registration.checked_in_at is not None:
            at = timezone.localtime(registration.checked_in_at)
            raise DomainError(E.ALREADY_CHECKED_IN, f"签到码 {code} 已于 {at:%H:%M} 签到过，无需重复签到")
        registration.checked_in_at, registration.checked_in_by = now, actor.user
        registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        registration.activity = locked
    return registration
