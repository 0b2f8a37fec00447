"""Who does what with the work list: everyone of the business roles reads it (the city's plans are no secret to
the units that carry them out); city staff add plans and tasks and set weights; each responsible unit — its county
staff or organiser users — keeps the status and progress of its own actions (the scoped manager finds only those),
and city staff may correct any."""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role

VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
PLANNER_ROLES = (Role.CITY_STAFF,)


def can_view(actor: Actor) -> bool:
    return actor.role in VIEWER_ROLES


def can_plan(actor: Actor) -> bool:
    return actor.role in PLANNER_ROLES


def can_report(actor: Actor) -> bool:
    return actor.role in VIEWER_ROLES
