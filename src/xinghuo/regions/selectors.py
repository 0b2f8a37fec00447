"""Reads of regions (public reference data: not scoped) and the regions an actor works in."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.regions.models import Region, RegionLevel

LEVEL_LABELS = {level.value: level.label for level in RegionLevel}


def region_by_code(raw: str, *, field: str = "region", error: str = ErrorCode.INVALID) -> Region:
    """The region a user typed or picked by its code ("3709" is the city 370900); else a Chinese DomainError."""
    code = (raw or "").strip()
    if not code.isdigit():
        raise DomainError(error, f"区划代码应为数字，收到“{raw}”", field=field)
    if len(code) == 4:
        code += "00"
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise DomainError(error, f"未找到区划代码“{raw}”", field=field)
    return region


def region_list(*, within: str = "", level: str = "") -> QuerySet[Region]:
    """Regions, optionally the subtree of one code and one level. Bad values raise DomainError."""
    qs = Region.objects.select_related("parent", "county", "zone")
    if within:
        qs = qs.filter(region_by_code(within, field="within").subtree_q())
    if level:
        if level not in RegionLevel.values:
            raise DomainError(ErrorCode.INVALID, f"层级“{level}”无效，应为 {', '.join(RegionLevel.values)} 之一", field="level")
        qs = qs.filter(level=level)
    return qs.order_by("code")


CACHE_SECONDS = 300  # bounds staleness where the cache is per process (no REDIS_URL)
VERSION_KEY = "regions:version"


def cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return int(version)


def region_page(*, within: str = "", level: str = "", page: int = 1, page_size: int = 20) -> dict:
    """One page of region_list() as plain data, cached: the division changes only when it is reloaded."""
    key = f"regions:page:{cache_version()}:{within}:{level}:{page}:{page_size}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    qs = region_list(within=within, level=level)
    offset = (page - 1) * page_size
    rows = qs[offset : offset + page_size]
    result = {
        "count": qs.count(),
        "items": [
            {
                "code": r.code, "name": r.name, "short_name": r.short_name, "level": r.level,
                "parent_code": r.parent.code if r.parent else None,
                "county_code": r.county.code if r.county else None,
                "zone_code": r.zone.code if r.zone else None,
            }
            for r in rows
        ],
    }  # fmt: skip
    cache.set(key, result, CACHE_SECONDS)
    return result


def working_regions(actor, *, include_villages: bool = False) -> list[Region]:
    """The regions an actor may file records in: their scope, or their organisation's region subtree."""
    if actor.membership is None:
        return []
    base = actor.scope_region if actor.scope_region is not None else actor.organisation.region.subtree()
    qs = base if include_villages else base.exclude(level=RegionLevel.VILLAGE)
    return list(qs.order_by("code"))
