"""Reads of funded projects: the list of the actor's scope with its filters, one project for the actor (404 for
missing and forbidden alike), the calls, and the yearly figures the dashboard shows (funds and acceptances per
county)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, When

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.projects import permissions
from xinghuo.projects.errors import ProjectError as E
from xinghuo.projects.models import PASSED_STATUSES, Category, Project, ProjectCall, ProjectStatus
from xinghuo.regions.models import Region, RegionLevel

CITY_LEVEL = "市直单位"


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""  # code, title or applicant's name
    year: int | None = None
    call: str = ""  # a call's uid
    status: str = ""
    category: str = ""
    county: str = ""  # a county's or zone's region code: projects of its subtree


def project_list(*, actor: Actor, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """The projects of the actor's scope (a county: its county's organisations'; an organiser: its own; the city: all)."""
    if not permissions.can_view(actor):
        return Project.objects.none()
    f = filters or ProjectFilters()
    qs = Project.objects.select_related("call", "applicant", "region__county").order_by("-call__year", "code")
    if f.status:
        if f.status not in ProjectStatus.values:
            raise DomainError(E.INVALID, f"状态“{f.status}”无效", field="status")
        qs = qs.filter(status=f.status)
    if f.category:
        if f.category not in Category.values:
            raise DomainError(E.INVALID, f"类别“{f.category}”无效", field="category")
        qs = qs.filter(category=f.category)
    if f.year:
        qs = qs.filter(call__year=f.year)
    if f.call:
        qs = qs.filter(call__uid=get_call(uid=f.call).uid)
    if f.county:
        region = Region.objects.filter(code=f.county, level__in=(RegionLevel.COUNTY, RegionLevel.ZONE)).first()
        if region is None:
            raise DomainError(E.INVALID, f"区划代码“{f.county}”无效", field="county")
        qs = qs.filter(region.subtree_q("region"))
    if f.q.strip():
        q = f.q.strip()
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(applicant__name__icontains=q))
    return qs


def get_project_for_actor(*, actor: Actor, uid: object) -> Project:
    if not permissions.can_view(actor):
        raise NotFound
    return get_by_uid(Project.objects.select_related("call", "applicant", "region__county", "allocated_by"), uid)


def calls() -> QuerySet[ProjectCall]:
    """Every call, newest first, with what it has granted so far (the calls are the city's, read by every unit)."""
    return ProjectCall.objects.annotate(
        granted=Sum("projects__allocated", default=Decimal(0)), applied=Count("projects", filter=~Q(projects__status="draft"))
    ).order_by("-year", "-created_at", "-id")


def open_calls() -> QuerySet[ProjectCall]:
    return ProjectCall.objects.filter(status="open").order_by("-year", "deadline")


def get_call(*, uid: object) -> ProjectCall:
    return get_by_uid(calls(), uid)


def years() -> list[int]:
    return list(ProjectCall.objects.order_by("-year").values_list("year", flat=True).distinct())


# --- the dashboard's figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountyFunds:
    code: str | None  # the county's or zone's region code; None for organisations at city level (市直单位)
    name: str
    projects: int  # projects granted money
    allocated: Decimal
    spent: Decimal


def _county_code() -> Case:
    """The code of the county a project's region is in: itself for a county or zone, its county for a town or village,
    none for the city level. A town a functional zone administers counts under its (statistical) county."""
    return Case(
        When(region__level__in=(RegionLevel.COUNTY, RegionLevel.ZONE), then=F("region__code")),
        default=F("region__county__code"),
        output_field=CharField(),
    )


def _within(qs: QuerySet[Project], within: Region | None) -> QuerySet[Project]:
    return qs.filter(within.subtree_q("region")) if within is not None else qs


def _names(codes: set[str | None]) -> dict[str | None, str]:
    names: dict[str | None, str] = dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    names[None] = CITY_LEVEL
    return names


def funds_by_county(year: int, *, within: Region | None = None) -> list[CountyFunds]:
    """Per county, the money granted to the projects of the year's calls (立项资金) and what they reported spent, for
    the projects granted money (whatever has happened to them since). Counties with no such project are left out;
    organisations at city level come last as 市直单位. All the platform's projects, or those in `within`'s subtree: the
    caller decides who may see the figures. Two queries."""
    rows = (
        _within(Project.unscoped.filter(call__year=year, allocated__isnull=False), within)
        .annotate(county_code=_county_code())
        .values("county_code")
        .annotate(projects=Count("id"), allocated=Sum("allocated"), spent=Sum("spent"))
        .order_by("county_code")
    )
    rows = list(rows)
    names = _names({r["county_code"] for r in rows})
    found = [CountyFunds(code=r["county_code"], name=names.get(r["county_code"], ""), projects=r["projects"], allocated=r["allocated"],
                         spent=r["spent"]) for r in rows]  # fmt: skip
    return sorted(found, key=lambda c: (c.code is None, c.code or ""))


def projects_accepted(year: int, *, within: Region | None = None) -> dict[str | None, int]:
    """Per county code (None: organisations at city level), how many projects passed acceptance (验收通过, evaluated
    since or not) with the verdict given in `year` — the year of the verdict, not of the call. The total is the sum of
    the values. One query."""
    qs = _within(Project.unscoped.filter(status__in=PASSED_STATUSES, accepted_on__year=year), within)
    counts: dict[str | None, int] = defaultdict(int)
    for row in qs.annotate(county_code=_county_code()).values("county_code").annotate(n=Count("id")).order_by():
        counts[row["county_code"]] += row["n"]
    return dict(counts)
