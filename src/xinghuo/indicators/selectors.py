"""Reads of the indicators: the registry (the declared indicators and one per brand and level), each one's target,
the figures of a scope and a year (cached a few minutes: the dashboard's warm path), the scope an actor may look at,
and the county league table."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.core.errors import DomainError
from xinghuo.indicators.catalogue import GROUPS, INDICATORS, brand_indicators
from xinghuo.indicators.errors import IndicatorError as E
from xinghuo.indicators.models import Publication
from xinghuo.indicators.registry import RATIO, Buckets, Figure, Indicator, Part, Target, compute
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.worklist import data as seeds

log = logging.getLogger(__name__)
NOT_FOUND = "您要找的记录不存在或无权查看。"
#: The dashboard's figures: after REFRESH_SECONDS a request still gets them at once and they are counted again behind it
#: (in a thread of the process, or inline where XINGHUO_INDICATORS_REFRESH_IN_BACKGROUND is off: the tests); after
#: CACHE_SECONDS nobody has asked for a while and the next request counts them itself. An indicator's page is live.
REFRESH_SECONDS = 300
CACHE_SECONDS = 3600
VIEWERS = (Role.CITY_STAFF, Role.COUNTY_STAFF)
FIRST_YEAR = 2022  # the opinions plan's year: the earliest the dashboard, its reports and its API look back to


def years() -> list[int]:
    """The years a user may pick, this year first."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def year_allowed(year: int) -> bool:
    """A year the figures may be asked for: from FIRST_YEAR to next year (plans for it are entered ahead)."""
    return FIRST_YEAR <= year <= timezone.localdate().year + 1


# --- the registry ---------------------------------------------------------------------------------------------------


def all_indicators() -> list[Indicator]:
    """Every indicator, in the dashboard's order: by group, declared ones first, brands in their order."""
    declared = INDICATORS + brand_indicators()
    return sorted(declared, key=lambda i: GROUPS.index(i.group))


def get_indicator(key: str) -> Indicator:
    for indicator in all_indicators():
        if indicator.key == key:
            return indicator
    raise DomainError(E.NOT_FOUND, NOT_FOUND, status=404)


def _walk(tasks: list[dict]) -> list[dict]:
    out = []
    for task in tasks:
        out.append(task)
        out.extend(_walk(task.get("children", [])))
    return out


SEED_TASKS = {task["code"]: task for task in _walk(seeds.TASKS)}


@dataclass(frozen=True)
class Clause:
    code: str
    title: str
    text: str  # the target's words where the clause states one, else the clause's heading


def clauses_of(indicator: Indicator) -> list[Clause]:
    """The seed clauses an indicator comes from: those it declares, and those whose targets name it."""
    codes = list(indicator.clauses)
    for task in SEED_TASKS.values():
        if any(t["indicator"] == indicator.key for t in task["targets"]) and task["code"] not in codes:
            codes.append(task["code"])
    out = []
    for code in codes:
        task = SEED_TASKS.get(code)
        if task is None:
            continue
        words = next((t["text"] for t in task["targets"] if t["indicator"] == indicator.key), task["title"])
        out.append(Clause(code=code, title=task["title"], text=words))
    return out


def targets(year: int) -> dict[str, Target]:
    """Each indicator's target: from the work list (first its tasks in the database, which city staff extend, then
    the seeds' own), and for an activities indicator the brand's target for the year where one is set."""
    from xinghuo.worklist.models import Target as TaskTarget

    out: dict[str, Target] = {}
    for task in SEED_TASKS.values():
        for t in task["targets"]:
            out.setdefault(t["indicator"], Target(_dec(t["min"]), _dec(t["max"]), t["unit"], t["text"], task["code"]))
    found = TaskTarget.objects.exclude(indicator="").filter(task__plan__is_active=True).select_related("task")
    database: dict[str, Target] = {}
    for t in found.order_by("task__plan__code", "task__order", "id"):
        database.setdefault(t.indicator, Target(t.minimum, t.maximum, t.unit, t.text, t.task.code))
    out.update(database)
    from xinghuo.activities.models import BrandTarget

    for bt in BrandTarget.objects.filter(year=year).select_related("brand"):
        out[f"activities_{bt.brand.code}_{bt.level}"] = Target(Decimal(bt.minimum), _dec(bt.maximum), "期", "", "品牌活动年度目标")
    return out


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


# --- scope ------------------------------------------------------------------------------------------------------------


def home_city() -> Region:
    return Region.objects.get(code=settings.XINGHUO_HOME_CITY, level=RegionLevel.CITY)


def scope_for(actor: Actor, code: str = "") -> Region:
    """The region an actor's dashboard shows: city staff their city, or one of its counties or zones when asked
    (`?county=<code>`); a county's (zone's) staff their own, and not found for any other. Anyone else: not found."""
    if actor.role not in VIEWERS or actor.region is None:
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    own = actor.region
    if not code or code == own.code:
        return own
    region = Region.objects.filter(code=code, level__in=(RegionLevel.COUNTY, RegionLevel.ZONE)).first()
    if region is None or not own.contains(region):
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    return region


def sub_scopes(within: Region) -> QuerySet[Region]:
    """The counties and zones a city's staff can look into."""
    if within.level != RegionLevel.CITY:
        return Region.objects.none()
    return Region.objects.filter(city=within, level__in=(RegionLevel.COUNTY, RegionLevel.ZONE)).order_by("level", "code")


# --- figures ------------------------------------------------------------------------------------------------------


@dataclass
class Board:
    """The figures of a scope and a year, and when they were computed."""

    within: Region
    year: int
    figures: list[Figure]
    computed_at: float
    from_cache: bool

    def by_key(self) -> dict[str, Figure]:
        return {f.indicator.key: f for f in self.figures}

    def groups(self) -> list[tuple[str, list[Figure]]]:
        return [
            (g, [f for f in self.figures if f.indicator.group == g]) for g in GROUPS if any(f.indicator.group == g for f in self.figures)
        ]


def _cache_key(within: Region, year: int) -> str:
    return f"indicators:board:v1:{within.pk}:{year}"


def _dump(figure: Figure) -> dict:
    return {
        "value": figure.value, "total": figure.total,
        "parts": [(p.key, p.label, p.value, p.total, p.code) for p in figure.parts],
        "months": [(p.key, p.value) for p in figure.months],
    }  # fmt: skip


def _load(indicator: Indicator, within: Region, year: int, target: Target | None, data: dict) -> Figure:
    return Figure(
        indicator=indicator, within=within, year=year, value=data["value"], total=data["total"], target=target,
        parts=[Part(key=k, label=label, value=v, total=t, code=code) for k, label, v, t, code in data["parts"]],
        months=[Part(key=m, label=f"{m}月", value=v) for m, v in data["months"]],
    )  # fmt: skip


def board(*, within: Region, year: int, fresh: bool = False) -> Board:
    """Every indicator's figure for a scope and a year, counted from the records (one or two grouped queries each) and
    kept in the cache; figures older than REFRESH_SECONDS are served and counted again behind the request (one
    recount at a time per scope and year); `fresh` counts them now."""
    indicators = all_indicators()
    goals = targets(year)
    key = _cache_key(within, year)
    if fresh:
        cache.delete(f"indicators:coverage:v1:{within.pk}")
    cached = None if fresh else cache.get(key)
    if cached is not None and set(cached["figures"]) == {i.key for i in indicators}:
        figures = [_load(i, within, year, goals.get(i.key), cached["figures"][i.key]) for i in indicators]
        if time.time() - cached["at"] > REFRESH_SECONDS and cache.add(f"{key}:recounting", 1, 120):
            _recount_later(within.pk, year, key)
        return Board(within=within, year=year, figures=figures, computed_at=cached["at"], from_cache=True)
    buckets = Buckets.of(within)
    figures = [compute(i, within=within, year=year, target=goals.get(i.key), buckets=buckets) for i in indicators]
    now = time.time()
    cache.set(key, {"at": now, "figures": {f.indicator.key: _dump(f) for f in figures}}, CACHE_SECONDS)
    return Board(within=within, year=year, figures=figures, computed_at=now, from_cache=False)


def _recount_later(region_pk: int, year: int, key: str) -> None:
    def recount() -> None:
        try:
            board(within=Region.objects.get(pk=region_pk), year=year, fresh=True)
        except Exception:  # a failed recount leaves the old figures; the next request after the lock tries again
            log.exception("indicators: recounting the board of region %s, %s failed", region_pk, year)
        finally:
            cache.delete(f"{key}:recounting")

    if not getattr(settings, "XINGHUO_INDICATORS_REFRESH_IN_BACKGROUND", False):
        recount()
        return

    def in_thread() -> None:
        close_old_connections()
        try:
            recount()
        finally:
            connection.close()

    threading.Thread(target=in_thread, name="xinghuo-indicators-recount", daemon=True).start()


def figure(*, indicator: Indicator, within: Region, year: int) -> Figure:
    """One indicator's figure, computed now (its page and its drill-down are always live)."""
    return compute(indicator, within=within, year=year, target=targets(year).get(indicator.key))


# --- the league table ---------------------------------------------------------------------------------------------


@dataclass
class LeagueRow:
    label: str
    code: str
    cells: list[Part | None]  # one per column, aligned with the columns
    score: float | None  # the mean coverage of the ratio columns

    @property
    def score_percent(self) -> str:
        return "—" if self.score is None else f"{self.score:.1%}"


LEAGUE_KEYS = ("towns_with_station", "villages_with_promoter", "service_stations", "spark_halls_certified", "promoters",
               "volunteers_registered", "volunteer_hours", "resources_published")  # fmt: skip


def league(current: Board) -> tuple[list[Figure], list[LeagueRow]]:
    """The counties (or towns) side by side on the figures that break down, ranked by their mean coverage."""
    by_key = current.by_key()
    columns = [by_key[k] for k in LEAGUE_KEYS if k in by_key and by_key[k].available]
    rows: dict[Any, LeagueRow] = {}
    for i, fig in enumerate(columns):
        for part in fig.parts:
            row = rows.setdefault(part.key, LeagueRow(label=part.label, code=part.code, cells=[None] * len(columns), score=None))
            row.cells[i] = part
    for row in rows.values():
        rates = [
            c.rate for c, f in zip(row.cells, columns, strict=True) if c is not None and f.indicator.measure == RATIO and c.rate is not None
        ]
        row.score = sum(rates) / len(rates) if rates else None
    ranked = sorted(rows.values(), key=lambda r: (r.score is None, -(r.score or 0), r.code or "~"))
    return columns, ranked


def public_board(year: int) -> tuple[Region, list[Figure]]:
    """The figures the city chose to publish (公开指标), of the home city, in the chosen order."""
    city = home_city()
    chosen = list(Publication.objects.order_by("order", "key").values_list("key", flat=True))
    current = board(within=city, year=year).by_key()
    return city, [current[k] for k in chosen if k in current and current[k].indicator.public and current[k].available]


def published_keys() -> list[str]:
    return list(Publication.objects.order_by("order", "key").values_list("key", flat=True))


# --- the coverage map -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TownCoverage:
    code: str
    name: str
    county_code: str
    county: str
    has_station: bool
    villages: int
    covered_villages: int

    @property
    def uncovered_villages(self) -> int:
        return self.villages - self.covered_villages


def coverage_map(within: Region) -> list[TownCoverage]:
    """Every town of the scope: whether it has a service station, and how many of its villages have a promoter (two
    grouped queries, cached with the figures' lifetime). Empty when the venues or promoters module is missing."""
    from xinghuo.indicators.catalogue import _town_covered, _village_covered

    key = f"indicators:coverage:v1:{within.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    towns = Region.objects.filter(within.subtree_q(), level=RegionLevel.TOWN).select_related("county").order_by("code")
    stations = set(towns.filter(_town_covered()).values_list("pk", flat=True)) if _installed("venues") else set()
    villages: dict[int, tuple[int, int]] = {}
    if _installed("promoters"):
        rows = (Region.objects.filter(within.subtree_q(), level=RegionLevel.VILLAGE).annotate(is_covered=_village_covered())
                .values("town").annotate(n=Count("pk"), covered=Count("pk", filter=Q(is_covered=True))).order_by())  # fmt: skip
        villages = {row["town"]: (row["n"], row["covered"]) for row in rows}
    out = [
        TownCoverage(
            code=t.code,
            name=t.display_name,
            county_code=t.county.code if t.county_id else "",
            county=t.county.display_name if t.county_id else "",
            has_station=t.pk in stations,
            villages=villages.get(t.pk, (0, 0))[0],
            covered_villages=villages.get(t.pk, (0, 0))[1],
        )
        for t in towns
    ]
    cache.set(key, out, CACHE_SECONDS)
    return out


def _installed(source: str) -> bool:
    from django.apps import apps

    return apps.is_installed(f"xinghuo.{source}")
