"""Public pages: research-tour routes (list, route page with its map, booking by a signed-in teacher, my
bookings), and TAI科 (the trails, each trail's points in order on a map, each point's page and QR code).

Every map page renders its stops or points as an ordered list on the server: it works with no tiles and no
JavaScript; the script (static/tours/line_map.js) only draws the same points on Leaflet."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.core.access import public, signed_in
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.files import file_response
from xinghuo.core.qr import qr_png_response, qr_svg_response
from xinghuo.tours import selectors, services
from xinghuo.tours.forms import RouteBookingForm
from xinghuo.tours.models import TaiPoint, Trail, duration_label
from xinghuo.venues.views import map_settings


@public
@require_GET
def route_list(request: HttpRequest) -> HttpResponse:
    routes = selectors.public_routes()
    rows = [(r, duration_label(r.total_minutes())) for r in routes]
    return render(request, "tours/route_list.html", {"rows": rows})


def _route(key: str):
    try:
        return selectors.get_public_route(key)
    except NotFound as exc:
        raise Http404 from exc


@public
@require_GET
def route_detail(request: HttpRequest, key: str) -> HttpResponse:
    route = _route(key)
    return render(request, "tours/route_detail.html", {
        "route": route, "stops": list(route.stops.all()), "total": duration_label(route.total_minutes()),
        "points": selectors.route_points(route), "closed_stops": services.stops_off_the_map(route), **map_settings(),
    })  # fmt: skip


@signed_in
@require_http_methods(["GET", "POST"])
def route_book(request: HttpRequest, key: str) -> HttpResponse:
    """A teacher books the whole route for their class or school."""
    route = _route(key)
    user = request.user
    initial = {"contact_name": getattr(user, "name", ""), "contact_phone": getattr(user, "phone", "") or ""}
    form = RouteBookingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.booking_create(
                route=route, user=user, day=data["date"], group_name=data["group_name"], party_size=data["party_size"],  # type: ignore[arg-type]
                contact_name=data["contact_name"], contact_phone=data["contact_phone"], note=data["note"],
            )  # fmt: skip
        except DomainError as exc:
            if exc.field:
                form.add_domain_error(exc)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, f"预约成功：{route.name} {data['date']:%m月%d日}，请等待运营单位确认")
            return redirect("tours:my_bookings")
    return render(request, "tours/route_book.html", {"route": route, "form": form}, status=400 if form.errors else 200)


@signed_in
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    return render(request, "tours/my_bookings.html", {"bookings": selectors.my_bookings(request.user)})


@signed_in
@require_POST
def my_booking_cancel(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        booking = selectors.get_my_booking(request.user, uid)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.booking_cancel(booking=booking, by_visitor=True)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消研学预约")
    return redirect("tours:my_bookings")


# --- TAI科 ----------------------------------------------------------------------------------------------------


@public
@require_GET
def tai_index(request: HttpRequest) -> HttpResponse:
    counts = selectors.trail_counts()
    return render(request, "tours/tai_index.html", {"trails": [(value, label, counts.get(value, 0)) for value, label in Trail.choices]})


@public
@require_GET
def tai_trail(request: HttpRequest, trail: str) -> HttpResponse:
    try:
        points = selectors.trail_points(trail)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "tours/tai_trail.html", {
        "trail": Trail(trail), "points": points, "map_points": selectors.point_map_data(points),
        "trails": Trail.choices, **map_settings(),
    })  # fmt: skip


def _point(code: str) -> TaiPoint:
    try:
        return selectors.get_public_point(code)
    except NotFound as exc:
        raise Http404 from exc


@public
@require_GET
def tai_point(request: HttpRequest, code: str) -> HttpResponse:
    """The page a point's QR code opens, for tourists on the mountain: short, readable, no login."""
    point = _point(code)
    before, after = selectors.point_neighbours(point)
    return render(request, "tours/tai_point.html", {"point": point, "before": before, "after": after})


@public
@require_GET
@cache_control(public=True, max_age=600)  # an unpublished point's picture leaves the caches soon
def tai_picture(request: HttpRequest, code: str) -> HttpResponse:
    point = _point(code)
    return picture_response(point)


def picture_response(point: TaiPoint) -> HttpResponse:
    return file_response(point.picture, content_type="image/jpeg")


def _point_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("tours:tai_point", args=[code]))


@public
@require_GET
@cache_control(public=True, max_age=86400)
def tai_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    point = _point(code)
    return qr_svg_response(_point_url(request, point.code), title=point.name)


@public
@require_GET
@cache_control(public=True, max_age=86400)
def tai_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    point = _point(code)
    return qr_png_response(_point_url(request, point.code), filename=point.code)
