"""The activities API: GET /api/v1/activities (the public calendar), GET /api/v1/activities/{uid} (a public
activity) and GET /api/v1/activities/progress (this year's verified activities per brand and level against the
targets, in the caller's scope)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xinghuo.activities import permissions, selectors
from xinghuo.activities.models import Activity, Format
from xinghuo.activities.registrations import registration_state
from xinghuo.core.access import PUBLIC_API
from xinghuo.core.api import ErrorOut, PagePagination, require_role
from xinghuo.core.errors import NotFound
from xinghuo.core.scoping import public_reads
from xinghuo.venues.models import Audience

router = Router(tags=["科普活动"])


class ActivityOut(Schema):
    uid: str
    title: str
    brand: str = Field(..., description="品牌名称")
    brand_code: str
    level: str = Field(..., description="city 市级示范 | grassroots 基层")
    format: str = Field(..., description="offline 线下 | online 线上 | both 线上线下结合")
    county: str | None = Field(None, description="举办地所在县市区（功能区）")
    region_code: str
    place: str = Field(..., description="场馆或地址（线下）")
    online_url: str
    starts_at: datetime
    ends_at: datetime
    audiences: list[str]
    topics: list[str]
    emergency: bool = Field(..., description="应急科普主题")
    capacity: int = Field(..., description="名额；0 表示不限名额、无需报名")
    seats_left: int | None
    registration_open: bool
    registration_note: str = Field(..., description="不能报名时的原因")
    url: str
    ical_url: str


class ActivityDetailOut(ActivityOut):
    description: str
    organiser: str
    co_organisers: str


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


def _out(request: HttpRequest, activity: Activity, *, detail: bool = False) -> dict:
    open_now, note = registration_state(activity)
    county = activity.region.county_or_zone
    data = {
        "uid": str(activity.uid), "title": activity.title, "brand": activity.brand.name, "brand_code": activity.brand.code,
        "level": activity.level, "format": activity.format, "county": county.name if county else None,
        "region_code": activity.region.code, "place": activity.place if activity.needs_place else "",
        "online_url": activity.online_url, "starts_at": activity.starts_at, "ends_at": activity.ends_at,
        "audiences": activity.audience_labels(), "topics": activity.topic_labels(), "emergency": activity.is_emergency,
        "capacity": activity.capacity, "seats_left": max(activity.capacity - activity.seats_taken, 0) if activity.capacity else None,
        "registration_open": open_now, "registration_note": note,
        "url": request.build_absolute_uri(reverse("activities:detail", args=[activity.uid])),
        "ical_url": request.build_absolute_uri(reverse("activities:event_ics", args=[activity.uid])),
    }  # fmt: skip
    if detail:
        data.update(description=activity.description, organiser=activity.organiser.name, co_organisers=activity.co_organisers)
    return data


@router.get("/activities", response={200: ActivityPage, 422: ErrorOut}, summary="科普活动日历", **PUBLIC_API)
def list_activities(
    request: HttpRequest,
    brand: str = "",
    county: str = "",
    audience: Literal[tuple(Audience.values)] | None = None,  # type: ignore[valid-type]
    format: Literal[tuple(Format.values)] | None = None,  # type: ignore[valid-type]
    since: date | None = None,
    until: date | None = None,
    pagination: Query[PagePagination.Input] = None,
):
    """已发布（及已举办）的活动，按开始时间排列；不给日期时为尚未结束的活动。`brand` 品牌代码，`county` 县市区（功能区）代码，
    `audience` 面向人群，`format` 形式（online 也包括线上线下结合），`since`/`until` 开始日期（含）。"""
    page = pagination or PagePagination.Input()
    filters = selectors.CalendarFilters(brand=brand, county=county, audience=audience or "", format=format or "", since=since, until=until)
    with public_reads():
        qs = selectors.public_activities(filters)
        count = qs.count()
        start = (page.page - 1) * page.page_size
        rows = list(qs[start : start + page.page_size])
        return {"count": count, "items": [_out(request, a) for a in rows]}


class ProgressOut(Schema):
    brand: str
    brand_code: str
    level: str
    verified: int = Field(..., description="本年度已核验的活动数")
    target: str | None = Field(None, description="年度目标，如“10–20 期”")
    target_minimum: int | None
    target_maximum: int | None
    state: str


@router.get("/activities/progress", response={200: list[ProgressOut], 404: ErrorOut}, summary="品牌活动年度目标进度")
def brand_progress(request: HttpRequest, year: int = Query(None, ge=2000, le=2100)):
    """各品牌、各层级本年度（或 `year`）已核验活动数与年度目标；只计调用者权限范围内的活动（县级看本县）。"""
    require_role(request, *permissions.VIEWER_ROLES)
    rows = selectors.brand_progress(year or timezone.localdate().year)
    return [
        {
            "brand": p.brand.name, "brand_code": p.brand.code, "level": p.level, "verified": p.verified,
            "target": p.target.label if p.target else None, "target_minimum": p.target.minimum if p.target else None,
            "target_maximum": p.target.maximum if p.target else None, "state": p.state,
        }
        for p in rows
    ]  # fmt: skip


@router.get("/activities/{uid}", response={200: ActivityDetailOut, 404: ErrorOut}, summary="科普活动详情", **PUBLIC_API)
def get_activity(request: HttpRequest, uid: str):
    with public_reads():
        try:
            activity = selectors.get_public_activity(uid)
        except NotFound as exc:
            raise Http404 from exc
        return _out(request, activity, detail=True)
