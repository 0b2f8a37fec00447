"""What the activity tests share: a school in 泰山区 (county A) that files activities, the actors of every step, and
activities made through the services and walked to the step a test needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.factories import make_staff

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.roles import Role
from xinghuo.activities import services
from xinghuo.activities.models import Activity, Brand, Format, Level
from xinghuo.core.scoping import scope
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues.tests.conftest import fresh_map_cache, make_venue  # noqa: F401  (fixtures shared with the venue tests)

DAIMIAO = "370902001"  # 岱庙街道, a town of 泰山区 (county A)
ZHOUDIAN = "370911001"  # 粥店街道, a town of 岱岳区 (county B)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
SUMMARY = "活动邀请市医学会专家讲解慢性病防治知识，现场互动问答，发放科普资料三百余份。"


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class Cast:
    filer: Actor  # 填报单位: the school in 岱庙街道 (泰山区)
    county_a: Actor  # 泰山区科协
    county_b: Actor  # 岱岳区科协: the outsider
    city: Actor  # 市科协科普部
    filer_b: Actor  # the school in 粥店街道 (岱岳区)
    org_a: Organisation
    org_b: Organisation


@pytest.fixture
def cast(personas) -> Cast:
    filer = make_staff("activity_filer", personas.org_a, Role.ORGANISER)
    filer_b = make_staff("activity_filer_b", personas.org_b, Role.ORGANISER)
    return Cast(
        filer=actor_for(filer), county_a=actor_for(personas.county_a), county_b=actor_for(personas.county_b),
        city=actor_for(personas.city_staff), filer_b=actor_for(filer_b), org_a=personas.org_a, org_b=personas.org_b,
    )  # fmt: skip


def acting_as(actor: Actor):
    return scope(**actor.scope_kwargs())


def brand(code: str = "smart_elderly") -> Brand:
    return Brand.objects.get(code=code)


def soon(days: int = 3, hour: int = 9) -> datetime:
    return (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def fields(**overrides: Any) -> dict[str, Any]:
    """A grassroots 智惠助老 lecture in 岱庙街道 three days from now, for the elderly, on health."""
    start = overrides.pop("starts_at", soon())
    values = {
        "title": "智能手机防诈骗讲座", "brand": brand(), "level": Level.GRASSROOTS, "format": Format.OFFLINE,
        "region": Region.objects.get(code=DAIMIAO), "address": "岱庙街道社区活动中心", "starts_at": start,
        "ends_at": start + timedelta(hours=2), "audiences": ["elderly"], "topics": ["anti_fraud", "health"], "capacity": 60,
    }  # fmt: skip
    values.update(overrides)
    return values


def draft(actor: Actor, organiser: Organisation, **overrides: Any) -> Activity:
    with acting_as(actor):
        return services.activity_create(actor=actor, organiser=organiser, **fields(**overrides))


def published(cast: Cast, **overrides: Any) -> Activity:
    """A grassroots activity of county A (or a city one, with level=city), submitted and approved."""
    activity = draft(cast.filer, cast.org_a, **overrides)
    services.activity_submit(actor=cast.filer, activity=activity)
    approver = cast.city if activity.level == Level.CITY else cast.county_a
    return services.activity_review(actor=approver, activity=activity, approve=True)


def reported(cast: Cast, **overrides: Any) -> Activity:
    activity = published(cast, **overrides)
    services.activity_mark_held(actor=cast.filer, activity=activity, now=activity.starts_at + timedelta(minutes=5))
    return services.activity_report(actor=cast.filer, activity=activity, attendance=80, online_views=None, summary=SUMMARY, photos=[png()])


def verified(cast: Cast, **overrides: Any) -> Activity:
    activity = reported(cast, **overrides)
    approver = cast.city if activity.level == Level.CITY else cast.county_a
    return services.activity_verify(actor=approver, activity=activity, approve=True)
