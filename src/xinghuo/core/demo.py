"""Demo data: `manage.py seed_demo --scale small|city|province [--seed N]`.

Deterministic for a given seed. Each module contributes a seeder, listed in SEEDERS in dependency order;
a seeder is `seed(ctx: DemoContext) -> dict[str, int]` (what it made, for the printed summary) and must be
idempotent: a second run adds nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.module_loading import import_string
from faker import Faker

SCALES = ("small", "city", "province")

SEEDERS = [
    "xinghuo.regions.demo.seed",
    "xinghuo.organisations.demo.seed",
    "xinghuo.accounts.demo.seed",
    "xinghuo.portal.demo.seed",
    "xinghuo.venues.demo.seed",
    "xinghuo.certification.demo.seed",
    "xinghuo.tours.demo.seed",
    "xinghuo.activities.demo.seed",
    "xinghuo.resources.demo.seed",
    "xinghuo.talent.demo.seed",
    "xinghuo.promoters.demo.seed",
    "xinghuo.talks.demo.seed",
    "xinghuo.experts.demo.seed",
    "xinghuo.officers.demo.seed",
    "xinghuo.volunteers.demo.seed",
    "xinghuo.worklist.demo.seed",
    "xinghuo.projects.demo.seed",
]

DEMO_PASSWORD = "Xinghuo@2026"  # satisfies the staff policy; the demo prints it with the logins


@dataclass
class DemoContext:
    scale: str
    seed: int
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, login, note)
    shared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(self.seed)

    def pick(self, small: int, city: int, province: int) -> int:
        return {"small": small, "city": city, "province": province}[self.scale]


def run(scale: str, seed: int) -> DemoContext:
    if scale not in SCALES:
        raise ValueError(f"规模应为 {', '.join(SCALES)} 之一")
    ctx = DemoContext(scale=scale, seed=seed)
    ctx.shared["summary"] = {}
    for path in SEEDERS:
        with transaction.atomic():  # a seeder that fails leaves nothing behind, so the next run does it whole
            made = import_string(path)(ctx)
        ctx.shared["summary"][path.split(".")[1]] = made
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # a row lock taken earlier in this transaction set a 3 s lock_timeout
                cursor.execute("SET LOCAL lock_timeout = 0")
            cursor.execute("ANALYZE")  # fresh planner statistics: a bulk-loaded table otherwise looks empty to it
    return ctx
