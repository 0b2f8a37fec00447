"""Who and where a city's demo activities are: its filers and approvers (the city's 科普部, each county's
association), towns, public venues, organisers, schools and citizens; and what each brand's activities are like
(titles, audiences, topics, seasons, places and capacities)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.demo import CITIZENS, city_login, county_login
from xinghuo.accounts.models import User, UserKind
from xinghuo.activities.models import Brand, Format, Level
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.venues.models import PUBLIC_STATUSES, Venue

CITY = "370900"
#: The months a seasonal brand is held in; the others run all year.
MONTHS = {"spring": (3, 5), "science_month": (9, 9), "dongyue_forum": (9, 9), "science_day": (9, 9), "tech_week": (5, 5)}
#: Each brand's kinds of activity: (title, audiences, topics); "{town}" is the town it is held in. The first is
#: the one the walk through the services takes.
KINDS: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "sanbai": [("“三百三进”科技服务进{town}", ["farmers", "public"], ["agriculture", "grain_security"]),
               ("“三百三进”·农技专家{town}田间课堂", ["farmers"], ["agriculture"]),
               ("“三百三进”科技志愿服务进{town}社区", ["public", "elderly"], ["health", "digital"])],
    "spring": [("科普之春·生态保护主题科普展（{town}）", ["public", "youth"], ["ecology"]),
               ("科普之春·春耕春播农业科技下乡（{town}）", ["farmers"], ["agriculture", "grain_security"]),
               ("科普之春·健康生活科普讲座（{town}）", ["public", "elderly"], ["health"])],
    "science_month": [("全国科普月·科学家精神进校园（{town}）", ["youth"], ["science_spirit", "space"]),
                      ("全国科普月·航天科普展（{town}）", ["youth", "public"], ["space"]),
                      ("全国科普月·科普大篷车巡展（{town}）", ["public", "farmers"], ["earth", "digital"])],
    "happy_tour": [("科普欢乐游·星火科技馆研学体验（{town}）", ["youth"], ["industry", "earth"]),
                   ("科普欢乐游·泰山地质研学（{town}）", ["youth"], ["earth", "ecology"]),
                   ("科普欢乐游·青少年科技研学营（{town}）", ["youth"], ["digital", "industry"])],
    "dongyue_forum": [("东岳星空科普讲坛·院士专家报告会", ["public", "officials"], ["space", "science_spirit"]),
                      ("东岳星空科普讲坛·深空探测专家报告会", ["public", "youth"], ["space"])],
    "smart_elderly": [("智惠助老·智能手机与防诈骗课堂（{town}）", ["elderly"], ["anti_fraud", "digital"]),
                      ("智惠助老·老年人数字生活培训（{town}）", ["elderly"], ["digital"]),
                      ("智惠助老·防范养老诈骗讲座（{town}）", ["elderly"], ["anti_fraud"])],
    "expert_roadshow": [("科创专家讲科普·新能源与储能路演", ["workers", "officials"], ["energy_security", "industry"]),
                        ("科创专家讲科普·人工智能赋能制造业（{town}）", ["workers"], ["digital", "industry"]),
                        ("科创专家讲科普·现代农业装备路演（{town}）", ["farmers", "workers"], ["agriculture", "industry"])],
    "mobile_museum": [("流动科技馆进{town}", ["youth", "farmers"], ["earth", "digital"]),
                      ("流动科技馆巡展·{town}站", ["youth", "public"], ["space", "industry"])],
    "open_day": [("{town}星火科普服务站开放日", ["public"], ["health", "digital"]),
                 ("{town}科普教育基地公众开放日", ["public", "youth"], ["ecology", "earth"])],
    "science_day": [("全国科普日·食品安全进社区（{town}）", ["public"], ["food_safety", "health"]),
                    ("全国科普日·防灾减灾科普宣传（{town}）", ["public", "youth"], ["earth"])],
    "tech_week": [("科技活动周·科技成果展（{town}）", ["workers", "public"], ["industry"]),
                  ("科技活动周·青少年科技创新体验（{town}）", ["youth"], ["digital", "industry"])],
    "free": [("{town}疫情防控与健康生活科普宣传", ["public", "elderly"], ["epidemic", "health"]),
             ("{town}防范电信网络诈骗宣传", ["public", "elderly"], ["anti_fraud"]),
             ("{town}科学用药与合理膳食讲座", ["public", "elderly"], ["health", "food_safety"])],
}  # fmt: skip
ALL_YEAR = ("sanbai", "happy_tour", "smart_elderly", "expert_roadshow", "mobile_museum", "open_day", "free")
#: Seats a brand's activities offer (0: open to all, no sign-up — a village square, a market day).
CAPACITIES = {
    "sanbai": (0, 0, 0, 50, 100), "spring": (0, 100, 200), "science_month": (0, 100, 200, 300), "happy_tour": (30, 40, 50),
    "dongyue_forum": (300, 500), "smart_elderly": (0, 30, 50), "expert_roadshow": (80, 100, 150), "mobile_museum": (0, 0, 100, 200),
    "open_day": (0, 50, 100), "science_day": (0, 100, 200), "tech_week": (0, 100, 200), "free": (0, 0, 0, 50),
}  # fmt: skip
#: Start hours and length in hours: open days run the day, a 研学 half a day, the forum also in the evening.
HOURS = {"open_day": ((9,), 6), "mobile_museum": ((9,), 4), "happy_tour": ((9, 14), 3), "dongyue_forum": ((14, 19), 2)}
PLACES = ("文化活动中心", "新时代文明实践所", "党群服务中心", "中心小学", "文化广场")
#: Schools' classes and clubs that sign up as a group.
CLASSES = ("三年级二班", "四年级一班", "五年级三班", "六年级", "七年级二班", "科技兴趣小组", "少年科学院")

#: A demo citizen: (user id, mobile number, name).
Citizen = tuple[int, str, str]


@dataclass
class Cast:
    """One city's people and places for its activities."""

    code: str
    region: Region
    city: Actor
    counties: dict[str, Actor]
    county_regions: dict[str, Region]
    towns: dict[str, list[Region]]
    venues: dict[int, list[Venue]]  # town id -> public venues there
    city_organisers: list[Organisation]
    county_organisers: dict[str, list[Organisation]]  # the county association first, then schools, companies, operators
    schools: dict[str, list[str]]  # county code -> school names, for group sign-ups
    brands: dict[str, Brand]
    citizens: list[Citizen] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        return self.region.name.removesuffix("市")


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    return actor_for(user) if user else None


def cast_for(city_code: str, brands: dict[str, Brand]) -> Cast | None:
    """The city's cast, or None when its staff logins are missing (the accounts demo makes them)."""
    city = _actor(city_login(city_code))
    region = Region.objects.filter(code=city_code).first()
    if city is None or region is None:
        return None
    county_regions = {c.code: c for c in Region.objects.filter(city=region, level=RegionLevel.COUNTY).order_by("code")}
    counties = {code: actor for code in county_regions if (actor := _actor(county_login(code))) is not None}
    if not counties:
        return None
    towns: dict[str, list[Region]] = {code: [] for code in counties}
    for town in Region.objects.filter(city=region, level=RegionLevel.TOWN).select_related("county").order_by("code"):
        if town.county is not None and town.county.code in towns:
            towns[town.county.code].append(town)
    venues: dict[int, list[Venue]] = defaultdict(list)
    for venue in Venue.unscoped.filter(region__city=region, status__in=PUBLIC_STATUSES).select_related("region").order_by("code"):
        venues[venue.region_id].append(venue)
    societies = Organisation.unscoped.filter(kind=OrganisationKind.SOCIETY, region=region, is_active=True).order_by("code")[:6]
    city_organisers = [Organisation.unscoped.get(code=f"KX{city_code}-KPB"), *societies]
    county_organisers = {code: [Organisation.unscoped.get(code=f"KX{code}")] for code in counties}
    schools: dict[str, list[str]] = {code: [] for code in counties}
    local = Organisation.unscoped.filter(
        region__city=region, kind__in=[OrganisationKind.SCHOOL, OrganisationKind.COMPANY, OrganisationKind.VENUE_OPERATOR],
        is_active=True,
    ).select_related("region__county").order_by("kind", "code")  # fmt: skip
    for org in local:
        county = org.region.county.code if org.region.county else org.region.code
        if county in county_organisers:
            county_organisers[county].append(org)
            if org.kind == OrganisationKind.SCHOOL:
                schools[county].append(org.name)
    return Cast(code=city_code, region=region, city=city, counties=counties, county_regions=county_regions, towns=towns,
                venues=venues, city_organisers=city_organisers, county_organisers=county_organisers, schools=schools,
                brands=brands)  # fmt: skip


def citizens_by_city(cities: list[str]) -> dict[str, list[Citizen]]:
    """The demo citizens, a share for each city — people sign up near home: Tai'an the first thousands (with the
    printed login 13800000000), the other cities the rest in equal parts."""
    rows = list(User.objects.filter(kind=UserKind.CITIZEN, phone__isnull=False).order_by("phone").values_list("id", "phone", "name"))
    others = [c for c in cities if c != CITY]
    if not others:
        return {CITY: rows}
    home, rest = rows[: CITIZENS["city"]], rows[CITIZENS["city"] :]
    share = len(rest) // len(others)
    return {CITY: home} | {code: rest[i * share : (i + 1) * share] for i, code in enumerate(others)}


def fields(
    ctx: DemoContext, cast: Cast, code: str, level: str, start: datetime, *, county: str | None = None, town: Region | None = None,
    kind: int | None = None,
) -> tuple[Actor, Actor, dict[str, Any]]:  # fmt: skip
    """(filer, approver, the activity's fields): city activities filed and approved by the city, grassroots ones by
    their county. Without a county, one at random, and a town of it."""
    if county is None:
        county = ctx.rng.choice(sorted(cast.counties))
        town = ctx.rng.choice(cast.towns[county]) if cast.towns[county] else None
    kinds = KINDS[code]
    title, audiences, topics = kinds[kind if kind is not None else ctx.rng.randrange(len(kinds))]
    place = town.name if town else cast.short_name
    online = code in ("expert_roadshow", "dongyue_forum") and ctx.rng.random() < 0.5
    nearby = cast.venues.get(town.pk, []) if town is not None and not online else []
    venue = ctx.rng.choice(nearby) if nearby and ctx.rng.random() < (0.8 if "youth" in audiences else 0.4) else None
    hours, length = HOURS.get(code, ((9, 14, 15), 2))
    start = start.replace(hour=ctx.rng.choice(hours), minute=ctx.rng.choice((0, 0, 30)), second=0, microsecond=0)
    if venue is not None:
        address = ""
    elif town is not None:
        address = f"{town.county.name if town.county else ''}{town.name}{ctx.rng.choice(PLACES)}"
    else:
        address = f"{cast.region.name}科技馆学术报告厅"
    values: dict[str, Any] = {
        "title": title.format(town=place), "brand": cast.brands[code], "level": level,
        "format": Format.BOTH if online else Format.OFFLINE, "starts_at": start, "ends_at": start + timedelta(hours=length),
        "audiences": audiences, "topics": topics, "venue": venue, "address": address,
        "online_url": f"https://live.example.cn/kepu-{cast.code[:4]}" if online else "",
        "capacity": ctx.rng.choice(CAPACITIES[code]),
        "description": f"{title.format(town=place)}，由专家现场讲解、互动体验。",
    }  # fmt: skip
    if level == Level.CITY:
        values["organiser"] = ctx.rng.choice(cast.city_organisers)
        values["region"] = town or cast.region
        return cast.city, cast.city, values
    organisers = cast.county_organisers[county]
    values["organiser"] = organisers[0] if len(organisers) == 1 or ctx.rng.random() < 0.55 else ctx.rng.choice(organisers[1:])
    values["region"] = town or cast.county_regions[county]
    return cast.counties[county], cast.counties[county], values
