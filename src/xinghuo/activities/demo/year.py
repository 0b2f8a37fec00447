"""A city's year of activities, written straight to the tables in bulk (one audited bulk record a table for all
the cities), with their steps and registrations.

A city's year: the city's demonstration activities verified toward the brands' targets (`BULK_CITY_VERIFIED`:
some met, 全国科普月 still short, 智惠助老 over its upper bound), more of its own at every step, and the grassroots
activities of every county and town. They fall in the twelve months before now and the two after, busier in May
(科技活动周) and September (全国科普月), quieter at the Spring Festival and in the summer; a seasonal brand only in its
months. The step follows from the date: long past ones verified (a few still waiting), last week's held or reported,
the coming ones published — open for sign-up — or still submitted, returned or drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.activities.demo import signups
from xinghuo.activities.demo.cast import CITY, MONTHS, Cast, fields
from xinghuo.activities.models import Activity, ActivityStatus, ActivityStep, Level, Registration, StepAction
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.regions.models import Region

#: Verified city demonstration activities toward the targets, a city's year (the walk through the services adds one
#: of each in Tai'an). Written in this calendar year, where the progress page counts them.
BULK_CITY_VERIFIED = {"sanbai": 13, "spring": 8, "science_month": 37, "happy_tour": 3, "dongyue_forum": 1, "smart_elderly": 5}
#: A city's other activities in a year: its own (demonstration level) besides those, and the grassroots ones.
CITY_MORE = {"small": 0, "city": 70, "province": 70}
GRASSROOTS = {"small": 0, "city": 2850, "province": 2850}
PAST_DAYS, FUTURE_DAYS = 365, 60
#: At province scale the other cities' people sign up a twentieth as much as Tai'an's (few activities full, the others
#: far from it): each registration is a row and three foreign keys to check, and the province's activities should
#: seed in about a minute (a tenth took 85–100 s).
ELSEWHERE = 0.05
#: How busy a month is, relative.
MONTH_WEIGHT = {1: 0.5, 2: 0.4, 3: 1.0, 4: 1.1, 5: 1.4, 6: 1.0, 7: 0.8, 8: 0.8, 9: 1.8, 10: 1.0, 11: 1.0, 12: 0.8}
#: How often a brand is chosen among those held in a month: a seasonal one weighs heavily in its months.
GRASSROOTS_WEIGHT = {"sanbai": 20, "free": 18, "smart_elderly": 12, "open_day": 10, "mobile_museum": 8, "happy_tour": 7,
                     "expert_roadshow": 3, "spring": 30, "science_month": 60, "science_day": 30, "tech_week": 40}  # fmt: skip
#: The city's own: roadshows, the mobile museum, open days; past ones not of a brand with a target (those are above).
CITY_WEIGHT = {"expert_roadshow": 10, "mobile_museum": 6, "open_day": 5, "science_day": 20, "tech_week": 20, "sanbai": 6,
               "happy_tour": 4, "smart_elderly": 4, "spring": 10, "science_month": 20}  # fmt: skip
TARGETED = frozenset(BULK_CITY_VERIFIED)
RETURN_REASONS = (
    "请补充主讲专家、活动流程和安全预案",
    "活动地址不详，请写明具体场所",
    "请补充防疫与安全保障措施",
    "名额与场地容量不符，请核实",
)
SUMMARY = "{title}按计划举办，{how}，群众参与积极，反响良好。"
HOW = ("专家现场讲解并答疑", "发放科普资料、设置互动体验展项", "开展科普展览与现场咨询", "线上线下同步开展，直播互动热烈")


@dataclass
class Planned:
    activity: Activity
    filer: Actor
    approver: Actor
    step: str


def write_years(ctx: DemoContext, casts: list[Cast], now: datetime) -> tuple[int, int]:
    """Each city's year; (activities, registrations) written."""
    codes = set(Registration.unscoped.values_list("code", flat=True))
    given = sorted({ctx.fake.first_name() for _ in range(300)})
    made = [0, 0]
    with (
        audit.bulk_write(model=Activity, description="演示数据：科普活动") as activities,
        audit.bulk_write(model=ActivityStep, description="演示数据：科普活动办理环节") as steps,
        audit.bulk_write(model=Registration, description="演示数据：活动报名") as registrations,
    ):
        for cast in casts:
            plan = _plan(ctx, cast, now)
            rows: list[Registration] = []
            for p in plan:
                signed = signups.sign_ups(ctx, p.activity, p.step, cast=cast, filer=p.filer.user, codes=codes, given=given, now=now,
                                          share=1.0 if cast.code == CITY else ELSEWHERE)  # fmt: skip
                rows += signed
                if p.step in ("reported", "verified"):
                    _report(ctx, p.activity, signed)
            Activity.unscoped.bulk_create([p.activity for p in plan], batch_size=1000)
            labels: dict[int, tuple[str, str]] = {}
            history = [row for p in plan for row in _steps(ctx, p, labels)]
            ActivityStep.unscoped.bulk_create(history, batch_size=2000)
            Registration.unscoped.bulk_create(rows, batch_size=2000)
            made[0], made[1] = made[0] + len(plan), made[1] + len(rows)
            steps["created"] = steps.get("created", 0) + len(history)
        activities["created"], registrations["created"] = made
    return made[0], made[1]


def _plan(ctx: DemoContext, cast: Cast, now: datetime) -> list[Planned]:
    plan = [_planned(ctx, cast, now, code, Level.CITY, _this_year(ctx, code, now), step="verified")
            for code, n in BULK_CITY_VERIFIED.items() for _ in range(n)]  # fmt: skip
    for _ in range(CITY_MORE[ctx.scale]):
        start = _day(ctx, now)
        weights = {c: w for c, w in CITY_WEIGHT.items() if _held_in(c, start.month) and (start > now or c not in TARGETED)}
        plan.append(_planned(ctx, cast, now, _weighted(ctx, weights), Level.CITY, start))
    places = [(county, town) for county in sorted(cast.counties) for town in (cast.towns[county] or [None])]
    ctx.rng.shuffle(places)
    for i in range(GRASSROOTS[ctx.scale]):  # every town in turn: each has its share of the year
        county, town = places[i % len(places)]
        start = _day(ctx, now)
        code = _weighted(ctx, {c: w for c, w in GRASSROOTS_WEIGHT.items() if _held_in(c, start.month)})
        plan.append(_planned(ctx, cast, now, code, Level.GRASSROOTS, start, county=county, town=town))
    return plan


def _planned(
    ctx: DemoContext, cast: Cast, now: datetime, code: str, level: str, start: datetime, *, step: str | None = None,
    county: str | None = None, town: Region | None = None,
) -> Planned:  # fmt: skip
    filer, approver, values = fields(ctx, cast, code, level, start, county=county, town=town)
    activity = Activity(**{k: v for k, v in values.items() if k not in ("audiences", "topics")})
    activity.audiences, activity.topics = values["audiences"], values["topics"]
    step = step or _step_at(ctx, activity.starts_at, now)
    _timeline(ctx, activity, step, now)
    return Planned(activity, filer, approver, step)


def _held_in(code: str, month: int) -> bool:
    first, last = MONTHS.get(code, (1, 12))
    return first <= month <= last


def _weighted(ctx: DemoContext, weights: dict[str, float]) -> str:
    return ctx.rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(ctx: DemoContext, now: datetime) -> datetime:
    """A day in the twelve months before now or the two after (not today, nor tomorrow or yesterday), as busy as its
    month is; the hour is set by the brand (`cast.fields`)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    top = max(MONTH_WEIGHT.values())
    while True:
        offset = ctx.rng.randint(-PAST_DAYS, FUTURE_DAYS)
        day = today + timedelta(days=offset)
        if abs(offset) > 1 and ctx.rng.random() * top < MONTH_WEIGHT[day.month]:
            return day


def _this_year(ctx: DemoContext, code: str, now: datetime) -> datetime:
    """A day in the brand's months of this calendar year before now — where the progress page counts it — or, when
    those months have not come yet, earlier this year (in its first days, late last year)."""
    local = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    first, last = MONTHS.get(code, (1, 12))
    day = local.replace(month=ctx.rng.randint(first, last), day=ctx.rng.randint(1, 28))
    if day > local - timedelta(days=3):
        earliest = max(local.replace(month=1, day=1), local - timedelta(days=60))
        day = local - timedelta(days=ctx.rng.randint(3, max(3, (local - earliest).days)))
    return day


def _step_at(ctx: DemoContext, start: datetime, now: datetime) -> str:
    """Where an activity of that date stands now."""
    days = (now - start).total_seconds() / 86400
    r = ctx.rng.random()
    if days < 0:  # to come: the nearer, the likelier published
        if -days <= 7:
            return "published" if r < 0.9 else "submitted"
        if -days <= 30:
            return "published" if r < 0.65 else "submitted" if r < 0.85 else "returned" if r < 0.9 else "draft"
        return "published" if r < 0.35 else "submitted" if r < 0.65 else "returned" if r < 0.75 else "draft"
    if days <= 14:
        return "held" if r < 0.5 else "reported" if r < 0.9 else "verified"
    if days <= 45:
        return "held" if r < 0.1 else "reported" if r < 0.4 else "verified"
    return "held" if r < 0.02 else "reported" if r < 0.06 else "verified"


def _at_most(moment: datetime, now: datetime) -> datetime:
    return min(moment, now - timedelta(minutes=5))


def _timeline(ctx: DemoContext, activity: Activity, step: str, now: datetime) -> None:
    """The dates of each step reached, in order and none after now; the registration window of one with seats."""
    rng, start = ctx.rng, activity.starts_at
    activity.status = step
    if step == "draft":
        submitted = None
    elif start > now:
        submitted = now - timedelta(days=rng.uniform(0.5, 20))
    else:
        submitted = start - timedelta(days=rng.randint(12, 35), hours=rng.randint(0, 8))
    if submitted is not None:
        activity.round, activity.submitted_at = 1, submitted
    if step not in ("draft", "submitted", "returned"):
        activity.published_at = _at_most(submitted + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6)), now)  # type: ignore[operator]
    if activity.capacity:
        opens = activity.published_at or start - timedelta(days=10)
        closes = start - timedelta(hours=rng.choice((2, 12, 24)))
        if step == "published" and rng.random() < 0.15 and now + timedelta(days=4) < closes:
            opens = now + timedelta(days=rng.randint(1, 3))  # sign-up opens in a day or three
        activity.registration_opens, activity.registration_closes = opens, closes
    if step in ("held", "reported", "verified"):
        activity.held_at = _at_most(activity.ends_at + timedelta(hours=rng.randint(1, 48)), now)
    if step in ("reported", "verified"):
        activity.reported_at = _at_most(activity.held_at + timedelta(days=rng.randint(1, 7)), now)  # type: ignore[operator]
    if step == "verified":
        activity.verified_at = _at_most(activity.reported_at + timedelta(days=rng.randint(1, 10)), now)  # type: ignore[operator]


def _report(ctx: DemoContext, activity: Activity, signed: list[Registration]) -> None:
    """What the filer reported: at least the seats checked in at the door, and those who came without signing up."""
    door = sum(r.seats for r in signed if r.checked_in_at is not None)
    walk_ins = ctx.rng.randint(0, max(10, activity.capacity // 3)) if activity.capacity else ctx.rng.randint(30, 300)
    activity.attendance = door + walk_ins
    activity.online_views = ctx.rng.randint(300, 8000) if activity.needs_link else None
    activity.summary = SUMMARY.format(title=activity.title, how=ctx.rng.choice(HOW))


ORDER = [
    (StepAction.CREATE, "", ActivityStatus.DRAFT, "filer"),
    (StepAction.SUBMIT, ActivityStatus.DRAFT, ActivityStatus.SUBMITTED, "filer"),
    (StepAction.APPROVE, ActivityStatus.SUBMITTED, ActivityStatus.PUBLISHED, "approver"),
    (StepAction.HOLD, ActivityStatus.PUBLISHED, ActivityStatus.HELD, "filer"),
    (StepAction.REPORT, ActivityStatus.HELD, ActivityStatus.REPORTED, "filer"),
    (StepAction.VERIFY, ActivityStatus.REPORTED, ActivityStatus.VERIFIED, "approver"),
]
RETURNED = (StepAction.RETURN, ActivityStatus.SUBMITTED, ActivityStatus.RETURNED, "approver")


def _steps(ctx: DemoContext, p: Planned, labels: dict[int, tuple[str, str]]) -> list[ActivityStep]:
    """The steps of its history, as the services write them (bulk-made reports carry no photos). `labels`: each
    actor's (audit label, role label), worked out once — the role's label is a translation lookup."""
    a = p.activity
    path = [*ORDER[:2], RETURNED] if p.step == "returned" else ORDER[: [s[2] for s in ORDER].index(p.step) + 1]
    rows = []
    for action, before, after, who in path:
        actor = p.filer if who == "filer" else p.approver
        if (label := labels.get(id(actor))) is None:
            label = labels[id(actor)] = (actor.user.audit_label(), actor.label)
        data = {"round": 1} if action == StepAction.SUBMIT else {}
        if action == StepAction.REPORT:
            data = {"attendance": a.attendance, "online_views": a.online_views, "photos": 0}
        reason = ctx.rng.choice(RETURN_REASONS) if action == StepAction.RETURN else "同意发布" if action == StepAction.APPROVE else ""
        rows.append(ActivityStep(activity=a, action=action, from_status=before, to_status=after, actor_id=actor.user.pk, reason=reason,
                                 actor_label=label[0], actor_role=label[1], data=data))  # fmt: skip
    return rows
