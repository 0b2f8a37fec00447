"""Reads of activities: the console's scoped list and detail, and each brand's progress toward its yearly target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.activities.models import (
    Activity,
    ActivityPhoto,
    ActivityStatus,
    ActivityStep,
    Brand,
    BrandTarget,
    Format,
    Level,
    Registration,
    RegistrationNotice,
    RegistrationStatus,
    StepAction,
)
from xinghuo.core.lookup import get_by_uid
from xinghuo.regions.models import Region


@dataclass(frozen=True)
class ActivityFilters:
    status: str = ""
    brand: str = ""  # a brand code
    level: str = ""
    region: str = ""  # a region code: its subtree
    year: int | None = None
    q: str = ""
    todo: bool = False  # only what waits for the actor's role


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The local calendar year as an aware half-open range (an index on starts_at serves it)."""
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _todo(actor: Actor) -> Q:
    """What waits for the actor's role: filers mend drafts and returns and report what was held; approvers review
    and verify the levels they approve."""
    if actor.role == Role.CITY_STAFF:
        return Q(level=Level.CITY, status__in=(ActivityStatus.SUBMITTED, ActivityStatus.REPORTED))
    if actor.role == Role.COUNTY_STAFF:
        return Q(level=Level.GRASSROOTS, status__in=(ActivityStatus.SUBMITTED, ActivityStatus.REPORTED))
    if actor.role == Role.ORGANISER:
        return Q(status__in=(ActivityStatus.DRAFT, ActivityStatus.RETURNED, ActivityStatus.PUBLISHED, ActivityStatus.HELD))
    return Q(pk__in=[])


def activity_list(*, actor: Actor, filters: ActivityFilters) -> QuerySet[Activity]:
    """Activities in the actor's scope (the middleware opened it), filtered."""
    qs = Activity.objects.select_related("brand", "organiser", "region", "venue")
    if filters.todo:
        qs = qs.filter(_todo(actor))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.brand:
        qs = qs.filter(brand__code=filters.brand)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is not None:
            qs = qs.filter(region.subtree_q("region"))
    if filters.year:
        start, end = year_bounds(filters.year)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(organiser__name__icontains=filters.q))
    return qs.order_by("-starts_at", "pk")


def get_activity_for_actor(uid: object) -> Activity:
    """In the actor's scope (the middleware opened it), or NotFound — missing and forbidden alike."""
    return get_by_uid(Activity.objects.select_related("brand", "organiser", "region", "venue"), uid)


def activity_detail(activity: Activity) -> dict:
    steps = list(ActivityStep.objects.filter(activity=activity).select_related("actor"))
    reports = [s for s in steps if s.action == StepAction.REPORT]
    return {
        "steps": steps,
        "photos": list(ActivityPhoto.objects.filter(activity=activity)),
        # the latest report came from a spreadsheet (so without photos, unless added since)
        "report_imported": bool(reports) and reports[-1].data.get("source") == "excel",
    }


def brand_list() -> QuerySet[Brand]:
    return Brand.objects.filter(is_active=True).order_by("order", "code")


@dataclass(frozen=True)
class Progress:
    brand: Brand
    level: str
    verified: int
    target: BrandTarget | None

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def met(self) -> bool:
        return self.target is not None and self.verified >= self.target.minimum

    @property
    def over(self) -> bool:
        return self.target is not None and self.target.maximum is not None and self.verified > self.target.maximum

    @property
    def bar_max(self) -> int:
        """The scale of the progress bar: the target's upper bound (or floor), or the count itself."""
        if self.target is None:
            return max(self.verified, 1)
        return max(self.target.maximum or self.target.minimum, 1)

    @property
    def bar_value(self) -> int:
        return min(self.verified, self.bar_max)

    @property
    def state(self) -> str:
        if self.target is None:
            return "无目标"
        if self.over:
            return "超出上限"
        if self.met:
            return "已达标"
        return f"还差 {self.target.minimum - self.verified} 期"


def brand_progress(year: int) -> list[Progress]:
    """Per brand and level, the activities of the year that were verified, against the year's target.

    Counted from the records in the current scope (a county sees its own), never typed in: an activity counts
    once verified, in the year it started. A brand and level appear when they have a target or a count."""
    start, end = year_bounds(year)
    counts = {
        (row["brand_id"], row["level"]): row["n"]
        for row in Activity.objects.filter(status=ActivityStatus.VERIFIED, starts_at__gte=start, starts_at__lt=end)
        .values("brand_id", "level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    targets = {(t.brand_id, t.level): t for t in BrandTarget.objects.filter(year=year)}
    rows = []
    for brand in Brand.objects.order_by("order", "code"):
        for level in Level.values:
            key = (brand.pk, level)
            if key in targets or counts.get(key) or (brand.is_active and level == Level.CITY):
                rows.append(Progress(brand=brand, level=level, verified=counts.get(key, 0), target=targets.get(key)))
    return rows


def brand_progress_activities(*, year: int, brand: Brand, level: str) -> QuerySet[Activity]:
    """The drill-down of one progress row: the verified activities it counts."""
    start, end = year_bounds(year)
    return Activity.objects.filter(
        status=ActivityStatus.VERIFIED, brand=brand, level=level, starts_at__gte=start, starts_at__lt=end
    ).select_related("organiser", "region")


# --- registrations --------------------------------------------------------------------------------------------

#: What the public may see of activities: published ones, and what came of them.
PUBLIC_ACTIVITY_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.HELD, ActivityStatus.REPORTED, ActivityStatus.VERIFIED)


def public_q() -> Q:
    """What the public may see: published activities and what came of them, and those called off after they were
    published (shown as cancelled, so that nobody comes in vain) — never drafts, submissions or returns."""
    return Q(status__in=PUBLIC_ACTIVITY_STATUSES) | Q(status=ActivityStatus.CANCELLED, published_at__isnull=False)


def get_public_activity(uid: object, *, whole: bool = True) -> Activity:
    """An activity the public may see (the caller opened public_reads), or NotFound; not `whole`, only its keys
    (what a sign-up needs to find it: the registration reads it again, locked)."""
    if not whole:
        return get_by_uid(Activity.objects.filter(public_q()).only("id", "uid"), uid)
    return get_by_uid(Activity.objects.filter(public_q()).select_related("brand", "region", "venue"), uid)


def waitlist_positions(activity: Activity) -> dict[int, int]:
    """Registration id -> place in the waiting line (1 = next)."""
    line = Registration.unscoped.filter(activity=activity, status=RegistrationStatus.WAITLISTED).order_by("created_at", "id")
    return {pk: n for n, pk in enumerate(line.values_list("pk", flat=True), start=1)}


def my_registrations(user: object) -> list[Registration]:
    """The user's registrations, newest activity first, each waitlisted one with its `position` in line."""
    rows = list(Registration.unscoped.filter(user=user).select_related("activity").order_by("-activity__starts_at", "-created_at")[:100])
    lines: dict[int, dict[int, int]] = {}
    for r in rows:
        if r.status == RegistrationStatus.WAITLISTED:
            r.position = lines.setdefault(r.activity_id, waitlist_positions(r.activity)).get(r.pk)  # type: ignore[attr-defined]
    return rows


def my_notices(user: object) -> list[RegistrationNotice]:
    return list(RegistrationNotice.objects.filter(user=user).order_by("-created_at", "-id")[:10])


def registrations_of(activity: Activity) -> QuerySet[Registration]:
    """An activity's registrations in the current scope, in the order they came."""
    return Registration.objects.filter(activity=activity).select_related("user").order_by("created_at", "id")


def registration_summary(activity: Activity) -> dict:
    rows = list(registrations_of(activity))
    confirmed = [r for r in rows if r.status == RegistrationStatus.CONFIRMED]
    waiting = [r for r in rows if r.status == RegistrationStatus.WAITLISTED]
    checked_in = [r for r in confirmed if r.checked_in_at is not None]
    return {
        "registrations": rows, "waitlist": waiting, "confirmed_count": len(confirmed),
        "confirmed_seats": sum(r.seats for r in confirmed), "waitlisted_seats": sum(r.seats for r in waiting),
        "checked_in_count": len(checked_in), "checked_in_seats": sum(r.seats for r in checked_in),
    }  # fmt: skip


# --- the public calendar --------------------------------------------------------------------------------------

#: The format filter of the calendar: “线上” also finds what is both online and on site, and so does “线下”.
FORMAT_MATCHES = {
    Format.ONLINE: (Format.ONLINE, Format.BOTH),
    Format.OFFLINE: (Format.OFFLINE, Format.BOTH),
    Format.BOTH: (Format.BOTH,),
}


@dataclass(frozen=True)
class CalendarFilters:
    brand: str = ""  # a brand code
    county: str = ""  # a county (or zone) code: its subtree
    audience: str = ""
    format: str = ""
    since: date | None = None  # local dates, both ends included; neither means upcoming (not ended yet)
    until: date | None = None


def public_activities(filters: CalendarFilters, *, now: datetime | None = None) -> QuerySet[Activity]:
    """What the public calendar lists (the caller opened public_reads): published activities and what came of them,
    never drafts, submissions or returns; in order of their start."""
    qs = Activity.objects.filter(public_q()).select_related("brand", "region__county", "venue")
    if filters.brand:
        qs = qs.filter(brand__code=filters.brand)
    if filters.county:
        region = Region.objects.filter(code=filters.county).first()
        qs = qs.filter(region.subtree_q("region")) if region is not None else qs.none()
    if filters.audience:
        qs = qs.filter(audience_codes__contains=f",{filters.audience},")
    if filters.format:
        qs = qs.filter(format__in=FORMAT_MATCHES.get(Format(filters.format), ()))
    tz = timezone.get_current_timezone()
    if filters.since:
        qs = qs.filter(starts_at__gte=datetime.combine(filters.since, time.min, tzinfo=tz))
    if filters.until:
        qs = qs.filter(starts_at__lt=datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=tz))
    if not filters.since and not filters.until:
        qs = qs.filter(ends_at__gt=now or timezone.now())
    return qs.order_by("starts_at", "pk")
