"""What the officers' tests share: the people-registry cast (talent's), officers registered through the service, and
figures written as the import writes them (in an audited bulk write)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pytest

from xinghuo.core import audit, id_numbers
from xinghuo.officers import services
from xinghuo.officers.models import InfoOfficer, MonthlyFigures
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.talent.tests.conftest import Cast
from xinghuo.talent.tests.conftest import cast as cast  # the fixture, shared with the people registry

TAISHAN, DAIYUE = "370902", "370911"  # county A (泰山区), county B (岱岳区)
_serial = iter(range(100, 9999))


def village(county: str) -> Region:
    return Region.objects.filter(level="village", county__code=county).order_by("code").first()


def officer(
    cast: Cast, county: str = TAISHAN, name: str = "张信息", account: str | None = None, registered_on: date = date(2025, 1, 10),
    phone: str | None = None,
) -> InfoOfficer:  # fmt: skip
    """A person of the county entered and registered as an officer by that county's staff."""
    actor = cast.county_a if county == TAISHAN else cast.county_b
    serial = next(_serial)
    person = cast.enter(actor, name=name, region=village(county), phone=phone or f"1375678{serial:04d}",
                        id_number=id_numbers.make(county, date(1985, 1, 1), serial % 999 or 1))  # fmt: skip
    return services.officer_register(actor=actor, person=person, account=account or f"kp_{serial}",
                                     organisation=Organisation.unscoped.get(code=f"KX{county}"), registered_on=registered_on)  # fmt: skip


def figures(rows: Iterable[tuple[InfoOfficer, int, int, int, int]]) -> None:
    """(officer, year, month, shares, reads) rows, written in bulk."""
    made = [MonthlyFigures(officer=o, year=y, month=m, shares=s, reads=r) for o, y, m, s, r in rows]
    with audit.bulk_write(model=MonthlyFigures, description="测试数据"):
        MonthlyFigures.unscoped.bulk_create(made)


@pytest.fixture
def taishan() -> Region:
    return Region.objects.get(code=TAISHAN)
