"""Demo data of volunteers: teams, three years of service records, star levels with their notices and certificates.

Built on the registry's demo volunteers (talent.demo) and the activities' demo (records at activities are kept by
their organisers, on the day they were held). `small`: a team for the demo society (login xuehui_org) and for each
county association, a few hundred records, a couple of stars awarded and a notice open with an objection, a service
certificate. `city`: Tai'an's ≈20,000 volunteers in ≈650 teams (one to three teams each), ≈1,000,000 records —
some volunteers far more active than others, so that every star level is reached —, the stars earned by the hours of
six months ago awarded with their certificates, and a notice open today for a few who crossed a level since (the
rest wait for the city to run the computation: that is what `make bench` times). At every scale, the city's rule
of an outstanding volunteer of the year (≥ 150 confirmed hours) and last year's commended under it.

`province`: Tai'an as at `city` and nothing for the other cities — their volunteers are in the registry, but a
million records a city would make the demo take an hour and tell nothing the home city does not.

Written in bulk: each table under one audited bulk record (records by PostgreSQL's COPY where available). Idempotent:
seeded once. Deterministic for a seed, but for the certificate numbers: random by design, as in use."""

from __future__ import annotations

import io
import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.models import Membership, User
from xinghuo.activities.models import Activity
from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.core.workdays import nth_working_day
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.regions.models import Region
from xinghuo.talent.models import PersonRole, RoleKind, RoleStatus
from xinghuo.volunteers.models import (
    NOTICE_WORKING_DAYS,
    AwardStatus,
    Certificate,
    CertificateKind,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    StarAward,
    StarObjection,
    Team,
    TeamMembership,
    VolunteerHours,
    star_for,
)
from xinghuo.volunteers.services import RECORDABLE_ACTIVITY, commendation_rule_create, commendations_grant, new_number

TAIAN = "370900"
RECORDS = {"small": 450, "city": 1_000_000, "province": 1_000_000}
VOLUNTEERS_PER_TEAM = 32
MAX_RECORDS = 900  # one record a day at most, over three years
DAYS = 3 * 365
HOURS = [Decimal(h) for h in ("1", "1.5", "2", "2", "2", "2.5", "3", "3", "3", "4", "4", "5", "6", "8")]
CONTENTS = [
    "科普展品讲解", "社区科普宣讲", "科普大篷车进村服务", "青少年科学实验辅导", "老年人智能手机使用辅导", "防诈骗知识宣传",
    "农业技术田间指导", "健康义诊与科普", "科普活动现场引导", "应急安全知识演示", "科普资料发放", "科技馆志愿讲解",
]  # fmt: skip
TEAM_WORDS = ["科普志愿服务队", "科技志愿服务队", "科普宣讲队", "科普讲解服务队", "青年科技志愿服务队"]
COPY_COLUMNS = (
    "uid", "created_at", "updated_at", "volunteer_id", "date", "hours", "content", "activity_id", "team_id", "organisation_id",
    "status", "source", "confirmed_at",
)  # fmt: skip
CHUNK = 50_000


def seed(ctx: DemoContext) -> dict[str, int]:
    if Team.unscoped.exists():
        return {}
    city = Region.objects.filter(code=TAIAN).first()
    if city is None:
        return {}
    rng = random.Random(ctx.seed + 7)
    volunteers = list(
        PersonRole.unscoped.filter(city.subtree_q("person__region"), kind=RoleKind.VOLUNTEER, status=RoleStatus.ACTIVE)
        .order_by("person_id")
        .values_list("person_id", "person__region__county_id")
    )  # fmt: skip
    if not volunteers:
        return {}
    today = timezone.localdate()
    teams = _teams(ctx, rng, city, len(volunteers))
    members = _memberships(rng, teams, volunteers, today)
    activities = _activities_by_day(city, today)
    totals, then, written = _records(ctx, rng, members, activities, today)
    made = {
        "志愿服务队": len(teams),
        "服务队成员": sum(len(v) for v in members.values()),
        "志愿服务记录": written,
    }
    made |= _stars(ctx, rng, teams, members, totals, then, today)
    made |= _commendations(today)
    return made


def _commendations(today: date) -> dict[str, int]:
    """The city's rule of an outstanding volunteer of the year, and last year's commended under it."""
    staff = User.objects.filter(username="kepu").first()
    if staff is None:
        return {}
    city = actor_for(staff)
    rule = commendation_rule_create(actor=city, name="年度优秀科技志愿者", min_year_hours="150",
                                    description="年度内经服务组织单位确认的志愿服务时长累计不少于 150 小时")  # fmt: skip
    return {"志愿服务嘉许": commendations_grant(actor=city, rule=rule, year=today.year - 1, today=today)}


def _teams(ctx: DemoContext, rng: random.Random, city: Region, volunteers: int) -> list[Team]:
    """The demo society and every county association first (their logins show a team), then organisations at random."""
    first = [m.organisation for m in Membership.objects.filter(user__username="xuehui_org").select_related("organisation")]
    first += list(
        Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, region__city=city, is_active=True).order_by("code")
    )
    wanted = len(first) if ctx.scale == "small" else max(len(first), volunteers // VOLUNTEERS_PER_TEAM)
    pool = list(
        Organisation.unscoped.filter(city.subtree_q("region"), is_active=True)
        .exclude(kind__in=(OrganisationKind.CITY_ASSOCIATION, OrganisationKind.DEPARTMENT))
        .select_related("region")
        .order_by("code")
    )
    organisations = first + rng.sample(pool, min(len(pool), max(0, wanted - len(first))))
    teams, used = [], set()
    for org in organisations:
        short = org.short_name or org.name
        name = f"{short}{rng.choice(TEAM_WORDS)}"
        while (org.pk, name) in used:
            name = f"{short}{rng.choice(TEAM_WORDS)}{len(used) % 9 + 2}"
        used.add((org.pk, name))
        teams.append(Team(organisation=org, name=name[:100], description="由本单位科技志愿者组成，常年开展科普志愿服务。"))
    with audit.bulk_write(model=Team, description="演示数据：志愿服务队") as summary:
        Team.unscoped.bulk_create(teams, batch_size=2000)
        summary["created"] = len(teams)
    return teams


def _memberships(rng: random.Random, teams: list[Team], volunteers: list[tuple[int, int]], today: date) -> dict[int, list[Team]]:
    """Each volunteer in one to three teams: of their county, or city-wide (a city society's)."""
    by_county: dict[int, list[Team]] = defaultdict(list)
    for team in teams:
        by_county[team.organisation.region.county_id or 0].append(team)
    members: dict[int, list[Team]] = {}
    rows = []
    for person_id, county_id in volunteers:
        near = [*by_county.get(county_id, []), *by_county.get(0, [])] or teams  # a city-level team takes anyone
        count = min(len(near), rng.choices((1, 2, 3), weights=(70, 22, 8))[0])
        chosen = rng.sample(near, count)
        members[person_id] = chosen
        rows += [
            TeamMembership(team=t, person_id=person_id, joined_on=today - timedelta(days=rng.randint(DAYS, DAYS + 400))) for t in chosen
        ]
    with audit.bulk_write(model=TeamMembership, description="演示数据：服务队成员") as summary:
        TeamMembership.unscoped.bulk_create(rows, batch_size=5000)
        summary["created"] = len(rows)
    return members


def _activities_by_day(city: Region, today: date) -> dict[date, list[tuple[int, int]]]:
    by_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
    rows = Activity.unscoped.filter(city.subtree_q("region"), status__in=RECORDABLE_ACTIVITY, starts_at__lt=timezone.now()).values_list(
        "pk", "organiser_id", "starts_at"
    )
    for pk, organiser_id, starts_at in rows:
        by_day[timezone.localdate(starts_at)].append((pk, organiser_id))
    return by_day


def _records(
    ctx: DemoContext, rng: random.Random, members: dict[int, list[Team]], activities: dict[date, list[tuple[int, int]]], today: date
) -> tuple[dict[int, tuple[Decimal, int]], dict[int, Decimal], int]:
    """Three years of service, a record a day at most for each volunteer; the most active serve far more than most.
    Returns each volunteer's confirmed (hours, records), their confirmed hours of six months ago, and the records."""
    people = sorted(members)
    counts = _counts([rng.paretovariate(1.3) for _ in people], RECORDS[ctx.scale])
    cutoff = today - timedelta(days=182)
    tz = timezone.get_current_timezone()
    totals: dict[int, tuple[Decimal, int]] = {}
    then: dict[int, Decimal] = {}
    written = 0

    def rows():
        for person_id, n in zip(people, counts, strict=True):
            teams = members[person_id]
            hours_sum, count, before = Decimal(0), 0, Decimal(0)
            for ago in rng.sample(range(1, DAYS + 1), n):
                day = today - timedelta(days=ago)
                held = activities.get(day)
                if held and (not teams or rng.random() < 0.4):
                    activity_id, organisation_id = rng.choice(held)
                    team_id = None
                elif teams:
                    team = rng.choice(teams)
                    activity_id, team_id, organisation_id = None, team.pk, team.organisation_id
                else:
                    continue
                hours = rng.choice(HOURS)
                confirmed = ago > 10 or rng.random() < 0.3
                at = datetime.combine(day + timedelta(days=rng.randint(1, 5)), time(10, 0), tz) if confirmed else None
                if confirmed:
                    hours_sum, count = hours_sum + hours, count + 1
                    before += hours if day < cutoff else 0
                created = datetime.combine(day, time(20, 0), tz)
                yield (uuid.UUID(int=rng.getrandbits(128), version=4), created, at or created, person_id, day, hours, rng.choice(CONTENTS),
                       activity_id, team_id, organisation_id, RecordStatus.CONFIRMED if confirmed else RecordStatus.ENTERED,
                       RecordSource.FORM, at)  # fmt: skip
            if count:
                totals[person_id] = (hours_sum, count)
                then[person_id] = before

    with audit.bulk_write(model=ServiceRecord, description="演示数据：志愿服务记录（近三年）") as summary:
        if connection.vendor == "postgresql":
            written = _copy(rows())
        else:
            batch: list[ServiceRecord] = []
            for row in rows():
                batch.append(ServiceRecord(**dict(zip(COPY_COLUMNS, row, strict=True))))
                if len(batch) >= 5000:
                    written += len(ServiceRecord.unscoped.bulk_create(batch))
                    batch = []
            written += len(ServiceRecord.unscoped.bulk_create(batch))
        summary["created"] = written
    hours_rows = [VolunteerHours(person_id=p, confirmed_hours=h, records=n) for p, (h, n) in totals.items()]
    with audit.bulk_write(model=VolunteerHours, description="演示数据：志愿服务累计时长") as summary:
        VolunteerHours.unscoped.bulk_create(hours_rows, batch_size=5000)
        summary["created"] = len(hours_rows)
    return totals, then, written


def _counts(weights: list[float], target: int) -> list[int]:
    """How many records each volunteer has: in proportion to their weight, at most MAX_RECORDS, at least one; what the
    cap cuts off the most active is spread over the others, so that the total comes near the target."""
    scale = target / sum(weights)
    counts = [1] * len(weights)
    for _ in range(6):
        counts = [max(1, min(MAX_RECORDS, round(w * scale))) for w in weights]
        short = target - sum(counts)
        free = sum(w for w, c in zip(weights, counts, strict=True) if c < MAX_RECORDS)
        if short <= target // 100 or not free:
            break
        scale += short / free
    return counts


def _copy(rows) -> int:
    """The rows into the records table by COPY (text format), in chunks: a million rows in seconds, not minutes."""
    table = ServiceRecord._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for n, row in enumerate(rows, start=1):
                buffer.write("\t".join(r"\N" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in row))
                buffer.write("\n")
                if n % CHUNK == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                written = n
            copy.write(buffer.getvalue())
    return written


def _stars(
    ctx: DemoContext,
    rng: random.Random,
    teams: list[Team],
    members: dict[int, list[Team]],
    totals: dict[int, tuple[Decimal, int]],
    then: dict[int, Decimal],
    today: date,
) -> dict[str, int]:
    """The stars earned by the hours of six months ago, awarded then with their certificates; a notice open today for a
    few who have crossed a level since (one of them with an objection, in `small`)."""
    names = {}
    for person_id, name in PersonRole.unscoped.filter(person_id__in=list(totals), kind=RoleKind.VOLUNTEER).values_list(
        "person_id", "person__name"
    ):
        names[person_id] = name
    awarded_on = today - timedelta(days=180)
    notice_starts = awarded_on - timedelta(days=10)
    issuer = Organisation.unscoped.get(code="KX370900")
    awards, noticed = [], []
    for person_id, (hours, _) in sorted(totals.items()):
        level_then, level_now = star_for(then.get(person_id, Decimal(0))), star_for(hours)
        team_names = "、".join(t.name for t in members.get(person_id, []))[:300]
        if level_then:
            awards.append(StarAward(person_id=person_id, level=level_then, hours=then[person_id], teams=team_names, status=AwardStatus.AWARDED,
                                    notice_starts=notice_starts, notice_ends=nth_working_day(notice_starts, NOTICE_WORKING_DAYS),
                                    awarded_on=awarded_on))  # fmt: skip
        if level_now > level_then and len(noticed) < ctx.pick(3, 12, 12):
            noticed.append(StarAward(person_id=person_id, level=level_now, hours=hours, teams=team_names, notice_starts=today,
                                     notice_ends=nth_working_day(today, NOTICE_WORKING_DAYS)))  # fmt: skip
    with audit.bulk_write(model=StarAward, description="演示数据：星级志愿者") as summary:
        StarAward.unscoped.bulk_create(awards + noticed, batch_size=5000)
        summary["awarded"], summary["noticed"] = len(awards), len(noticed)
    certificates = [
        Certificate(
            number=new_number(CertificateKind.STAR),
            kind=CertificateKind.STAR,
            person_id=a.person_id,
            name=names.get(a.person_id, ""),
            award=a,
            level=a.level,
            hours=a.hours,
            issued_on=awarded_on,
            issuer=issuer.name,
        )
        for a in awards
    ]
    with audit.bulk_write(model=Certificate, description="演示数据：星级志愿者证书") as summary:
        Certificate.unscoped.bulk_create(certificates, batch_size=5000)
        summary["created"] = len(certificates)
    if ctx.scale == "small" and noticed:
        staff = Membership.objects.filter(user__username="kepu").select_related("user").first()
        if staff is not None:
            StarObjection(award=noticed[0], content="听说该志愿者有部分服务时长是补登的，请核实。", channel="phone", contact_name="王先生",
                          contact_phone="13800009999", received_on=today, recorded_by=staff.user).save()  # fmt: skip
    return {"星级志愿者": len(awards), "星级公示": len(noticed), "星级证书": len(certificates)}
