"""Reads of certification: the console's scoped lists and details, and the public notice and certified lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.certification.models import (
    OPEN_STATUSES,
    AnnualReview,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Evidence,
    Objection,
    Score,
    Standard,
    Step,
)
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.regions.models import Region
from xinghuo.venues.models import Venue, VenueStatus


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    kind: str = ""
    venue_type: str = ""
    region: str = ""
    q: str = ""
    todo: bool = False  # only what waits for the actor's role


#: What waits for each role: the step it acts on.
TODO_STATUSES = {
    Role.ORGANISER: (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED),
    Role.COUNTY_STAFF: (ApplicationStatus.SUBMITTED,),
    Role.CITY_STAFF: (ApplicationStatus.COUNTY_APPROVED, ApplicationStatus.IN_NOTICE),
}


def application_list(*, actor: Actor, filters: ApplicationFilters) -> QuerySet[Application]:
    qs = Application.objects.select_related("venue__region", "venue__operator", "standard").annotate(
        pending_objections=Count("objections", filter=Q(objections__upheld__isnull=True))
    )
    if filters.todo:
        qs = qs.filter(status__in=TODO_STATUSES.get(actor.role or "", ()))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.venue_type:
        qs = qs.filter(venue__venue_type=filters.venue_type)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is not None:
            qs = qs.filter(region.subtree_q("venue__region"))
    if filters.q:
        qs = qs.filter(Q(venue__name__icontains=filters.q) | Q(venue__code__icontains=filters.q))
    return qs.order_by("-updated_at")


def get_application_for_actor(uid: object) -> Application:
    """In the actor's scope (the middleware opened it), or NotFound — missing and forbidden alike."""
    return get_by_uid(Application.objects.select_related("venue__region", "venue__operator", "standard"), uid)


def application_detail(application: Application) -> dict:
    scores = list(Score.objects.filter(application=application).select_related("indicator").order_by("indicator__order"))
    return {
        "scores": scores,
        "evidence": list(Evidence.objects.filter(application=application).select_related("indicator")),
        "steps": list(Step.objects.filter(application=application).select_related("actor")),
        "objections": list(Objection.objects.filter(application=application)),
    }


def eligible_venues(*, kind: str = ApplicationKind.INITIAL) -> QuerySet[Venue]:
    """Venues in scope that may be filed now: not certified (or, for a re-assessment, certified) and with no
    application under way."""
    statuses = (
        (VenueStatus.DRAFT, VenueStatus.REGISTERED, VenueStatus.REVOKED)
        if kind == ApplicationKind.INITIAL
        else (VenueStatus.CERTIFIED, VenueStatus.WARNED)
    )
    busy = Application.objects.filter(status__in=OPEN_STATUSES).values("venue_id")
    return Venue.objects.filter(status__in=statuses).exclude(pk__in=busy).select_related("region").order_by("region__code", "name")


def due_for_reassessment(*, today: date | None = None) -> QuerySet[Venue]:
    """Certified venues due for their full re-assessment (全面复评: every five years, or the cycle of their type's
    standard in force) with none under way."""
    today = today or timezone.localdate()
    due = Q(pk__in=[])
    for venue_type, years in Standard.objects.filter(is_active=True).values_list("venue_type", "reassess_years"):
        cutoff = today.replace(year=today.year - years, day=min(today.day, 28))
        due |= Q(venue_type=venue_type, certified_at__date__lte=cutoff)
    return eligible_venues(kind=ApplicationKind.REASSESSMENT).filter(due)


def standard_list() -> QuerySet[Standard]:
    return Standard.objects.annotate(indicator_count=Count("indicators", distinct=True), used=Count("applications", distinct=True))


def review_list(*, year: int, status: str = "") -> QuerySet[AnnualReview]:
    qs = AnnualReview.objects.filter(year=year).select_related("venue__region", "venue__operator")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "venue__code")


# --- public ---------------------------------------------------------------------------------------------------


def public_notice_list(*, today: date | None = None) -> list[Application]:
    """Applications in public notice (公示) today: what anyone may read and object to."""
    today = today or timezone.localdate()
    with public_reads():
        return list(
            Application.objects.filter(status=ApplicationStatus.IN_NOTICE, notice_starts__lte=today, notice_ends__gte=today)
            .select_related("venue__region__county", "venue__operator", "standard")
            .order_by("notice_ends", "venue__name")
        )


def public_notice_application(uid: object) -> Application:
    today = timezone.localdate()
    with public_reads():
        return get_by_uid(
            Application.objects.filter(status=ApplicationStatus.IN_NOTICE, notice_starts__lte=today, notice_ends__gte=today).select_related(
                "venue"
            ),
            uid,
        )


def public_certified_list(*, city: str, venue_type: str = "", county: str = "") -> list[Venue]:
    """The city's certified venues (认定名单), with the grade and date of their latest certification."""
    with public_reads():
        qs = (
            Venue.objects.filter(status__in=(VenueStatus.CERTIFIED, VenueStatus.WARNED), region__city__code=city)
            .select_related("region__county")
            .only("code", "name", "venue_type", "status", "certified_at", "region__name", "region__county__name")
        )
        if venue_type:
            qs = qs.filter(venue_type=venue_type)
        if county:
            region = Region.objects.filter(code=county).first()
            if region is not None:
                qs = qs.filter(region.subtree_q("region"))
        latest = (
            Application.objects.filter(status=ApplicationStatus.CERTIFIED).only("venue_id", "grade", "decided_at").order_by("-decided_at")
        )
        return list(qs.prefetch_related(Prefetch("applications", queryset=latest, to_attr="certifications")).order_by("venue_type", "code"))


def recently_revoked(*, city: str, days: int = 365) -> list[Venue]:
    with public_reads():
        since = timezone.now() - timedelta(days=days)
        return list(
            Venue.objects.filter(status=VenueStatus.REVOKED, region__city__code=city, updated_at__gte=since).order_by("-updated_at")[:50]
        )
