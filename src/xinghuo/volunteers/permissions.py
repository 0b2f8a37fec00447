"""Who may do what with volunteers. Which records is the actor's scope (the scoped managers, and the selectors'
`visible_records`); these are the roles and the one rule of the seeds: 谁组织谁记录，谁记录谁证明.

- Teams: organisers keep the teams of their own organisation; city and county staff those of the organisations in
  their region.
- Service records: only the organisation that organised the service — the activity's organiser, or the team's
  organisation for a team's own service — enters its records and confirms them. An actor acts for their
  membership's organisation; the staff of a department (科普部) act for its association (市科协).
- Volunteers' pages, hours and certificates: city and county staff, for the people of their scope.
- Stars (public notice, objections, award) are the city's: city staff.
"""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.volunteers.models import Team

TEAM_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
RECORD_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
VOLUNTEER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
STAR_ROLES = (Role.CITY_STAFF,)
STAFF_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)


def acting_organisation(actor: Actor) -> Organisation | None:
    """The organisation the actor records for: their membership's, or a department's association."""
    org = actor.organisation
    if org is not None and org.kind == OrganisationKind.DEPARTMENT and org.parent_id:
        return org.parent
    return org


def acts_for(actor: Actor, organisation: Organisation) -> bool:
    """The actor may enter and confirm the service records this organisation keeps."""
    if actor.role not in RECORD_ROLES:
        return False
    mine = acting_organisation(actor)
    return mine is not None and mine.pk == organisation.pk


def can_manage_team(actor: Actor, team: Team) -> bool:
    """The team's own organisation, or staff whose region holds it."""
    if actor.role not in TEAM_ROLES:
        return False
    if acts_for(actor, team.organisation):
        return True
    return actor.role in STAFF_ROLES and actor.reaches(region_id=team.organisation.region_id, organisation_id=team.organisation_id)


def can_create_team_for(actor: Actor, organisation: Organisation) -> bool:
    if actor.role not in TEAM_ROLES:
        return False
    if acts_for(actor, organisation):
        return True
    return actor.role in STAFF_ROLES and actor.reaches(region_id=organisation.region_id, organisation_id=organisation.pk)


def can_view_volunteers(actor: Actor) -> bool:
    return actor.role in VOLUNTEER_ROLES


def can_manage_stars(actor: Actor) -> bool:
    return actor.role in STAR_ROLES
