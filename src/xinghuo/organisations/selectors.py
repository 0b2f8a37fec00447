"""Reads of organisations, always inside the actor's scope (the default manager enforces it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.core.lookup import get_by_uid
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.regions.selectors import region_by_code


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    kind: str = ""
    region: str = ""  # a region code: the organisations in its subtree
    active: bool | None = None


def organisation_list(*, filters: OrganisationFilters | None = None) -> QuerySet[Organisation]:
    """Organisations the current actor may see, filtered. Raises DomainError on a bad filter value."""
    f = filters or OrganisationFilters()
    qs = Organisation.objects.select_related("region", "parent")
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(short_name__icontains=f.q) | Q(code__icontains=f.q))
    if f.kind:
        if f.kind not in OrganisationKind.values:
            raise DomainError(ErrorCode.INVALID, f"机构类型“{f.kind}”无效", field="kind")
        qs = qs.filter(kind=f.kind)
    if f.region:
        qs = qs.filter(region__in=region_by_code(f.region).subtree())
    if f.active is not None:
        qs = qs.filter(is_active=f.active)
    return qs.order_by("path")


def get_organisation_for_actor(uid: object) -> Organisation:
    """One organisation in the actor's scope; missing and forbidden both raise NotFound."""
    return get_by_uid(Organisation.objects.select_related("region", "parent"), uid)
