"""Demo activities: a city's year under the city's brands, at every step — verified ones that count toward the
brands' targets, reported ones waiting for verification, held, published (open for sign-up, some full with a
waiting line), submitted, returned and drafts — and the citizens' registrations.

`small`: two dozen activities in Tai'an, each walked through the services as staff and filers would (with report
photos), and a handful of registrations through the registration services (confirmed, a school group, a minor
with a guardian, one on the waiting list, one cancelled, some checked in at the door). `city`: the same, then
Tai'an's year written in bulk (`year`): ≈3,000 activities of every county and town, thousands of registrations.
`province`: the same year for each of the 16 cities of Shandong, ≈48,000 activities. Idempotent: seeded once."""

from __future__ import annotations

from django.utils import timezone

from xinghuo.activities.demo.cast import CITY, Cast, cast_for, citizens_by_city
from xinghuo.activities.demo.walkthrough import through_services
from xinghuo.activities.demo.year import write_years
from xinghuo.activities.models import Activity, Brand
from xinghuo.core.demo import DemoContext


def seed(ctx: DemoContext) -> dict[str, int]:
    if Activity.unscoped.exists():
        return {}
    brands = {b.code: b for b in Brand.objects.all()}
    cities = ctx.shared.get("cities") or [CITY]
    citizens = citizens_by_city(cities)
    casts: list[Cast] = []
    for code in sorted(cities, key=lambda c: c != CITY):  # Tai'an first: its activities go through the services
        if (cast := cast_for(code, brands)) is not None:
            cast.citizens = citizens.get(code, [])
            casts.append(cast)
    if not casts or casts[0].code != CITY:
        return {}
    now = timezone.now()
    activities, registrations = through_services(ctx, casts[0], now)
    if ctx.scale != "small":
        more, signed = write_years(ctx, casts, now)
        activities, registrations = activities + more, registrations + signed
    return {"科普活动": activities, "活动报名": registrations}
