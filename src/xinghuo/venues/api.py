"""The public map's data: GET /api/v1/venues.geojson and GET /api/v1/venues/nearest."""

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from xinghuo.core.access import PUBLIC_API
from xinghuo.core.api import ErrorOut
from xinghuo.venues.selectors import make_filters, nearest_venues, venue_geojson_document

router = Router(tags=["科普阵地"])


class FeatureCollectionOut(Schema):
    type: str = "FeatureCollection"
    features: list[dict]


@router.get(
    "/venues.geojson",
    response={200: FeatureCollectionOut, 400: ErrorOut},
    summary="科普云地图：场馆 GeoJSON",
    **PUBLIC_API,
)
def venues_geojson(
    request: HttpRequest,
    bbox: str = "",
    type: str = "",
    region: str = "",
    audience: str = "",
    open_now: bool = False,
):
    """RFC 7946 GeoJSON（WGS-84，[经度, 纬度]）。`bbox`=西,南,东,北；`type` 可多个（逗号分隔）；`region` 区划代码（含下级）；
    `audience` 服务对象；`open_now` 只看此刻开放的。"""
    filters = make_filters(types=type.split(","), region=region, audience=audience, open_now=open_now, bbox=bbox)
    document = venue_geojson_document(filters)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    quoted = f'"{document.etag}{"-gz" if gzipped else ""}"'  # a strong ETag names one encoding
    if request.headers.get("If-None-Match") == quoted:
        response = HttpResponse(status=304)
    elif gzipped:
        response = HttpResponse(document.gzipped, content_type="application/geo+json; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(document.body, content_type="application/geo+json; charset=utf-8")
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = quoted
    response["Cache-Control"] = "public, max-age=60"
    return response


class NearestOut(Schema):
    code: str
    name: str
    type: str
    address: str
    lat: float
    lon: float
    distance_m: int = Field(..., description="大圆距离，米")
    url: str


class NearestPage(Schema):
    count: int
    items: list[NearestOut]


@router.get("/venues/nearest", response={200: NearestPage, 400: ErrorOut, 422: ErrorOut}, summary="离我最近的场馆", **PUBLIC_API)
def venues_nearest(request: HttpRequest, lat: float, lon: float, limit: int = Query(10, ge=1, le=50)):
    """按距离（米）由近到远排列的公开场馆。"""
    rows = nearest_venues(lat=lat, lon=lon, limit=limit)
    items = [
        {
            "code": v.code, "name": v.name, "type": v.venue_type, "address": v.address, "lat": v.lat, "lon": v.lon,
            "distance_m": round(d), "url": f"/v/{v.code}/",
        }
        for v, d in rows
    ]  # fmt: skip
    return {"count": len(items), "items": items}
