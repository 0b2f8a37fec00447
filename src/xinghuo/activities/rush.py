"""The data of the load benchmark's sign-up rush (`make bench`, `bench/run.py --only signup_rush`): one published
activity with a fixed number of seats, open for registration and starting in a month, and citizens each with a
signed-in session and a CSRF token — what a browser holds after signing in and opening the activity's page.

Bench data only. The citizens' mobile numbers are in a range no seed or test uses (199…), their passwords are
unusable (they act only through the sessions made here), and every run starts from an empty activity (its
registrations removed, its seat counter back to 0) and fresh sessions (those of the previous run are deleted).
Idempotent: run it again and it reuses the activity and the citizens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.models import User, UserKind
from xinghuo.accounts.views import CONSENT_VERSION
from xinghuo.activities import services
from xinghuo.activities.models import Activity, ActivityStatus, Brand, Format, Level, Registration
from xinghuo.core import audit

TITLE = "【性能基准】东岳星空科普讲坛·报名高峰演练"
BRAND = "dongyue_forum"
PHONE_PREFIX = "199"  # 199 + 8 digits: a range of its own (demo citizens are 1380000…, test ones 1370000…)
SESSION_BACKEND = "xinghuo.accounts.backends.UsernameOrPhoneBackend"  # as accounts.views.start_session signs in
#: Reuse the activity while it starts at least this far ahead; past that, make a new one.
REUSE_MARGIN = timedelta(days=7)


def rush_phone(index: int) -> str:
    return f"{PHONE_PREFIX}{index:08d}"


@dataclass(frozen=True)
class Person:
    """One signed-in citizen as the bench client plays them: the cookies a browser would send, and the token the
    page's form would post."""

    phone: str
    session_key: str
    csrf_cookie: str
    csrf_token: str


@dataclass(frozen=True)
class RushData:
    activity: Activity
    people: list[Person]

    def as_json(self) -> dict[str, Any]:
        uid = str(self.activity.uid)
        return {
            "activity": uid,
            "title": self.activity.title,
            "capacity": self.activity.capacity,
            "detail_path": reverse("activities:detail", args=[uid]),
            "register_path": reverse("activities:register", args=[uid]),
            "mine_path": reverse("activities:my_registrations"),
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "people": [
                {"phone": p.phone, "session": p.session_key, "csrf_cookie": p.csrf_cookie, "csrf_token": p.csrf_token} for p in self.people
            ],
        }


def rush_activity(*, actor: Actor, seats: int, now: datetime | None = None) -> Activity:
    """The rush's activity with `seats` seats and no registration: the last one made, emptied, while it still starts
    in the future; otherwise a new one, filed, submitted and published through the services by `actor` (city staff)."""
    now = now or timezone.now()
    current = (
        Activity.unscoped.filter(title=TITLE, status=ActivityStatus.PUBLISHED, capacity=seats, starts_at__gt=now + REUSE_MARGIN)
        .order_by("-created_at")
        .first()
    )
    if current is not None:
        rush_reset(current)
        current.refresh_from_db()
        return current
    organisation = actor.organisation
    if organisation is None:
        raise ValueError(f"{actor.user.audit_label()} has no active role to file the rush's activity with")
    starts = (timezone.localtime(now) + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    activity = services.activity_create(
        actor=actor, title=TITLE, brand=Brand.objects.get(code=BRAND), level=Level.CITY, organiser=organisation,
        region=organisation.region, starts_at=starts, ends_at=starts + timedelta(hours=2), format=Format.OFFLINE,
        address="泰安市科技馆报告厅", audiences=["public"], topics=["space"], capacity=seats, registration_opens=now,
        registration_closes=starts - timedelta(days=1),
        description="负载基准测试用活动：报名开放瞬间大量市民同时报名，检验名额不超卖、候补按先后顺序。",
    )  # fmt: skip
    services.activity_submit(actor=actor, activity=activity, now=now)
    return services.activity_review(actor=actor, activity=activity, approve=True, reason="性能基准", now=now)


def rush_reset(activity: Activity) -> int:
    """Remove the activity's registrations (and their notices) and set its seat counter back to 0."""
    with audit.bulk_write(model=Registration, description=f"性能基准：清空“{activity.title}”的报名") as summary:
        deleted, _ = Registration.unscoped.filter(activity=activity).delete()
        Activity.unscoped.filter(pk=activity.pk).update(seats_taken=0)
        summary["deleted"] = deleted
    return deleted


def rush_citizens(count: int) -> list[User]:
    """`count` citizens with mobile numbers (sign-up needs one), made in bulk when missing, in number order."""
    phones = [rush_phone(i) for i in range(count)]
    existing = set(User.objects.filter(phone__in=phones).values_list("phone", flat=True))
    now = timezone.now()
    unusable = make_password(None)
    fresh = [
        User(phone=phone, name=f"基准市民{phone[-4:]}", kind=UserKind.CITIZEN, password=unusable, password_changed_at=now,
             consent_version=CONSENT_VERSION, consent_at=now)
        for phone in phones if phone not in existing
    ]  # fmt: skip
    if fresh:
        with audit.bulk_write(model=User, description="性能基准：报名高峰的市民账号") as summary:
            User.objects.bulk_create(fresh, batch_size=1000)
            summary["created"] = len(fresh)
    users = {u.phone: u for u in User.objects.filter(phone__in=phones)}
    not_citizens = [phone for phone in phones if users[phone].kind != UserKind.CITIZEN or not users[phone].is_active]
    if not_citizens:
        raise ValueError(f"{len(not_citizens)} accounts of the rush's numbers are not active citizens, e.g. {not_citizens[0]}")
    return [users[phone] for phone in phones]


def rush_sessions(users: list[User], *, stale_keys: Sequence[str] = ()) -> list[Person]:
    """A signed-in session for each user, in the configured session engine (the database, or the cache when
    REDIS_URL is set), holding what `accounts.views.start_session` puts in one for a citizen; and a CSRF cookie
    and form token for each. The sessions of `stale_keys` (the previous run's) are deleted first."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for key in stale_keys:
        store_class(session_key=key).delete()
    people = []
    for user in users:
        login_at = timezone.now().timestamp()
        store = store_class()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = SESSION_BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["xh_login_at"] = login_at
        store["xh_seen_at"] = login_at
        store.set_expiry(settings.XINGHUO_CITIZEN_SESSION_SECONDS)
        store.create()
        page = HttpRequest()  # the activity's page as the browser got it: a CSRF cookie and the form's token
        token = get_token(page)
        people.append(Person(phone=user.phone, session_key=store.session_key, csrf_cookie=page.META["CSRF_COOKIE"], csrf_token=token))
    return people


def prepare(*, actor: Actor, people: int, seats: int, stale_keys: Sequence[str] = ()) -> RushData:
    activity = rush_activity(actor=actor, seats=seats)
    users = rush_citizens(people)
    return RushData(activity=activity, people=rush_sessions(users, stale_keys=stale_keys))
