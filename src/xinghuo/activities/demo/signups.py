"""Registrations for a bulk-made activity, as a year of citizens would have made them — obeying every rule the
registration services keep (activities.registrations), without their one-at-a-time writes:

- only an activity with seats (capacity > 0) that is published or later, and only once its sign-up has opened;
- confirmed seats never past the capacity, and `seats_taken` their sum; a waiting line only behind a full activity
  (its head does not fit), kept after the start by those never promoted;
- one active registration per person, a school group (a class, its seats, the teacher's phone), a family, a child
  signed up by a guardian (name, phone and the time of consent, as the database requires under 14), an elderly
  parent signed up by a son or daughter; some cancelled;
- at a held activity most of the confirmed checked in at the door (by the filer, from an hour before the start);
- unique check-in codes from the registrations' alphabet, made in memory (`registrations.new_codes`).

Every phone number is a demo citizen's (13800xxxxxx, `accounts.demo.citizen_phone`): the registrant's own, or the
teacher's or guardian's who signs up."""

from __future__ import annotations

from datetime import datetime, timedelta

from xinghuo.accounts.models import User
from xinghuo.activities.demo.cast import CLASSES, Cast
from xinghuo.activities.models import Activity, Registration, RegistrationStatus
from xinghuo.activities.registrations import ADULT_AGE, MAX_FAMILY, new_codes
from xinghuo.core.demo import DemoContext

OPEN = ("published", "held", "reported", "verified")
HELD = ("held", "reported", "verified")
#: Who signs up, by the activity's audience: (self, family, child, elderly parent, school group) weights.
MIX = {"youth": (15, 20, 40, 0, 25), "elderly": (45, 15, 0, 40, 0), "": (60, 25, 10, 5, 0)}
KIND_NAMES = ("self", "family", "child", "parent", "group")
#: A class of at least this many comes as a group; fewer seats left than that, and a family takes them.
MIN_GROUP, MAX_CLASS = 15, 45


def sign_ups(
    ctx: DemoContext, activity: Activity, step: str, *, cast: Cast, filer: User, codes: set[str], given: list[str], now: datetime,
    share: float = 1.0,
) -> list[Registration]:  # fmt: skip
    """The activity's registrations (unsaved; `activity` is to be saved first); sets its `seats_taken`. With a `share`
    below 1 fewer people sign up (fewer activities fill up, the others fill less)."""
    opens, closes = activity.registration_opens, activity.registration_closes
    if not activity.capacity or step not in OPEN or opens is None or closes is None or opens >= now:
        return []
    rng, capacity, past = ctx.rng, activity.capacity, step in HELD
    # how far the sign-up has got: all of it for a past activity; for a coming one, as much as its window has run
    run = 1.0 if past else min(1.0, (now - opens) / (closes - opens))
    full = rng.random() < (0.3 if past else 0.25 * run**0.5) * share
    target = capacity if full else round(capacity * rng.uniform(0.3, 0.95) * (0.3 + 0.7 * run) * share)
    mix = MIX["youth" if "youth" in activity.audiences else "elderly" if "elderly" in activity.audiences else ""]

    confirmed = _entries(ctx, mix, target, groups=True)
    waiting = _entries(ctx, mix, None, count=rng.randint(1, 6)) if full and (not past or rng.random() < 0.5) else []
    cancelled = _entries(ctx, MIX[""], None, count=round(len(confirmed) * rng.uniform(0.02, 0.12)))
    entries = [(RegistrationStatus.CONFIRMED, *e) for e in confirmed] + [(RegistrationStatus.WAITLISTED, *e) for e in waiting]
    entries += [(RegistrationStatus.CANCELLED, *e) for e in cancelled]
    people = rng.sample(cast.citizens, min(len(entries), len(cast.citizens)))
    entries = entries[: len(people)]  # a small pool (tests) signs up fewer
    taken = sum(seats for status, _, seats in entries if status == RegistrationStatus.CONFIRMED)
    line = [seats for status, _, seats in entries if status == RegistrationStatus.WAITLISTED]
    if line and taken + line[0] <= capacity:  # the pool ran out before the activity filled: nobody need wait
        entries = [e for e in entries if e[0] != RegistrationStatus.WAITLISTED]
    activity.seats_taken = taken

    last = min(closes, now)
    made = []
    county = activity.region.county.code if activity.region.county_id else activity.region.code
    schools = cast.schools.get(county) or [f"{cast.short_name}市实验学校"]
    for (status, kind, seats), (user_id, phone, name) in zip(entries, people, strict=False):
        signed = opens + (last - opens) * rng.random() ** 0.7  # early birds: more sign-ups soon after opening
        extra: dict[str, object] = {}
        if kind == "group":  # the teacher signs the class up
            extra = {"group_name": rng.choice(schools) + rng.choice(CLASSES), "group_contact": phone}
        elif kind == "child":
            extra = {"participant_name": name[:1] + rng.choice(given), "participant_age": rng.randint(6, ADULT_AGE - 1),
                     "guardian_name": name, "guardian_phone": phone, "guardian_consent_at": signed}  # fmt: skip
        elif kind == "parent":
            extra = {"participant_name": name[:1] + rng.choice(given), "participant_age": rng.randint(60, 86)}
        if status != RegistrationStatus.WAITLISTED:
            extra["confirmed_at"] = signed
        if status == RegistrationStatus.CANCELLED:
            extra["cancelled_at"] = signed + (min(activity.starts_at, now) - signed) * rng.random()
        elif status == RegistrationStatus.CONFIRMED and past and rng.random() < (0.96 if kind == "group" else 0.85):
            extra["checked_in_at"] = activity.starts_at - timedelta(minutes=rng.randint(-20, 55))
            extra["checked_in_by_id"] = filer.pk
        made.append(Registration(activity=activity, user_id=user_id, seats=seats, status=status, contact_phone=phone, **extra))
    for r, code in zip(made, new_codes(len(made), taken=codes, rng=rng), strict=True):
        r.code = code
    return made


def _entries(ctx: DemoContext, mix: tuple[int, ...], seats: int | None, *, count: int = 0, groups: bool = False) -> list[tuple[str, int]]:
    """(kind, seats) of sign-ups: adding up to exactly `seats`, or `count` of them (a waiting line, the cancelled)."""
    rng, entries, left = ctx.rng, [], seats
    while (left > 0) if left is not None else len(entries) < count:
        kind = rng.choices(KIND_NAMES, weights=mix)[0]
        if kind == "group" and not (groups and (left or 0) >= MIN_GROUP):
            kind = "family"  # too few seats left for a class
        if kind == "group":
            n = rng.randint(MIN_GROUP, MAX_CLASS)
        elif kind == "family":
            n = rng.randint(2, MAX_FAMILY - 1)
        elif kind == "child":
            n = 2 if rng.random() < 0.3 else 1  # a parent may come along on the child's registration
        else:
            n = 1
        if left is not None:
            n = min(n, left)
            left -= n
        entries.append(("self" if kind == "family" and n == 1 else kind, n))
    return entries
