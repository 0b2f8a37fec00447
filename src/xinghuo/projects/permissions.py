"""Who does what with funded projects: the applicant organisation's side — an organiser of that organisation, or
the staff of the county association it belongs to — drafts, edits, submits, reports spending, applies for acceptance
and uploads the documents; city staff open calls, allocate (立项) or decline, give the acceptance verdict (验收) and
evaluate. Everyone of the business roles reads the projects of their scope (a county its county's, an organiser its
own organisation's, the city all)."""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import CITY_OFFICE_KINDS, Organisation

VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
APPLICANT_ROLES = (Role.COUNTY_STAFF, Role.ORGANISER)
CITY_ROLES = (Role.CITY_STAFF,)


def can_view(actor: Actor) -> bool:
    return actor.role in VIEWER_ROLES


def can_decide(actor: Actor) -> bool:
    return actor.role in CITY_ROLES


def acts_for(actor: Actor, applicant: Organisation) -> bool:
    """Whether the actor works on the applicant's side: its organiser (or one of the organisation above it), or the
    staff of the county association whose county it is in. The city's own offices do not apply to themselves."""
    if actor.role not in APPLICANT_ROLES or applicant.kind in CITY_OFFICE_KINDS:
        return False
    return actor.reaches(region_id=applicant.region_id, organisation_id=applicant.pk)
