"""Who may act at which step of a certification. Scope (which venues) is the actor's; these are the roles.

- the operator (填报单位) or its county association files, fills the self-assessment and submits;
- county staff (县市区/功能区科协) make the first-level review of applications in their region;
- city staff (市科协) score, put to public notice, answer objections and decide; they keep the standards
  and decide yearly re-checks, on which county staff report their spot checks.
"""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role

FILER_ROLES = (Role.ORGANISER, Role.COUNTY_STAFF, Role.CITY_STAFF)
VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)


def can_file(actor: Actor) -> bool:
    return actor.role in FILER_ROLES


def can_review_as_county(actor: Actor) -> bool:
    return actor.role == Role.COUNTY_STAFF


def can_review_as_city(actor: Actor) -> bool:
    return actor.role == Role.CITY_STAFF


def can_edit_standards(actor: Actor) -> bool:
    return actor.role == Role.CITY_STAFF


def can_spot_check(actor: Actor) -> bool:
    return actor.role in (Role.COUNTY_STAFF, Role.CITY_STAFF)
