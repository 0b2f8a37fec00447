"""Reads of venues: the public map (only listed venues, whatever the caller), and the console's scoped lists."""

from __future__ import annotations

import bisect
import functools
import gzip
import hashlib
import heapq
import json
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from xinghuo.core.errors import DomainError
from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.regions.models import Region
from xinghuo.regions.selectors import region_by_code
from xinghuo.search import search
from xinghuo.venues.errors import VenueError
from xinghuo.venues.geo import haversine_m
from xinghuo.venues.models import PUBLIC_STATUSES, Audience, Venue, VenuePhoto, VenueType
from xinghuo.venues.services import MAP_VERSION_KEY


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
    if region:
        region = region_by_code(region, error=VenueError.INVALID_FILTER).code
    return VenueFilters(tuple(sorted(types)), region, audience, open_now, parse_bbox(bbox) if bbox else None, q.strip()[:50])


STALE_AFTER_SECONDS = 300


def map_version() -> tuple[int, int]:
    """The map's version from the shared cache, with a five-minute bucket: with Redis a change reaches every
    process at once; with the in-process cache (one machine, no REDIS_URL) other processes see it within
    five minutes."""
    version = cache.get(MAP_VERSION_KEY)
    if version is None:
        cache.add(MAP_VERSION_KEY, 1, None)
        version = 1
    return int(version), int(time.time() // STALE_AFTER_SECONDS)


def clear_process_caches() -> None:
    """Forget this process's map data (tests, after a rollback the version cannot see)."""
    _geojson_for.cache_clear()
    _rows_for.cache_clear()
    _coordinates_for.cache_clear()


def public_venues(filters: VenueFilters | None = None) -> QuerySet[Venue]:
    """Venues on the public map (登记 or 认定), filtered. Everyone sees the same. A query `q` is a full-text
    search of name (with its pinyin and initials), summary and address, best matches first; any piece of a
    name's Chinese still finds it, as the `icontains` it replaced did."""
    f = filters or VenueFilters()
    with public_reads():
        qs = Venue.objects.filter(status__in=PUBLIC_STATUSES).select_related("region", "region__county", "operator")
    if f.types:
        qs = qs.filter(venue_type__in=f.types)
    if f.region:
        qs = qs.filter(region__in=region_by_code(f.region).subtree())
    if f.audience:
        qs = qs.filter(audience_codes__contains=f",{f.audience},")
    if f.bbox:
        west, south, east, north = f.bbox
        qs = qs.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    if f.q:
        return search(qs, f.q).order_by("-search_rank", "venue_type", "code")
    return qs.order_by("venue_type", "code")


def _feature(v: Venue, type_labels: dict[str, str], county_names: dict[int, str]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": v.code,
        "geometry": {"type": "Point", "coordinates": [round(v.lon, 6), round(v.lat, 6)]},
        "properties": {
            "code": v.code,
            "name": v.name,
            "type": v.venue_type,
            "type_label": type_labels[v.venue_type],
            "status": v.status,
            "address": v.address,
            "county": county_names.get(v.region.county_id or v.region_id, ""),
            "url": f"{VENUE_URL_PREFIX}{v.code}/",
        },
    }


VENUE_URL_PREFIX = "/v/"  # venues:public_detail; a literal keeps 10,000 reverse() calls off the hot path


def _features(filters: VenueFilters) -> list[tuple[dict[str, Any], dict, list]]:
    type_labels = {value: str(label) for value, label in VenueType.choices}
    county_names = dict(Region.objects.filter(level__in=["county", "zone"]).values_list("pk", "name"))
    rows = public_venues(filters).select_related(None).only(
        "code", "name", "venue_type", "status", "address", "lat", "lon", "opening_hours", "closed_dates", "region__county_id"
    ).select_related("region")  # fmt: skip
    return [(_feature(v, type_labels, county_names), v.opening_hours, v.closed_dates) for v in rows.iterator(chunk_size=2000)]


def _dump(features: list[dict[str, Any]]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class GeoJSONDocument:
    body: bytes
    gzipped: bytes
    etag: str


def _document(features: list[dict[str, Any]]) -> GeoJSONDocument:
    body = _dump(features)
    return GeoJSONDocument(body, gzip.compress(body, compresslevel=6, mtime=0), hashlib.sha1(body, usedforsecurity=False).hexdigest())


# Map data lives in each process, keyed by the map's version (kept in the shared cache): a request pays for
# neither a query nor unpickling megabytes out of the cache, and a change anywhere retires every copy.
@functools.lru_cache(maxsize=32)
def _geojson_for(version: tuple[int, int], filters: VenueFilters) -> GeoJSONDocument:
    return _document([feature for feature, _, _ in _features(filters)])


@functools.lru_cache(maxsize=8)
def _rows_for(version: tuple[int, int], filters: VenueFilters) -> list[tuple[dict[str, Any], dict, list]]:
    return _features(filters)


def venue_geojson_document(filters: VenueFilters, *, now: datetime | None = None) -> GeoJSONDocument:
    """A GeoJSON FeatureCollection (RFC 7946: [lon, lat], WGS-84) of the public venues matching the filters,
    serialised once per version of the map; with `open_now` the features are picked by their hours now."""
    version = map_version()
    if not filters.open_now:
        return _geojson_for(version, filters)
    moment = timezone.localtime(now or timezone.now())
    probe = Venue()
    kept = []
    for feature, hours, closed in _rows_for(version, replace(filters, open_now=False)):
        probe.opening_hours, probe.closed_dates = hours, closed
        if probe.is_open_at(moment):
            kept.append(feature)
    return _document(kept)


def venue_geojson(filters: VenueFilters, *, now: datetime | None = None) -> dict[str, Any]:
    """The same document as a dictionary (for tests and server-side use)."""
    return json.loads(venue_geojson_document(filters, now=now).body)


def _coordinates() -> tuple[list[float], list[tuple[int, float, float]]]:
    return _coordinates_for(map_version())


@functools.lru_cache(maxsize=2)
def _coordinates_for(version: tuple[int, int]) -> tuple[list[float], list[tuple[int, float, float]]]:
    """Public venues' (pk, lat, lon), sorted by latitude, with the latitudes alone for bisecting."""
    with public_reads():
        rows = sorted(Venue.objects.filter(status__in=PUBLIC_STATUSES).values_list("pk", "lat", "lon"), key=lambda r: r[1])
    return [r[1] for r in rows], rows


METRES_PER_DEGREE_LAT = 111_194.9


def nearest_venues(*, lat: float, lon: float, limit: int = 10) -> list[tuple[Venue, float]]:
    """The `limit` public venues nearest to a point, with their great-circle distance in metres.

    Exact: a band of latitudes ±r around the point holds every venue within r metres, so the band is widened
    (5 km, 10 km, …) until `limit` venues lie within r — those are the nearest — or it covers everything."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError(VenueError.INVALID_FILTER, "经纬度超出范围", field="lat")
    lats, rows = _coordinates()
    radius = 5_000.0
    while True:
        band = radius / METRES_PER_DEGREE_LAT
        lo, hi = bisect.bisect_left(lats, lat - band), bisect.bisect_right(lats, lat + band)
        candidates = [(haversine_m(lat, lon, vlat, vlon), pk) for pk, vlat, vlon in rows[lo:hi]]
        within = [c for c in candidates if c[0] <= radius]
        if len(within) >= limit or (lo == 0 and hi == len(rows)):
            best = heapq.nsmallest(limit, within if len(within) >= limit else candidates)
            break
        radius *= 2
    with public_reads():
        venues = (
            Venue.objects.filter(status__in=PUBLIC_STATUSES)  # a venue revoked since this process cached the points
            .only("code", "name", "venue_type", "address", "lat", "lon")
            .in_bulk([pk for _, pk in best])
        )
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
    """The console's list: the actor's scope (the default manager applies it); `q` searches as on the map."""
    f = filters or VenueFilters()
    qs = Venue.objects.select_related("region", "operator")
    if f.types:
        qs = qs.filter(venue_type__in=f.types)
    if f.region:
        qs = qs.filter(region__in=region_by_code(f.region).subtree())
    if status:
        qs = qs.filter(status=status)
    if f.q:
        return search(qs, f.q).order_by("-search_rank", "venue_type", "code", "name")
    return qs.order_by("venue_type", "code", "name")


def get_venue_for_actor(uid: object) -> Venue:
    return get_by_uid(Venue.objects.select_related("region", "operator"), uid)


def venue_photos(venue: Venue) -> list[VenuePhoto]:
    """A listed venue's photos for its public page."""
    with public_reads():
        return list(VenuePhoto.objects.filter(venue=venue).order_by("order", "created_at"))
