"""What the 点单式科普 tests share: the people-registry cast, a school of county A that asks, experts entered through the
registry's services, and a request made through the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.personas import make_staff

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.roles import Role
from xinghuo.core import id_numbers
from xinghuo.regions.models import Region
from xinghuo.talent.models import Person
from xinghuo.talent.tests.conftest import Cast
from xinghuo.talent.tests.conftest import cast as cast  # the fixture, shared with the people registry
from xinghuo.talks import services
from xinghuo.talks.models import TalkRequest

DAIMIAO, ZHOUDIAN = "370902001", "370911001"  # 岱庙街道 (county A), 粥店街道 (county B)
_serial = iter(range(500, 999))


@dataclass
class Scene:
    cast: Cast
    school: Actor  # an organiser: the school in 岱庙街道 (county A)
    school_b: Actor  # an organiser: the school in 粥店街道 (county B)


@pytest.fixture
def scene(personas, cast) -> Scene:
    return Scene(
        cast=cast, school=actor_for(make_staff("talk_school", personas.org_a, Role.ORGANISER)),
        school_b=actor_for(make_staff("talk_school_b", personas.org_b, Role.ORGANISER)),
    )  # fmt: skip


def expert(cast: Cast, name: str, *, county_b: bool = False, fields: tuple[str, ...] = ("health",), title: str = "主任医师") -> Person:
    serial = next(_serial)
    county, town = ("370911", ZHOUDIAN) if county_b else ("370902", DAIMIAO)
    return cast.enter(
        cast.county_b if county_b else cast.county_a, name=name, region=Region.objects.get(code=town), phone=f"1381234{serial:04d}",
        id_number=id_numbers.make(county, date(1970, 1, 1) + timedelta(days=serial), serial), fields=list(fields), title=title,
        roles=["expert"],
    )  # fmt: skip


def in_days(days: int, hour: int = 14) -> datetime:
    return (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def ask(scene: Scene, *, actor: Actor | None = None, **overrides: Any) -> TalkRequest:
    """The school of 岱庙街道 asks for a talk on hypertension for the elderly, in a week or two."""
    actor = actor or scene.school
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "requester": actor.membership.organisation, "region": Region.objects.get(code=DAIMIAO), "topic": "高血压的家庭管理",
        "field": "health", "audience": "elderly", "expected_size": 80, "wanted_from": today + timedelta(days=7),
        "wanted_until": today + timedelta(days=14), "contact_name": "刘老师", "contact_phone": "13912345678",
        "address": "岱庙街道中心小学礼堂",
    }  # fmt: skip
    fields.update(overrides)
    return services.talk_request(actor=actor, **fields)
