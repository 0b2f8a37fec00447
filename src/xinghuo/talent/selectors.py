"""Reads of the people registry, always in the actor's scope: the list with its filters, one person for a page,
and what a typed region or organisation (a code or a name) stands for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.id_numbers import ID_NUMBER_RE
from xinghuo.core.id_numbers import normalise as normalise_id
from xinghuo.core.lookup import get_by_uid
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent import permissions
from xinghuo.talent.errors import TalentError as E
from xinghuo.talent.models import Expertise, Person, PersonRole, RoleKind, RoleStatus

#: the levels a person's region may have: where they live or work, down to the village
PERSON_LEVELS = (RegionLevel.COUNTY, RegionLevel.ZONE, RegionLevel.TOWN, RegionLevel.VILLAGE)


@dataclass(frozen=True)
class PersonFilters:
    role: str = ""  # a RoleKind: people holding it now
    county: str = ""  # a region code: people of its subtree
    field: str = ""  # an Expertise code
    q: str = ""  # part of a name (a phone or ID number is never put in an address: see person_by_id_number)


def _active_roles() -> Prefetch:
    return Prefetch("roles", queryset=PersonRole.unscoped.filter(status=RoleStatus.ACTIVE).order_by("kind"), to_attr="active_roles")


def person_list(*, actor: Actor, filters: PersonFilters | None = None) -> QuerySet[Person]:
    """The people in the actor's scope (the request opened it), filtered; each with its active roles."""
    if not permissions.can_view(actor):
        return Person.objects.none()
    f = filters or PersonFilters()
    qs = Person.objects.select_related("region__county", "organisation").prefetch_related(_active_roles())
    if f.role:
        if f.role not in RoleKind.values:
            raise DomainError(E.INVALID, f"角色“{f.role}”无效", field="role")
        qs = qs.filter(pk__in=PersonRole.unscoped.filter(kind=f.role, status=RoleStatus.ACTIVE).values("person_id"))
    if f.county:
        region = Region.objects.filter(code=f.county).first()
        if region is None:
            raise DomainError(E.INVALID, f"区划代码“{f.county}”无效", field="county")
        qs = qs.filter(region.subtree_q("region"))
    if f.field:
        if f.field not in Expertise.values:
            raise DomainError(E.INVALID, f"专业领域“{f.field}”无效", field="field")
        qs = qs.filter(field_codes__contains=f",{f.field},")
    q = f.q.strip()
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("region__code", "name", "pk")


def person_by_id_number(*, actor: Actor, id_number: str) -> Person | None:
    """The person of the actor's scope with this ID number, found through the blind index (nothing is decrypted).
    The number comes in a POST body, never in an address, where logs and browser histories would keep it."""
    number = normalise_id(id_number)
    if not permissions.can_view(actor) or not ID_NUMBER_RE.match(number):
        return None
    return Person.objects.filter(Person.id_number_lookup(number)).first()


def get_person_for_actor(*, actor: Actor, uid: object) -> Person:
    """One person in the actor's scope; missing, malformed and forbidden all raise the same NotFound."""
    if not permissions.can_view(actor):
        raise NotFound()
    return get_by_uid(Person.objects.select_related("region__county", "region__town", "organisation", "consent"), uid)


def person_roles(person: Person) -> list[PersonRole]:
    """Every role of the person, held or ended: what the detail page lists."""
    return list(PersonRole.unscoped.filter(person=person).order_by("status", "kind"))


def city_of(actor: Actor) -> Region | None:
    region = actor.region
    if region is None:
        return None
    return region if region.level == RegionLevel.CITY else region.city


def resolve_region(*, actor: Actor, text: str, field: str = "region") -> Region:
    """A region typed as its code (a town's 9 digits, a village's 12, a county's 6) or its name, inside the actor's
    scope (an organisation's: its city) and no higher than a county; a name that several regions share asks for the code."""
    raw = str(text or "").strip()
    if raw.endswith(".0"):  # a code that a spreadsheet read as a number
        raw = raw[:-2]
    if not raw:
        raise DomainError(E.REGION, "请填写所在区划（区划代码或名称）", field=field)
    base = actor.scope_region
    if base is None:  # an organisation, whose scope has no region limit: the regions of its city
        city = city_of(actor)
        base = city.subtree() if city is not None else Region.objects.none()
    base = base.filter(level__in=PERSON_LEVELS)
    if raw.isdigit():
        region = base.filter(code=raw).first()
        if region is None:
            raise DomainError(E.REGION, f"区划代码“{raw}”不存在，或不在您的管理范围内", field=field)
        return region
    matches = list(base.filter(Q(name=raw) | Q(short_name=raw))[:2])
    if not matches:
        raise DomainError(E.REGION, f"找不到名为“{raw}”的区划，或不在您的管理范围内", field=field)
    if len(matches) > 1:
        raise DomainError(E.REGION, f"名为“{raw}”的区划不止一个，请填写区划代码", field=field)
    return matches[0]


def organisation_choices(actor: Actor) -> QuerySet[Organisation]:
    """Where a person of the actor's scope may work: an active organisation of the actor's city."""
    city = city_of(actor)
    if city is None:
        return Organisation.unscoped.none()
    return Organisation.unscoped.filter(is_active=True).filter(city.subtree_q("region")).select_related("region")


def resolve_organisation(*, actor: Actor, text: str, field: str = "organisation") -> Organisation | None:
    """An organisation typed as its code or name (empty: none)."""
    raw = str(text or "").strip()
    if not raw:
        return None
    choices = organisation_choices(actor)
    org = choices.filter(code=raw).first() or choices.filter(Q(name=raw) | Q(short_name=raw)).first()
    if org is None:
        raise DomainError(E.ORGANISATION, f"工作单位“{raw}”不在平台的机构名录中，请填写机构全称或机构代码", field=field)
    return org
