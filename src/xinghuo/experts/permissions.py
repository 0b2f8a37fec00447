"""Who may do what with the expert pool and its yearly lists. Which records is the actor's scope (the scoped
managers and `Actor.reaches`); these are the roles.

- City staff (市科协) open each year's selections, review every nomination (shortlist, return, decline — with a
  note), put the shortlist to public notice, answer objections and publish. They do not nominate: the city reviews.
- County staff (县市区/功能区科协) nominate people of their county; an organisation (学会, 高校/企业科协, …) nominates
  people who work for it. Each sees the nominations of its own scope, and may amend or withdraw its own.
- The profiles (topics, bio, influencer accounts) are kept by the staff who keep the people registry, in their scope;
  studios by city staff and, for the venues of their county, county staff.
- Anyone, signed in or not, reads the notice and the published lists and may object during the notice.
"""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.talent import permissions as talent
from xinghuo.talent.models import Person

VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
NOMINATOR_ROLES = (Role.COUNTY_STAFF, Role.ORGANISER)
PROFILE_ROLES = talent.EDITOR_ROLES
STUDIO_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)


def can_view(actor: Actor) -> bool:
    return actor.role in VIEWER_ROLES


def can_run_selection(actor: Actor) -> bool:
    return actor.role == Role.CITY_STAFF


def can_nominate(actor: Actor, person: Person | None = None) -> bool:
    if actor.role not in NOMINATOR_ROLES:
        return False
    return person is None or actor.reaches(region_id=person.region_id, organisation_id=person.organisation_id or 0)


def can_edit_profile(actor: Actor, person: Person | None = None) -> bool:
    return talent.can_edit(actor, person)


def can_keep_studios(actor: Actor) -> bool:
    return actor.role in STUDIO_ROLES
