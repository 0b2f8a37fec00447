"""The indicator engine: what an indicator declares, and how its figure, its breakdowns and its records are computed.

An indicator is declared once (catalogue.py) and every number shown for it comes from one of three measures over
the records of its source module, never from a typed-in figure:

    count   how many records match            (星火科技馆 certified, promoters serving, activities verified)
    sum     the total of one field over them  (volunteer hours)
    ratio   how many of a set of regions are covered, of all of them   (towns with a service station)

Each indicator names the path from a record to its region (for the scope and the breakdown by county or town) and,
when it has one, to its date (for the year and the breakdown by month). A yearly indicator (`per="year"`) counts the
records of the year; a standing one (`per=""`) counts what stands today, and its months are the year's additions.
The drill-down of a figure is the same query the figure aggregates, so it lists exactly the records counted.

An indicator whose source module is not installed has no figure: it says "no data source", never a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Case, Count, Exists, F, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from xinghuo.regions.models import Region, RegionLevel

COUNT, SUM, RATIO = "count", "sum", "ratio"


@dataclass(frozen=True)
class Column:
    """One column of an indicator's drill-down list (and of its Excel export)."""

    title: str
    value: Callable[[Any], Any]
    width: int = 16


@dataclass(frozen=True)
class Target:
    minimum: Decimal | None
    maximum: Decimal | None
    unit: str
    text: str = ""  # the plan's words ("培育建设不少于20家…")
    source: str = ""  # where it was set: a task code of the work list, or 品牌活动年度目标

    @property
    def label(self) -> str:
        lo, hi = self.minimum, self.maximum
        fmt = _number
        if lo is not None and hi is not None and lo != hi:
            return f"{fmt(lo)}–{fmt(hi)}{self.unit}"
        if lo is not None and hi is not None:
            return f"{fmt(lo)}{self.unit}"
        if lo is not None:
            return f"≥{fmt(lo)}{self.unit}"
        return f"≤{fmt(hi)}{self.unit}" if hi is not None else ""


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    group: str  # the dashboard's section: 科普阵地, 品牌活动, 人才队伍, 科普资源, 社会动员
    source: str  # the app label of the module whose records it counts
    source_name: str  # that module in the interface
    unit: str  # the counting word: 家, 个, 名, 期, 小时, %
    measure: str  # count | sum | ratio
    records: Callable[[], QuerySet] | None  # the records counted (for a ratio: every region of the set)
    region: str  # the path from a record to its region ("" when the records are regions)
    date: str = ""  # the path to the record's date: the year's filter and the months
    date_is_datetime: bool = True
    per: str = ""  # "year": the records of a year; "": what stands today
    summed: str = ""  # for sum: the field summed
    year_filter: Callable[[int], Q] | None = None  # a yearly indicator's own test of the year (when not by its date)
    covered: Callable[[], Exists | Q] | None = None  # for ratio: which regions of the set count as covered
    covered_since: Callable[[], Any] | None = None  # for ratio: when a region was first covered (its month)
    columns: tuple[Column, ...] = ()
    related: tuple[str, ...] = ()  # select_related of the drill-down
    link: Callable[[Any], str] | None = None  # a record's page, for the drill-down
    clauses: tuple[str, ...] = ()  # the work list's task codes the indicator comes from
    definition: str = ""  # how it is counted, in the interface's words
    public: bool = True  # may be shown on the public summary page
    brand_id: int | None = None  # for an activities-per-brand indicator: its brand
    level: str = ""  # …and its level

    @property
    def available(self) -> bool:
        return self.records is not None and apps.is_installed(f"xinghuo.{self.source}")

    @property
    def yearly(self) -> bool:
        return self.per == "year"


@dataclass
class Part:
    """One bucket of a breakdown: a county (or a town), or a month."""

    key: Any  # a region's pk (None: the scope's own level), or a month 1–12
    label: str
    value: Decimal | int = 0
    total: int = 0  # ratio: the regions of the bucket
    code: str = ""  # the bucket region's code ("" for the scope's own level and for months)

    @property
    def rate(self) -> float | None:
        return None if not self.total else float(self.value) / self.total

    @property
    def uncovered(self) -> int:
        return self.total - int(self.value)

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate:.1%}"


@dataclass
class Figure:
    indicator: Indicator
    within: Region
    year: int
    value: Decimal | int | None = None  # count or sum; for a ratio the covered regions; None without a data source
    total: int = 0  # ratio: all regions of the set
    target: Target | None = None
    parts: list[Part] = field(default_factory=list)  # by county (city) or by town (county, zone)
    months: list[Part] = field(default_factory=list)  # the year's months

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def rate(self) -> float | None:
        if self.indicator.measure != RATIO or self.value is None or not self.total:
            return None
        return float(self.value) / self.total

    @property
    def measured(self) -> float | None:
        """The figure compared with the target: the percentage for a ratio, else the value."""
        if self.value is None:
            return None
        if self.indicator.measure == RATIO:
            return None if self.rate is None else self.rate * 100
        return float(self.value)

    @property
    def judged(self) -> bool:
        """Whether the figure is read against its target in its scope. The targets are the city's: a count (20 星火科技馆)
        is the whole city's, so a county's count is not judged by it; a coverage rate (100% of towns) holds anywhere."""
        return self.within.level == RegionLevel.CITY or self.indicator.measure == RATIO

    @property
    def attainment(self) -> float | None:
        """How far to the target's lower bound, 0–1 (1 when met); None without a target, a figure or a judgement."""
        if self.target is None or self.target.minimum is None or self.measured is None or not self.judged:
            return None
        lower = float(self.target.minimum)
        return 1.0 if lower <= 0 else min(self.measured / lower, 1.0)

    @property
    def state(self) -> str:
        """met, over (beyond the upper bound), behind, no_target, city_target (a county's count beside the city's
        target, not judged by it), no_data."""
        if self.value is None:
            return "no_data"
        if self.target is None or self.measured is None:
            return "no_target"
        if not self.judged:
            return "city_target"
        if self.target.maximum is not None and self.measured > float(self.target.maximum):
            return "over"
        if self.target.minimum is None or self.measured >= float(self.target.minimum):
            return "met"
        return "behind"

    @property
    def display(self) -> str:
        if self.value is None:
            return "无数据来源"
        if self.indicator.measure == RATIO:
            rate = self.rate
            return f"{self.value}/{self.total}（{rate:.1%}）" if rate is not None else f"{self.value}/{self.total}"
        return _number(self.value)

    @property
    def gap(self) -> str:
        """What is still missing to the target, in the indicator's unit ("还差 3 家")."""
        if self.state != "behind" or self.target is None or self.target.minimum is None:
            return ""
        if self.indicator.measure == RATIO:
            needed = int(-(-float(self.target.minimum) * self.total // 100)) - int(self.value or 0)
            return f"还差 {needed} 个"
        return f"还差 {_number(Decimal(self.target.minimum) - Decimal(self.value or 0))}{self.indicator.unit}"


def _number(value: Decimal | int | float) -> str:
    """A figure as people read it: whole numbers whole, others to one decimal, thousands grouped (1,683,500 元)."""
    if isinstance(value, Decimal) and value == value.to_integral():
        return f"{int(value):,}"
    if isinstance(value, (Decimal, float)):
        return f"{value:,.1f}"
    return f"{value:,}"


# --- scope, buckets and dates ------------------------------------------------------------------------------------


def _path(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


def bucket_level(within: Region) -> str:
    """What a scope breaks down into: a city into its counties, a county or a zone into its towns."""
    return RegionLevel.COUNTY if within.level == RegionLevel.CITY else RegionLevel.TOWN


def bucket_expr(indicator: Indicator, within: Region) -> Case:
    """The bucket a record falls in: its region's county (or town), the region itself when it is one; for a city, a
    zone's own records are the zone's (a zone has no county, and they are not the city's own either); NULL for a
    record of the scope's own level (the city's own, or the county's own)."""
    level = bucket_level(within)
    own = _path(indicator.region, "pk")
    up = _path(indicator.region, level)
    whens = [When(**{_path(indicator.region, "level"): level}, then=F(own))]
    if within.level == RegionLevel.CITY:
        whens.append(When(**{_path(indicator.region, "level"): RegionLevel.ZONE}, then=F(own)))
    return Case(*whens, default=F(up), output_field=IntegerField())


def year_range(indicator: Indicator, year: int) -> tuple[date | datetime, date | datetime]:
    if indicator.date_is_datetime:
        tz = timezone.get_current_timezone()
        return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    return date(year, 1, 1), date(year + 1, 1, 1)


def in_year(path: str, indicator: Indicator, year: int) -> Q:
    start, end = year_range(indicator, year)
    return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def scoped(indicator: Indicator, within: Region) -> QuerySet:
    """The records of the indicator in the scope (for a yearly one: of every year)."""
    assert indicator.records is not None
    return indicator.records().filter(within.subtree_q(indicator.region))


def base(indicator: Indicator, within: Region, year: int) -> QuerySet:
    """The records the figure counts: in the scope, and for a yearly indicator in the year."""
    qs = scoped(indicator, within)
    if indicator.yearly and indicator.date:
        qs = qs.filter(in_year(indicator.date, indicator, year))
    if indicator.yearly and indicator.year_filter is not None:
        qs = qs.filter(indicator.year_filter(year))
    if indicator.measure == RATIO:
        assert indicator.covered is not None
        qs = qs.annotate(is_covered=indicator.covered())
    return qs


def _aggregate(indicator: Indicator) -> dict[str, Any]:
    if indicator.measure == SUM:
        return {"value": Sum(indicator.summed)}
    if indicator.measure == RATIO:
        return {"value": Count("pk", filter=Q(is_covered=True)), "total": Count("pk")}
    return {"value": Count("pk")}


def _zero(indicator: Indicator) -> Decimal | int:
    return Decimal(0) if indicator.measure == SUM else 0


# --- the figure -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Buckets:
    """The regions a scope breaks down into (its counties or towns, and for a city its zones' own level), fetched once
    for every indicator of a board."""

    regions: list[Region]
    zones: list[Region]

    def columns(self, within: Region) -> list[tuple[int | None, str, str]]:
        """(key, label, code) of every column of a breakdown, in order: the counties (towns), each zone's own records
        (高新区本级), the scope's own level (市本级, 泰山区本级; key None)."""
        return [
            *((r.pk, r.display_name, r.code) for r in self.regions),
            *((z.pk, f"{z.display_name}本级", z.code) for z in self.zones),
            (None, own_label(within), ""),
        ]

    @classmethod
    def of(cls, within: Region) -> Buckets:
        regions = list(Region.objects.filter(within.subtree_q(), level=bucket_level(within)).order_by("code"))
        zones = (
            list(Region.objects.filter(city=within, level=RegionLevel.ZONE).order_by("code")) if within.level == RegionLevel.CITY else []
        )
        return cls(regions=regions, zones=zones)


def compute(indicator: Indicator, *, within: Region, year: int, target: Target | None = None, buckets: Buckets | None = None) -> Figure:
    """The figure of one indicator in a scope and a year, with its breakdown by county (or town) and by month: one
    query grouped by bucket and month for a count or a sum, two for a ratio (its months need the day each region was
    first covered, a subquery worth running for the covered ones only)."""
    figure = Figure(indicator=indicator, within=within, year=year, target=target)
    if not indicator.available:
        return figure
    zero = _zero(indicator)
    buckets = buckets or Buckets.of(within)
    rows = base(indicator, within, year).annotate(bucket=bucket_expr(indicator, within))
    dated = indicator.measure != RATIO and bool(indicator.date)
    if dated:
        month = ExtractMonth(indicator.date)
        if not indicator.yearly:  # a standing figure's months are the year's additions: others count in no month
            month = Case(When(in_year(indicator.date, indicator, year), then=month), default=None, output_field=IntegerField())
        rows = rows.annotate(month=month).values("bucket", "month")
    else:
        rows = rows.values("bucket")
    found: dict[Any, dict] = {}
    months: dict[int, Decimal | int] = {}
    for row in rows.annotate(**_aggregate(indicator)).order_by():
        value = row["value"] or zero
        got = found.setdefault(row["bucket"], {"value": zero, "total": 0})
        got["value"] += value
        got["total"] += row.get("total", 0)
        if dated and row["month"] is not None:
            months[row["month"]] = months.get(row["month"], zero) + value
    figure.value = sum((row["value"] for row in found.values()), zero)
    figure.total = sum(row["total"] for row in found.values())
    figure.parts = _parts(within, buckets, found, zero)
    if dated:
        figure.months = [Part(key=m, label=f"{m}月", value=months.get(m, zero)) for m in range(1, 13)]
    else:
        figure.months = _months(indicator, within, year, zero)
    return figure


def own_label(within: Region) -> str:
    """The part of the records at the scope's own level (the city's own, a county's own)."""
    return "市本级" if within.level == RegionLevel.CITY else f"{within.display_name}本级"


def _parts(within: Region, buckets: Buckets, found: dict[Any, dict], zero: Decimal | int) -> list[Part]:
    """A part for every county (town), and for a zone's own records or the scope's own level when it has any."""
    regions = {r.pk for r in buckets.regions}
    parts = []
    for key, label, code in buckets.columns(within):
        row = found.get(key, {})
        if key in regions or row.get("value") or row.get("total"):
            parts.append(Part(key=key, label=label, value=row.get("value") or zero, total=row.get("total", 0), code=code))
    return parts


def month_path(indicator: Indicator) -> str:
    """The date the months are counted by: the record's date, or for a ratio the day its region was first covered."""
    return "covered_since" if indicator.measure == RATIO else indicator.date


def _dated(indicator: Indicator, within: Region, year: int) -> QuerySet | None:
    """The records of the year that the months count: a yearly indicator's records, a standing one's additions of
    the year (those counted today whose date is in the year), a ratio's regions first covered in the year."""
    if indicator.measure == RATIO:
        if indicator.covered_since is None:
            return None
        qs = base(indicator, within, year).filter(is_covered=True).annotate(covered_since=indicator.covered_since())
    elif not indicator.date:
        return None
    else:
        qs = base(indicator, within, year)
    return qs.filter(in_year(month_path(indicator), indicator, year))


def _months(indicator: Indicator, within: Region, year: int, zero: Decimal | int) -> list[Part]:
    qs = _dated(indicator, within, year)
    if qs is None:
        return []
    agg = {"value": Sum(indicator.summed)} if indicator.measure == SUM else {"value": Count("pk")}
    found = {row["month"]: row["value"] or zero for row in qs.annotate(month=ExtractMonth(month_path(indicator))).values("month")
             .annotate(**agg).order_by()}  # fmt: skip
    return [Part(key=m, label=f"{m}月", value=found.get(m, zero)) for m in range(1, 13)]


# --- the drill-down -------------------------------------------------------------------------------------------------


def drill(indicator: Indicator, *, within: Region, year: int, bucket: int | None = None, own: bool = False, month: int | None = None,
          uncovered: bool = False) -> QuerySet:  # fmt: skip
    """The exact records a figure (or one bucket or month of it) counts. `bucket` is a county's (town's) pk, `own`
    the scope's own level; `month` one month of the year; `uncovered` the regions of a ratio not yet covered."""
    if not indicator.available:
        raise LookupError(indicator.key)
    qs = base(indicator, within, year)
    if indicator.measure == RATIO:
        qs = qs.filter(is_covered=not uncovered)
    if bucket is not None or own:
        qs = qs.annotate(bucket=bucket_expr(indicator, within))
        qs = qs.filter(bucket__isnull=True) if own else qs.filter(bucket=bucket)
    if month is not None:
        if indicator.measure == RATIO:
            if uncovered or indicator.covered_since is None:
                return qs.none()
            qs = qs.annotate(covered_since=indicator.covered_since())
        elif not indicator.date:
            return qs.none()
        path = month_path(indicator)
        qs = qs.filter(in_year(path, indicator, year)).annotate(month=ExtractMonth(path)).filter(month=month)
    if indicator.related:
        qs = qs.select_related(*indicator.related)
    return qs.order_by(*_order(indicator))


def _order(indicator: Indicator) -> tuple[str, ...]:
    if indicator.measure == RATIO:
        return ("code",)
    return (f"-{indicator.date}", "-pk") if indicator.date else ("-pk",)


def value_of(indicator: Indicator, records: QuerySet) -> Decimal | int:
    """The figure of a set of drilled-down records, computed again from them (a check the tests lean on)."""
    if indicator.measure == SUM:
        return records.aggregate(v=Sum(indicator.summed))["v"] or Decimal(0)
    return records.count()
