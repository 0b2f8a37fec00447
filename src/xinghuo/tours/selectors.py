"""Reads of routes and TAI科 points: public pages see only what is published, whoever asks; the console's lists
go through the actor's scope (the default managers apply it)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from xinghuo.core.errors import NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.tours.models import Route, RouteBooking, RouteStatus, RouteStop, TaiPoint, Trail


def _stops() -> Prefetch:
    return Prefetch("stops", queryset=RouteStop.unscoped.select_related("venue", "venue__region").order_by("position"))


def public_routes() -> list[Route]:
    with public_reads():
        return list(
            Route.objects.filter(status=RouteStatus.PUBLISHED).select_related("operator").prefetch_related(_stops()).order_by("name")
        )


def get_public_route(key: str) -> Route:
    """A published route by its slug or its UUID; anything else is not found."""
    with public_reads():
        qs = Route.objects.filter(status=RouteStatus.PUBLISHED).select_related("operator", "region").prefetch_related(_stops())
        try:
            route = qs.filter(uid=uuid.UUID(key)).first()
        except ValueError:
            route = qs.filter(slug=key).first()
    if route is None:
        raise NotFound("没有这条研学线路，或它已撤回")
    return route


def route_list(*, status: str = "", q: str = "") -> QuerySet[Route]:
    qs = Route.objects.select_related("operator", "region").prefetch_related(_stops())
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(name__icontains=q.strip()[:50])
    return qs.order_by("status", "name")


def get_route_for_actor(uid: object) -> Route:
    return get_by_uid(Route.objects.select_related("operator", "region").prefetch_related(_stops()), uid)


def booking_list(*, status: str = "", route: Route | None = None) -> QuerySet[RouteBooking]:
    qs = RouteBooking.objects.select_related("route", "user")
    if status:
        qs = qs.filter(status=status)
    if route is not None:
        qs = qs.filter(route=route)
    return qs.order_by("-date", "-created_at")


def get_booking_for_actor(uid: object) -> RouteBooking:
    return get_by_uid(RouteBooking.objects.select_related("route"), uid)


def my_bookings(user: Any) -> list[RouteBooking]:
    """A user's own bookings, whatever route they are on."""
    with public_reads():
        return list(RouteBooking.objects.filter(user=user).select_related("route").order_by("-date")[:100])


def get_my_booking(user: Any, uid: object) -> RouteBooking:
    with public_reads():
        return get_by_uid(RouteBooking.objects.filter(user=user).select_related("route"), uid)


def route_points(route: Route) -> list[dict[str, Any]]:
    """The stops as map data: number, name, WGS-84 position and the venue's page."""
    return [
        {
            "n": s.position,
            "name": s.venue.name,
            "lat": round(s.venue.lat, 6),
            "lon": round(s.venue.lon, 6),
            "url": reverse("venues:public_detail", args=[s.venue.code]),
        }
        for s in route.stops.all()
        if s.venue.code
    ]


# --- TAI科 ----------------------------------------------------------------------------------------------------


def trail_points(trail: str) -> list[TaiPoint]:
    if trail not in Trail.values:
        raise NotFound("没有这条登山线路")
    with public_reads():
        return list(TaiPoint.objects.filter(trail=trail, is_published=True).order_by("position"))


def trail_counts() -> dict[str, int]:
    from django.db.models import Count

    with public_reads():
        rows = TaiPoint.objects.filter(is_published=True).values("trail").annotate(n=Count("pk")).order_by()
        return {r["trail"]: r["n"] for r in rows}


def get_public_point(code: str) -> TaiPoint:
    with public_reads():
        point = TaiPoint.objects.filter(code=code, is_published=True).first()
    if point is None:
        raise NotFound("没有这个编号的TAI科科普点")
    return point


def point_neighbours(point: TaiPoint) -> tuple[TaiPoint | None, TaiPoint | None]:
    with public_reads():
        qs = TaiPoint.objects.filter(trail=point.trail, is_published=True)
        before = qs.filter(position__lt=point.position).order_by("-position").first()
        after = qs.filter(position__gt=point.position).order_by("position").first()
    return before, after


def point_list(*, trail: str = "", q: str = "") -> QuerySet[TaiPoint]:
    qs = TaiPoint.objects.select_related("region", "owner")
    if trail:
        qs = qs.filter(trail=trail)
    if q:
        qs = qs.filter(name__icontains=q.strip()[:50])
    return qs.order_by("trail", "position")


def get_point_for_actor(uid: object) -> TaiPoint:
    return get_by_uid(TaiPoint.objects.select_related("region", "owner"), uid)


def point_map_data(points: list[TaiPoint]) -> list[dict[str, Any]]:
    return [
        {"n": p.position, "name": p.name, "lat": round(p.lat, 6), "lon": round(p.lon, 6), "url": reverse("tours:tai_point", args=[p.code])}
        for p in points
    ]
