"""The data of the dashboard's charts (ECharts reads it from a JSON script element; static/indicators/charts.js draws
it): plain numbers and the links a click follows, so that every bar and cell leads to the records behind it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from xinghuo.indicators.registry import RATIO, Figure
from xinghuo.indicators.selectors import Board, TownCoverage

TREND_KEYS = (("service_stations", "新认定服务站"), ("spark_halls_certified", "新认定星火科技馆"), ("resources_published", "新发布资源"),
              ("course_completions", "云课堂学完人次"), ("volunteers_registered", "新注册志愿者"))  # fmt: skip


def _num(value: Any) -> float | int:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def link(key: str, *, year: int, county: str = "", **extra: Any) -> str:
    query = {"year": year, **({"county": county} if county else {}), **{k: v for k, v in extra.items() if v not in ("", None)}}
    return f"{reverse('indicators_console:indicator', args=[key])}?{urlencode(query)}"


@dataclass(frozen=True)
class BrandRow:
    name: str
    city: Figure | None
    grassroots: Figure | None


def brand_rows(figures: list[Figure]) -> list[BrandRow]:
    """The activities indicators as one row per brand: city-level against its target, grassroots beside it."""
    rows: dict[int, dict[str, Figure]] = {}
    names: dict[int, str] = {}
    for f in figures:
        assert f.indicator.brand_id is not None
        rows.setdefault(f.indicator.brand_id, {})[f.indicator.level] = f
        names[f.indicator.brand_id] = f.indicator.name.split("·")[0]
    return [BrandRow(name=names[b], city=levels.get("city"), grassroots=levels.get("grassroots")) for b, levels in rows.items()]


def dashboard(board: Board, by_key: dict[str, Figure], coverage: list[TownCoverage], *, year: int, county: str = "") -> dict:
    targeted = [f for f in board.figures if f.target is not None and f.available and f.attainment is not None]
    progress = [
        {"name": f.indicator.name, "value": round((f.attainment or 0) * 100, 1), "state": f.state, "label": f.display,
         "target": f.target.label if f.target else "", "url": link(f.indicator.key, year=year, county=county)}
        for f in targeted
    ]  # fmt: skip
    months = [f"{m}月" for m in range(1, 13)]
    activities = [0] * 12
    for f in board.figures:
        if f.indicator.brand_id is not None and f.months:
            for i, part in enumerate(f.months):
                activities[i] += _num(part.value)
    trends = [{"name": "核验活动", "data": activities}]
    for key, name in TREND_KEYS:
        f = by_key.get(key)
        if f is not None and f.months:
            trends.append({"name": name, "data": [_num(p.value) for p in f.months], "url": link(key, year=year, county=county)})
    hours = by_key.get("volunteer_hours")
    return {
        "progress": progress,
        "months": months,
        "trends": trends,
        "hours": [_num(p.value) for p in hours.months] if hours is not None and hours.months else [],
        "hours_url": link("volunteer_hours", year=year, county=county) if hours is not None else "",
        "stations": _treemap(coverage, year=year, county=county, stations=True),
        "villages": _treemap(coverage, year=year, county=county, stations=False),
    }


def _treemap(coverage: list[TownCoverage], *, year: int, county: str, stations: bool) -> list[dict]:
    """Counties → towns. For stations each town has the same size, coloured by whether it has one; for promoters each
    town's size is its villages without a promoter (towns fully covered drop out)."""
    groups: dict[str, dict] = {}
    for town in coverage:
        group = groups.setdefault(town.county_code, {"name": town.county or "—", "children": []})
        if stations:
            url = link("towns_with_station", year=year, county=county, uncovered="" if town.has_station else "1")
            group["children"].append({"name": town.name, "value": 1, "covered": town.has_station, "url": url})
        elif town.villages and town.uncovered_villages:
            url = link("villages_with_promoter", year=year, county=county, uncovered="1")
            group["children"].append({"name": town.name, "value": town.uncovered_villages, "villages": town.villages,
                                      "covered_villages": town.covered_villages, "url": url})  # fmt: skip
    return [g for g in groups.values() if g["children"]]


def indicator(figure: Figure) -> dict:
    key, year = figure.indicator.key, figure.year
    county = figure.within.code if figure.within.level != "city" else ""
    ratio = figure.indicator.measure == RATIO
    return {
        "unit": figure.indicator.unit,
        "ratio": ratio,
        "parts": [
            {"name": p.label, "value": round((p.rate or 0) * 100, 1) if ratio else _num(p.value), "count": _num(p.value), "total": p.total,
             "url": link(key, year=year, county=county, part=p.code or "own")}
            for p in figure.parts
        ],
        "months": [{"name": p.label, "value": _num(p.value), "url": link(key, year=year, county=county, month=p.key)} for p in figure.months],
    }  # fmt: skip


def public(figures: list[Figure]) -> dict:
    return {"figures": [{"name": f.indicator.name, "value": round((f.attainment or 0) * 100, 1), "target": f.target.label if f.target else ""}
                        for f in figures if f.attainment is not None]}  # fmt: skip
