"""Demo people of the registry: one person, many roles, in every county, town and village of a city.

`small`: a few dozen people of Tai'an across its counties — experts, influencers, promoters, volunteers, information
officers, a science vice-principal, a child volunteer with a guardian. `city`: Tai'an's workforce, ≈25,000 people:
≈20,000 volunteers, ≈300 experts of the 泰山科普名家库 (most in agriculture and health, as the plan asks), ≈3,000
promoters each in a village of their own (most villages covered, not all: coverage is a real figure), ≈2,500
information officers, and the few influencers, outstanding figures, vice-principals, counsellors and reviewers;
many hold two roles. `province`: Tai'an as at `city`, and each other city of Shandong a fifth of it (≈100,000).

Written in bulk (one audited record a table). Phones come from a block kept for the demo (137 and a serial
number) and ID numbers are made up — a county's code, a birth date, a serial and the right check digit — so they
pass every check without being anyone's. Idempotent: seeded once."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from faker import Faker

from xinghuo.core import audit, id_numbers
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region, RegionLevel
from xinghuo.talent import consent
from xinghuo.talent.models import Expertise, Gender, Person, PersonRole, RoleKind

TAIAN = "370900"
#: people of a city by their first role, at `city` scale (province: Tai'an so, the other cities a fifth)
CITY_PLAN = {
    RoleKind.VOLUNTEER: 18_000, RoleKind.PROMOTER: 3_000, RoleKind.INFO_OFFICER: 2_800, RoleKind.EXPERT: 300,
    RoleKind.COUNSELLOR: 250, RoleKind.VICE_PRINCIPAL: 120, RoleKind.REVIEWER: 60, RoleKind.INFLUENCER: 25,
    RoleKind.OUTSTANDING: 25,
}  # fmt: skip
SMALL_PLAN = {
    RoleKind.VOLUNTEER: 14, RoleKind.PROMOTER: 8, RoleKind.INFO_OFFICER: 5, RoleKind.EXPERT: 16, RoleKind.COUNSELLOR: 2,
    RoleKind.VICE_PRINCIPAL: 1, RoleKind.REVIEWER: 1, RoleKind.INFLUENCER: 14, RoleKind.OUTSTANDING: 14,
}  # fmt: skip
OTHER_CITY_SHARE = 5  # at province scale another city has a fifth of Tai'an's people
#: a second role that people of a first role often hold too, and how often
SECOND_ROLE = {
    RoleKind.PROMOTER: (RoleKind.VOLUNTEER, 0.6), RoleKind.INFO_OFFICER: (RoleKind.VOLUNTEER, 0.5),
    RoleKind.EXPERT: (RoleKind.REVIEWER, 0.3), RoleKind.INFLUENCER: (RoleKind.VOLUNTEER, 0.5),
    RoleKind.OUTSTANDING: (RoleKind.EXPERT, 0.4), RoleKind.VICE_PRINCIPAL: (RoleKind.EXPERT, 0.5),
    RoleKind.COUNSELLOR: (RoleKind.VOLUNTEER, 0.4), RoleKind.VOLUNTEER: (RoleKind.INFO_OFFICER, 0.03),
}  # fmt: skip
#: ages (from, to) by first role
AGES = {
    RoleKind.VOLUNTEER: (18, 68), RoleKind.PROMOTER: (25, 62), RoleKind.INFO_OFFICER: (22, 60), RoleKind.EXPERT: (38, 72),
    RoleKind.COUNSELLOR: (26, 58), RoleKind.VICE_PRINCIPAL: (35, 60), RoleKind.REVIEWER: (40, 70), RoleKind.INFLUENCER: (22, 45),
    RoleKind.OUTSTANDING: (30, 70),
}  # fmt: skip
TITLES = {
    RoleKind.EXPERT: ["主任医师", "副主任医师", "研究员", "推广研究员", "教授", "副教授", "高级农艺师", "高级畜牧师", "高级工程师", "正高级工程师"],
    RoleKind.REVIEWER: ["研究员", "教授", "主任医师", "高级工程师"],
    RoleKind.VICE_PRINCIPAL: ["研究员", "高级工程师", "副教授", "高级农艺师"],
    RoleKind.COUNSELLOR: ["中学一级教师", "中学高级教师", "小学高级教师", "科技辅导员"],
    RoleKind.PROMOTER: ["村委会委员", "网格员", "乡村医生", "乡村教师", "农技员"],
    RoleKind.INFO_OFFICER: ["社区工作者", "村委会委员", "教师", "医生"],
    RoleKind.INFLUENCER: ["科普博主", "短视频创作者", "主持人"],
    RoleKind.OUTSTANDING: ["研究员", "高级农艺师", "主任医师", "中学高级教师"],
    RoleKind.VOLUNTEER: ["", "", "", "教师", "医生", "技术员", "大学生", "退休职工"],
}  # fmt: skip
#: fields of expertise, weighted: agriculture and health first, as the plan asks of the expert pool
FIELD_WEIGHTS = {
    Expertise.AGRICULTURE: 30, Expertise.HEALTH: 28, Expertise.NEW_TECH: 8, Expertise.ECOLOGY: 8, Expertise.SAFETY: 8,
    Expertise.AEROSPACE: 2, Expertise.IT: 7, Expertise.EDUCATION: 8, Expertise.OTHER: 1,
}  # fmt: skip
PHONE_BLOCK = "137"  # the demo's block of mobile numbers: 137 and an 8-digit serial (citizens have 13800…)


@dataclass
class City:
    code: str
    counties: list[Region]
    villages_by_county: dict[int, list[Region]]
    organisations: list[Organisation]


def _city(code: str) -> City | None:
    counties = list(Region.objects.filter(city__code=code, level=RegionLevel.COUNTY).order_by("code"))
    if not counties:
        return None
    villages: dict[int, list[Region]] = {c.pk: [] for c in counties}
    for village in Region.objects.filter(city__code=code, level=RegionLevel.VILLAGE).only("pk", "code", "county_id").order_by("code"):
        villages.setdefault(village.county_id, []).append(village)
    orgs = list(Organisation.unscoped.filter(is_active=True, region__city__code=code).only("pk").order_by("code")[:2000])
    return City(code=code, counties=counties, villages_by_county=villages, organisations=orgs)


def _plan(ctx: DemoContext, city_code: str) -> dict[str, int]:
    if ctx.scale == "small":
        return SMALL_PLAN
    share = 1 if city_code == TAIAN else OTHER_CITY_SHARE
    return {kind: max(1, n // share) for kind, n in CITY_PLAN.items()}


def _first_roles(plan: dict[str, int], rng: random.Random) -> Iterator[str]:
    kinds = [kind for kind, n in plan.items() for _ in range(n)]
    rng.shuffle(kinds)
    yield from kinds


def seed(ctx: DemoContext) -> dict[str, int]:
    if Person.unscoped.exists():
        return {}
    cities = ctx.shared.get("cities") or [TAIAN]
    rng, fake = random.Random(ctx.seed + 6), Faker("zh_CN")
    fake.seed_instance(ctx.seed + 6)
    surnames = sorted({fake.last_name() for _ in range(400)})
    given = sorted({fake.first_name() for _ in range(600)})
    text = consent.current()
    now, today = timezone.now(), timezone.localdate()
    people: list[Person] = []
    first: list[str] = []
    issued: set[str] = set()
    for code in sorted(cities, key=lambda c: c != TAIAN):
        city = _city(code)
        if city is None:
            continue
        promoters_placed: set[int] = set()
        for kind in _first_roles(_plan(ctx, code), rng):
            county = rng.choice(city.counties)
            villages = city.villages_by_county.get(county.pk) or [county]
            region = rng.choice(villages)
            if kind == RoleKind.PROMOTER:  # a promoter works in a village of their own while there are free ones
                free = [v for v in villages if v.pk not in promoters_placed]
                region = rng.choice(free) if free else region
                promoters_placed.add(region.pk)
            person = _person(rng, kind=kind, county=county, region=region, city=city, serial=len(people), issued=issued,
                             name=rng.choice(surnames) + rng.choice(given), consent_id=text.pk, now=now, today=today)  # fmt: skip
            people.append(person)
            first.append(kind)
        if ctx.scale == "small":
            people.append(_child(rng, city, serial=len(people), issued=issued, consent_id=text.pk, now=now, today=today))
            first.append(RoleKind.VOLUNTEER)
            break  # one city is plenty for tests
    with audit.bulk_write(model=Person, description="演示数据：人员库") as summary:
        Person.objects.bulk_create(people, batch_size=2000)
        summary["created"] = len(people)
    roles = list(_roles(rng, people, first, today))
    with audit.bulk_write(model=PersonRole, description="演示数据：人员角色") as summary:
        PersonRole.objects.bulk_create(roles, batch_size=5000)
        summary["created"] = len(roles)
    return {"人员": len(people), "人员角色": len(roles)}


def _birth(rng: random.Random, today: date, ages: tuple[int, int]) -> date:
    age = rng.randint(*ages)
    return date(today.year - age - 1, 1, 1) + timedelta(days=rng.randint(0, 364))


def _id_number(rng: random.Random, address: str, born: date, male: bool, issued: set[str]) -> str:
    while True:
        sequence = rng.randrange(1, 999)
        if (sequence % 2 == 1) != male:
            sequence += 1
        number = id_numbers.make(address, born, sequence)
        if number not in issued:
            issued.add(number)
            return number


def _fields(rng: random.Random, kind: str) -> list[str]:
    if kind == RoleKind.VOLUNTEER and rng.random() < 0.5:
        return []
    fields = list(FIELD_WEIGHTS)
    count = 1 if rng.random() < 0.7 else 2
    return list(dict.fromkeys(rng.choices(fields, weights=list(FIELD_WEIGHTS.values()), k=count)))


def _person(
    rng: random.Random, *, kind: str, county: Region, region: Region, city: City, serial: int, issued: set[str],
    name: str, consent_id: int, now: datetime, today: date,
) -> Person:  # fmt: skip
    male = rng.random() < (0.55 if kind != RoleKind.COUNSELLOR else 0.35)
    born = _birth(rng, today, AGES[kind])
    number = _id_number(rng, county.code, born, male, issued)
    expert_like = kind in (RoleKind.EXPERT, RoleKind.REVIEWER, RoleKind.VICE_PRINCIPAL, RoleKind.OUTSTANDING)
    org = rng.choice(city.organisations) if city.organisations and (expert_like or rng.random() < 0.15) else None
    person = Person(
        name=name, gender=Gender.MALE if male else Gender.FEMALE, birth_year=born.year, organisation=org,
        title=rng.choice(TITLES[kind]), region=region, phone=f"{PHONE_BLOCK}{serial:08d}", id_number=number,
        consent_id=consent_id, consent_at=now - timedelta(days=rng.randint(1, 900)),
    )  # fmt: skip
    person.fields = _fields(rng, kind) if kind != RoleKind.EXPERT else _fields(rng, RoleKind.EXPERT) or [Expertise.AGRICULTURE]
    return person


def _child(rng: random.Random, city: City, *, serial: int, issued: set[str], consent_id: int, now: datetime, today: date) -> Person:
    """A pupil volunteer under 14, entered with the guardian's name, phone and consent."""
    county = city.counties[0]
    born = date(today.year - 11, 3, 15)
    return Person(
        name="王小雨", gender=Gender.FEMALE, birth_year=born.year, region=rng.choice(city.villages_by_county.get(county.pk) or [county]),
        id_number=_id_number(rng, county.code, born, False, issued), consent_id=consent_id, consent_at=now,
        guardian_name="王建华", guardian_phone=f"{PHONE_BLOCK}{serial:08d}", guardian_consent_at=now, fields=[Expertise.EDUCATION],
    )  # fmt: skip


def _roles(rng: random.Random, people: list[Person], first: list[str], today: date) -> Iterator[PersonRole]:
    for person, kind in zip(people, first, strict=True):
        since = today - timedelta(days=rng.randint(0, 3 * 365))
        yield PersonRole(person=person, kind=kind, since=since)
        second, share = SECOND_ROLE.get(kind, (None, 0.0))
        if second is not None and second != kind and rng.random() < share:
            yield PersonRole(person=person, kind=second, since=since + timedelta(days=rng.randint(0, (today - since).days)))
