"""The actor: a signed-in user acting in one of their memberships (身份), and the scope that follows.

A user with several memberships (say county staff and reviewer) acts in one at a time and switches in the
console; the audit trail records which. The scope of each role:

- city staff, and the three admins: the city's region subtree (the admins never reach business pages:
  their routes are their own);
- county staff: their county's or zone's region subtree;
- organiser: their organisation's subtree;
- reviewer and citizen: nothing by scope — they reach only what is assigned to them or their own records,
  through selectors that say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from xinghuo.accounts.models import Membership, User, UserKind
from xinghuo.accounts.roles import ADMIN_ROLES, Role
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region

SESSION_KEY = "xh_membership"


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None
    #: every active membership of the user, as loaded once per request (the console's role switcher lists them)
    memberships: tuple[Membership, ...] = ()

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def region(self) -> Region | None:
        return self.membership.organisation.region if self.membership else None

    @property
    def is_citizen(self) -> bool:
        return self.user.kind == UserKind.CITIZEN

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def label(self) -> str:
        if not self.membership:
            return "公众" if self.is_citizen else "无身份"
        return f"{self.membership.get_role_display()}@{self.membership.organisation.name}"

    @property
    def role_code(self) -> str:
        if not self.membership:
            return "citizen" if self.is_citizen else ""
        return f"{self.membership.role}@{self.membership.organisation.code}"

    @cached_property
    def scope_region(self) -> Any:
        """The regions whose records this actor may see (None: no limit), as a queryset."""
        role = self.role
        if role is None or role == Role.REVIEWER:
            return Region.objects.none()
        if role == Role.ORGANISER:
            return None
        region = self.membership.organisation.region  # type: ignore[union-attr]
        if role in (Role.CITY_STAFF, *ADMIN_ROLES):
            city = region if region.level == "city" else region.city
            return city.subtree() if city else Region.objects.none()
        return region.subtree()

    @cached_property
    def scope_organisation(self) -> Any:
        role = self.role
        if role is None or role == Role.REVIEWER:
            return Organisation.unscoped.none()
        if role == Role.ORGANISER:
            return self.membership.organisation.subtree()  # type: ignore[union-attr]
        return None

    def scope_kwargs(self) -> dict[str, Any]:
        return {"region": self.scope_region, "organisation": self.scope_organisation}

    def reaches(self, *, region_id: int, organisation_id: int) -> bool:
        """Whether a record of this region and organisation is in the actor's scope — the rule the scoped managers
        apply, checked by services under their row locks, without the ambient scope."""
        if self.role is None:
            return False
        regions, organisations = self.scope_region, self.scope_organisation
        return (regions is None or regions.filter(pk=region_id).exists()) and (
            organisations is None or organisations.filter(pk=organisation_id).exists()
        )

    def sees_region(self, region: Region) -> bool:
        scope = self.scope_region
        return scope is None or scope.filter(pk=region.pk).exists()


def active_memberships(user: User) -> list[Membership]:
    if user.kind == UserKind.CITIZEN:
        return []  # roles are granted to staff accounts only (membership_grant): no query on every citizen's request
    return list(
        user.memberships.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation__region__city")
        .order_by("role", "organisation__path")
    )


def actor_for(user: User, membership_uid: str | None = None) -> Actor:
    memberships = active_memberships(user)
    chosen = None
    if membership_uid:
        chosen = next((m for m in memberships if str(m.uid) == membership_uid), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    return Actor(user=user, membership=chosen, memberships=tuple(memberships))
