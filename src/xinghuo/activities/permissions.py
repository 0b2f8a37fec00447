"""Who may act at which step of an activity. Scope (which activities) is the actor's; these are the roles.

- organisers (填报单位), county and city staff file activities, submit them, confirm they were held and report;
- the approver depends on the level: a city demonstration activity (市级示范) is approved and its report verified
  by the city (市科协); a grassroots one (基层) by the staff of the county (or zone) of its region.
"""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.activities.models import Level

FILER_ROLES = (Role.ORGANISER, Role.COUNTY_STAFF, Role.CITY_STAFF)
VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
APPROVER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
APPROVER_OF_LEVEL = {Level.CITY: Role.CITY_STAFF, Level.GRASSROOTS: Role.COUNTY_STAFF}


def can_file(actor: Actor) -> bool:
    return actor.role in FILER_ROLES


def can_approve(actor: Actor, level: str) -> bool:
    """The actor's role approves (and verifies) activities of this level; their scope is checked apart."""
    return actor.role is not None and APPROVER_OF_LEVEL.get(level) == actor.role
