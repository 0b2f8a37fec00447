"""Reads of the resource library: the console's lists in the actor's scope, an expert's own queue, a resource's
record, and what the public may see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.activities.models import Topic
from xinghuo.core.lookup import get_by_uid
from xinghuo.resources import redline
from xinghuo.resources.models import Course, CourseStatus, Kind, Notice, Resource, ResourceStatus, ResourceStep, Review
from xinghuo.search import ranked_fields_match, search
from xinghuo.venues.models import Audience

#: Statuses that wait for the actor's role (the console's “待我办理”).
WAITING_FOR_ROLE = {
    Role.CITY_STAFF: Q(status__in=(ResourceStatus.SUBMITTED, ResourceStatus.SECOND_REVIEW)),
    Role.COUNTY_STAFF: Q(status=ResourceStatus.SUBMITTED),
    Role.ORGANISER: Q(status__in=(ResourceStatus.DRAFT, ResourceStatus.RETURNED)),
}


@dataclass(frozen=True)
class ResourceFilters:
    q: str = ""
    status: str = ""
    kind: str = ""
    field: str = ""
    emergency: bool = False
    todo: bool = False


def _emergency_first(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    """Emergency releases are fast-tracked: first in every queue, then the oldest submission first."""
    return qs.annotate(urgent=Case(When(is_emergency=True, then=Value(0)), default=Value(1), output_field=IntegerField())).order_by(
        "urgent", "submitted_at", "pk"
    )


def resource_list(*, actor: Actor, filters: ResourceFilters) -> QuerySet[Resource]:
    """Resources in the actor's scope (the request opened it), filtered; what waits first when `todo`."""
    qs = Resource.objects.select_related("organisation", "region", "reviewer")
    if filters.todo:
        qs = _emergency_first(qs.filter(WAITING_FOR_ROLE.get(actor.role, Q(pk__in=[]))))
    else:
        if filters.status:
            qs = qs.filter(status=filters.status)
        qs = qs.order_by("-updated_at", "-pk")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.emergency:
        qs = qs.filter(is_emergency=True)
    if filters.q:
        qs = search(qs, filters.q).order_by("-search_rank", "-updated_at", "-pk")
    return qs


def review_queue(user: object, *, today: date | None = None) -> QuerySet[Resource]:
    """An expert's own queue, and nothing else: first reviews assigned to them, and the published resources they
    reviewed whose re-review date has come. Emergency ones first."""
    today = today or timezone.localdate()
    qs = Resource.unscoped.filter(reviewer=user).filter(
        Q(status=ResourceStatus.FIRST_REVIEW) | Q(status=ResourceStatus.PUBLISHED, review_due__lte=today)
    )
    return _emergency_first(qs.select_related("organisation"))


def get_resource_for_actor(actor: Actor, uid: object) -> Resource:
    """In the actor's scope, or — for an expert — assigned to them; else NotFound (missing and forbidden alike)."""
    if actor.role == Role.REVIEWER:
        return get_by_uid(Resource.unscoped.filter(reviewer=actor.user).select_related("organisation", "region", "reviewer"), uid)
    return get_by_uid(Resource.objects.select_related("organisation", "region", "reviewer"), uid)


def resource_record(resource: Resource) -> dict:
    """What the detail pages show: the steps, the reviews, the notices, and the red-line flags of the text now."""
    return {
        "steps": list(ResourceStep.unscoped.filter(resource=resource).select_related("actor")),
        "reviews": list(Review.unscoped.filter(resource=resource).order_by("created_at", "id")),
        "notices": list(Notice.objects.filter(resource=resource)),
        "flags": redline.flags(title=resource.title, summary=resource.summary, body=resource.body),
    }


# --- public -------------------------------------------------------------------------------------------------


def public_q() -> Q:
    """What the public may open: published resources, and withdrawn ones that had been published (their page then
    shows only the notice)."""
    return Q(status=ResourceStatus.PUBLISHED) | Q(status=ResourceStatus.WITHDRAWN, published_at__isnull=False)


def get_public_resource(uid: object) -> Resource:
    """The caller opened public_reads."""
    return get_by_uid(Resource.objects.filter(public_q()).select_related("organisation"), uid)


def published_reviews(resource: Resource) -> list[Review]:
    """The review record a published page shows: the passing reviews of the round that was published, and every
    re-review since — who, which field, when."""
    return list(
        Review.unscoped.filter(resource=resource, verdict="pass")
        .filter(Q(round=resource.round) | Q(stage="re_review"))
        .order_by("created_at", "id")
    )


def pinned(*, now: object) -> QuerySet[Resource]:
    """Emergency releases pinned on the portal and the library's home until their time."""
    return Resource.objects.filter(status=ResourceStatus.PUBLISHED, pinned_until__gt=now).order_by("-published_at")[:6]


#: How far a recent emergency release is lifted in the results: a rank this many times its own.
EMERGENCY_BOOST = 2.0
EMERGENCY_RECENT_DAYS = 90
#: A search lists (and counts) at most this many of its matches: a common word that matches a tenth of the
#: library says "more than 1,000" and is narrowed with the facets.
SEARCH_LISTED = 1000


def _facet_filter(
    qs: QuerySet[Resource], *, kind: str = "", audience: str = "", topic: str = "", organisation: str = ""
) -> QuerySet[Resource]:
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(audience_codes__contains=f",{audience},")
    if topic:
        qs = qs.filter(topic_codes__contains=f",{topic},")
    if organisation:
        qs = qs.filter(organisation__uid=organisation) if _is_uuid(organisation) else qs.none()
    return qs


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def matching(q: str, *, now: datetime | None = None, among: QuerySet[Resource] | None = None) -> QuerySet[Resource]:
    """Published resources (of `among`) that match `q` (the caller opened public_reads), best first: the index's
    rank (title hits weigh most) lifted for emergency releases of the last three months, then the newest."""
    now = now or timezone.now()
    found = search(Resource.objects.filter(status=ResourceStatus.PUBLISHED) if among is None else among, q)
    boost = Case(
        When(is_emergency=True, published_at__gte=now - timedelta(days=EMERGENCY_RECENT_DAYS), then=Value(EMERGENCY_BOOST)),
        default=Value(1.0), output_field=FloatField(),
    )  # fmt: skip
    return found.annotate(score=F("search_rank") * boost).order_by("-score", "-published_at", "-pk")


def library(*, kind: str = "", audience: str = "", topic: str = "", organisation: str = "", q: str = "") -> QuerySet[Resource]:
    """Published resources by kind, audience, topic and contributor (the caller opened public_reads): the best
    matches of `q` first, or the newest."""
    qs = matching(q) if q.strip() else Resource.objects.filter(status=ResourceStatus.PUBLISHED).order_by("-published_at", "-pk")
    # the contributor of the page's rows only: joined, the database would read every contributor before sorting
    return _facet_filter(qs.prefetch_related("organisation"), kind=kind, audience=audience, topic=topic, organisation=organisation)


class Found:
    """What the library's search lists, as its pages read it (`Paginator(Found(…), 20)`): the hits in a title or
    summary first, best first (`matching`'s order), then the hits in the body or the author only, newest first;
    counted and listed no further than `limit` (`capped` says there were more).

    A page is two small queries instead of one that ranks every match: the first tier comes through an index of
    its own (`search.ranked_fields_match`), and the second is read newest first only as far as the page goes — a
    common word that matches ten thousand resources in their bodies costs what a rare one does."""

    def __init__(self, q: str, *, limit: int | None = None, now: datetime | None = None, **chosen: str) -> None:
        self.limit = SEARCH_LISTED if limit is None else limit
        published = _facet_filter(Resource.objects.filter(status=ResourceStatus.PUBLISHED), **chosen)
        headline = ranked_fields_match(published, q)
        self.matches = search(published, q)
        self.first = matching(q, now=now, among=published.filter(headline))
        self.rest = self.matches.exclude(headline).order_by("-published_at", "-pk")
        self.capped = False

    def count(self) -> int:
        found = self.matches.order_by()[: self.limit + 1].count()
        self.capped = found > self.limit
        return min(found, self.limit)

    def __getitem__(self, rows: slice) -> list[Resource]:
        start, stop = rows.start or 0, min(rows.stop if rows.stop is not None else self.limit, self.limit)
        if stop <= start:
            return []
        listed = list(self.first.prefetch_related("organisation")[start:stop])
        if len(listed) == stop - start:
            return listed  # the page is all first-tier hits: the body-only ones are not even looked at
        first = start + len(listed) if listed or not start else self.first.count()
        rest = self.rest.prefetch_related("organisation")
        return listed + list(rest[max(start - first, 0) : stop - first])


def facets(qs: QuerySet[Resource], *, top: int = 10) -> dict[str, list[tuple[str, str, int]]]:
    """How many of `qs` there are by kind, audience, topic and contributor: (value, label, count), the empty ones
    left out, the largest first — two queries on the database, one pass over the rows for the first three."""
    plain = qs.order_by()
    groups = {"kind": ("kind", Kind.choices), "audience": ("audience_codes", Audience.choices), "topic": ("topic_codes", Topic.choices)}

    def condition(field: str, code: str) -> Q:
        return Q(kind=code) if field == "kind" else Q(**{f"{field}__contains": f",{code},"})

    counts = plain.aggregate(**{
        f"{key}__{code}": Count("pk", filter=condition(field, code)) for key, (field, choices) in groups.items() for code, _ in choices
    })  # fmt: skip
    found = {
        key: sorted(((code, str(label), counts[f"{key}__{code}"]) for code, label in choices if counts[f"{key}__{code}"]), key=lambda c: -c[2])
        for key, (_, choices) in groups.items()
    }  # fmt: skip
    orgs = plain.values_list("organisation__uid", "organisation__name").annotate(n=Count("pk")).order_by("-n")[:top]
    return {**found, "organisation": [(str(uid), name, n) for uid, name, n in orgs]}


def matching_courses(q: str, limit: int = 3) -> list[Course]:
    """Published courses that match `q`, best first (the caller opened public_reads)."""
    if not q.strip():
        return []
    return list(search(Course.objects.filter(status=CourseStatus.PUBLISHED), q).order_by("-search_rank", "-published_at")[:limit])


def related(resource: Resource, limit: int = 4) -> QuerySet[Resource]:
    """Other published resources of its field for its first audience (the caller opened public_reads)."""
    qs = Resource.objects.filter(status=ResourceStatus.PUBLISHED, field=resource.field).exclude(pk=resource.pk)
    if resource.audiences:
        qs = qs.filter(audience_codes__contains=f",{resource.audiences[0]},")
    return qs.order_by("-published_at")[:limit]
