"""Demo villages of the promoters: each serving promoter of the people registry (talent's demo puts each in a
village of their own) covers that village, and four in ten also a village of the same town that nobody covers yet.
So most villages are covered and some are not, unevenly by town: the coverage figures and the list of villages
without a promoter tell a real story. Written in bulk (one audited record); idempotent: seeded once."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.promoters.models import PromoterArea
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent.models import Person, RoleKind, RoleStatus

SECOND_VILLAGE = 0.4  # the share of promoters who also cover a second village of their town


def seed(ctx: DemoContext) -> dict[str, int]:
    if PromoterArea.unscoped.exists():
        return {}
    rng = ctx.rng
    today = timezone.localdate()
    promoters = list(
        Person.unscoped.filter(roles__kind=RoleKind.PROMOTER, roles__status=RoleStatus.ACTIVE, region__level=RegionLevel.VILLAGE)
        .order_by("id").values_list("id", "region_id", "region__town_id")
    )  # fmt: skip
    by_town: dict[int, list[int]] = defaultdict(list)
    for village_id, town_id in Region.objects.filter(level=RegionLevel.VILLAGE, town__isnull=False).values_list("id", "town_id"):
        by_town[town_id].append(village_id)
    covered: set[int] = {village_id for _, village_id, _ in promoters}
    areas = []
    for person_id, village_id, town_id in promoters:
        since = today - timedelta(days=rng.randint(30, 900))
        areas.append(PromoterArea(person_id=person_id, village_id=village_id, since=since))
        if rng.random() < SECOND_VILLAGE:
            free = [v for v in by_town.get(town_id, []) if v not in covered]
            if free:
                second = rng.choice(free)
                covered.add(second)
                areas.append(PromoterArea(person_id=person_id, village_id=second, since=since + timedelta(days=rng.randint(0, 25))))
    with audit.bulk_write(model=PromoterArea, description="演示数据：宣传员负责区域") as summary:
        PromoterArea.unscoped.bulk_create(areas, batch_size=5000)
        summary["created"] = len(areas)
    return {"宣传员负责区域": len(areas)}
