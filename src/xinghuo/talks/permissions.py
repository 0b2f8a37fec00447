"""Who does what with 点单式科普 requests (the scoped managers say which requests an actor sees at all):
- an organisation (a school, a company, a society — the organiser role) asks for talks for itself and its units;
  county and city staff may ask on behalf of an organisation of their scope (a community without an account);
- county staff arrange the requests of their county (or zone), city staff any: pick the expert, set the date;
- the asker (or the staff who asked for it) gives the feedback once the talk is held."""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role

VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
REQUESTER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
ARRANGER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)


def can_request(actor: Actor) -> bool:
    return actor.role in REQUESTER_ROLES


def can_arrange(actor: Actor) -> bool:
    return actor.role in ARRANGER_ROLES
