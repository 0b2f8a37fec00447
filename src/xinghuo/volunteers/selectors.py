"""Reads of volunteers, teams, service records, stars and certificates — in the actor's scope — and the public reads
(the star notice, a certificate by its number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.regions.models import Region
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.volunteers import permissions
from xinghuo.volunteers.errors import VolunteerError as E
from xinghuo.volunteers.models import (
    AwardStatus,
    Certificate,
    Commendation,
    RecordStatus,
    ServiceRecord,
    StarAward,
    Team,
    TeamMembership,
    VolunteerHours,
)


def active_volunteer_q(prefix: str = "") -> Exists:
    """People holding the volunteer role now."""
    return Exists(PersonRole.unscoped.filter(person=OuterRef(f"{prefix}pk"), kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE))


# --- teams ----------------------------------------------------------------------------------------------------


def team_list(*, actor: Actor, q: str = "") -> QuerySet[Team]:
    if actor.role not in permissions.TEAM_ROLES:
        return Team.objects.none()
    qs = Team.objects.select_related("organisation__region").annotate(member_count=Count("memberships"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q))
    return qs.order_by("organisation__region__code", "organisation__name", "name", "pk")


def get_team_for_actor(*, actor: Actor, uid: object) -> Team:
    if actor.role not in permissions.TEAM_ROLES:
        raise NotFound()
    return get_by_uid(Team.objects.select_related("organisation__region"), uid)


def team_members(team: Team) -> list[TeamMembership]:
    return list(TeamMembership.unscoped.filter(team=team).select_related("person__region").order_by("person__name", "pk"))


def teams_of(person: Person) -> list[Team]:
    return list(Team.unscoped.filter(memberships__person=person).select_related("organisation").order_by("name"))


# --- service records ------------------------------------------------------------------------------------------


def visible_records(actor: Actor) -> QuerySet[ServiceRecord]:
    """The records of the actor's scope (their people's, or the ones their organisation keeps) and, besides, every
    record their organisation keeps — of another county's volunteer, who served at its activity."""
    if actor.role not in permissions.RECORD_ROLES:
        return ServiceRecord.unscoped.none()
    regions, organisations = actor.scope_region, actor.scope_organisation
    scope = Q()
    if regions is not None:
        scope &= Q(volunteer__region__in=regions)
    if organisations is not None:
        scope &= Q(organisation__in=organisations)
    mine = permissions.acting_organisation(actor)
    if mine is not None:
        scope |= Q(organisation=mine)
    return ServiceRecord.unscoped.filter(scope)


@dataclass(frozen=True)
class RecordFilters:
    status: str = ""
    county: str = ""  # a region code: volunteers of its subtree
    q: str = ""  # part of the volunteer's name
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False  # only the records the actor's organisation keeps


def record_list(*, actor: Actor, filters: RecordFilters | None = None) -> QuerySet[ServiceRecord]:
    f = filters or RecordFilters()
    qs = visible_records(actor).select_related("volunteer__region__county", "organisation", "activity", "team")
    if f.status:
        if f.status not in RecordStatus.values:
            raise DomainError(E.INVALID, f"状态“{f.status}”无效", field="status")
        qs = qs.filter(status=f.status)
    if f.county:
        region = Region.objects.filter(code=f.county).first()
        if region is None:
            raise DomainError(E.INVALID, f"区划代码“{f.county}”无效", field="county")
        qs = qs.filter(region.subtree_q("volunteer__region"))
    if f.q.strip():
        qs = qs.filter(volunteer__name__icontains=f.q.strip())
    if f.date_from:
        qs = qs.filter(date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(date__lte=f.date_to)
    if f.mine:
        qs = qs.filter(organisation=permissions.acting_organisation(actor))
    return qs.order_by("-date", "-id")


def get_record_for_actor(*, actor: Actor, uid: object) -> ServiceRecord:
    return get_by_uid(visible_records(actor).select_related("volunteer", "organisation", "activity", "team"), uid)


# --- volunteers -----------------------------------------------------------------------------------------------


def volunteer_list(*, actor: Actor, q: str = "", star: int | None = None) -> QuerySet[Person]:
    """The volunteers of the actor's scope with their confirmed hours (people holding the role now)."""
    if not permissions.can_view_volunteers(actor):
        return Person.objects.none()
    # the teams counted by a subquery, not a join: the page's count() then leaves it out
    teams = TeamMembership.unscoped.filter(person=OuterRef("pk")).order_by().values("person").annotate(n=Count("pk")).values("n")
    qs = (
        Person.objects.filter(active_volunteer_q())
        .select_related("region__county", "volunteer_hours")
        .annotate(team_count=Coalesce(Subquery(teams), 0))
    )
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    if star:
        from xinghuo.volunteers.models import STAR_HOURS

        qs = qs.filter(volunteer_hours__confirmed_hours__gte=STAR_HOURS[star])
        if star < 5:
            qs = qs.filter(volunteer_hours__confirmed_hours__lt=STAR_HOURS[star + 1])
    return qs.order_by("region__code", "name", "pk")


def get_volunteer_for_actor(*, actor: Actor, uid: object) -> Person:
    """A person of the actor's scope who is or was a volunteer."""
    if not permissions.can_view_volunteers(actor):
        raise NotFound()
    person = get_by_uid(Person.objects.select_related("region__county", "organisation"), uid)
    if not PersonRole.unscoped.filter(person=person, kind=RoleKind.VOLUNTEER).exists():
        raise NotFound()
    return person


def confirmed_hours(person: Person) -> Decimal:
    row = VolunteerHours.unscoped.filter(person=person).first()
    return row.confirmed_hours if row else Decimal(0)


def person_records(person: Person, *, limit: int = 200) -> list[ServiceRecord]:
    return list(
        ServiceRecord.unscoped.filter(volunteer=person).select_related("organisation", "activity", "team").order_by("-date", "-id")[:limit]
    )


def confirmed_in_period(person: Person, start: date, end: date) -> QuerySet[ServiceRecord]:
    return (
        ServiceRecord.unscoped.filter(volunteer=person, status=RecordStatus.CONFIRMED, date__gte=start, date__lte=end)
        .select_related("organisation", "activity", "team")
        .order_by("date", "id")
    )


def period_total(person: Person, start: date, end: date) -> tuple[Decimal, int]:
    agg = confirmed_in_period(person, start, end).aggregate(hours=Sum("hours"), n=Count("id"))
    return agg["hours"] or Decimal(0), agg["n"]


# --- stars ----------------------------------------------------------------------------------------------------


def award_list(*, actor: Actor, status: str = "") -> QuerySet[StarAward]:
    if not permissions.can_view_volunteers(actor):
        return StarAward.objects.none()
    qs = StarAward.objects.select_related("person__region__county").annotate(
        pending_objections=Count("objections", filter=Q(objections__upheld__isnull=True)), objection_count=Count("objections")
    )
    if status:
        if status not in AwardStatus.values:
            raise DomainError(E.INVALID, f"状态“{status}”无效", field="status")
        qs = qs.filter(status=status)
    return qs.order_by("-notice_starts", "-level", "person__name", "pk")


def get_award_for_actor(*, actor: Actor, uid: object) -> StarAward:
    if not permissions.can_view_volunteers(actor):
        raise NotFound()
    return get_by_uid(StarAward.objects.select_related("person__region__county"), uid)


def public_notice_list() -> list[StarAward]:
    """Everyone whose star is in public notice now: name, teams, level and hours — never a phone or ID number."""
    with public_reads():
        return list(
            StarAward.unscoped.filter(status=AwardStatus.NOTICED)
            .select_related("person__region__county")
            .only(
                "uid",
                "level",
                "hours",
                "teams",
                "notice_starts",
                "notice_ends",
                "person__name",
                "person__region__county__name",
                "person__region__name",
                "person__region__level",
            )
            .order_by("-level", "person__name", "pk")
        )


def public_star_list(*, level: int | None = None) -> QuerySet[StarAward]:
    """The stars awarded and standing (withdrawn ones drop off): name, county, teams, level, date."""
    with public_reads():
        qs = StarAward.unscoped.filter(status=AwardStatus.AWARDED).select_related("person__region__county")
        if level:
            qs = qs.filter(level=level)
        return qs.only("uid", "level", "teams", "awarded_on", "person__name", "person__region__name", "person__region__level",
                       "person__region__county__name").order_by("-awarded_on", "-level", "person__name", "pk")  # fmt: skip


def person_awards(person: Person) -> list[StarAward]:
    return list(StarAward.unscoped.filter(person=person).order_by("-level", "-notice_starts"))


# --- certificates ---------------------------------------------------------------------------------------------


def normalise_number(number: str) -> str:
    return "".join(str(number or "").split()).upper()


def certificate_by_number(number: str) -> Certificate | None:
    """The certificate with this number, for the public verify page; None for a number that was never issued."""
    number = normalise_number(number)
    if not number or len(number) > 32:
        return None
    with public_reads():
        return Certificate.unscoped.filter(number=number).select_related("award").first()


def person_certificates(person: Person) -> list[Certificate]:
    return list(Certificate.unscoped.filter(person=person).order_by("-issued_on", "-id"))


def get_certificate_for_actor(*, actor: Actor, uid: object) -> Certificate:
    if not permissions.can_view_volunteers(actor):
        raise NotFound()
    return get_by_uid(Certificate.objects.select_related("person", "award"), uid)


# --- commendations --------------------------------------------------------------------------------------------


def commendation_list(*, actor: Actor, year: int | None = None) -> QuerySet[Commendation]:
    if not permissions.can_view_volunteers(actor):
        return Commendation.objects.none()
    qs = Commendation.objects.select_related("rule", "person__region__county")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "rule__name", "-hours", "pk")


def person_commendations(person: Person) -> list[Commendation]:
    return list(Commendation.unscoped.filter(person=person).select_related("rule").order_by("-year", "rule__name"))
