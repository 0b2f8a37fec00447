"""Public pages of the cloud map (科普云地图) and each venue's plaque page, and the console's venue list."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.console.imports import handle_import
from xinghuo.core.access import for_roles, public
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import XLSX, Column, export_response
from xinghuo.core.excel_import import template_bytes
from xinghuo.core.masking import mask_phone
from xinghuo.core.qr import qr_png_response, qr_svg_response
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.regions.selectors import working_regions
from xinghuo.venues import selectors
from xinghuo.venues.booking_views import open_slots
from xinghuo.venues.forms import MapFilterForm, VenueFilterForm, VenueForm
from xinghuo.venues.importer import COLUMNS, make_builder, parse_hours, save
from xinghuo.venues.models import PUBLIC_STATUSES, VenueStatus
from xinghuo.venues.selectors import venue_photos
from xinghuo.venues.services import venue_create

TILES = {
    "tianditu": {
        "url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
        "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "labels": "https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=cva&STYLE=default"
        "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "subdomains": "01234567",
        "crs": "wgs84",
        "attribution": "天地图",
    },
    "amap": {
        "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "labels": "",
        "subdomains": "1234",
        "crs": "gcj02",
        "attribution": "高德地图",
    },
}


def map_settings() -> dict[str, Any]:
    """What every map template needs: the configured tiles, the 天地图 key and the city's centre."""
    return {"tiles": TILES.get(settings.MAP_TILES), "tianditu_key": settings.TIANDITU_KEY, "center": settings.MAP_CENTER}


def city_counties(city_code: str = "370900") -> list[Region]:
    return list(Region.objects.filter(city__code=city_code, level__in=[RegionLevel.COUNTY, RegionLevel.ZONE]).order_by("level", "code"))


@public
@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    """The cloud map: markers on the map and, always, the same venues as a list (works with no tiles, no JS)."""
    form = MapFilterForm(request.GET or None, counties=city_counties())
    form.is_valid()
    data = getattr(form, "cleaned_data", {})  # an unbound form has none; a bound one keeps its valid fields
    try:
        filters = selectors.make_filters(
            types=[data.get("type", "")], region=data.get("region", ""), audience=data.get("audience", ""),
            open_now=bool(data.get("open_now")), q=data.get("q", ""),
        )  # fmt: skip
    except DomainError as exc:
        form.add_domain_error(exc)
        filters = selectors.VenueFilters()
    venues = selectors.public_venues(filters)
    if filters.open_now:
        now = timezone.localtime()
        venues = [v for v in venues if v.is_open_at(now)]
    listing = paginated(request, venues, 20)
    return render(request, "venues/map.html", {
        "form": form, **listing, **map_settings(), "geojson_url": reverse("api-1:venues_geojson") + (f"?{_api_query(filters)}"),
        "nearest_url": reverse("api-1:venues_nearest"),
    })  # fmt: skip


def _api_query(filters: selectors.VenueFilters) -> str:
    from django.utils.http import urlencode

    params = {"type": ",".join(filters.types), "region": filters.region, "audience": filters.audience}
    if filters.open_now:
        params["open_now"] = "true"
    return urlencode({k: v for k, v in params.items() if v})


def _venue(code: str):
    try:
        return selectors.get_public_venue(code)
    except NotFound as exc:
        raise Http404 from exc


@public
@require_GET
def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The page the plaque's QR code opens: the venue's live status, for anyone, without login."""
    venue = _venue(code)
    now = timezone.localtime()
    return render(request, "venues/detail.html", {
        "slots": open_slots(venue) if venue.is_public else [], "photos": venue_photos(venue) if venue.is_public else [],
        "venue": venue, "is_public": venue.is_public, "open_now": venue.is_public and venue.is_open_at(now),
        "hours": venue.hours_rows(), "closed_dates": venue.upcoming_closed_dates(now.date()),
        "masked_phone": mask_phone(venue.contact_phone), "revoked": venue.status == VenueStatus.REVOKED,
    }, status=200 if venue.status in (*PUBLIC_STATUSES, VenueStatus.REVOKED, VenueStatus.CLOSED) else 404)  # fmt: skip


def _plaque_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("venues:public_detail", args=[code]))


@public
@require_GET
@cache_control(public=True, max_age=86400)
def qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    venue = _venue(code)
    return qr_svg_response(_plaque_url(request, venue.code), title=venue.name)


@public
@require_GET
@cache_control(public=True, max_age=86400)
def qr_png(request: HttpRequest, code: str) -> HttpResponse:
    venue = _venue(code)
    return qr_png_response(_plaque_url(request, venue.code), filename=venue.code)


CONSOLE_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)


def _console_filters(request: HttpRequest) -> tuple[VenueFilterForm, selectors.VenueFilters, str]:
    form = VenueFilterForm(request.GET or None, regions=working_regions(request.xh_actor))  # type: ignore[attr-defined]
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.VenueFilters(types=(data["type"],) if data.get("type") else (), region=data.get("region", ""), q=data.get("q", ""))
    return form, filters, data.get("status", "")


@for_roles(*CONSOLE_ROLES)
@require_GET
def console_list(request: HttpRequest) -> HttpResponse:
    form, filters, status = _console_filters(request)
    return render(request, "venues/console_list.html", console_context(
        request, title="科普阵地", crumbs=[("科普阵地", None)], form=form,
        **paginated(request, selectors.venue_list(filters=filters, status=status)),
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("统一编号", lambda v: v.code or "", 22), Column("名称", lambda v: v.name, 30),
    Column("类型", lambda v: v.get_venue_type_display(), 16), Column("细分类型", lambda v: v.subtype_label, 16),
    Column("状态", lambda v: v.get_status_display(), 10), Column("运营单位", lambda v: v.operator.name, 28),
    Column("所在区划", lambda v: v.region.name, 16), Column("区划代码", lambda v: v.region.code, 14),
    Column("地址", lambda v: v.address, 30), Column("纬度", lambda v: v.lat, 12), Column("经度", lambda v: v.lon, 12),
    Column("接待人数", lambda v: v.capacity, 10), Column("服务对象", lambda v: "、".join(v.audience_labels()), 24),
    Column("联系人", lambda v: v.contact_name), Column("联系电话", lambda v: mask_phone(v.contact_phone)),
]  # fmt: skip


@for_roles(*CONSOLE_ROLES)
@require_GET
def console_export(request: HttpRequest) -> HttpResponse:
    _, filters, status = _console_filters(request)
    rows = selectors.venue_list(filters=filters, status=status).iterator(chunk_size=2000)
    return export_response(filename="科普阵地", sheet="科普阵地", columns=EXPORT_COLUMNS, rows=rows, object_type="venues.venue",
                           filters={**filters.__dict__, "status": status})  # fmt: skip


IMPORT_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)


@for_roles(*IMPORT_ROLES)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_bytes(sheet="科普阵地", columns=COLUMNS), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E7%A7%91%E6%99%AE%E9%98%B5%E5%9C%B0%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@for_roles(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: every row is checked; nothing is saved if any row is wrong, unless the user
    chose to import the good rows."""
    outcome = handle_import(
        request, columns=COLUMNS, build=make_builder(request.xh_actor), save=save,  # type: ignore[attr-defined]
        object_type="venues.venue", description="导入科普阵地",
    )  # fmt: skip
    return render(request, "venues/console_import.html", console_context(
        request, title="导入科普阵地", crumbs=[("科普阵地", reverse("venues_console:list")), ("导入", None)],
        report=outcome.report, error=outcome.error,
    ), status=outcome.status)  # fmt: skip


def _venue_form(
    request: HttpRequest, *, bound: bool = True, data: Any = None, extra_region: Region | None = None, **kwargs: Any
) -> VenueForm:
    """The venue form with the operators and towns the actor may choose (and a venue's own region when it is
    not a town, so that editing keeps it)."""
    actor = request.xh_actor  # type: ignore[attr-defined]
    operators = list(Organisation.objects.filter(is_active=True).order_by("path"))
    regions = [r for r in working_regions(actor, include_villages=False) if r.level == RegionLevel.TOWN]
    if extra_region is not None and extra_region not in regions:
        regions.append(extra_region)
    if data is None and bound and request.method == "POST":
        data = request.POST
    return VenueForm(data, operators=operators, regions=regions, **kwargs)


def _venue_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"], "venue_type": data["venue_type"], "subtype": data["subtype"], "operator": data["operator"],
        "region": data["region"], "address": data["address"], "lat": data["lat"], "lon": data["lon"],
        "opening_hours": parse_hours(data["hours"]), "capacity": data["capacity"] or 0, "audiences": data["audiences"],
        "facilities": data["facilities"], "summary": data["summary"], "contact_name": data["contact_name"],
        "contact_phone": data["contact_phone"],
    }  # fmt: skip


@for_roles(*IMPORT_ROLES, Role.ORGANISER)
@require_http_methods(["GET", "POST"])
def console_create(request: HttpRequest) -> HttpResponse:
    """File a new venue as a draft; it reaches the map when it is listed (登记) or certified (认定)."""
    form = _venue_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            fields = _venue_fields(form.cleaned_data)
            venue = venue_create(operator=fields.pop("operator"), region=fields.pop("region"), **fields)
        except DomainError as exc:
            form.add_domain_error(exc if exc.field != "opening_hours" else DomainError(exc.code, exc.message, field="hours"))
        else:
            messages.success(
                request, f"已保存“{venue.name}”（草稿）。认定类场馆须经认定程序后上图；科技馆、实验室等可由市、县科协登记上图。"
            )
            return redirect("venues_console:list")
    return render(request, "venues/console_form.html", console_context(
        request, title="新增科普阵地", crumbs=[("科普阵地", reverse("venues_console:list")), ("新增", None)], form=form,
        **map_settings(),
    ), status=400 if form.errors else 200)  # fmt: skip
