"""What the venue tests share: a small venue factory that goes through `venue_create` (so every venue is
validated, coded and audited as in production), the operators and regions the tests build venues in, and a
fresh map cache for every test.

The map's data is cached (GeoJSON, nearest-venue coordinates) under keys versioned by `map_changed()`; the
cache is one in-process LocMemCache shared by every test while the database is rolled back after each, so a
test starts by retiring whatever the previous one cached. Services bump the version on commit, which does not
happen inside a test's transaction: `make_venue` bumps it itself unless told not to (the test that checks the
services do it on their own says so)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues.models import Audience, Venue, VenueStatus, VenueType
from xinghuo.venues.services import map_changed, venue_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"
MASKED_PHONE = "138****5678"
#: Every day 09:00–17:00.
EVERY_DAY = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
#: The default subtype of each type that needs one.
SUBTYPE = {
    VenueType.SPARK_HALL: "new_technology",
    VenueType.SPARK_STATION: "party_service_center",
    VenueType.SCIENCE_MUSEUM: "county",
}

# Regions of Tai'an used across the tests (2023 statistical codes, zones from regions/data/zones.json).
TAISHAN = "370902"  # 泰山区 — county A
DAIYUE = "370911"  # 岱岳区 — county B
DAIMIAO = "370902001"  # 岱庙街道, a town of 泰山区
DAIMIAO_VILLAGE = "370902001001"  # 东湖社区居委会, under 岱庙街道
ZHOUDIAN = "370911001"  # 粥店街道, a town of 岱岳区
BEIJIPO = "370911003"  # 北集坡街道: statistically 岱岳区, administered by 高新区
HIGH_TECH_ZONE = "370971"  # 泰安高新技术产业开发区


def local(*args: int) -> datetime:
    """A wall-clock moment in Tai'an."""
    return datetime(*args, tzinfo=SHANGHAI)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def org(code: str) -> Organisation:
    return Organisation.unscoped.get(code=code)


def set_status(venue: Venue, status: str) -> Venue:
    """Revoke or close a venue. There is no service for it in this slice (certification comes later), so the
    test saves the status (audited like any save) and retires the map cache as a future service would."""
    venue = Venue.unscoped.get(pk=venue.pk)
    venue.status = status
    venue.save()
    map_changed()
    return venue


@pytest.fixture(autouse=True)
def fresh_map_cache() -> None:
    map_changed()


@pytest.fixture
def make_venue(db) -> Callable[..., Venue]:
    """`make_venue(name="…", region="370902001", venue_type=…, status=…, lat=…, lon=…, …)` → a saved venue.

    Defaults: a registered 新技术类 星火科技馆 in 岱庙街道 run by 泰山区科协, open every day 09:00–17:00, for
    the public, with a mobile contact number. `region` and `operator` may be codes."""
    counter = iter(range(1, 10_000))

    def _make(*, refresh_map: bool = True, **overrides: Any) -> Venue:
        n = next(counter)
        venue_type = overrides.pop("venue_type", VenueType.SPARK_HALL)
        where = overrides.pop("region", DAIMIAO)
        operator = overrides.pop("operator", "KX370902")
        fields: dict[str, Any] = {
            "name": f"测试场馆{n}",
            "venue_type": venue_type,
            "subtype": SUBTYPE.get(venue_type, ""),
            "address": f"泰安市测试路{n}号",
            "lat": 36.19 + n * 0.001,
            "lon": 117.12 + n * 0.001,
            "opening_hours": EVERY_DAY,
            "audiences": [Audience.PUBLIC],
            "capacity": 50,
            "contact_name": "王老师",
            "contact_phone": PHONE,
            "status": VenueStatus.REGISTERED,
        }
        fields.update(overrides)
        venue = venue_create(
            operator=operator if isinstance(operator, Organisation) else org(operator),
            region=where if isinstance(where, Region) else region(where),
            **fields,
        )
        if refresh_map:
            map_changed()
        return venue

    return _make
