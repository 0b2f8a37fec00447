"""Demo activities of Tai'an this year under the city's brands, at every step: verified ones that count toward the
brands' targets, reported ones waiting for verification, held, published, submitted, returned and drafts.

`small`: two dozen, each walked through the services as staff and filers would (with report photos). `city` and
`province`: the same two dozen, then a few hundred more written in bulk (one audited bulk record a table, with
their steps; bulk-made reports carry no photos) so that the brand progress page shows a year's real shape —
some targets met, 全国科普月 still short, 智惠助老 over its upper bound. Idempotent: seeded once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.demo import COUNTY_LOGINS
from xinghuo.accounts.models import User
from xinghuo.activities import services
from xinghuo.activities.models import Activity, ActivityStatus, ActivityStep, Brand, Format, Level, StepAction
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.venues.models import PUBLIC_STATUSES, Venue

CITY = "370900"
COUNTIES = ("370902", "370911", "370921", "370923", "370982", "370983")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
#: The months a seasonal brand is held in; the others run all year.
MONTHS = {"spring": (3, 5), "science_month": (9, 9), "dongyue_forum": (9, 9), "science_day": (9, 9), "tech_week": (5, 5)}
#: (title, audiences, topics) of each brand; "{town}" is the town it is held in.
KINDS: dict[str, tuple[str, list[str], list[str]]] = {
    "sanbai": ("“三百三进”科技服务进{town}", ["farmers", "public"], ["agriculture", "grain_security"]),
    "spring": ("科普之春·生态保护主题科普展（{town}）", ["public", "youth"], ["ecology"]),
    "science_month": ("全国科普月·科学家精神进校园（{town}）", ["youth"], ["science_spirit", "space"]),
    "happy_tour": ("科普欢乐游·星火科技馆研学体验（{town}）", ["youth"], ["industry", "earth"]),
    "dongyue_forum": ("东岳星空科普讲坛·院士专家报告会", ["public", "officials"], ["space", "science_spirit"]),
    "smart_elderly": ("智惠助老·智能手机与防诈骗课堂（{town}）", ["elderly"], ["anti_fraud", "digital"]),
    "expert_roadshow": ("科创专家讲科普·新能源与储能路演", ["workers", "officials"], ["energy_security", "industry"]),
    "mobile_museum": ("流动科技馆进{town}", ["youth", "farmers"], ["earth", "digital"]),
    "open_day": ("{town}星火科普服务站开放日", ["public"], ["health", "digital"]),
    "science_day": ("全国科普日·食品安全进社区（{town}）", ["public"], ["food_safety", "health"]),
    "tech_week": ("科技活动周·科技成果展（{town}）", ["workers", "public"], ["industry"]),
    "free": ("{town}疫情防控与健康生活科普宣传", ["public", "elderly"], ["epidemic", "health"]),
}
ALL_YEAR = ("sanbai", "happy_tour", "smart_elderly", "expert_roadshow", "mobile_museum", "open_day", "free")
#: (brand, level, step) of the activities made through the services, in order.
PLAN = [
    ("sanbai", Level.CITY, "verified"), ("spring", Level.CITY, "verified"), ("science_month", Level.CITY, "verified"),
    ("dongyue_forum", Level.CITY, "verified"), ("smart_elderly", Level.CITY, "verified"), ("happy_tour", Level.CITY, "verified"),
    ("sanbai", Level.GRASSROOTS, "verified"), ("open_day", Level.GRASSROOTS, "verified"), ("science_day", Level.GRASSROOTS, "verified"),
    ("free", Level.GRASSROOTS, "verified"), ("science_month", Level.CITY, "reported"), ("mobile_museum", Level.GRASSROOTS, "reported"),
    ("tech_week", Level.GRASSROOTS, "reported"), ("smart_elderly", Level.GRASSROOTS, "held"), ("expert_roadshow", Level.CITY, "held"),
    ("sanbai", Level.CITY, "published"), ("happy_tour", Level.GRASSROOTS, "published"), ("smart_elderly", Level.CITY, "published"),
    ("open_day", Level.GRASSROOTS, "published"), ("mobile_museum", Level.CITY, "submitted"), ("free", Level.GRASSROOTS, "submitted"),
    ("expert_roadshow", Level.CITY, "returned"), ("sanbai", Level.GRASSROOTS, "draft"), ("happy_tour", Level.CITY, "draft"),
]  # fmt: skip
PAST = ("verified", "reported", "held")
#: At city scale, verified city demonstration activities made in bulk besides the plan's: a year's shape.
BULK_CITY_VERIFIED = {"sanbai": 13, "spring": 8, "science_month": 37, "happy_tour": 3, "dongyue_forum": 1, "smart_elderly": 5}


@dataclass
class Cast:
    city: Actor
    counties: dict[str, Actor]
    towns: dict[str, list[Region]]
    venues: dict[int, Venue]
    city_organisers: list[Organisation]
    county_organisers: dict[str, Organisation]
    brands: dict[str, Brand]


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    return actor_for(user) if user else None


def _cast() -> Cast | None:
    city = _actor("kepu")
    counties = {code: actor for code in COUNTIES if (actor := _actor(COUNTY_LOGINS[code])) is not None}
    if city is None or not counties:
        return None
    towns: dict[str, list[Region]] = {code: [] for code in counties}
    for town in Region.objects.filter(county__code__in=list(counties), level=RegionLevel.TOWN).select_related("county").order_by("code"):
        towns[town.county.code].append(town)
    venues: dict[int, Venue] = {}
    for venue in Venue.unscoped.filter(region__city__code=CITY, status__in=PUBLIC_STATUSES).select_related("region").order_by("code"):
        venues.setdefault(venue.region_id, venue)
    societies = list(Organisation.unscoped.filter(kind=OrganisationKind.SOCIETY, region__code=CITY, is_active=True).order_by("code")[:6])
    city_organisers = [Organisation.unscoped.get(code="KX370900-KPB"), *societies]
    county_organisers = {code: Organisation.unscoped.get(code=f"KX{code}") for code in counties}
    return Cast(city=city, counties=counties, towns=towns, venues=venues, city_organisers=city_organisers,
                county_organisers=county_organisers, brands={b.code: b for b in Brand.objects.all()})  # fmt: skip


def _start(ctx: DemoContext, code: str, past: bool, now: datetime) -> datetime:
    """A start in the brand's months of this year before now (past), or in the coming two months."""
    tz = timezone.get_current_timezone()
    if past:
        first, last = MONTHS.get(code, (1, 12))
        month = ctx.rng.randint(first, last)
        start = datetime(now.year, month, ctx.rng.randint(1, 28), ctx.rng.choice([9, 14, 19]), tzinfo=tz)
        if start > now - timedelta(days=3):
            start = (now - timedelta(days=ctx.rng.randint(3, 60))).replace(hour=9, minute=0, second=0, microsecond=0)
        return start
    return (now + timedelta(days=ctx.rng.randint(5, 60))).replace(hour=ctx.rng.choice([9, 14]), minute=0, second=0, microsecond=0)


def _fields(ctx: DemoContext, cast: Cast, code: str, level: str, start: datetime) -> tuple[Actor, Actor, dict[str, Any]]:
    """(filer, approver, the activity's fields): city activities filed by the city, grassroots ones by their county."""
    county = ctx.rng.choice(sorted(cast.counties))
    town = ctx.rng.choice(cast.towns[county]) if cast.towns[county] else None
    title, audiences, topics = KINDS[code]
    online = code in ("expert_roadshow", "dongyue_forum") and ctx.rng.random() < 0.5
    venue = cast.venues.get(town.pk) if town is not None and not online and ctx.rng.random() < 0.5 else None
    values: dict[str, Any] = {
        "title": title.format(town=town.name if town else "泰安"), "brand": cast.brands[code], "level": level,
        "format": Format.BOTH if online else Format.OFFLINE, "starts_at": start, "ends_at": start + timedelta(hours=2),
        "audiences": audiences, "topics": topics, "venue": venue,
        "address": "" if venue else f"{town.name if town else '泰安市'}文化活动中心",
        "online_url": "https://live.example.cn/taian-kepu" if online else "",
        "capacity": ctx.rng.choice([0, 50, 100, 200]),
        "description": f"{KINDS[code][0].format(town=town.name if town else '泰安')}，由专家现场讲解、互动体验。",
    }  # fmt: skip
    if level == Level.CITY:
        values["organiser"] = ctx.rng.choice(cast.city_organisers)
        values["region"] = town or Region.objects.get(code=CITY)
        return cast.city, cast.city, values
    values["organiser"] = cast.county_organisers[county]
    values["region"] = town or Region.objects.get(code=county)
    return cast.counties[county], cast.counties[county], values


def _through_services(ctx: DemoContext, cast: Cast, now: datetime) -> int:
    made = 0
    for code, level, step in PLAN:
        start = _start(ctx, code if step in PAST else ctx.rng.choice(ALL_YEAR), step in PAST, now)
        filer, approver, values = _fields(ctx, cast, code, level, start)
        activity = services.activity_create(actor=filer, **values)
        made += 1
        if step == "draft":
            continue
        services.activity_submit(actor=filer, activity=activity, now=min(now, start - timedelta(days=10)))
        if step == "submitted":
            continue
        if step == "returned":
            services.activity_review(actor=approver, activity=activity, approve=False, reason="请补充主讲专家、活动流程和安全预案")
            continue
        services.activity_review(actor=approver, activity=activity, approve=True, reason="同意发布", now=start - timedelta(days=7))
        if step == "published":
            continue
        services.activity_mark_held(actor=filer, activity=activity, now=start + timedelta(hours=2))
        if step == "held":
            continue
        services.activity_report(
            actor=filer, activity=activity, attendance=ctx.rng.randint(40, 400),
            online_views=ctx.rng.randint(500, 20000) if activity.needs_link else None,
            summary=f"{activity.title}按计划举办，专家讲解与互动体验相结合，发放科普资料、解答群众问题，反响良好。",
            photos=[SimpleUploadedFile("活动现场.png", PNG)],
        )  # fmt: skip
        if step == "reported":
            continue
        services.activity_verify(actor=approver, activity=activity, approve=True)
    return made


def _in_bulk(ctx: DemoContext, cast: Cast, now: datetime) -> int:
    """A year's worth more, straight to the tables: verified city demonstration activities toward the targets, and
    grassroots activities of every county at every step."""
    plan = [(code, Level.CITY, "verified") for code, n in BULK_CITY_VERIFIED.items() for _ in range(n)]
    grassroots = ctx.pick(0, 240, 600)
    steps = ["verified"] * 6 + ["reported", "held", "published", "submitted"]
    local = sorted(set(KINDS) - {"dongyue_forum"})  # the forum is the city's: experts invited to Tai'an
    plan += [(ctx.rng.choice(local), Level.GRASSROOTS, ctx.rng.choice(steps)) for _ in range(grassroots)]
    activities: list[Activity] = []
    history: list[tuple[Activity, Actor, Actor, str]] = []
    for code, level, step in plan:
        start = _start(ctx, code if step in PAST else ctx.rng.choice(ALL_YEAR), step in PAST, now)
        filer, approver, values = _fields(ctx, cast, code, level, start)
        activity = Activity(**{k: v for k, v in values.items() if k not in ("audiences", "topics")})
        activity.audiences, activity.topics = values["audiences"], values["topics"]
        activity.status, activity.round = step, 1
        activity.submitted_at = start - timedelta(days=10)
        if step != "submitted":
            activity.published_at = start - timedelta(days=7)
        if step in PAST:
            activity.held_at = start + timedelta(hours=2)
        if step in ("reported", "verified"):
            activity.attendance = ctx.rng.randint(30, 300)
            activity.online_views = ctx.rng.randint(300, 8000) if activity.needs_link else None
            activity.summary = f"{activity.title}按计划举办，群众参与积极，反响良好。"
            activity.reported_at = start + timedelta(days=2)
        if step == "verified":
            activity.verified_at = start + timedelta(days=5)
        activities.append(activity)
        history.append((activity, filer, approver, step))
    with audit.bulk_write(model=Activity, description="演示数据：科普活动") as summary:
        Activity.unscoped.bulk_create(activities, batch_size=500)
        summary["created"] = len(activities)
    rows = [row for activity, filer, approver, step in history for row in _steps(activity, filer, approver, step)]
    with audit.bulk_write(model=ActivityStep, description="演示数据：科普活动办理环节") as summary:
        ActivityStep.unscoped.bulk_create(rows, batch_size=1000)
        summary["created"] = len(rows)
    return len(activities)


ORDER = [
    (StepAction.CREATE, "", ActivityStatus.DRAFT, "filer"),
    (StepAction.SUBMIT, ActivityStatus.DRAFT, ActivityStatus.SUBMITTED, "filer"),
    (StepAction.APPROVE, ActivityStatus.SUBMITTED, ActivityStatus.PUBLISHED, "approver"),
    (StepAction.HOLD, ActivityStatus.PUBLISHED, ActivityStatus.HELD, "filer"),
    (StepAction.REPORT, ActivityStatus.HELD, ActivityStatus.REPORTED, "filer"),
    (StepAction.VERIFY, ActivityStatus.REPORTED, ActivityStatus.VERIFIED, "approver"),
]


def _steps(activity: Activity, filer: Actor, approver: Actor, step: str) -> list[ActivityStep]:
    reached = [s[2] for s in ORDER].index(step)
    rows = []
    for action, before, after, who in ORDER[: reached + 1]:
        actor = filer if who == "filer" else approver
        rows.append(ActivityStep(activity=activity, action=action, from_status=before, to_status=after, actor=actor.user,
                                 actor_label=actor.user.audit_label(), actor_role=actor.label))  # fmt: skip
    return rows


def seed(ctx: DemoContext) -> dict[str, int]:
    if Activity.unscoped.exists():
        return {}
    cast = _cast()
    if cast is None:
        return {}
    now = timezone.now()
    made = _through_services(ctx, cast, now)
    if ctx.scale != "small":
        made += _in_bulk(ctx, cast, now)
    return {"科普活动": made}
