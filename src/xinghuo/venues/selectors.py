"""Reads of venues: the public map (only listed venues, whatever the caller), and the console's scoped lists."""

from __future__ import annotations

import hashlib
import heapq
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xinghuo.core.errors import DomainError
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.regions.models import Region
from xinghuo.venues.errors import VenueError
from xinghuo.venues.geo import haversine_m
from xinghuo.venues.models import PUBLIC_STATUSES, Audience, Venue, VenueType
from xinghuo.venues.services import MAP_VERSION_KEY

CACHE_SECONDS = 300


@dataclass(frozen=True)
class VenueFilters:
    types: tuple[str, ...] = ()
    region: str = ""  # a region code: venues in its subtree
    audience: str = ""
    open_now: bool = False
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    q: str = ""

    def cache_key(self) -> str:
        raw = json.dumps([self.types, self.region, self.audience, self.bbox, self.q], ensure_ascii=False)
        return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(p) for p in raw.split(","))
    except ValueError as exc:
        raise DomainError(
            VenueError.INVALID_FILTER, "bbox 应为“西经,南纬,东经,北纬”四个数，如 116.9,36.0,117.4,36.4", field="bbox"
        ) from exc
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise DomainError(VenueError.INVALID_FILTER, "bbox 的范围不正确：应西小于东、南小于北", field="bbox")
    return west, south, east, north


def make_filters(
    *, types: list[str] | None = None, region: str = "", audience: str = "", open_now: bool = False, bbox: str = "", q: str = ""
) -> VenueFilters:
    """Filters from user input, checked; a bad value raises DomainError with a Chinese message."""
    types = [t for t in (types or []) if t]
    bad = [t for t in types if t not in VenueType.values]
    if bad:
        raise DomainError(VenueError.INVALID_FILTER, f"场馆类型“{'、'.join(bad)}”无效", field="type")
    if audience and audience not in Audience.values:
        raise DomainError(VenueError.INVALID_FILTER, f"服务对象“{audience}”无效", field="audience")
    if region and not Region.objects.filter(code=region).exists():
        raise DomainError(VenueError.INVALID_FILTER, f"未找到区划代码“{region}”", field="region")
    return VenueFilters(tuple(sorted(types)), region, audience, open_now, parse_bbox(bbox) if bbox else None, q.strip()[:50])


def map_version() -> int:
    version = cache.get(MAP_VERSION_KEY)
    if version is None:
        cache.add(MAP_VERSION_KEY, 1, None)
        version = 1
    return int(version)


def public_venues(filters: VenueFilters | None = None) -> QuerySet[Venue]:
    """Venues on the public map (登记 or 认定), filtered. Everyone sees the same."""
    f = filters or VenueFilters()
    with public_reads():
        qs = Venue.objects.filter(status__in=PUBLIC_STATUSES).select_related("region", "region__county", "operator")
    if f.types:
        qs = qs.filter(venue_type__in=f.types)
    if f.region:
        qs = qs.filter(region__in=Region.objects.get(code=f.region).subtree())
    if f.audience:
        qs = qs.filter(audience_codes__contains=f",{f.audience},")
    if f.bbox:
        west, south, east, north = f.bbox
        qs = qs.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    if f.q:
        qs = qs.filter(name__icontains=f.q)
    return qs.order_by("venue_type", "code")


def _feature(v: Venue) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": v.code,
        "geometry": {"type": "Point", "coordinates": [round(v.lon, 6), round(v.lat, 6)]},
        "properties": {
            "code": v.code,
            "name": v.name,
            "type": v.venue_type,
            "type_label": str(v.get_venue_type_display()),
            "status": v.status,
            "address": v.address,
            "county": (v.region.county or v.region).name,
            "audiences": v.audiences,
            "url": reverse("venues:public_detail", args=[v.code]),
        },
    }


def _cached_features(filters: VenueFilters) -> list[tuple[dict[str, Any], dict, list]]:
    key = f"venues:features:{map_version()}:{filters.cache_key()}"
    cached = cache.get(key)
    if cached is None:
        cached = [(_feature(v), v.opening_hours, v.closed_dates) for v in public_venues(filters).iterator(chunk_size=2000)]
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def venue_geojson(filters: VenueFilters, *, now: datetime | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946: [lon, lat], WGS-84) of the public venues matching the filters."""
    rows = _cached_features(filters)
    if filters.open_now:
        moment = timezone.localtime(now or timezone.now())
        probe = Venue()
        kept = []
        for feature, hours, closed in rows:
            probe.opening_hours, probe.closed_dates = hours, closed
            if probe.is_open_at(moment):
                kept.append(feature)
        features = kept
    else:
        features = [feature for feature, _, _ in rows]
    return {"type": "FeatureCollection", "features": features}


def _coordinates() -> list[tuple[int, float, float]]:
    key = f"venues:coords:{map_version()}"
    coords = cache.get(key)
    if coords is None:
        with public_reads():
            coords = list(Venue.objects.filter(status__in=PUBLIC_STATUSES).values_list("pk", "lat", "lon"))
        cache.set(key, coords, CACHE_SECONDS)
    return coords


def nearest_venues(*, lat: float, lon: float, limit: int = 10) -> list[tuple[Venue, float]]:
    """The `limit` public venues nearest to a point, with their great-circle distance in metres."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError(VenueError.INVALID_FILTER, "经纬度超出范围", field="lat")
    best = heapq.nsmallest(limit, ((haversine_m(lat, lon, vlat, vlon), pk) for pk, vlat, vlon in _coordinates()))
    with public_reads():
        venues = Venue.objects.select_related("region", "region__county").in_bulk([pk for _, pk in best])
    return [(venues[pk], distance) for distance, pk in best if pk in venues]


def get_public_venue(code: str) -> Venue:
    """A venue's public page: any venue that has a code, including a revoked one (its plaque says so)."""
    from xinghuo.core.errors import NotFound

    with public_reads():
        venue = Venue.objects.select_related("region", "region__county", "operator").filter(code=code).first()
    if venue is None:
        raise NotFound("没有这个编号的科普阵地")
    return venue


def venue_list(*, filters: VenueFilters | None = None, status: str = "") -> QuerySet[Venue]:
    """The console's list: the actor's scope (the default manager applies it)."""
    f = filters or VenueFilters()
    qs = Venue.objects.select_related("region", "operator")
    if f.types:
        qs = qs.filter(venue_type__in=f.types)
    if f.region:
        qs = qs.filter(region__in=Region.objects.get(code=f.region).subtree())
    if f.q:
        qs = qs.filter(name__icontains=f.q)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("venue_type", "code", "name")


def get_venue_for_actor(uid: object) -> Venue:
    return get_by_uid(Venue.objects.select_related("region", "operator"), uid)
