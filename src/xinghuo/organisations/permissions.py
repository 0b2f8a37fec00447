"""Who may change which organisation (reads are limited by scope already)."""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import CITY_OFFICE_KINDS, Organisation, OrganisationKind

EDITOR_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)


def kinds_actor_may_create(actor: Actor) -> list[str]:
    if actor.role == Role.CITY_STAFF:
        return [k for k in OrganisationKind.values if k != OrganisationKind.CITY_ASSOCIATION]
    if actor.role in (Role.COUNTY_STAFF, Role.ORGANISER):
        return [k for k in OrganisationKind.values if k not in CITY_OFFICE_KINDS and k != OrganisationKind.COUNTY_ASSOCIATION]
    return []


def can_edit_organisation(actor: Actor, org: Organisation) -> bool:
    """City staff edit any organisation of the city; county staff and organisers the ones below them."""
    if actor.role == Role.CITY_STAFF:
        return True
    if actor.role in (Role.COUNTY_STAFF, Role.ORGANISER):
        own = actor.organisation
        return own is not None and org.pk != own.pk and org.kind in kinds_actor_may_create(actor)
    return False


def can_create_organisation(actor: Actor) -> bool:
    return bool(kinds_actor_may_create(actor))
