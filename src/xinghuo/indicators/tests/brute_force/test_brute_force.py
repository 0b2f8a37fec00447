"""Each indicator's figure equals a brute-force count over the records, and its drill-down lists exactly those
records; a figure whose source module is missing says so.

The brute force reads every row of the source models (plain `.all()` on the unscoped managers) and decides in
Python, from the plans' own words, whether a row counts: the status it must have, the year it falls in (in Tai'an's
time), and the region it belongs to, found by walking the region's parents (and, for a functional zone, the towns
that regions/data/zones.json says it administers) — never through the registry's queries or the regions'
denormalised city/county/town/zone columns. Every mismatch of a scope is collected and reported at once."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinghuo.indicators import registry, selectors
from xinghuo.indicators.registry import Figure, Indicator
from xinghuo.regions.models import Region

from .conftest import CITY, COUNTY_A, ZONE, Edges

pytestmark = pytest.mark.django_db

THIS_YEAR = 2026
NO_SOURCE = {"organisations_evaluated", "contest_works", "quiz_participants"}
RATIOS = {"towns_with_station", "villages_with_promoter"}
SUMS = {"volunteer_hours", "project_funds"}
WITHOUT_MONTHS = {"volunteers_active"}  # counted by a service record of the year, not by a date of its own
HOLDING = {"certified", "warned"}  # a venue keeps its plaque while certified or warned; revoked and closed ones do not


# --- the map, walked by parents ---------------------------------------------------------------------------------


class Map:
    """Every region in memory: level and parent, and the towns each functional zone administers."""

    def __init__(self) -> None:
        self.level: dict[int, str] = {}
        self.parent: dict[int, int | None] = {}
        self.code: dict[int, str] = {}
        for pk, code, level, parent in Region.objects.all().values_list("pk", "code", "level", "parent_id"):
            self.level[pk], self.code[pk], self.parent[pk] = level, code, parent
        by_code = {c: pk for pk, c in self.code.items()}
        zones = json.loads((Path(registry.__file__).parent.parent / "regions" / "data" / "zones.json").read_text())[CITY]
        self.zone_towns = {by_code[z["code"]]: {by_code[t] for t in z["towns"]} for z in zones}

    def up(self, pk: int) -> list[int]:
        chain = []
        while pk is not None:
            chain.append(pk)
            pk = self.parent[pk]
        return chain

    def at_level(self, pk: int, level: str) -> int | None:
        return next((p for p in self.up(pk) if self.level[p] == level), None)

    def within(self, pk: int, scope: Region) -> bool:
        if scope.level == "zone":
            return pk == scope.pk or self.at_level(pk, "town") in self.zone_towns[scope.pk]
        return scope.pk in self.up(pk)

    def bucket(self, pk: int, scope: Region) -> int | None:
        """The county (for a city) or town (for a county or zone) a region falls in; None for the scope itself; the
        region itself when it is neither (a zone's own region, seen from the city)."""
        if pk == scope.pk:
            return None
        return self.at_level(pk, "county" if scope.level == "city" else "town") or pk

    def buckets(self, scope: Region) -> list[int]:
        if scope.level == "zone":
            found = self.zone_towns[scope.pk]
        else:
            level = "county" if scope.level == "city" else "town"
            found = {pk for pk, lv in self.level.items() if lv == level and self.parent[pk] == scope.pk}
        return sorted(found, key=self.code.__getitem__)

    def of_level(self, level: str) -> list[int]:
        return [pk for pk, lv in self.level.items() if lv == level]


def local(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localtime(moment).date()


# --- the records, counted by hand ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One counted record (for a ratio: one region of the set, covered or not)."""

    pk: int
    region: int
    when: date | None  # the day the months count it by
    weight: Decimal | int = 1
    covered: bool = True


class Oracle:
    """The brute force: every row of every source model read once, each indicator's records chosen in Python."""

    def __init__(self, places: Map) -> None:
        from xinghuo.activities.models import Activity, Brand
        from xinghuo.experts.models import Nomination, Selection
        from xinghuo.promoters.models import PromoterArea
        from xinghuo.resources.models import Course, CourseCompletion, Resource
        from xinghuo.talent.models import Person, PersonRole
        from xinghuo.venues.models import Venue
        from xinghuo.volunteers.models import ServiceRecord

        self.map = places
        self.home = dict(Person.unscoped.all().values_list("pk", "region_id"))
        self.venues = list(Venue.unscoped.all())
        self.roles = list(PersonRole.unscoped.all())
        self.areas = list(PromoterArea.unscoped.all())
        self.selections = {s.pk: s for s in Selection.objects.all()}
        self.nominations = list(Nomination.unscoped.all())
        self.records = list(ServiceRecord.unscoped.all())
        self.resources = list(Resource.unscoped.all())
        self.course_region = dict(Course.unscoped.all().values_list("pk", "region_id"))
        self.completions = list(CourseCompletion.objects.all())
        self.activities = list(Activity.unscoped.all())
        self.brands = {b.code: b for b in Brand.objects.all()}
        from xinghuo.organisations.models import Organisation
        from xinghuo.projects.models import Project
        from xinghuo.worklist.models import Action, Filing, ProgressReport, SupervisionNotice

        self.org_region = dict(Organisation.unscoped.all().values_list("pk", "region_id"))
        self.projects = list(Project.unscoped.all())
        self.filings = list(Filing.unscoped.all())
        self.action_org = dict(Action.unscoped.all().values_list("pk", "organisation_id"))
        self.action_live = dict(Action.unscoped.all().values_list("pk", "task__plan__is_active"))
        self.reports = list(ProgressReport.unscoped.all())
        self.notices = list(SupervisionNotice.unscoped.all())

    def items(self, key: str, year: int) -> list[Item]:
        if key.startswith("activities_"):
            code, level = key.removeprefix("activities_").rsplit("_", 1)
            return self.verified_activities(self.brands[code].pk, level, year)
        known: dict[str, Callable[[], list[Item]]] = {
            "spark_halls_certified": lambda: self.holding("spark_hall"),
            "service_stations": lambda: self.holding("spark_station"),
            "education_bases": lambda: self.holding("education_base"),
            "towns_with_station": self.towns_with_station,
            "villages_with_promoter": self.villages_with_promoter,
            "promoters": lambda: self.serving("promoter"),
            "volunteers_registered": lambda: self.serving("volunteer"),
            "info_officers": lambda: self.serving("info_officer"),
            "chief_experts": lambda: self.listed("chief"),
            "influencers": lambda: self.listed("influencer"),
            "outstanding_figures": lambda: self.listed("outstanding"),
            "volunteers_active": lambda: self.volunteers_active(year),
            "volunteer_hours": lambda: self.hours(year),
            "resources_published": self.published_resources,
            "course_completions": lambda: self.course_completions(year),
            "projects_funded": lambda: self.funded(year, money=False),
            "project_funds": lambda: self.funded(year, money=True),
            "projects_accepted": lambda: self.accepted(year),
            "filings_accepted": lambda: self.filed("accepted", "decided_at"),
            "filings_waiting": lambda: self.filed("submitted", "submitted_at"),
            "reports_overdue": self.overdue_reports,
            "notices_open": self.open_notices,
        }
        return known[key]()

    def holding(self, venue_type: str) -> list[Item]:
        return [Item(v.pk, v.region_id, local(v.certified_at)) for v in self.venues if v.venue_type == venue_type and v.status in HOLDING]

    def towns_with_station(self) -> list[Item]:
        first: dict[int, datetime] = {}
        for v in self.venues:
            town = self.map.at_level(v.region_id, "town")
            if v.venue_type == "spark_station" and v.status in HOLDING and town is not None:
                first[town] = min(first.get(town, v.certified_at), v.certified_at)
        return [Item(t, t, local(first.get(t)), covered=t in first) for t in self.map.of_level("town")]

    def villages_with_promoter(self) -> list[Item]:
        serving = {r.person_id for r in self.roles if r.kind == "promoter" and r.status == "active"}
        first: dict[int, date] = {}
        for a in self.areas:
            if a.ended_on is None and a.person_id in serving:
                first[a.village_id] = min(first.get(a.village_id, a.since), a.since)
        return [Item(v, v, first.get(v), covered=v in first) for v in self.map.of_level("village")]

    def serving(self, kind: str) -> list[Item]:
        return [Item(r.pk, self.home[r.person_id], r.since) for r in self.roles if r.kind == kind and r.status == "active"]

    def listed(self, kind: str) -> list[Item]:
        first: dict[int, datetime] = {}
        for n in self.nominations:
            s = self.selections[n.selection_id]
            if n.status == "listed" and s.kind == kind and s.status == "published":
                first[n.person_id] = min(first.get(n.person_id, s.published_at), s.published_at)
        return [Item(p, self.home[p], local(at)) for p, at in first.items()]

    def volunteers_active(self, year: int) -> list[Item]:
        served = {r.volunteer_id for r in self.records if r.status == "confirmed" and r.date.year == year}
        return [
            Item(r.pk, self.home[r.person_id], None)
            for r in self.roles
            if r.kind == "volunteer" and r.status == "active" and r.person_id in served
        ]

    def hours(self, year: int) -> list[Item]:
        return [
            Item(r.pk, self.home[r.volunteer_id], r.date, r.hours) for r in self.records if r.status == "confirmed" and r.date.year == year
        ]

    def published_resources(self) -> list[Item]:
        return [Item(r.pk, r.region_id, local(r.published_at)) for r in self.resources if r.status == "published"]

    def course_completions(self, year: int) -> list[Item]:
        return [
            Item(c.pk, self.course_region[c.course_id], local(c.completed_at))
            for c in self.completions
            if local(c.completed_at).year == year
        ]

    def funded(self, year: int, *, money: bool) -> list[Item]:
        """Projects granted money (they hold an allocated amount) on a day of the year; weighed by it for the funds."""
        return [
            Item(p.pk, p.region_id, p.allocated_on, p.allocated if money else 1)
            for p in self.projects
            if p.allocated is not None and p.allocated_on.year == year
        ]

    def accepted(self, year: int) -> list[Item]:
        return [Item(p.pk, p.region_id, p.accepted_on) for p in self.projects if p.accepted_on is not None and p.accepted_on.year == year]

    def filed(self, status: str, dated: str) -> list[Item]:
        return [Item(f.pk, self.org_region[f.organisation_id], local(getattr(f, dated))) for f in self.filings if f.status == status]

    def overdue_reports(self) -> list[Item]:
        today = timezone.localdate()
        return [
            Item(r.pk, self.org_region[self.action_org[r.action_id]], r.due)
            for r in self.reports
            if r.submitted_at is None and r.due < today and self.action_live[r.action_id]
        ]

    def open_notices(self) -> list[Item]:
        return [Item(n.pk, self.org_region[n.organisation_id], local(n.created_at)) for n in self.notices if n.status == "open"]

    def verified_activities(self, brand: int, level: str, year: int) -> list[Item]:
        return [
            Item(a.pk, a.region_id, local(a.starts_at))
            for a in self.activities
            if a.status == "verified" and a.brand_id == brand and a.level == level and local(a.starts_at).year == year
        ]


# --- the comparison ----------------------------------------------------------------------------------------------


def _sum(items: list[Item]) -> Decimal | int:
    counted = [i for i in items if i.covered]
    if not counted:
        return 0
    return sum((i.weight for i in counted), Decimal(0) if isinstance(counted[0].weight, Decimal) else 0)


def _pks(qs: Any) -> tuple[set[int], int]:
    found = list(qs.values_list("pk", flat=True))
    return set(found), len(found)


class Check:
    """Compares one indicator's figure and drill-downs in one scope and year with the brute force; collects problems."""

    def __init__(self, places: Map, scope: Region, year: int, problems: list[str]) -> None:
        self.map, self.scope, self.year, self.problems = places, scope, year, problems

    def fail(self, indicator: Indicator, what: str, got: Any, want: Any) -> None:
        self.problems.append(f"{indicator.key} @ {self.scope.code} {self.year}: {what}: registry {got!r} ≠ brute force {want!r}")

    def drill(self, indicator: Indicator, what: str, want: set[int], **kwargs: Any) -> None:
        got, rows = _pks(registry.drill(indicator, within=self.scope, year=self.year, **kwargs))
        if got != want:
            extra, missing = sorted(got - want)[:8], sorted(want - got)[:8]
            self.problems.append(
                f"{indicator.key} @ {self.scope.code} {self.year}: drill {what}: {len(got)} records, brute force {len(want)}"
                f" (extra {extra}, missing {missing})"
            )
        elif rows != len(got):
            self.fail(indicator, f"drill {what} lists a record twice", rows, len(got))

    def run(self, indicator: Indicator, items: list[Item]) -> Figure:
        ratio = indicator.key in RATIOS
        inside = [i for i in items if self.map.within(i.region, self.scope)]
        counted = [i for i in inside if i.covered]
        figure = registry.compute(indicator, within=self.scope, year=self.year)

        # the figure
        want_value = _sum(inside)
        if figure.value != want_value:
            self.fail(indicator, "value", figure.value, want_value)
        if ratio and figure.total != len(inside):
            self.fail(indicator, "total", figure.total, len(inside))

        # the breakdown by county (town)
        by_bucket: dict[int | None, list[Item]] = defaultdict(list)
        for i in inside:
            by_bucket[self.map.bucket(i.region, self.scope)].append(i)
        expected_keys = self.map.buckets(self.scope)
        parts = {p.key: p for p in figure.parts}
        listed = [p.key for p in figure.parts if p.key in set(expected_keys)]
        if listed != expected_keys:
            self.fail(indicator, "the parts' regions", [self.map.code.get(k) for k in listed], [self.map.code[k] for k in expected_keys])
        for key in expected_keys:
            part = parts.get(key)
            want = _sum(by_bucket.get(key, []))
            if part is not None and part.value != want:
                self.fail(indicator, f"part {self.map.code[key]}", part.value, want)
            if part is not None and ratio and part.total != len(by_bucket.get(key, [])):
                self.fail(indicator, f"part {self.map.code[key]} total", part.total, len(by_bucket.get(key, [])))
        own = by_bucket.get(None, [])
        own_value = _sum(own)
        got_own = parts[None].value if None in parts else None
        if (own_value or (ratio and own)) and got_own != own_value:
            self.fail(indicator, "the scope's own part (key None)", got_own, own_value)
        if not (own_value or (ratio and own)) and None in parts:
            self.fail(indicator, "the scope's own part (key None) where none is due", got_own, None)
        for key in set(by_bucket) - set(expected_keys) - {None}:  # a zone's own records, seen from the city
            want = _sum(by_bucket[key])
            got = parts[key].value if key in parts else "no part: they are counted in the own part"
            if want and got != want:
                self.fail(indicator, f"records at {self.map.code[key]} ({self.map.level[key]}) itself", got, want)
        if figure.value is not None and sum((p.value for p in figure.parts), 0) != figure.value:
            self.fail(indicator, "sum of the parts", sum((p.value for p in figure.parts), 0), figure.value)

        # the months
        by_month: dict[int, list[Item]] = defaultdict(list)
        for i in counted:
            if i.when is not None and i.when.year == self.year:
                by_month[i.when.month].append(i)
        if indicator.key in WITHOUT_MONTHS:
            if figure.months:
                self.fail(indicator, "months", [m.value for m in figure.months], [])
        else:
            want_months = [_sum(by_month.get(m, [])) for m in range(1, 13)]
            got_months = [m.value for m in figure.months]
            if got_months != want_months or [m.key for m in figure.months] != list(range(1, 13)):
                self.fail(indicator, "months", got_months, want_months)

        # the drill-downs: the whole figure, every bucket, the own level, every month; a ratio's uncovered regions
        self.drill(indicator, "whole figure", {i.pk for i in counted})
        if ratio:
            self.drill(indicator, "uncovered", {i.pk for i in inside if not i.covered}, uncovered=True)
        for key in expected_keys:
            self.drill(indicator, f"bucket {self.map.code[key]}", {i.pk for i in by_bucket.get(key, []) if i.covered}, bucket=key)
        self.drill(indicator, "own level", {i.pk for i in own if i.covered}, own=True)
        for key in set(by_bucket) - set(expected_keys) - {None}:
            self.drill(indicator, f"bucket {self.map.code[key]} (itself)", {i.pk for i in by_bucket[key] if i.covered}, bucket=key)
        biggest = max(expected_keys, key=lambda k: len(by_bucket.get(k, [])))
        if ratio:
            want = {i.pk for i in by_bucket.get(biggest, []) if not i.covered}
            self.drill(indicator, f"uncovered in {self.map.code[biggest]}", want, bucket=biggest, uncovered=True)
        for m in range(1, 13):
            self.drill(indicator, f"month {m}", {i.pk for i in by_month.get(m, [])}, month=m)
        total = registry.value_of(indicator, registry.drill(indicator, within=self.scope, year=self.year))
        if total != want_value:
            self.fail(indicator, "value_of(drill)", total, want_value)
        self.render(indicator)
        return figure

    def render(self, indicator: Indicator) -> None:
        """The drill-down list as its page and its Excel export show it: every column and link of every record, in
        the one query of the drill-down (its select_related reaches every column)."""
        with CaptureQueriesContext(connection) as queries:
            for record in registry.drill(indicator, within=self.scope, year=self.year):
                [column.value(record) for column in indicator.columns]
                if indicator.link is not None:
                    indicator.link(record)
        if len(queries) > 1:
            self.fail(indicator, "queries to list the drill-down with its columns", len(queries), 1)


def check_scope(code: str, years: tuple[int, ...]) -> tuple[list[str], dict[tuple[str, int], Figure]]:
    places = Map()
    oracle = Oracle(places)
    scope = Region.objects.get(code=code)
    problems: list[str] = []
    figures: dict[tuple[str, int], Figure] = {}
    available = [i for i in selectors.all_indicators() if i.available]
    for year in years:
        check = Check(places, scope, year, problems)
        for indicator in available:
            figures[indicator.key, year] = check.run(indicator, oracle.items(indicator.key, year))
    return problems, figures


def _report(problems: list[str]) -> str:
    return f"{len(problems)} mismatches:\n" + "\n".join(problems)


# --- the tests ----------------------------------------------------------------------------------------------------


def test_the_registry_declares_what_the_brute_force_counts(edges: Edges):
    indicators = selectors.all_indicators()
    keys = [i.key for i in indicators]
    brands = [f"activities_{b.code}_{lv}" for b in Oracle(Map()).brands.values() if b.is_active for lv in ("city", "grassroots")]

    assert len(keys) == len(set(keys))
    assert {i.key for i in indicators if not i.available} == NO_SOURCE
    assert {k for k in keys if k.startswith("activities_")} == set(brands)  # one per active brand and level
    assert {i.key for i in indicators if i.measure == registry.RATIO} == RATIOS
    assert {i.key for i in indicators if i.measure == registry.SUM} == SUMS
    oracle = Oracle(Map())
    for indicator in indicators:
        if indicator.available:
            oracle.items(indicator.key, THIS_YEAR)  # the brute force knows every available indicator


def test_every_figure_of_the_city_equals_the_brute_force_count_in_three_years(edges: Edges):
    problems, figures = check_scope(CITY, (2024, 2025, THIS_YEAR))

    assert not problems, _report(problems)
    # the data reaches the cases the comparison is about
    assert figures["activities_sanbai_city", THIS_YEAR].value > 0
    assert [p.label for p in figures["activities_sanbai_city", THIS_YEAR].parts if p.key is None] == ["市本级"]
    assert figures["towns_with_station", THIS_YEAR].value < figures["towns_with_station", THIS_YEAR].total
    assert figures["volunteer_hours", 2025].value != figures["volunteer_hours", THIS_YEAR].value


def test_every_figure_of_county_a_equals_the_brute_force_count(edges: Edges):
    problems, figures = check_scope(COUNTY_A, (THIS_YEAR,))

    assert not problems, _report(problems)
    sanbai = figures["activities_sanbai_city", THIS_YEAR]
    assert [p.label for p in sanbai.parts if p.key is None] == ["泰山区本级"]


def test_every_figure_of_a_zone_equals_the_brute_force_count(edges: Edges):
    problems, figures = check_scope(ZONE, (THIS_YEAR,))

    assert not problems, _report(problems)
    assert len(figures["towns_with_station", THIS_YEAR].parts) == 2  # 高新区 administers two towns of 岱岳区


def test_a_zones_own_records_are_not_the_citys_own(edges: Edges):
    """A record at a functional zone itself (高新区's own activity) is no county's and not the city's own: the
    city's breakdown must not list it under 市本级 (the zones' own records get a part of their own)."""
    city, zone = Region.objects.get(code=CITY), Region.objects.get(code=ZONE)
    sanbai = next(i for i in selectors.all_indicators() if i.key == "activities_sanbai_city")

    figure = registry.compute(sanbai, within=city, year=THIS_YEAR)
    own = set(registry.drill(sanbai, within=city, year=THIS_YEAR, own=True).values_list("pk", flat=True))
    of_zone = set(registry.drill(sanbai, within=city, year=THIS_YEAR, bucket=zone.pk).values_list("pk", flat=True))

    assert own == {edges.city_own_activity}
    assert [p.value for p in figure.parts if p.key is None] == [1]
    assert edges.zone_own_activity in of_zone
    assert sum(p.value for p in figure.parts) == figure.value


def test_the_edge_records_count_as_the_rules_say(edges: Edges):
    """The hand-made records, one rule each, looked up in the registry's own drill-downs."""
    ind = {i.key: i for i in selectors.all_indicators()}
    city, county_a = Region.objects.get(code=CITY), Region.objects.get(code=COUNTY_A)

    def drilled(key: str, within: Region = city, year: int = THIS_YEAR, **kwargs: Any) -> set[int]:
        return set(registry.drill(ind[key], within=within, year=year, **kwargs).values_list("pk", flat=True))

    assert edges.revoked_hall not in drilled("spark_halls_certified")
    assert edges.warned_station in drilled("service_stations")
    assert edges.closed_station not in drilled("service_stations")
    assert edges.warned_station_town in drilled("towns_with_station", month=6)  # a station at a village covers its town
    assert edges.closed_station_town in drilled("towns_with_station", uncovered=True)
    assert edges.ended_area_village in drilled("villages_with_promoter", uncovered=True)
    assert edges.inactive_promoter_village in drilled("villages_with_promoter", uncovered=True)
    assert edges.new_area_village in drilled("villages_with_promoter", month=2)  # first covered in February
    assert edges.inactive_promoter_role not in drilled("promoters")
    assert edges.entered_record not in drilled("volunteer_hours")
    assert edges.inactive_volunteer_record in drilled("volunteer_hours")
    assert edges.inactive_volunteer_role not in drilled("volunteers_active")
    assert edges.inactive_volunteer_role not in drilled("volunteers_registered")
    assert edges.unconfirmed_volunteer_role in drilled("volunteers_registered")
    assert edges.unconfirmed_volunteer_role not in drilled("volunteers_active")

    sanbai = "activities_sanbai_city"
    assert edges.city_own_activity in drilled(sanbai, own=True)
    assert edges.county_own_activity in drilled(sanbai, within=county_a, own=True)
    assert edges.county_own_activity in drilled(sanbai, bucket=county_a.pk)
    assert edges.county_b_activity in drilled(sanbai)
    assert edges.county_b_activity not in drilled(sanbai, within=county_a)
    assert edges.zone_town_activity in drilled(sanbai, within=Region.objects.get(code=ZONE))
    assert edges.zone_own_activity in drilled(sanbai, within=Region.objects.get(code=ZONE), own=True)
    assert edges.last_year_activity not in drilled(sanbai)
    assert edges.last_year_activity in drilled(sanbai, year=2025)
    assert edges.new_year_activity in drilled(sanbai, month=1)  # 00:30 on New Year's Day in Tai'an
    assert edges.new_year_activity not in drilled(sanbai, year=2025)
    assert edges.next_year_activity not in drilled(sanbai)
    assert edges.unverified_activity not in drilled(sanbai)

    assert edges.early_listed_person in drilled("chief_experts", year=2024, month=12)  # first listed in 2024
    assert edges.early_listed_person not in drilled("chief_experts", year=2025, month=11)
    assert len([p for p in drilled("chief_experts") if p == edges.early_listed_person]) == 1
    assert edges.new_listed_person in drilled("chief_experts")
    assert edges.declined_person not in drilled("chief_experts")
    assert edges.last_year_completion not in drilled("course_completions")
    assert edges.last_year_completion in drilled("course_completions", year=2025)
    assert edges.new_year_completion in drilled("course_completions", month=1)
    assert edges.new_year_resource in drilled("resources_published", month=1)


def test_a_figure_without_a_data_source_says_so_and_has_no_records(edges: Edges):
    city = Region.objects.get(code=CITY)
    missing = [i for i in selectors.all_indicators() if i.key in NO_SOURCE]

    assert len(missing) == len(NO_SOURCE)
    for indicator in missing:
        figure = registry.compute(indicator, within=city, year=THIS_YEAR)
        assert figure.value is None
        assert figure.display == "无数据来源"
        assert figure.state == "no_data"
        assert figure.parts == []
        assert figure.months == []
        with pytest.raises(LookupError):
            registry.drill(indicator, within=city, year=THIS_YEAR)
    board = selectors.board(within=city, year=THIS_YEAR).by_key()
    assert all(board[k].display == "无数据来源" for k in NO_SOURCE)


def test_a_figure_whose_source_module_is_not_installed_says_so(edges: Edges, monkeypatch):
    real = registry.apps.is_installed
    monkeypatch.setattr(registry.apps, "is_installed", lambda name: name != "xinghuo.volunteers" and real(name))
    city = Region.objects.get(code=CITY)
    hours = next(i for i in selectors.all_indicators() if i.key == "volunteer_hours")

    figure = registry.compute(hours, within=city, year=THIS_YEAR)

    assert not hours.available
    assert figure.value is None
    assert figure.display == "无数据来源"
    with pytest.raises(LookupError):
        registry.drill(hours, within=city, year=THIS_YEAR)


# --- scope, cache, publication ----------------------------------------------------------------------------------


def test_staff_see_their_own_region_and_city_staff_may_look_into_a_county(personas):
    from xinghuo.core.errors import DomainError

    city_staff, county_a, county_b = (personas.actor(u) for u in (personas.city_staff, personas.county_a, personas.county_b))

    assert selectors.scope_for(city_staff).code == CITY
    assert selectors.scope_for(city_staff, COUNTY_A).code == COUNTY_A
    assert selectors.scope_for(city_staff, ZONE).code == ZONE
    assert selectors.scope_for(county_a).code == COUNTY_A
    assert selectors.scope_for(county_a, COUNTY_A).code == COUNTY_A
    for actor, code in ((county_b, COUNTY_A), (county_a, "370911"), (county_a, ZONE), (county_a, CITY), (county_a, "370902001"),
                        (city_staff, "370902001"), (city_staff, "999999")):  # fmt: skip
        with pytest.raises(DomainError) as caught:
            selectors.scope_for(actor, code)
        assert caught.value.status == 404, (actor.label, code)
    for outsider in (personas.organiser, personas.citizen, personas.reviewer):
        for code in ("", COUNTY_A):
            with pytest.raises(DomainError) as caught:
                selectors.scope_for(personas.actor(outsider), code)
            assert caught.value.status == 404


def test_the_board_is_cached_and_a_fresh_one_sees_a_new_record(edges: Edges):
    from xinghuo.venues.models import Venue

    from .conftest import _at, _clone

    city = Region.objects.get(code=CITY)
    first = selectors.board(within=city, year=THIS_YEAR)
    again = selectors.board(within=city, year=THIS_YEAR)
    before = first.by_key()["spark_halls_certified"].value

    assert not first.from_cache
    assert again.from_cache
    assert again.computed_at == first.computed_at
    for a, b in zip(first.figures, again.figures, strict=True):
        assert (a.indicator.key, a.value, a.total, a.display) == (b.indicator.key, b.value, b.total, b.display)
        assert [(p.key, p.label, p.value, p.total) for p in a.parts] == [(p.key, p.label, p.value, p.total) for p in b.parts]
        assert [(p.key, p.value) for p in a.months] == [(p.key, p.value) for p in b.months]

    hall = Venue.unscoped.filter(venue_type="spark_hall", status="certified").first()
    _clone(hall, code=None, certified_at=_at(THIS_YEAR, 11, 30))
    stale = selectors.board(within=city, year=THIS_YEAR)
    fresh = selectors.board(within=city, year=THIS_YEAR, fresh=True)
    after = selectors.board(within=city, year=THIS_YEAR)

    assert stale.from_cache
    assert stale.by_key()["spark_halls_certified"].value == before
    assert not fresh.from_cache
    assert fresh.by_key()["spark_halls_certified"].value == before + 1
    assert fresh.by_key()["spark_halls_certified"].months[10].value == first.by_key()["spark_halls_certified"].months[10].value + 1
    assert after.from_cache
    assert after.by_key()["spark_halls_certified"].value == before + 1
    other = selectors.board(within=Region.objects.get(code=COUNTY_A), year=THIS_YEAR)
    assert not other.from_cache  # each scope and year has its own entry


def test_the_public_board_shows_the_chosen_figures_in_order(edges: Edges, personas):
    from xinghuo.core.errors import DomainError
    from xinghuo.indicators.services import publication_set

    city_staff = personas.actor(personas.city_staff)
    publication_set(actor=city_staff, keys=["villages_with_promoter", "spark_halls_certified"])
    with pytest.raises(DomainError):
        publication_set(actor=city_staff, keys=["quiz_participants"])
    with pytest.raises(DomainError):
        publication_set(actor=personas.actor(personas.county_a), keys=["promoters"])

    city, shown = selectors.public_board(THIS_YEAR)
    live = selectors.board(within=city, year=THIS_YEAR, fresh=True).by_key()

    assert city.code == CITY
    assert [f.indicator.key for f in shown] == ["villages_with_promoter", "spark_halls_certified"]
    assert [(f.value, f.total) for f in shown] == [(live[f.indicator.key].value, live[f.indicator.key].total) for f in shown]


def test_the_league_sets_the_counties_side_by_side_on_their_parts(edges: Edges):
    city = Region.objects.get(code=CITY)
    current = selectors.board(within=city, year=THIS_YEAR)
    columns, rows = selectors.league(current)
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code").values_list("code", flat=True))

    assert [c.indicator.key for c in columns] == [k for k in selectors.LEAGUE_KEYS if current.by_key()[k].available]
    assert set(counties) <= {r.code for r in rows}
    for row in rows:
        for column, cell in zip(columns, row.cells, strict=True):
            part = next((p for p in column.parts if p.code == row.code and (p.key is None) == (row.code == "")), None)
            assert (cell.value if cell else None) == (part.value if part else None), (row.label, column.indicator.key)
    scores = [r.score for r in rows if r.score is not None]
    assert scores == sorted(scores, reverse=True)


def test_figures_older_than_the_refresh_are_served_and_counted_again_behind_the_request(edges: Edges, monkeypatch):
    from xinghuo.venues.models import Venue

    from .conftest import _at, _clone

    city = Region.objects.get(code=CITY)
    first = selectors.board(within=city, year=THIS_YEAR)
    hall = Venue.unscoped.filter(venue_type="spark_hall", status="certified").first()
    _clone(hall, code=None, certified_at=_at(THIS_YEAR, 11, 30))
    later = first.computed_at + selectors.REFRESH_SECONDS + 1
    monkeypatch.setattr(selectors.time, "time", lambda: later)

    served = selectors.board(within=city, year=THIS_YEAR)  # old figures at once; the recount runs behind it
    next_one = selectors.board(within=city, year=THIS_YEAR)

    before = first.by_key()["spark_halls_certified"].value
    assert served.from_cache
    assert served.by_key()["spark_halls_certified"].value == before
    assert next_one.from_cache
    assert next_one.computed_at == later
    assert next_one.by_key()["spark_halls_certified"].value == before + 1
