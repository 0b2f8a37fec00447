"""What the volunteer tests share: volunteers of county A and B in the registry, recorders of three organisations
(a school of county A, the medical society, the city association through its 科普部 staff), activities that were
held, teams, and a quick way to credit a volunteer with confirmed hours through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from tests.factories import make_staff

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.roles import Role
from xinghuo.activities.models import Activity, ActivityStatus, Brand, Level
from xinghuo.core import id_numbers
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.talent.models import Person
from xinghuo.talent.services import person_create
from xinghuo.volunteers import services
from xinghuo.volunteers.models import ServiceRecord, Team

DAIMIAO = "370902001"  # 岱庙街道, 泰山区 (county A)
ZHOUDIAN = "370911001"  # 粥店街道, 岱岳区 (county B)
PHONE_A = "13712350001"
ID_A = id_numbers.make("370902", date(1990, 4, 2), 131)
PHONE_B = "13712350002"
ID_B = id_numbers.make("370911", date(1988, 9, 9), 242)


@dataclass
class Cast:
    city: Actor  # 市科协科普部 staff: acts for 市科协
    county_a: Actor
    county_b: Actor
    society: Actor  # the medical society's organiser
    school_a: Actor  # organiser of 岱庙街道中心小学 (county A)
    city_org: Organisation
    society_org: Organisation
    school_org: Organisation
    vol_a: Person  # a volunteer of 泰山区
    vol_b: Person  # a volunteer of 岱岳区

    def volunteer(self, name: str, serial: int, *, county: str = "a", roles: tuple[str, ...] = ("volunteer",)) -> Person:
        actor, code, town = (self.county_a, "370902", DAIMIAO) if county == "a" else (self.county_b, "370911", ZHOUDIAN)
        return person_create(
            actor=actor, name=name, region=Region.objects.get(code=town), phone=f"137124{serial:05d}",
            id_number=id_numbers.make(code, date(1980, 1, 1) + timedelta(days=serial), 100 + 2 * serial + 1), consent_given=True,
            roles=list(roles),
        )  # fmt: skip


def held_activity(organiser: Organisation, *, days_ago: int = 3, length_days: int = 0, title: str = "科普进社区") -> Activity:
    """An activity that was held `days_ago` (made directly: its own steps are the activity tests' business)."""
    start = (timezone.localtime() - timedelta(days=days_ago)).replace(hour=9, minute=0, second=0, microsecond=0)
    return Activity.unscoped.create(
        title=title, brand=Brand.objects.get(code="free"), level=Level.GRASSROOTS, organiser=organiser, region=organiser.region,
        address="社区活动中心", starts_at=start, ends_at=start + timedelta(days=length_days, hours=3), status=ActivityStatus.HELD,
        held_at=start + timedelta(hours=3),
    )  # fmt: skip


def team_of(actor: Actor, organisation: Organisation, name: str = "岱庙科普志愿服务队", members: tuple[Person, ...] = ()) -> Team:
    team = services.team_create(actor=actor, organisation=organisation, name=name)
    for person in members:
        services.member_add(actor=actor, team=team, person=person)
    return team


def credit(actor: Actor, team: Team, person: Person, hours: int | Decimal, *, ending: date | None = None) -> list[ServiceRecord]:
    """Confirmed hours for a member of `team`: a team service a day (at most 24 h each) on the days before `ending`."""
    left, day = Decimal(hours), (ending or timezone.localdate()) - timedelta(days=1)
    records = []
    while left > 0:
        chunk = min(left, Decimal(24))
        records.append(services.record_enter(actor=actor, volunteer=person, date=day, hours=chunk, content="社区科普宣讲", team=team))
        left -= chunk
        day -= timedelta(days=1)
    services.records_confirm(actor=actor, records=records)
    return records


@pytest.fixture
def cast(personas) -> Cast:
    school = make_staff("vol_school_a", personas.org_a, Role.ORGANISER)
    county_a = actor_for(personas.county_a)
    county_b = actor_for(personas.county_b)
    kw: dict[str, Any] = {"consent_given": True, "roles": ["volunteer"]}
    vol_a = person_create(actor=county_a, name="赵志愿", region=Region.objects.get(code=DAIMIAO), phone=PHONE_A, id_number=ID_A, **kw)
    vol_b = person_create(actor=county_b, name="钱志愿", region=Region.objects.get(code=ZHOUDIAN), phone=PHONE_B, id_number=ID_B, **kw)
    return Cast(
        city=actor_for(personas.city_staff), county_a=county_a, county_b=county_b, society=actor_for(personas.organiser),
        school_a=actor_for(school), city_org=Organisation.unscoped.get(code="KX370900"), society_org=personas.society,
        school_org=personas.org_a, vol_a=vol_a, vol_b=vol_b,
    )  # fmt: skip
