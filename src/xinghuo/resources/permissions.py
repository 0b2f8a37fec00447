"""Who may act at which step of a resource. Scope (which resources) is the actor's; these are the roles.

- contributors (填报单位: societies, universities, companies, venues), county and city staff file resources in
  their scope, revise what was returned or withdrawn, and submit;
- the staff of the resource's county, or the city, assign the first review to an expert of its field;
- the assigned expert (评审专家) does the first review, and later its re-review;
- the city (市科协) does the second review — the red-line check — and publishes, withdraws, corrects and pins; it
  keeps the expert pool and the red-line lexicon.
"""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role

CONTRIBUTOR_ROLES = (Role.ORGANISER, Role.COUNTY_STAFF, Role.CITY_STAFF)
ASSIGNER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
CONSOLE_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER, Role.REVIEWER)


def can_contribute(actor: Actor) -> bool:
    return actor.role in CONTRIBUTOR_ROLES


def can_assign(actor: Actor) -> bool:
    return actor.role in ASSIGNER_ROLES


def is_city(actor: Actor) -> bool:
    return actor.role == Role.CITY_STAFF


def is_reviewer(actor: Actor) -> bool:
    return actor.role == Role.REVIEWER
