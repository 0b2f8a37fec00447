"""Reads of 点单式科普: the requests in the actor's scope, one request for a page, the experts to suggest for a request,
and an expert's record of talks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.talent.models import Person, RoleKind, RoleStatus
from xinghuo.talks import permissions
from xinghuo.talks.models import TalkRequest, TalkStatus

ARRANGED = (TalkStatus.CONFIRMED, TalkStatus.DONE)
SUGGESTED = 10


def talk_list(*, actor: Actor, status: str = "") -> QuerySet[TalkRequest]:
    if actor.role not in permissions.VIEWER_ROLES:
        return TalkRequest.objects.none()
    talks = TalkRequest.objects.select_related("requester", "region", "region__county", "expert")
    if status:
        talks = talks.filter(status=status)
    return talks.order_by("-created_at", "-id")


def get_talk_for_actor(*, actor: Actor, uid: str) -> TalkRequest:
    if actor.role not in permissions.VIEWER_ROLES:
        raise NotFound
    return get_by_uid(TalkRequest.objects.select_related("requester", "region", "region__county", "expert", "activity"), uid)


@dataclass(frozen=True)
class Suggestion:
    expert: Person
    same_county: bool
    busy_talks: int  # arranged talks of the expert within the weeks asked for
    talks_this_year: int
    rating: float | None

    @property
    def available(self) -> bool:
        return self.busy_talks == 0


def suggest_experts(*, talk: TalkRequest, limit: int = SUGGESTED) -> list[Suggestion]:
    """Experts of the pool (the active EXPERT role) in the request's field, the ones free in the weeks asked for
    first; among them those of the request's county, then those with fewer talks this year (the load is spread),
    then the better rated."""
    tz = timezone.get_current_timezone()
    window = (datetime.combine(talk.wanted_from, time.min, tz), datetime.combine(talk.wanted_until, time.max, tz))
    year = timezone.localdate().year
    county = talk.region.county_or_zone
    arranged = Q(talks__status__in=ARRANGED)
    experts = (
        Person.unscoped.filter(roles__kind=RoleKind.EXPERT, roles__status=RoleStatus.ACTIVE, field_codes__contains=f",{talk.field},")
        .select_related("region", "region__county", "organisation")
        .annotate(
            busy_talks=Count("talks", filter=arranged & Q(talks__starts_at__lt=window[1], talks__ends_at__gt=window[0]), distinct=True),
            talks_this_year=Count("talks", filter=arranged & Q(talks__starts_at__year=year), distinct=True),
            rating=Avg("talks__rating", filter=Q(talks__status=TalkStatus.DONE)),
        )
    )  # fmt: skip

    def of_county(e: Person) -> bool:
        return county is not None and county.pk in (e.region_id, e.region.county_id)

    suggestions = [
        Suggestion(expert=e, same_county=of_county(e), busy_talks=e.busy_talks, talks_this_year=e.talks_this_year, rating=e.rating)
        for e in experts
    ]
    suggestions.sort(key=lambda s: (not s.available, not s.same_county, s.talks_this_year, -(s.rating or 0), s.expert.name, s.expert.pk))
    return suggestions[:limit]


@dataclass(frozen=True)
class Record:
    talks: list[TalkRequest]
    this_year: int
    rated: int
    rating: float | None


def expert_record(*, actor: Actor, expert: Person) -> Record:
    """The talks an expert was booked for, newest first, as far as the actor sees them; with the year's count and
    the average rating of those with feedback."""
    talks = list(talk_list(actor=actor).filter(expert=expert, status__in=ARRANGED).order_by("-starts_at"))
    year = timezone.localdate().year
    rated = [t.rating for t in talks if t.rating]
    return Record(
        talks=talks, this_year=sum(1 for t in talks if timezone.localtime(t.starts_at).year == year), rated=len(rated),
        rating=round(sum(rated) / len(rated), 1) if rated else None,
    )  # fmt: skip


def get_expert(*, uid: str) -> Person:
    return get_by_uid(Person.unscoped.filter(roles__kind=RoleKind.EXPERT).select_related("region", "organisation"), uid)
