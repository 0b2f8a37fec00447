"""What the expert tests share: the people-registry cast (talent's), experts entered through its services, and a
year's selection opened by the city."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from xinghuo.core import id_numbers
from xinghuo.experts import services
from xinghuo.experts.models import Selection
from xinghuo.regions.models import Region
from xinghuo.talent.tests.conftest import Cast
from xinghuo.talent.tests.conftest import cast as cast  # the fixture, shared with the people registry

TAISHAN, DAIYUE = "370902", "370911"  # county A (泰山区), county B (岱岳区)
_serial = iter(range(300, 999))


def person(cast: Cast, county: str = TAISHAN, name: str = "张名家", roles: tuple[str, ...] = ("expert",), **extra):
    """A person of the county (a town of it), entered by that county's staff, with the roles given."""
    actor = cast.county_a if county == TAISHAN else cast.county_b
    serial = next(_serial)
    town = Region.objects.filter(level="town", county__code=county).order_by("code").first()
    return cast.enter(
        actor, name=name, region=town, phone=f"1371234{serial:04d}", id_number=id_numbers.make(county, date(1970, 1, 1), serial),
        roles=list(roles), **extra,
    )  # fmt: skip


def open_selection(cast: Cast, kind: str = "chief") -> Selection:
    return services.selection_open(actor=cast.city, year=timezone.localdate().year, kind=kind)


@pytest.fixture
def selection(cast) -> Selection:
    return open_selection(cast)
