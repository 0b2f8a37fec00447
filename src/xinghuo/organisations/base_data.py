"""The city's base organisations: the association, the departments and direct units the seeds name, and
one association for each county and functional zone."""

from __future__ import annotations

from dataclasses import dataclass

from xinghuo.core.scoping import system_scope
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.services import organisation_ensure
from xinghuo.regions.models import Region, RegionLevel

DEPARTMENTS = [
    ("BGS", "办公室"),
    ("KPB", "科普部"),
    ("XHB", "学会部"),
    ("RCLLB", "人才联络部"),
    ("JGDW", "机关党委"),
]
DIRECT_UNITS = [
    ("KJCXFWZX", "市科技创新服务中心"),
    ("KJG", "市科技馆"),
]


@dataclass(frozen=True)
class BaseDataResult:
    created: int
    existing: int


def city_association_code(city: Region) -> str:
    return f"KX{city.code}"


def load_base_data(*, city_code: str = "370900") -> BaseDataResult:
    created = existing = 0

    def tally(pair: tuple[Organisation, bool]) -> Organisation:
        nonlocal created, existing
        org, was_created = pair
        if was_created:
            created += 1
        else:
            existing += 1
        return org

    with system_scope():
        city = Region.objects.get(code=city_code, level=RegionLevel.CITY)
        city_name = city.name
        association = tally(organisation_ensure(
            code=city_association_code(city), name=f"{city_name}科学技术协会", short_name=f"{city_name[:-1]}市科协",
            kind=OrganisationKind.CITY_ASSOCIATION, region=city,
        ))  # fmt: skip
        for suffix, name in DEPARTMENTS:
            tally(organisation_ensure(
                code=f"{association.code}-{suffix}", name=name, kind=OrganisationKind.DEPARTMENT,
                region=city, parent=association,
            ))  # fmt: skip
        for suffix, name in DIRECT_UNITS:
            tally(organisation_ensure(
                code=f"{association.code}-{suffix}", name=name, kind=OrganisationKind.DIRECT_UNIT,
                region=city, parent=association,
            ))  # fmt: skip
        for region in Region.objects.filter(city=city, level__in=[RegionLevel.COUNTY, RegionLevel.ZONE]).order_by("level", "code"):
            label = region.short_name or region.name
            tally(organisation_ensure(
                code=f"KX{region.code}", name=f"{region.name}科学技术协会", short_name=f"{label}科协",
                kind=OrganisationKind.COUNTY_ASSOCIATION, region=region, parent=association,
            ))  # fmt: skip
    return BaseDataResult(created=created, existing=existing)


def city_association(city_code: str = "370900") -> Organisation:
    with system_scope():
        return Organisation.unscoped.get(code=f"KX{city_code}")


def county_association(region_code: str) -> Organisation:
    return Organisation.unscoped.get(code=f"KX{region_code}")
