"""Demo venues: a realistic network per city — 星火科技馆 (≥20 in Tai'an), service stations in most towns but not
all (coverage is a real figure), education bases, museums, expert studios, labs and exhibition halls.
`province` scale reaches ≈10,000 venues over the 16 cities."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from xinghuo import search
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.venues.models import TYPE_CODES, Audience, Venue, VenueCodeCounter, VenueStatus, VenueType, VisitSlot
from xinghuo.venues.services import map_changed

CITY_CENTRES = {
    "370100": (36.65, 117.12), "370200": (36.07, 120.38), "370300": (36.81, 118.05), "370400": (34.81, 117.32),
    "370500": (37.43, 118.67), "370600": (37.46, 121.45), "370700": (36.71, 119.16), "370800": (35.41, 116.59),
    "370900": (36.20, 117.09), "371000": (37.51, 122.12), "371100": (35.42, 119.53), "371300": (35.10, 118.36),
    "371400": (37.44, 116.36), "371500": (36.46, 115.99), "371600": (37.38, 117.97), "371700": (35.23, 115.48),
}  # fmt: skip
TAIAN_COUNTIES = {
    "370902": (36.19, 117.13), "370911": (36.19, 117.04), "370921": (35.76, 116.80),
    "370923": (35.94, 116.47), "370982": (35.91, 117.77), "370983": (36.18, 116.77),
}  # fmt: skip

HALL_THEMES = [
    "新能源",
    "人工智能",
    "智能制造",
    "现代农业",
    "生命健康",
    "航空航天",
    "地质矿产",
    "气象防灾",
    "数字经济",
    "节能环保",
    "新材料",
    "泰山生态",
]
BASE_NAMES = [
    "植物园",
    "湿地公园",
    "气象台",
    "地震台",
    "消防救援站",
    "污水处理厂",
    "农业科技园",
    "中医药博物馆",
    "地质博物馆",
    "天文台",
    "林场",
    "水文站",
]
HALL_HOURS = {d: [["09:00", "17:00"]] for d in ("tue", "wed", "thu", "fri", "sat", "sun")}
STATION_HOURS = {d: [["08:30", "11:30"], ["14:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
LAB_HOURS = {"sat": [["09:00", "12:00"], ["14:00", "16:30"]]}


def _jitter(seed: str, spread: float) -> tuple[float, float]:
    h = hashlib.sha256(seed.encode()).digest()
    return ((h[0] / 255) - 0.5) * 2 * spread, ((h[1] / 255) - 0.5) * 2 * spread


def _county_centre(county: Region, city_code: str) -> tuple[float, float]:
    if county.code in TAIAN_COUNTIES:
        return TAIAN_COUNTIES[county.code]
    lat, lon = CITY_CENTRES.get(city_code, (36.2, 117.1))
    dlat, dlon = _jitter(county.code, 0.35)
    return lat + dlat, lon + dlon


def _town_point(town: Region, city_code: str, salt: str) -> tuple[float, float]:
    clat, clon = _county_centre(town.county or town, city_code)
    tlat, tlon = _jitter(town.code, 0.12)
    vlat, vlon = _jitter(town.code + salt, 0.015)
    return round(clat + tlat + vlat, 6), round(clon + tlon + vlon, 6)


def seed(ctx: DemoContext) -> dict[str, int]:
    if Venue.unscoped.exists():
        return {}
    today = timezone.localdate()
    closed = [(today + timedelta(days=d)).isoformat() for d in (10, 40)]
    # Numbers go on from those already issued (never reused), and the stored counters end ahead of the demo's.
    counters: dict[str, int] = defaultdict(int, VenueCodeCounter.objects.values_list("prefix", "last"))
    venues: list[Venue] = []
    per_city = 1 if ctx.scale != "province" else 3  # province: a denser network per city to reach ≈10,000

    for city_code in ctx.shared["cities"]:
        _seed_city(ctx, city_code, venues=venues, counters=counters, per_city=per_city, closed=closed)
        if ctx.scale == "small":
            break  # one city is plenty for tests

    with audit.bulk_write(model=Venue, description="演示数据：科普阵地") as summary:
        search.bulk_create(Venue.objects, venues, batch_size=1000)  # with the search index (no post_save for a bulk_create)
        slots = _weekend_slots([v for v in venues if v.venue_type in (VenueType.SPARK_HALL, VenueType.SCIENCE_MUSEUM)][:200])
        for prefix, last in counters.items():
            VenueCodeCounter.objects.update_or_create(prefix=prefix, defaults={"last": last})
        summary["created"] = len(venues)
    with audit.bulk_write(model=VisitSlot, description="演示数据：开放日时段") as summary:
        VisitSlot.objects.bulk_create(slots, batch_size=1000)
        summary["created"] = len(slots)
    map_changed()
    return {"科普阵地": len(venues), "参观时段": len(slots)}


def _weekend_slots(venues: list[Venue]) -> list[VisitSlot]:
    """Open days for the next two weekends, mornings and afternoons."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    slots = []
    for venue in venues:
        for offset in range(1, 15):
            day = today + timedelta(days=offset)
            if day.weekday() < 5:
                continue
            for hour in (9, 14):
                start = day.replace(hour=hour)
                slots.append(
                    VisitSlot(venue=venue, starts_at=start, ends_at=start + timedelta(hours=2), capacity=min(venue.capacity, 40) or 20)
                )
    return slots


def _seed_city(
    ctx: DemoContext, city_code: str, *, venues: list[Venue], counters: dict[str, int], per_city: int, closed: list[str]
) -> None:
    city = Region.objects.get(code=city_code)
    towns = list(Region.objects.filter(city=city, level=RegionLevel.TOWN).select_related("county").order_by("code"))
    if not towns:
        return
    operators = list(
        Organisation.unscoped.filter(kind=OrganisationKind.VENUE_OPERATOR, region__city=city).select_related("region").order_by("code")
    )
    operators_by_county: dict[int, list[Organisation]] = defaultdict(list)
    for op in operators:
        operators_by_county[op.region.county_id or op.region_id].append(op)

    def operator_near(town: Region, i: int) -> Organisation:
        nearby = operators_by_county.get(town.county_id or town.pk) or operators
        return nearby[i % len(nearby)] if nearby else city_assoc

    companies = list(Organisation.unscoped.filter(kind=OrganisationKind.COMPANY, region__city=city).order_by("code"))
    county_assocs = {o.region_id: o for o in Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, region__city=city)}
    city_assoc = Organisation.unscoped.get(code=f"KX{city_code}")
    museum_operator = Organisation.unscoped.filter(code=f"KX{city_code}-KJG").first() or city_assoc
    prefix = city.name[:-1] if city.name.endswith("市") else city.name
    rng = ctx.rng

    def add(name: str, vtype: str, town: Region, operator: Organisation, *, subtype: str = "", hours: dict | None = None,
            capacity: int = 50, audiences: tuple[str, ...] = (Audience.PUBLIC,), status: str = VenueStatus.CERTIFIED,
            venues: list[Venue] = venues, city_code: str = city_code, rng=rng) -> None:  # fmt: skip
        lat, lon = _town_point(town, city_code, name)
        county = town.county or town
        key = f"XH-{TYPE_CODES[vtype]}-{county.code}"
        counters[key] += 1
        venue = Venue(
            code=f"{key}-{counters[key]:04d}", name=name, venue_type=vtype, subtype=subtype, status=status,
            operator=operator, region=town, address=f"{county.name}{town.name}{ctx.fake.street_name()}{rng.randint(1, 300)}号",
            lat=lat, lon=lon, opening_hours=hours or HALL_HOURS, closed_dates=closed if rng.random() < 0.3 else [],
            capacity=capacity, area_sqm=capacity * rng.randint(3, 8), facilities="科普展板、互动展品、多媒体放映区",
            summary=f"{name}面向{'、'.join(str(dict(Audience.choices)[a]) for a in audiences)}开展科普展示与体验活动。",
            contact_name=ctx.fake.name(), contact_phone=ctx.fake.phone_number(),
        )  # fmt: skip
        venue.audiences = list(audiences)
        venues.append(venue)

    # 星火科技馆: at least 20 in a city, four kinds
    kinds = ["public_resource", "new_technology", "enterprise", "thematic"]
    for i in range(22 * per_city):
        town = towns[(i * 7) % len(towns)]
        theme = HALL_THEMES[i % len(HALL_THEMES)]
        operator = (
            companies[i % len(companies)]
            if kinds[i % 4] == "enterprise" and companies
            else (operators[i % len(operators)] if operators else city_assoc)
        )
        add(f"{prefix}{theme}星火科技馆" + (f"（{town.name}）" if i >= len(HALL_THEMES) else ""), VenueType.SPARK_HALL, town, operator,
            subtype=kinds[i % 4], capacity=rng.choice([80, 120, 200]), audiences=(Audience.YOUTH, Audience.PUBLIC))  # fmt: skip
    # 星火科普服务站: most towns get one or more; about one town in eight has none yet
    hosts = [("party_service_center", "党群服务中心"), ("civilization_practice", "新时代文明实践所"), ("sci_tech_yard", "科技小院")]
    for t, town in enumerate(towns):
        if rng.random() < 0.12:
            continue
        for k in range(per_city if rng.random() < 0.7 else per_city + 1):
            subtype, host = hosts[(t + k) % 3]
            status = VenueStatus.CERTIFIED if rng.random() < 0.8 else VenueStatus.REGISTERED
            operator = county_assocs.get((town.county or town).pk) or city_assoc
            add(f"{town.name}{host}星火科普服务站" + (f"{k + 1}" if k else ""), VenueType.SPARK_STATION, town, operator, subtype=subtype,
                hours=STATION_HOURS, capacity=30, audiences=(Audience.FARMERS, Audience.ELDERLY, Audience.PUBLIC), status=status)  # fmt: skip
    # 科普教育基地
    for i in range(30 * per_city):
        town = towns[(i * 11 + 3) % len(towns)]
        add(f"{prefix}{town.name}{BASE_NAMES[i % len(BASE_NAMES)]}科普教育基地", VenueType.EDUCATION_BASE, town,
            operator_near(town, i), capacity=rng.choice([100, 150, 300]),
            audiences=(Audience.YOUTH, Audience.PUBLIC))  # fmt: skip
    # 科技馆: the city's, and one per county
    counties = sorted({(t.county or t) for t in towns}, key=lambda r: r.code)
    add(f"{prefix}市科技馆", VenueType.SCIENCE_MUSEUM, towns[0], museum_operator, subtype="city", capacity=800,
        audiences=(Audience.YOUTH, Audience.PUBLIC), status=VenueStatus.REGISTERED)  # fmt: skip
    for county in counties:
        town = next(t for t in towns if (t.county or t).pk == county.pk)
        add(f"{county.name}科技馆", VenueType.SCIENCE_MUSEUM, town, county_assocs.get(county.pk) or city_assoc, subtype="county",
            capacity=300, audiences=(Audience.YOUTH, Audience.PUBLIC), status=VenueStatus.REGISTERED)  # fmt: skip
    # 科普专家工作室, open laboratories, enterprise exhibition halls
    for i in range(8 * per_city):
        town = towns[(i * 13 + 5) % len(towns)]
        add(f"{ctx.fake.name()}科普专家工作室", VenueType.EXPERT_STUDIO, town, city_assoc, capacity=20,
            audiences=(Audience.FARMERS, Audience.PUBLIC), status=VenueStatus.REGISTERED, hours=LAB_HOURS)  # fmt: skip
    for i in range(6 * per_city):
        town = towns[(i * 17 + 2) % len(towns)]
        add(f"{prefix}{HALL_THEMES[i % len(HALL_THEMES)]}开放实验室", VenueType.OPEN_LAB, town, city_assoc, capacity=40,
            audiences=(Audience.YOUTH,), status=VenueStatus.REGISTERED, hours=LAB_HOURS)  # fmt: skip
    for i in range(min(6 * per_city, len(companies))):
        company = companies[i]
        add(f"{company.name}展厅", VenueType.ENTERPRISE_HALL, company.region if company.region.level == RegionLevel.TOWN else towns[i],
            company, capacity=60, audiences=(Audience.WORKERS, Audience.PUBLIC), status=VenueStatus.REGISTERED)  # fmt: skip
