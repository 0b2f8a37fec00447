"""Demo certification work in Tai'an, made through the services as staff would: applications at every step
(in public notice with an objection, waiting for the county or the city, returned, certified, rejected), the
dates the demo's certified venues were certified (some due for their five-year re-assessment), and this year's
re-check under way."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.demo import COUNTY_LOGINS
from xinghuo.accounts.models import User
from xinghuo.certification import services
from xinghuo.certification.models import AnnualReview, Application, ReviewOutcome, Score
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.core.scoping import scope
from xinghuo.venues.models import Venue, VenueStatus, VenueType

CITY = "370900"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
#: The step each demo application is left at, in order; `small` takes the first six.
PLAN = ["notice_objection", "notice", "submitted", "county_approved", "returned", "draft",
        "notice", "submitted", "county_approved", "certified", "rejected", "returned"]  # fmt: skip


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    return actor_for(user) if user else None


def _scores(application: Application, share: float) -> dict[int, tuple[str, str]]:
    return {
        s.indicator_id: (str((Decimal(s.indicator.weight) * Decimal(str(share))).quantize(Decimal("0.5"))), "")
        for s in Score.unscoped.filter(application=application).select_related("indicator")
    }


def seed(ctx: DemoContext) -> dict[str, int]:
    made = {"认定时间": _certification_dates(ctx)}  # on its own: certified venues a larger scale adds get dates too
    if Application.unscoped.exists() or AnnualReview.unscoped.exists():
        return {k: v for k, v in made.items() if v}
    city = _actor("kepu")
    if city is None:
        return made
    made["认定申请"] = _applications(ctx, city)
    made["年度复核"] = _annual_reviews(ctx, city)
    return made


def _certification_dates(ctx: DemoContext) -> int:
    """The demo's venues were listed as certified without a date: spread their certifications from 2019 to this day
    (a date still to come this year falls a year earlier), so the dashboard's monthly trend has this year's too."""
    venues = list(Venue.unscoped.filter(status=VenueStatus.CERTIFIED, certified_at__isnull=True).order_by("pk"))
    if not venues:
        return 0
    tz = timezone.get_current_timezone()
    now = timezone.now()
    for venue in venues:
        moment = datetime(ctx.rng.randint(2019, now.year), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28), 10, tzinfo=tz)
        venue.certified_at = moment if moment <= now else moment.replace(year=moment.year - 1)
    with audit.bulk_write(model=Venue, description="演示数据：认定时间") as summary:
        Venue.unscoped.bulk_update(venues, ["certified_at"], batch_size=1000)
        summary["updated"] = len(venues)
    return len(venues)


def _county_actor(venue: Venue) -> Actor | None:
    county = venue.region.county or venue.region
    login = COUNTY_LOGINS.get(county.code)
    return _actor(login) if login else None


def _applications(ctx: DemoContext, city: Actor) -> int:
    candidates = list(
        Venue.unscoped.filter(region__city__code=CITY, status=VenueStatus.REGISTERED, venue_type=VenueType.SPARK_STATION)
        .select_related("region__county")
        .order_by("code")
    )
    plan = PLAN[: ctx.pick(6, len(PLAN), len(PLAN))]
    today = timezone.localdate()
    made = 0
    for step, venue in zip(plan, candidates, strict=False):
        county = _county_actor(venue)
        if county is None:
            continue
        with scope(**county.scope_kwargs()):
            application = services.application_create(actor=county, venue=venue, statement=f"{venue.name}申请认定为星火科普服务站")
            made += 1
            share = 0.55 if step == "rejected" else ctx.rng.choice([0.78, 0.85, 0.93])
            services.application_save_self_assessment(actor=county, application=application, scores=_scores(application, share + 0.04))
            services.evidence_add(actor=county, application=application, upload=SimpleUploadedFile("服务站五有情况说明.pdf", PDF))
            services.evidence_add(actor=county, application=application, upload=SimpleUploadedFile("场所与标识照片.png", PNG))
            if step == "draft":
                continue
            services.application_submit(actor=county, application=application)
            if step == "submitted":
                continue
            if step == "returned":
                services.application_county_review(actor=county, application=application, approve=False,
                                                   reason="活动记录只有两个月，请补充全年活动台账和照片")  # fmt: skip
                continue
            services.application_county_review(actor=county, application=application, approve=True, reason="材料齐全，同意上报")
        if step == "county_approved":
            continue
        with scope(**city.scope_kwargs()):
            decision = "reject" if step == "rejected" else "notice"
            started = today - timedelta(days=20) if step == "certified" else today - timedelta(days=ctx.rng.randint(0, 3))
            services.application_city_review(actor=city, application=application, scores=_scores(application, share), decision=decision,
                                             reason="五有中“有活动”“有终端”未达标" if step == "rejected" else "", today=started)  # fmt: skip
            if step == "notice_objection":
                services.objection_file(application=application, content="服务站的科普大屏一直关着，周末也不开门，请核实。",
                                        contact_name="张先生", contact_phone="13800000001")  # fmt: skip
            if step == "certified":
                services.application_decide(actor=city, application=application, certify=True, today=today)
    return made


def _annual_reviews(ctx: DemoContext, city: Actor) -> int:
    """This year's re-check: opened for every certified venue of the city, most self-reports in, some decided."""
    year = timezone.localdate().year
    with scope(**city.scope_kwargs()):
        opened = services.annual_reviews_open(actor=city, year=year)
        reviews = list(AnnualReview.objects.filter(year=year).select_related("venue__region__county").order_by("venue__code"))
    limit = ctx.pick(8, len(reviews), len(reviews))
    for i, review in enumerate(reviews[:limit]):
        county = _county_actor(review.venue)
        roll = ctx.rng.random()
        if i == 0:
            roll = 0.5  # the first is always reported and waits for the city's decision, whatever the draw
        if county is None or roll < 0.25:
            continue  # not reported yet
        with scope(**county.scope_kwargs()):
            services.annual_review_report(
                actor=county, review=review, opening_days=ctx.rng.randint(150, 300), visitors=ctx.rng.randint(800, 30000),
                activities=ctx.rng.randint(6, 40), report=f"{review.venue.name}{year}年按公示时间开放，开展科普讲座、展览和科普日活动，设施运行正常。",
            )  # fmt: skip
            if i % 5 == 0:
                services.annual_review_spot_check(actor=county, review=review, note="实地抽查：开放时间、标识、台账与自查一致。")
        if roll > 0.6:
            outcome = ReviewOutcome.WARN if roll > 0.95 else ReviewOutcome.KEEP
            with scope(**city.scope_kwargs()):
                services.annual_review_decide(actor=city, review=review, outcome=outcome,
                                              reason="开放天数不足，限期三个月整改" if outcome == ReviewOutcome.WARN else "")  # fmt: skip
    return opened
