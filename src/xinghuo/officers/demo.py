"""Demo officers of 科普中国 and their monthly figures: every person of the people registry's demo who holds the
INFO_OFFICER role is registered — with an account, under their county's association (or their own organisation), on
the day their role began — and has figures for each month since, up to last month: 6 months at `small`, 12 at `city`
and `province` (talent's demo decides how many people: ≈2,800 officers in Tai'an, a fifth of that in each other city).

The figures are skewed as such figures are: about one officer in five never shares, most share a few times a month and
some months not at all, and a few share a great deal (a Pareto tail). Reads follow shares, likes follow reads. Written
in bulk (one audited record a table); idempotent: seeded once."""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.officers.models import InfoOfficer, MonthlyFigures
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.talent.models import PersonRole, RoleKind, RoleStatus

SILENT = 0.2  # the share of officers who never share
MONTHS = {"small": 6, "city": 12, "province": 12}


def last_months(today: date, n: int) -> list[tuple[int, int]]:
    """The n months before this one, oldest first (a month's figures arrive after it ends)."""
    months, year, month = [], today.year, today.month
    for _ in range(n):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append((year, month))
    return months[::-1]


def _month_figures(rng: random.Random, intensity: float) -> tuple[int, int, int]:
    if intensity == 0 or rng.random() < 0.25:  # a month without a share
        reads = rng.randint(0, 20) if intensity else 0
        return 0, reads, rng.randint(0, reads // 20)
    shares = max(1, int(rng.expovariate(1 / intensity)))
    reads = int(shares * rng.lognormvariate(3.0, 0.8))
    return shares, reads, int(reads * rng.uniform(0.01, 0.06))


def seed(ctx: DemoContext) -> dict[str, int]:
    if InfoOfficer.unscoped.exists():
        return {}
    rng = random.Random(ctx.seed + 61)
    today = timezone.localdate()
    roles = list(
        PersonRole.unscoped.filter(kind=RoleKind.INFO_OFFICER, status=RoleStatus.ACTIVE).order_by("person_id")
        .values_list("person_id", "since", "person__organisation_id", "person__region__county_id", "person__region__city_id")
    )  # fmt: skip
    if not roles:
        return {}
    codes = dict(Region.objects.filter(level__in=("city", "county")).values_list("pk", "code"))
    associations = dict(Organisation.unscoped.filter(code__startswith="KX").values_list("code", "pk"))
    officers = []
    for serial, (person_id, since, org_id, county_id, city_id) in enumerate(roles, start=1):
        home = associations.get(f"KX{codes.get(county_id, '')}") or associations.get(f"KX{codes.get(city_id, '')}")
        organisation = org_id if org_id and rng.random() < 0.3 else home or org_id
        if organisation is None:
            continue
        officers.append(InfoOfficer(person_id=person_id, account=f"kpzg{serial:06d}", organisation_id=organisation, registered_on=since))
    with audit.bulk_write(model=InfoOfficer, description="演示数据：科普中国信息员") as summary:
        InfoOfficer.unscoped.bulk_create(officers, batch_size=2000)
        summary["created"] = len(officers)
    months = last_months(today, MONTHS[ctx.scale])
    figures: list[MonthlyFigures] = []
    for officer in InfoOfficer.unscoped.order_by("pk").only("pk", "registered_on"):
        intensity = 0.0 if rng.random() < SILENT else rng.paretovariate(1.3) * 1.5
        start = (officer.registered_on.year, officer.registered_on.month)
        for year, month in months:
            if (year, month) < start:
                continue
            shares, reads, likes = _month_figures(rng, intensity)
            figures.append(MonthlyFigures(officer_id=officer.pk, year=year, month=month, shares=shares, reads=reads, likes=likes))
    with audit.bulk_write(model=MonthlyFigures, description="演示数据：信息员传播数据") as summary:
        MonthlyFigures.unscoped.bulk_create(figures, batch_size=5000)
        summary["created"] = len(figures)
    return {"科普中国信息员": len(officers), "信息员传播数据": len(figures)}
