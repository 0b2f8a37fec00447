"""Console pages: routes in the actor's scope (list, Excel export, create and edit with their ordered stops,
publish and withdraw), the route bookings to confirm, complete or cancel (teacher phones masked), and TAI科
points (list, create, edit, a printable sheet of their QR codes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.masking import mask_phone
from xinghuo.core.scoping import public_reads
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.regions.selectors import working_regions
from xinghuo.tours import selectors, services
from xinghuo.tours.forms import RouteFilterForm, RouteForm, StopFormSet, TaiPointForm, stops_from
from xinghuo.tours.models import Route, RouteBookingStatus, TaiPoint, Trail, duration_label
from xinghuo.tours.views import picture_response
from xinghuo.venues.models import PUBLIC_STATUSES, Venue

BUSINESS_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
TAI_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
#: An organiser files a route; city and county staff put it out or take it back (as venues are listed by staff).
PUBLISH_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF)
#: TAI科 points are kept by 泰山区 and the 泰山景区 zone (and the city): their towns are where points are filed.
TAI_COUNTIES = ("370902", "370972")


def _route(uid: str) -> Route:
    try:
        return selectors.get_route_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc


def _filters(request: HttpRequest) -> tuple[RouteFilterForm, str, str]:
    form = RouteFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("status", ""), data.get("q", "")


@for_roles(*BUSINESS_ROLES)
@require_GET
def route_list(request: HttpRequest) -> HttpResponse:
    form, status, q = _filters(request)
    listing = paginated(request, selectors.route_list(status=status, q=q))
    rows = [(r, duration_label(r.total_minutes())) for r in listing["page_obj"]]
    return render(request, "tours/console_routes.html", console_context(
        request, title="研学线路", crumbs=[("研学线路", None)], form=form, rows=rows, **listing,
        may_publish=request.xh_actor.role in PUBLISH_ROLES,  # type: ignore[attr-defined]
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("线路名称", lambda r: r.name, 30), Column("状态", lambda r: r.get_status_display(), 10),
    Column("运营单位", lambda r: r.operator.name, 28), Column("所属区划", lambda r: r.region.name, 16),
    Column("站点", lambda r: " → ".join(s.venue.name for s in r.stops.all()), 60),
    Column("站点数", lambda r: len(r.stops.all()), 8), Column("全程（分钟）", lambda r: r.total_minutes(), 12),
    Column("服务对象", lambda r: "、".join(r.audience_labels()), 24),
    Column("建议团队人数", lambda r: f"{r.group_min}–{r.group_max}", 14), Column("每日接待团队数", lambda r: r.max_groups_per_day, 14),
    Column("发布时间", lambda r: r.published_at, 18),
]  # fmt: skip


@for_roles(*BUSINESS_ROLES)
@require_GET
def route_export(request: HttpRequest) -> HttpResponse:
    _, status, q = _filters(request)
    return export_response(filename="研学线路", sheet="研学线路", columns=EXPORT_COLUMNS, rows=selectors.route_list(status=status, q=q),
                           object_type="tours.route", filters={"status": status, "q": q})  # fmt: skip


def _choosable_venues() -> dict[str, Venue]:
    """Venues a route may stop at: any venue on the public map, and the actor's own coded venues (drafts of a
    route may include a venue still waiting to be listed)."""
    with public_reads():
        public = {v.code: v for v in Venue.objects.filter(status__in=PUBLIC_STATUSES).exclude(code=None).only("code", "name", "status")}
    own = {v.code: v for v in Venue.objects.exclude(code=None).only("code", "name", "status")}
    return {**own, **public}


def _route_form(request: HttpRequest, initial: dict[str, Any] | None = None, route: Route | None = None) -> RouteForm:
    actor = request.xh_actor  # type: ignore[attr-defined]
    operators = list(Organisation.objects.filter(is_active=True).order_by("path"))
    regions = working_regions(actor, include_villages=False)
    if route is not None:  # editing keeps what the route has, even if the editor could not choose it
        operators += [] if route.operator in operators else [route.operator]
        regions += [] if route.region in regions else [route.region]
    return RouteForm(request.POST if request.method == "POST" else None, initial=initial, operators=operators, regions=regions)


def _route_page(request: HttpRequest, route: Route | None) -> HttpResponse:
    initial, stops_initial = None, None
    if route is not None:
        initial = {
            "name": route.name, "slug": route.slug or "", "summary": route.summary, "operator": str(route.operator.uid),
            "region": route.region.code, "audiences": route.audiences, "group_min": route.group_min, "group_max": route.group_max,
            "max_groups_per_day": route.max_groups_per_day,
        }  # fmt: skip
        stops_initial = [{"venue": s.venue.code, "minutes": s.minutes, "notes": s.notes} for s in route.stops.all()]
    form = _route_form(request, initial, route)
    formset = StopFormSet(request.POST if request.method == "POST" else None, initial=stops_initial, prefix="stops")
    venues = _choosable_venues()
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        stops = stops_from(formset, venues)
        if stops is not None:
            data = form.cleaned_data
            fields = {k: data[k] for k in ("name", "slug", "summary", "audiences", "group_min", "group_max", "max_groups_per_day")}
            try:
                if route is None:
                    route = services.route_create(operator=data["operator"], region=data["region"], stops=stops, **fields)
                else:
                    route = services.route_update(route=route, stops=stops, operator=data["operator"], region=data["region"], **fields)
            except DomainError as exc:
                if exc.field == "stops":
                    form.add_error(None, exc.message)
                else:
                    form.add_domain_error(exc)
            else:
                messages.success(request, f"已保存“{route.name}”")
                return redirect("tours_console:list")
    title = "新增研学线路" if route is None else f"编辑：{route.name}"
    errors = bool(form.errors or any(f.errors for f in formset.forms) or formset.non_form_errors())
    choices = sorted(((code, v.name) for code, v in venues.items()), key=lambda c: c[0])
    return render(request, "tours/console_route_form.html", console_context(
        request, title=title, crumbs=[("研学线路", reverse("tours_console:list")), (title, None)],
        form=form, formset=formset, venue_choices=choices, route=route,
    ), status=400 if errors else 200)  # fmt: skip


@for_roles(*BUSINESS_ROLES)
@require_http_methods(["GET", "POST"])
def route_create(request: HttpRequest) -> HttpResponse:
    return _route_page(request, None)


@for_roles(*BUSINESS_ROLES)
@require_http_methods(["GET", "POST"])
def route_edit(request: HttpRequest, uid: str) -> HttpResponse:
    return _route_page(request, _route(uid))


@for_roles(*PUBLISH_ROLES)
@require_POST
def route_publish(request: HttpRequest, uid: str) -> HttpResponse:
    route = _route(uid)
    try:
        services.route_publish(route=route)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已发布“{route.name}”")
    return redirect("tours_console:list")


@for_roles(*PUBLISH_ROLES)
@require_POST
def route_withdraw(request: HttpRequest, uid: str) -> HttpResponse:
    route = _route(uid)
    try:
        services.route_withdraw(route=route)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤回“{route.name}”")
    return redirect("tours_console:list")


# --- bookings -------------------------------------------------------------------------------------------------


@for_roles(*BUSINESS_ROLES)
@require_GET
def booking_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in RouteBookingStatus.values else ""
    listing = paginated(request, selectors.booking_list(status=status), 30)
    rows = [(b, mask_phone(b.contact_phone)) for b in listing["page_obj"]]
    return render(request, "tours/console_bookings.html", console_context(
        request, title="研学预约", crumbs=[("研学线路", reverse("tours_console:list")), ("研学预约", None)],
        rows=rows, status=status, statuses=RouteBookingStatus.choices, **listing,
    ))  # fmt: skip


BOOKING_COLUMNS = [
    Column("线路", lambda b: b.route.name, 30), Column("日期", lambda b: b.date, 12), Column("学校或团体", lambda b: b.group_name, 24),
    Column("人数", lambda b: b.party_size, 8), Column("带队老师", lambda b: b.contact_name, 12),
    Column("联系电话", lambda b: mask_phone(b.contact_phone), 16), Column("状态", lambda b: b.get_status_display(), 10),
    Column("备注", lambda b: b.note, 30), Column("预约时间", lambda b: b.created_at, 18),
]  # fmt: skip


@for_roles(*BUSINESS_ROLES)
@require_GET
def booking_export(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in RouteBookingStatus.values else ""
    return export_response(filename="研学预约", sheet="研学预约", columns=BOOKING_COLUMNS, rows=selectors.booking_list(status=status),
                           object_type="tours.routebooking", filters={"status": status})  # fmt: skip


@for_roles(*BUSINESS_ROLES)
@require_POST
def booking_action(request: HttpRequest, uid: str, action: str) -> HttpResponse:
    try:
        booking = selectors.get_booking_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc
    act = {"confirm": services.booking_confirm, "cancel": services.booking_cancel, "complete": services.booking_complete}.get(action)
    if act is None:
        raise Http404
    try:
        act(booking=booking)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已更新研学预约")
    return redirect("tours_console:bookings")


# --- TAI科 ----------------------------------------------------------------------------------------------------


def _tai_regions(request: HttpRequest) -> list[Region]:
    """Towns the actor may file TAI科 points in: those of 泰山区 and 泰山景区 within the actor's reach."""
    tai = set(Region.objects.filter(code__in=TAI_COUNTIES).values_list("pk", flat=True))
    regions = working_regions(request.xh_actor, include_villages=False)  # type: ignore[attr-defined]
    return [r for r in regions if r.level == RegionLevel.TOWN and (r.county_id in tai or r.zone_id in tai)]


def _point(uid: str) -> TaiPoint:
    try:
        return selectors.get_point_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*TAI_ROLES)
@require_GET
def tai_list(request: HttpRequest) -> HttpResponse:
    trail = request.GET.get("trail", "")
    trail = trail if trail in Trail.values else ""
    listing = paginated(request, selectors.point_list(trail=trail, q=request.GET.get("q", "")), 30)
    return render(request, "tours/console_tai_list.html", console_context(
        request, title="泰山TAI科", crumbs=[("泰山TAI科", None)], trail=trail, trails=Trail.choices,
        may_create=bool(_tai_regions(request)), **listing,
    ))  # fmt: skip


def _point_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data[k] for k in ("name", "trail", "position", "theme", "body", "picture_caption", "lat", "lon", "elevation_m", "region")}
    fields["is_published"] = data["is_published"]
    if data.get("picture"):
        fields["picture"] = data["picture"]
    return fields


def _point_page(request: HttpRequest, point: TaiPoint | None) -> HttpResponse:
    regions = _tai_regions(request)
    if point is not None and point.region not in regions:
        regions = [point.region, *regions]  # a point filed by the city in a town the editor may also keep
    initial = None
    if point is not None:
        initial = {
            "name": point.name, "trail": point.trail, "position": point.position, "theme": point.theme, "body": point.body,
            "picture_caption": point.picture_caption, "lat": point.lat, "lon": point.lon, "elevation_m": point.elevation_m,
            "region": point.region.code, "is_published": point.is_published,
        }  # fmt: skip
    posted = request.method == "POST"
    form = TaiPointForm(request.POST if posted else None, request.FILES if posted else None, initial=initial, regions=regions)
    if posted and form.is_valid():
        fields = _point_fields(form.cleaned_data)
        try:
            if point is None:
                point = services.point_create(owner=request.xh_actor.organisation, **fields)  # type: ignore[attr-defined]
            else:
                point = services.point_update(point=point, **fields)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已保存 {point.code} {point.name}")
            return redirect("tours_console:tai_list")
    title = "新增TAI科科普点" if point is None else f"编辑：{point.code} {point.name}"
    return render(request, "tours/console_tai_form.html", console_context(
        request, title=title, crumbs=[("泰山TAI科", reverse("tours_console:tai_list")), (title, None)], form=form, point=point,
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(*TAI_ROLES)
@require_http_methods(["GET", "POST"])
def tai_create(request: HttpRequest) -> HttpResponse:
    if not _tai_regions(request):
        raise Http404  # TAI科 points are filed by the city and by 泰山区 / 泰山景区
    return _point_page(request, None)


@for_roles(*TAI_ROLES)
@require_http_methods(["GET", "POST"])
def tai_edit(request: HttpRequest, uid: str) -> HttpResponse:
    return _point_page(request, _point(uid))


TAI_COLUMNS = [
    Column("编号", lambda p: p.code, 12), Column("名称", lambda p: p.name, 24), Column("登山线路", lambda p: p.get_trail_display(), 24),
    Column("沿线顺序", lambda p: p.position, 8), Column("主题", lambda p: p.get_theme_display(), 8),
    Column("纬度", lambda p: p.lat, 12), Column("经度", lambda p: p.lon, 12), Column("海拔（米）", lambda p: p.elevation_m, 10),
    Column("所在区划", lambda p: p.region.name, 16), Column("维护单位", lambda p: p.owner.name, 24),
    Column("向游客公开", lambda p: "是" if p.is_published else "否", 10), Column("科普解说", lambda p: p.body, 60),
]  # fmt: skip


@for_roles(*TAI_ROLES)
@require_GET
def tai_export(request: HttpRequest) -> HttpResponse:
    trail = request.GET.get("trail", "")
    trail = trail if trail in Trail.values else ""
    q = request.GET.get("q", "")
    return export_response(filename="泰山TAI科科普点", sheet="TAI科科普点", columns=TAI_COLUMNS, rows=selectors.point_list(trail=trail, q=q),
                           object_type="tours.taipoint", filters={"trail": trail, "q": q})  # fmt: skip


@for_roles(*TAI_ROLES)
@require_GET
def tai_picture(request: HttpRequest, uid: str) -> HttpResponse:
    """A point's picture in the console, published or not (in the actor's scope)."""
    return picture_response(_point(uid))


@for_roles(*TAI_ROLES)
@require_GET
def tai_print(request: HttpRequest) -> HttpResponse:
    """A printable sheet of the published points' QR codes, to make the signs from."""
    points = list(selectors.point_list().filter(is_published=True))
    return render(request, "tours/console_tai_print.html", console_context(
        request, title="TAI科二维码打印", crumbs=[("泰山TAI科", reverse("tours_console:tai_list")), ("二维码打印", None)], points=points,
    ))  # fmt: skip
