"""GET /api/v1/regions — the division (public reference data)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from xinghuo.core.access import PUBLIC_API
from xinghuo.core.api import ErrorOut, PagePagination
from xinghuo.regions.selectors import region_page

router = Router(tags=["行政区划"])

Level = Literal["city", "county", "zone", "town", "village"]


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None = None
    county_code: str | None = None
    zone_code: str | None = None


class RegionPage(Schema):
    count: int
    items: list[RegionOut]


@router.get("", response={200: RegionPage, 400: ErrorOut, 422: ErrorOut}, summary="行政区划列表", **PUBLIC_API)
def list_regions(
    request: HttpRequest, within: str | None = None, level: Level | None = None, pagination: Query[PagePagination.Input] = None
):
    """`within`：某区划代码（含其全部下级，功能区含其托管的乡镇）；`level`：city | county | zone | town | village。
    区划是公共参考数据，结果按页缓存，区划重新载入后失效。"""
    page = pagination or PagePagination.Input()
    return region_page(within=within or "", level=level or "", page=page.page, page_size=page.page_size)
