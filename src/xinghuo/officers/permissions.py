"""Who keeps the 科普中国 information officers: the staff who keep the people registry (talent.permissions), for the
people of their scope — city staff the whole city, a county's staff their county (or zone). They register officers,
correct a registration, import the monthly figures and read every list and export. Nobody else has access: an
officer seeing their own figures comes with the citizens' side of the registry."""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.talent import permissions as talent
from xinghuo.talent.models import Person

VIEWER_ROLES = talent.VIEWER_ROLES
EDITOR_ROLES = talent.EDITOR_ROLES


def can_view(actor: Actor) -> bool:
    return talent.can_view(actor)


def can_edit(actor: Actor, person: Person | None = None) -> bool:
    return talent.can_edit(actor, person)
