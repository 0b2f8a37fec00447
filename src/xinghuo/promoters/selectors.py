"""Reads: how far the promoters cover the villages (by county, by town), which villages still have none, and the
promoters themselves with their villages and this year's activities there. Always within the actor's scope: city
staff the city, a county's staff their county or zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.activities.models import Activity, ActivityStatus
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.promoters import permissions
from xinghuo.promoters.errors import PromoterError as E
from xinghuo.promoters.models import PromoterArea, covering
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent.models import Person, RoleKind, RoleStatus

#: the activities that count as a promoter's work in their villages: held, whether reported and verified yet or not
HELD = (ActivityStatus.HELD, ActivityStatus.REPORTED, ActivityStatus.VERIFIED)


@dataclass(frozen=True)
class CoverageRow:
    region: Region
    villages: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.villages - self.covered

    @property
    def rate(self) -> float:
        return self.covered / self.villages if self.villages else 0.0

    @property
    def percent(self) -> str:
        return f"{self.rate:.1%}"


@dataclass(frozen=True)
class Coverage:
    within: Region  # the city, a county or a zone
    total: CoverageRow
    rows: list[CoverageRow]  # by county (for the city) or by town (for a county or zone)
    promoters: int  # people serving as promoters now, in the scope


def scope_root(actor: Actor) -> Region:
    """The region an actor's coverage figures are of: their organisation's region (the city, or their county/zone)."""
    if not permissions.can_view(actor):
        raise DomainError(E.NOT_ALLOWED, "您要找的记录不存在或无权查看。", status=404)
    return actor.membership.organisation.region  # type: ignore[union-attr]


def within_for(actor: Actor, code: str = "") -> Region:
    """The region asked for (`?county=<code>`), if in the actor's scope; else the actor's own."""
    root = scope_root(actor)
    if not code:
        return root
    region = Region.objects.filter(code=code, level__in=(RegionLevel.COUNTY, RegionLevel.ZONE)).first()
    return region if region is not None and actor.sees_region(region) else root


def villages_in(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(region.subtree_q(), level=RegionLevel.VILLAGE)


def _covered() -> Exists:
    return Exists(covering(PromoterArea.unscoped.filter(village=OuterRef("pk"))))


def coverage(*, within: Region) -> Coverage:
    """Villages and villages covered, for `within` and for each county (of the city) or town (of a county or zone):
    one grouped query."""
    by = "county" if within.level == RegionLevel.CITY else "town"
    counts = {
        row[by]: (row["villages"], row["covered"])
        for row in villages_in(within).annotate(is_covered=_covered()).values(by).annotate(
            villages=Count("pk"), covered=Count("pk", filter=Q(is_covered=True))
        ).order_by()
    }  # fmt: skip
    parts = Region.objects.filter(pk__in=counts).order_by("code")
    rows = [CoverageRow(region=part, villages=counts[part.pk][0], covered=counts[part.pk][1]) for part in parts]
    total = CoverageRow(region=within, villages=sum(r.villages for r in rows), covered=sum(r.covered for r in rows))
    promoters = Person.unscoped.filter(within.subtree_q("region"), roles__kind=RoleKind.PROMOTER, roles__status=RoleStatus.ACTIVE)
    return Coverage(within=within, total=total, rows=rows, promoters=promoters.distinct().count())


def uncovered_villages(*, within: Region, town: str = "") -> QuerySet[Region]:
    """The villages of `within` (or of one of its towns, by code) without a serving promoter, by code."""
    villages = villages_in(within)
    if town:
        villages = villages.filter(town__code=town)
    return villages.exclude(_covered()).select_related("county", "town").order_by("code")


def towns_of(within: Region) -> QuerySet[Region]:
    return Region.objects.filter(within.subtree_q(), level=RegionLevel.TOWN).order_by("code")


class SubqueryCount(Subquery):
    """COUNT(*) of a subquery's rows, for an annotation (no GROUP BY on the outer query)."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def promoter_list(*, actor: Actor, within: Region, q: str = "") -> QuerySet[Person]:
    """The serving promoters of `within`, each with the number of villages they cover and this year's activities
    held there, those covering none first (they are the ones to follow up)."""
    if not permissions.can_view(actor):
        return Person.objects.none()
    year = timezone.localdate().year
    open_areas = PromoterArea.unscoped.filter(person=OuterRef("pk"), ended_on__isnull=True)
    their_villages = PromoterArea.unscoped.filter(person=OuterRef(OuterRef("pk")), ended_on__isnull=True).values("village_id")
    held = Activity.unscoped.filter(status__in=HELD, starts_at__year=year, region_id__in=their_villages)
    people = (
        Person.objects.filter(within.subtree_q("region"), roles__kind=RoleKind.PROMOTER, roles__status=RoleStatus.ACTIVE)
        .annotate(villages=SubqueryCount(open_areas.values("pk")), activities=SubqueryCount(held.values("pk")))
        .select_related("region", "region__county", "organisation")
        .order_by("villages", "name", "id")
    )
    if q.strip():
        people = people.filter(name__contains=q.strip())
    return people


def get_promoter_for_actor(*, actor: Actor, uid: str) -> Person:
    if not permissions.can_view(actor):
        raise NotFound
    return get_by_uid(Person.objects.filter(roles__kind=RoleKind.PROMOTER).distinct(), uid)


def areas_of(person: Person) -> list[PromoterArea]:
    return list(PromoterArea.unscoped.filter(person=person).select_related("village", "village__town", "village__county")
                .order_by("ended_on", "village__code"))  # fmt: skip


def villages_by_name_or_code(within: Region, typed: Iterable[str]) -> tuple[list[Region], list[str]]:
    """The villages of `within` that typed codes or names stand for, and the entries that matched none or more
    than one (a name shared by two villages must be typed as its code)."""
    found, unknown = [], []
    for entry in typed:
        entry = entry.strip()
        if not entry:
            continue
        matches = list(villages_in(within).filter(Q(code=entry) | Q(name=entry) | Q(short_name=entry))[:2])
        if len(matches) == 1:
            found.append(matches[0])
        else:
            unknown.append(entry if not matches else f"{entry}（重名，请填写区划代码）")
    return found, unknown
