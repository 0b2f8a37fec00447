"""What the promoter tests share: the people-registry cast (talent's), and promoters entered through its services."""

from __future__ import annotations

from datetime import date

import pytest

from xinghuo.core import id_numbers
from xinghuo.regions.models import Region
from xinghuo.talent.tests.conftest import Cast
from xinghuo.talent.tests.conftest import cast as cast  # the fixture, shared with the people registry

TAISHAN, DAIYUE = "370902", "370911"  # county A (泰山区), county B (岱岳区)
_serial = iter(range(300, 999))


def villages(county: str, n: int, town: str | None = None) -> list[Region]:
    found = Region.objects.filter(level="village", county__code=county)
    if town:
        found = found.filter(town__code=town)
    return list(found.order_by("code")[:n])


def promoter(cast: Cast, county: str = TAISHAN, name: str = "张宣传", roles: tuple[str, ...] = ("promoter",)):
    """A promoter living in the first village of the county, entered by that county's staff."""
    actor = cast.county_a if county == TAISHAN else cast.county_b
    serial = next(_serial)
    return cast.enter(
        actor, name=name, region=villages(county, 1)[0], phone=f"1371234{serial:04d}",
        id_number=id_numbers.make(county, date(1980, 1, 1), serial), roles=list(roles),
    )  # fmt: skip


@pytest.fixture
def taishan() -> Region:
    return Region.objects.get(code=TAISHAN)
