"""Who may do what in the people registry. Which people is the actor's scope: city staff the whole city, county
staff their county's (or zone's) — the scoped managers apply it; these are the roles.

- City and county staff keep the registry: they enter people, edit them, give and end their roles, import and export.
- Showing a phone or ID number unmasked (one value on the detail page, or the whole list in an export the user ticks
  to have unmasked) is for the same staff, for the people in their scope only, and every time it is audited
  (core.personal.reveal; the export's record says it was unmasked). Nobody else ever sees those values whole.
- Organisers, reviewers and citizens have no access yet: a society keeping its own experts, and a person seeing their
  own profile, come with later slices.
"""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.talent.models import Person

VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
EDITOR_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
REVEAL_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
#: the personal fields a permitted actor may reveal on the detail page
REVEALABLE = ("phone", "id_number", "guardian_phone")


def can_view(actor: Actor) -> bool:
    return actor.role in VIEWER_ROLES


def can_edit(actor: Actor, person: Person | None = None) -> bool:
    """Staff edit the people of their scope (a person outside it is not found before this is asked)."""
    if actor.role not in EDITOR_ROLES:
        return False
    return person is None or actor.sees_region(person.region)


def can_reveal(actor: Actor, person: Person) -> bool:
    """City staff for anyone of the city; county staff for the people of their own county or zone."""
    return actor.role in REVEAL_ROLES and actor.sees_region(person.region)


def can_export_unmasked(actor: Actor) -> bool:
    """The export holds only the actor's scope, so the rule is the reveal's, for every row of it."""
    return actor.role in REVEAL_ROLES
