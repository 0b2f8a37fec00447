"""What the tour tests share: venues made through `venue_create` (the venues' own factory), and routes and TAI科
points made through this app's services, so that every record is checked and audited as in production."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.tours.models import Route, TaiPoint, Theme, Trail
from xinghuo.tours.services import StopSpec, point_create, route_create, route_publish
from xinghuo.venues.tests.conftest import (  # noqa: F401 (fixtures)
    DAIMIAO,
    DAIYUE,
    MASKED_PHONE,
    PHONE,
    TAISHAN,
    ZHOUDIAN,
    fresh_map_cache,
    make_venue,
    org,
    region,
)

DAJINKOU = "370902202"  # 大津口乡: a town of 泰山区 administered by 泰山景区 (370972)


def tomorrow(days: int = 1):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def make_route(make_venue) -> Callable[..., Route]:  # noqa: F811 (the fixture imported above)
    """`make_route(stops=3, published=True, region=…, operator=…, **fields)` → a route whose stops are fresh
    registered venues (or the `venues` given), published unless told not to."""
    counter = iter(range(1, 10_000))

    def _make(*, stops: int = 3, venues: list | None = None, published: bool = True, minutes: int = 60, **fields: Any) -> Route:
        n = next(counter)
        where = fields.pop("region", TAISHAN)
        operator = fields.pop("operator", "KX370902")
        venues = venues if venues is not None else [make_venue(name=f"线路{n}场馆{i}") for i in range(stops)]
        values: dict[str, Any] = {"name": f"测试线路{n}", "max_groups_per_day": 2, **fields}
        route = route_create(
            operator=operator if isinstance(operator, Organisation) else org(operator),
            region=where if isinstance(where, Region) else region(where),
            stops=[StopSpec(venue=v, minutes=minutes, notes=f"第{i + 1}站说明") for i, v in enumerate(venues)],
            **values,
        )
        return route_publish(route=route) if published else route

    return _make


@pytest.fixture
def make_point(db) -> Callable[..., TaiPoint]:
    counter = iter(range(1, 10_000))

    def _make(**fields: Any) -> TaiPoint:
        n = next(counter)
        values: dict[str, Any] = {
            "name": f"科普点{n}", "trail": Trail.CENTRAL, "theme": Theme.GEOLOGY, "body": "泰山杂岩形成于太古宙。",
            "lat": 36.22 + n * 0.001, "lon": 117.11, "is_published": True, **fields,
        }  # fmt: skip
        owner = values.pop("owner", "KX370972")
        where = values.pop("region", DAJINKOU)
        return point_create(
            owner=owner if isinstance(owner, Organisation) else org(owner), region=where if isinstance(where, Region) else region(where),
            **values,
        )  # fmt: skip

    return _make
