"""GET /api/v1/regions — the division (public reference data)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from xinghuo.core.access import PUBLIC_API
from xinghuo.core.api import ErrorOut, PagePagination
from xinghuo.regions.selectors import region_list

router = Router(tags=["行政区划"])

Level = Literal["city", "county", "zone", "town", "village"]


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None = Field(None, alias="parent.code")
    county_code: str | None = Field(None, alias="county.code")
    zone_code: str | None = Field(None, alias="zone.code")


@router.get("", response={200: list[RegionOut], 400: ErrorOut, 422: ErrorOut}, summary="行政区划列表", **PUBLIC_API)
@paginate(PagePagination)
def list_regions(request: HttpRequest, within: str | None = None, level: Level | None = None):
    """`within`：某区划代码（含其全部下级，功能区含其托管的乡镇）；`level`：city | county | zone | town | village。"""
    return region_list(within=within or "", level=level or "")
