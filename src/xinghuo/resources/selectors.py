"""Reads of the resource library: the console's lists in the actor's scope, an expert's own queue, a resource's
record, and what the public may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.core.lookup import get_by_uid
from xinghuo.resources import redline
from xinghuo.resources.models import Notice, Resource, ResourceStatus, ResourceStep, Review

#: Statuses that wait for the actor's role (the console's “待我办理”).
TODO = {
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
        qs = _emergency_first(qs.filter(TODO.get(actor.role, Q(pk__in=[]))))
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
        qs = qs.filter(Q(title__icontains=filters.q) | Q(author__icontains=filters.q) | Q(organisation__name__icontains=filters.q))
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


def library(*, kind: str = "", audience: str = "", topic: str = "", q: str = "") -> QuerySet[Resource]:
    """Published resources, newest first, by kind, audience and topic (the caller opened public_reads)."""
    qs = Resource.objects.filter(status=ResourceStatus.PUBLISHED).select_related("organisation")
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(audience_codes__contains=f",{audience},")
    if topic:
        qs = qs.filter(topic_codes__contains=f",{topic},")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return qs.order_by("-published_at", "-pk")


def related(resource: Resource, limit: int = 4) -> QuerySet[Resource]:
    """Other published resources of its field for its first audience (the caller opened public_reads)."""
    qs = Resource.objects.filter(status=ResourceStatus.PUBLISHED, field=resource.field).exclude(pk=resource.pk)
    if resource.audiences:
        qs = qs.filter(audience_codes__contains=f",{resource.audiences[0]},")
    return qs.order_by("-published_at")[:limit]
