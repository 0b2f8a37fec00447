"""Who keeps the promoters' villages: the staff who keep the people registry (talent.permissions), for the villages
of their scope — city staff the whole city, a county's staff their county (or zone). Everyone else has no access."""

from __future__ import annotations

from xinghuo.accounts.actor import Actor
from xinghuo.regions.models import Region
from xinghuo.talent import permissions as talent

VIEWER_ROLES = talent.VIEWER_ROLES
EDITOR_ROLES = talent.EDITOR_ROLES


def can_view(actor: Actor) -> bool:
    return talent.can_view(actor)


def can_assign(actor: Actor, village: Region | None = None) -> bool:
    return talent.can_edit(actor) and (village is None or actor.sees_region(village))
