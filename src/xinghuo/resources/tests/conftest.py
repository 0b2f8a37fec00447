"""What the resource tests share: a school in 泰山区 (county A) that contributes resources, the staff of every
step, an expert of the health field in the review pool, and resources walked to the step a test needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.factories import make_staff

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.roles import Role
from xinghuo.core.scoping import scope
from xinghuo.organisations.models import Organisation
from xinghuo.resources import services
from xinghuo.resources.models import Field, Kind, Resource

ARTICLE = (
    "<p>高血压是最常见的慢性病之一。成年人安静状态下收缩压达到 140 毫米汞柱或舒张压达到 90 毫米汞柱，即可诊断为高血压。"
    "控制高血压要做到限盐、限酒、规律运动、保持健康体重，并在医生指导下规范服药，不可自行停药。</p>"
    "<p>家庭自测血压应在安静休息五分钟后进行，连续测量两次取平均值，并做好记录，复诊时带给医生参考。</p>"
)


@dataclass
class Cast:
    contributor: Actor  # 填报单位: the school in 岱庙街道 (泰山区)
    contributor_b: Actor  # the school in 粥店街道 (岱岳区)
    county_a: Actor
    county_b: Actor
    city: Actor
    expert: Actor  # a health expert of the pool, a member of county B's school (not the contributor)
    other_expert: Actor  # an agriculture expert
    org_a: Organisation
    org_b: Organisation


@pytest.fixture
def cast(personas) -> Cast:
    contributor = make_staff("resource_contributor", personas.org_a, Role.ORGANISER)
    contributor_b = make_staff("resource_contributor_b", personas.org_b, Role.ORGANISER)
    expert = make_staff("health_expert", personas.org_b, Role.REVIEWER)
    other = make_staff("farm_expert", personas.org_b, Role.REVIEWER)
    city = actor_for(personas.city_staff)
    services.reviewer_set(actor=city, user=expert, fields=[Field.HEALTH, Field.LIFE], title="泰安市中心医院 主任医师")
    services.reviewer_set(actor=city, user=other, fields=[Field.AGRICULTURE], title="山东农业大学 教授")
    return Cast(
        contributor=actor_for(contributor), contributor_b=actor_for(contributor_b), county_a=actor_for(personas.county_a),
        county_b=actor_for(personas.county_b), city=city, expert=actor_for(expert), other_expert=actor_for(other),
        org_a=personas.org_a, org_b=personas.org_b,
    )  # fmt: skip


def acting_as(actor: Actor):
    return scope(**actor.scope_kwargs())


def fields(**overrides: Any) -> dict[str, Any]:
    values = {
        "title": "高血压的家庭管理", "kind": Kind.ARTICLE, "field": Field.HEALTH, "summary": "认识高血压，学会家庭自测血压和规范服药。",
        "author": "李明（泰安市中心医院主任医师）", "body": ARTICLE, "audiences": ["elderly", "public"], "topics": ["health"],
    }  # fmt: skip
    values.update(overrides)
    return values


def draft(cast: Cast, actor: Actor | None = None, organisation: Organisation | None = None, **overrides: Any) -> Resource:
    actor = actor or cast.contributor
    with acting_as(actor):
        return services.resource_create(actor=actor, organisation=organisation or cast.org_a, **fields(**overrides))


def in_first_review(cast: Cast, **overrides: Any) -> Resource:
    resource = draft(cast, **overrides)
    services.resource_submit(actor=cast.contributor, resource=resource)
    return services.resource_assign(actor=cast.county_a, resource=resource, reviewer=cast.expert.user)


def in_second_review(cast: Cast, **overrides: Any) -> Resource:
    resource = in_first_review(cast, **overrides)
    return services.resource_first_review(
        actor=cast.expert, resource=resource, approve=True, evidence="《中国高血压防治指南（2024年修订版）》",
        re_review_on=timezone.localdate() + timedelta(days=365),
    )  # fmt: skip


def published(cast: Cast, **overrides: Any) -> Resource:
    resource = in_second_review(cast, **overrides)
    return services.resource_second_review(actor=cast.city, resource=resource, approve=True)
