"""Reads of regions (public reference data: not scoped) and the regions an actor works in."""

from __future__ import annotations

from django.db.models import QuerySet

from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.regions.models import Region, RegionLevel

LEVEL_LABELS = {level.value: level.label for level in RegionLevel}


def region_list(*, within: str = "", level: str = "") -> QuerySet[Region]:
    """Regions, optionally the subtree of one code and one level. Bad values raise DomainError."""
    qs = Region.objects.select_related("parent", "county", "zone")
    if within:
        code = within.strip()
        if not code.isdigit():
            raise DomainError(ErrorCode.INVALID, f"区划代码应为数字，收到“{within}”", field="within")
        if len(code) == 4:
            code += "00"
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise DomainError(ErrorCode.INVALID, f"未找到区划代码“{within}”", field="within")
        qs = qs.filter(region.subtree_q())
    if level:
        if level not in RegionLevel.values:
            raise DomainError(ErrorCode.INVALID, f"层级“{level}”无效，应为 {', '.join(RegionLevel.values)} 之一", field="level")
        qs = qs.filter(level=level)
    return qs.order_by("code")


def working_regions(actor, *, include_villages: bool = False) -> list[Region]:
    """The regions an actor may file records in: their scope, or their organisation's region subtree."""
    if actor.membership is None:
        return []
    base = actor.scope_region if actor.scope_region is not None else actor.organisation.region.subtree()
    qs = base if include_villages else base.exclude(level=RegionLevel.VILLAGE)
    return list(qs.order_by("code"))
