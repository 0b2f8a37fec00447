"""Writes to regions: loading a city's division (idempotent) with one audit record per load."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction

from xinghuo.core import audit
from xinghuo.regions.division import DivisionError, RegionRow, normalise_city_code, short_name, zones_for
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.regions.selectors import VERSION_KEY


@dataclass(frozen=True)
class LoadResult:
    city: str
    created: int
    updated: int
    unchanged: int
    by_level: dict[str, int]


def regions_load(*, city_code: str, rows: list[RegionRow]) -> LoadResult:
    """Create or update every region of one city and its zones; nothing is saved if any row is wrong."""
    city6 = normalise_city_code(city_code)
    if not rows or rows[0].level != "city" or rows[0].code != city6:
        raise DivisionError(f"区划数据的第一行应是地级市 {city6}")
    codes = [r.code for r in rows]
    if len(set(codes)) != len(codes):
        raise DivisionError("区划数据中有重复的代码")
    by_code = {r.code: r for r in rows}
    for r in rows[1:]:
        if r.parent_code not in by_code:
            raise DivisionError(f"区划 {r.code} {r.name} 的上级 {r.parent_code} 不在数据中")
        if r.level not in RegionLevel.values:
            raise DivisionError(f"区划 {r.code} 的层级“{r.level}”无效")
    zones = zones_for(city6)
    zone_of_town = {town: z["code"] for z in zones for town in z["towns"]}
    for town in zone_of_town:
        if by_code.get(town) is None or by_code[town].level != "town":
            raise DivisionError(f"功能区托管的乡镇 {town} 不在 {city6} 的区划数据中")

    existing = {r.code: r for r in Region.objects.filter(code__startswith=city6[:4])}
    with audit.bulk_write(model=Region, description=f"载入区划 {city6}") as summary:
        summary.update(created=0, updated=0, unchanged=0)
        # Parents before children: rows are ordered city, counties, towns, villages; zones after counties.
        ordered = [rows[0]] + [r for r in rows if r.level == "county"]
        ordered += [RegionRow(z["code"], z["name"], "zone", city6) for z in zones]
        ordered += [r for r in rows if r.level == "town"] + [r for r in rows if r.level == "village"]
        zone_short = {z["code"]: z.get("short_name", "") for z in zones}
        placed: dict[str, Region] = {}
        for level in ("city", "county", "zone", "town", "village"):
            fresh: list[Region] = []
            for row in (r for r in ordered if r.level == level):
                parent = placed.get(row.parent_code)
                county = town = zone = None
                if level == "town":
                    county = parent
                    zone = placed.get(zone_of_town.get(row.code, ""))
                elif level == "village":
                    town = parent
                    county = parent.county if parent else None
                    zone = placed.get(zone_of_town.get(row.parent_code, ""))
                values = {
                    "name": row.name,
                    "short_name": zone_short.get(row.code, "") if level == "zone" else short_name(row.name, level),
                    "level": level,
                    "parent": parent,
                    "city": None if level == "city" else placed[city6],
                    "county": county,
                    "town": town,
                    "zone": zone,
                    "statistical": level != "zone",
                }
                region = existing.get(row.code)
                if region is None:
                    region = Region(code=row.code, **values)
                    fresh.append(region)
                    summary["created"] += 1
                elif _differs(region, values):
                    for k, v in values.items():
                        setattr(region, k, v)
                    Region.objects.filter(pk=region.pk).update(**values)
                    summary["updated"] += 1
                else:
                    summary["unchanged"] += 1
                placed[row.code] = region
            # Inside the bulk block: one summary record stands for the whole load instead of 3,900.
            Region.objects.bulk_create(fresh, batch_size=500)
    _refresh_statistics()
    transaction.on_commit(regions_changed)
    by_level = {level: sum(1 for r in ordered if r.level == level) for level in RegionLevel.values}
    return LoadResult(city6, summary["created"], summary["updated"], summary["unchanged"], by_level)


def regions_changed() -> None:
    """Retire every cached page of regions (see selectors.region_page)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _refresh_statistics() -> None:
    """After a bulk load the planner's row estimates are stale (PostgreSQL would join 3,782 villages before
    sorting them for a page of 20); refresh them at once instead of waiting for autovacuum."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Region._meta.db_table}")


def _differs(region: Region, values: dict) -> bool:
    for key, value in values.items():
        if key in {"parent", "city", "county", "town", "zone"}:
            if getattr(region, f"{key}_id") != (value.pk if value else None):
                return True
        elif getattr(region, key) != value:
            return True
    return False


__all__ = ["LoadResult", "regions_load"]
