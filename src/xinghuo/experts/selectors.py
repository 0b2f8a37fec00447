"""Reads of the expert pool and its lists: for a signed-in actor always in their scope (another county's nomination
is not found, like a missing one); for the public only what is published or in notice, and never a phone or ID."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.experts import permissions
from xinghuo.experts.models import (
    ROLE_OF_LIST,
    InfluencerAccount,
    ListKind,
    Nomination,
    NominationStatus,
    Objection,
    Selection,
    SelectionStatus,
    Studio,
    StudioMember,
)
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent.models import Person, PersonRole, RoleStatus

#: the city whose public lists these are (the platform is Tai'an's; the demo's province scale holds more cities)
HOME_CITY = "370900"


def city_of(actor: Actor) -> Region | None:
    region = actor.region
    if region is None:
        return None
    return region if region.level == RegionLevel.CITY else region.city


# --- selections and nominations (console) ---------------------------------------------------------------------


def selection_list(*, actor: Actor) -> QuerySet[Selection]:
    """The selections of the actor's city, with how many of each are nominated, in notice and listed."""
    city = city_of(actor)
    if not permissions.can_view(actor) or city is None:
        return Selection.objects.none()
    return Selection.objects.filter(city=city).annotate(
        nominated=Count("nominations", filter=~Q(nominations__status=NominationStatus.WITHDRAWN)),
        listed=Count("nominations", filter=Q(nominations__status=NominationStatus.LISTED)),
        candidates=Count("nominations", filter=Q(nominations__status=NominationStatus.SHORTLISTED)),
    ).order_by("-year", "kind")  # fmt: skip


def get_selection_for_actor(*, actor: Actor, uid: object) -> Selection:
    if not permissions.can_view(actor):
        raise NotFound()
    return get_by_uid(selection_list(actor=actor).select_related("city"), uid)


def nomination_list(*, actor: Actor, selection: Selection) -> QuerySet[Nomination]:
    """The nominations of a selection in the actor's scope (the request opened it), each with its person."""
    return (
        Nomination.objects.filter(selection=selection)
        .select_related("person__region__county", "person__organisation", "nominator")
        .annotate(pending_objections=Count("objections", filter=Q(objections__upheld__isnull=True)))
        .order_by("status", "person__name", "pk")
    )


def get_nomination_for_actor(*, actor: Actor, uid: object) -> Nomination:
    if not permissions.can_view(actor):
        raise NotFound()
    city = city_of(actor)
    return get_by_uid(
        Nomination.objects.filter(selection__city=city).select_related(
            "selection", "person__region__county", "person__organisation", "nominator", "submitted_by"
        ),
        uid,
    )


def objections_of(nomination: Nomination) -> list[Objection]:
    return list(Objection.unscoped.filter(nomination=nomination).select_related("answered_by").order_by("created_at", "pk"))


def nominees(*, actor: Actor, selection: Selection) -> QuerySet[Person]:
    """Whom the actor may nominate for the selection: people of their scope holding the list's role, not yet nominated."""
    if not permissions.can_nominate(actor):
        return Person.objects.none()
    role = ROLE_OF_LIST[ListKind(selection.kind)]
    holders = PersonRole.unscoped.filter(kind=role, status=RoleStatus.ACTIVE).values("person_id")
    taken = Nomination.unscoped.filter(selection=selection, status__in=("submitted", "returned", "shortlisted", "listed")).values(
        "person_id"
    )
    qs = Person.objects.filter(pk__in=holders).exclude(pk__in=taken).filter(selection.city.subtree_q("region"))
    return qs.select_related("region", "organisation").order_by("name", "pk")


@dataclass(frozen=True)
class Progress:
    listed: int
    candidates: int
    target: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.listed / self.target)) if self.target else 100

    @property
    def met(self) -> bool:
        return self.listed >= self.target


def progress_of(selection: Selection) -> Progress:
    counts = dict(
        Nomination.unscoped.filter(selection=selection, status__in=(NominationStatus.LISTED, NominationStatus.SHORTLISTED))
        .values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )  # fmt: skip
    return Progress(listed=counts.get(NominationStatus.LISTED, 0), candidates=counts.get(NominationStatus.SHORTLISTED, 0),
                    target=selection.target)  # fmt: skip


# --- profiles and studios (console) ---------------------------------------------------------------------------


def pool_list(*, actor: Actor, kind: str = "expert", q: str = "") -> QuerySet[Person]:
    """The experts (or influencers, or outstanding figures) of the actor's scope, with their profile and accounts."""
    if not permissions.can_view(actor) or kind not in ROLE_OF_LIST.values():
        return Person.objects.none()
    holders = PersonRole.unscoped.filter(kind=kind, status=RoleStatus.ACTIVE).values("person_id")
    qs = Person.objects.filter(pk__in=holders).select_related("region__county", "organisation", "expert_profile")
    qs = qs.prefetch_related(Prefetch("influencer_accounts", queryset=InfluencerAccount.unscoped.order_by("-followers")))
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("region__code", "name", "pk")


def get_pool_person_for_actor(*, actor: Actor, uid: object) -> Person:
    if not permissions.can_view(actor):
        raise NotFound()
    return get_by_uid(Person.objects.select_related("region__county", "organisation"), uid)


def studio_list(*, actor: Actor) -> QuerySet[Studio]:
    if not permissions.can_view(actor):
        return Studio.objects.none()
    return Studio.objects.select_related("venue__region").annotate(experts=Count("memberships")).order_by("name")


def get_studio_for_actor(*, actor: Actor, uid: object) -> Studio:
    if not permissions.can_view(actor):
        raise NotFound()
    return get_by_uid(Studio.objects.select_related("venue__region"), uid)


def studio_members(studio: Studio) -> list[StudioMember]:
    return list(StudioMember.unscoped.filter(studio=studio).select_related("person__organisation").order_by("-is_lead", "person__name"))


# --- public ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEntry:
    """What the public sees of a listed or noticed person: never a phone or ID number."""

    uid: str
    name: str
    organisation: str
    title: str
    fields: list[str]
    has_photo: bool
    topics: list[str]
    bio: str
    accounts: list[InfluencerAccount]


def _entry(n: Nomination) -> PublicEntry:
    p = n.person
    profile = getattr(p, "expert_profile", None)
    return PublicEntry(
        uid=str(n.uid), name=p.name, organisation=p.organisation.name if p.organisation else "", title=p.title, fields=p.field_labels(),
        has_photo=bool(p.photo), topics=profile.topic_list if profile else [], bio=profile.bio if profile else "",
        accounts=list(p.influencer_accounts.all()),
    )  # fmt: skip


def _public_nominations(**filters: object) -> list[Nomination]:
    return list(
        Nomination.unscoped.filter(**filters)
        .select_related("person__organisation", "person__expert_profile", "selection")
        .prefetch_related(Prefetch("person__influencer_accounts", queryset=InfluencerAccount.unscoped.order_by("-followers")))
        .order_by("person__name", "pk")
    )


def public_years(city: str = HOME_CITY) -> list[int]:
    with public_reads():
        return list(
            Selection.objects.filter(city__code=city, status=SelectionStatus.PUBLISHED)
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )


def public_lists(year: int, city: str = HOME_CITY) -> list[tuple[Selection, list[PublicEntry]]]:
    """The published lists of a year, each with its people."""
    with public_reads():
        selections = list(Selection.objects.filter(city__code=city, year=year, status=SelectionStatus.PUBLISHED).order_by("kind"))
        out = []
        for s in sorted(selections, key=lambda s: list(ListKind.values).index(s.kind)):
            out.append((s, [_entry(n) for n in _public_nominations(selection=s, status=NominationStatus.LISTED)]))
        return out


def public_notice(today: date, city: str = HOME_CITY) -> list[tuple[Selection, list[PublicEntry]]]:
    """The selections in notice today, with their candidates (a withdrawn one leaves the page)."""
    with public_reads():
        selections = Selection.objects.filter(
            city__code=city, status=SelectionStatus.IN_NOTICE, notice_starts__lte=today, notice_ends__gte=today
        ).order_by("-year", "kind")  # fmt: skip
        return [(s, [_entry(n) for n in _public_nominations(selection=s, status=NominationStatus.SHORTLISTED)]) for s in selections]


def public_candidate(uid: object, today: date) -> Nomination:
    """A candidate in notice today, to object to; anything else is not found."""
    with public_reads():
        nomination = get_by_uid(
            Nomination.unscoped.filter(
                status=NominationStatus.SHORTLISTED, selection__status=SelectionStatus.IN_NOTICE,
                selection__notice_starts__lte=today, selection__notice_ends__gte=today,
            ).select_related("person__organisation", "selection"),
            uid,
        )  # fmt: skip
    return nomination


def public_photo_person(uid: object) -> Person:
    """The person of a listed (or noticed) nomination, for their photo; anyone else is not found."""
    with public_reads():
        nomination = get_by_uid(
            Nomination.unscoped.filter(
                Q(status=NominationStatus.LISTED) | Q(status=NominationStatus.SHORTLISTED, selection__status=SelectionStatus.IN_NOTICE)
            ).select_related("person"),
            uid,
        )  # fmt: skip
    if not nomination.person.photo:
        raise NotFound()
    return nomination.person
