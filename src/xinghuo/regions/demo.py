"""Demo regions: Tai'an always; at province scale, every city of Shandong from the npm package."""

from __future__ import annotations

from xinghuo.core.demo import DemoContext
from xinghuo.regions.division import data_file, rows_from_data_file, rows_from_npm
from xinghuo.regions.models import Region
from xinghuo.regions.services import regions_load

SHANDONG = ["3701", "3702", "3703", "3704", "3705", "3706", "3707", "3708", "3709", "3710", "3711", "3713", "3714", "3715", "3716", "3717"]


def seed(ctx: DemoContext) -> dict[str, int]:
    cities = SHANDONG if ctx.scale == "province" else ["3709"]
    loaded = 0
    for city in cities:
        if Region.objects.filter(code=f"{city}00", level="city").exists() and Region.objects.filter(city__code=f"{city}00").exists():
            continue
        rows = rows_from_data_file(city) if data_file(city).exists() else rows_from_npm(city)
        regions_load(city_code=city, rows=rows)
        loaded += 1
    ctx.shared["cities"] = [f"{c}00" for c in cities]
    return {"载入城市": loaded} if loaded else {}
