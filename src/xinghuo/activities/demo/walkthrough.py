"""Two dozen of Tai'an's activities walked through the services as staff and filers would — filed, submitted,
reviewed, held, reported with a photo, verified — and a handful of sign-ups through the registration services on
four of them: a school group, a child signed up by a guardian, a family, one left on the waiting list of a full
activity, one cancelled, and check-ins at the door by the filer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.models import User
from xinghuo.activities import registrations, services
from xinghuo.activities.demo.cast import CLASSES, MONTHS, Cast, fields
from xinghuo.activities.models import Activity, Level, Registration
from xinghuo.core.demo import DemoContext

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
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
    ("open_day", Level.GRASSROOTS, "cancelled"),
]  # fmt: skip
PAST = ("verified", "reported", "held")
#: The plan's activities that take sign-ups, and their capacity: a verified 研学 (a class and one more, both checked
#: in), a held class for the elderly (two checked in, one who did not come), a 三百三进 where one cancels, and an
#: upcoming 研学 that fills up — a class, a child, a family, one more — and puts a family of five on the waiting list.
SIGN_UPS = {5: 100, 13: 30, 15: 50, 16: 50}


def start_of(ctx: DemoContext, code: str, past: bool, now: datetime) -> datetime:
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


def through_services(ctx: DemoContext, cast: Cast, now: datetime) -> tuple[int, int]:
    """(activities made, registrations made)."""
    people = list(User.objects.filter(pk__in=[c[0] for c in cast.citizens[:5]]).order_by("phone"))
    signed = 0
    for index, (code, level, step) in enumerate(PLAN):
        start = start_of(ctx, code, step in PAST, now)  # the plan's future activities are of brands held all year
        filer, approver, values = fields(ctx, cast, code, level, start, kind=0)
        start = values["starts_at"]
        takes = SIGN_UPS.get(index) if len(people) == 5 else None
        if takes:
            values["capacity"] = takes
        if values["capacity"]:  # sign-up opens with the publication and closes an hour before the start
            values.update(registration_opens=min(now, start - timedelta(days=7)), registration_closes=start - timedelta(hours=1))
        activity = services.activity_create(actor=filer, **values)
        if step == "draft":
            continue
        services.activity_submit(actor=filer, activity=activity, now=min(now, start - timedelta(days=10)))
        if step == "submitted":
            continue
        if step == "returned":
            services.activity_review(actor=approver, activity=activity, approve=False, reason="请补充主讲专家、活动流程和安全预案")
            continue
        services.activity_review(
            actor=approver, activity=activity, approve=True, reason="同意发布", now=min(now, start - timedelta(days=7))
        )
        if takes:
            signed += _sign_ups(ctx, cast, activity, filer, people, index, now=now if step == "published" else start - timedelta(days=2))
        if step == "published":
            continue
        if step == "cancelled":
            services.activity_cancel(actor=filer, activity=activity, reason="受天气影响，本次活动取消，改期另行通知。")
            continue
        services.activity_mark_held(actor=filer, activity=activity, now=start + timedelta(hours=2))
        if step == "held":
            continue
        activity.refresh_from_db()
        services.activity_report(
            actor=filer, activity=activity, attendance=max(ctx.rng.randint(40, 400), activity.seats_taken),
            online_views=ctx.rng.randint(500, 20000) if activity.needs_link else None,
            summary=f"{activity.title}按计划举办，专家讲解与互动体验相结合，发放科普资料、解答群众问题，反响良好。",
            photos=[SimpleUploadedFile("活动现场.png", PNG)],
        )  # fmt: skip
        if step == "reported":
            continue
        services.activity_verify(actor=approver, activity=activity, approve=True)
    return len(PLAN), signed


def _sign_ups(ctx: DemoContext, cast: Cast, activity: Activity, filer: Actor, people: list[User], index: int, *, now: datetime) -> int:
    """The plan's sign-ups on one activity, as citizens make them (at `now`); at a past one the filer checks people in
    at the door half an hour before the start."""
    a, b, c, d, e = people
    county = activity.region.county.code if activity.region.county else activity.region.code
    school = (cast.schools.get(county) or ["泰山区实验学校"])[0] + ctx.rng.choice(CLASSES)
    child = a.name[:1] + "小雨"
    door = activity.starts_at - timedelta(minutes=30)

    def sign_up(user: User, seats: int = 1, **extra: object) -> Registration:
        return registrations.registration_create(activity=activity, user=user, seats=seats, now=now, **extra)

    def check_in(*made: Registration) -> None:
        for registration in made:
            registrations.registration_check_in(actor=filer, activity=activity, code=registration.code, now=door)

    if index == 5:  # a verified 研学: a class and one more, both at the door
        check_in(sign_up(b, 30, group_name=school, group_contact=b.phone), sign_up(e))
        return 2
    if index == 13:  # a held class for the elderly: a daughter signs up her father; one does not come
        father = sign_up(a, participant_name=a.name[:1] + "建国", participant_age=72)
        check_in(father, sign_up(c))
        sign_up(d)
        return 3
    if index == 15:  # one cancels, another stays
        registrations.registration_cancel(registration=sign_up(d, 2), by=d, now=now)
        sign_up(e)
        return 2
    # index 16, upcoming and full: a class of 40, a child of nine with her guardian's consent, a family of four, one
    # more (46 of 50), then a family of five waits in line
    sign_up(b, 40, group_name=school, group_contact=b.phone)
    sign_up(a, participant_name=child, participant_age=9, guardian_name=a.name, guardian_phone=a.phone, guardian_consent=True)
    sign_up(c, 4)
    sign_up(d)
    sign_up(e, 5)
    return 5
