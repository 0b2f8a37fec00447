"""What the certification tests share: an operator of a school in 泰山区 (county A) with a draft service
station, the actors of every step, and files that are (and are not) what their names say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.factories import make_staff

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.roles import Role
from xinghuo.certification import services
from xinghuo.certification.models import Application
from xinghuo.core.scoping import scope
from xinghuo.venues.models import Venue, VenueType
from xinghuo.venues.tests.conftest import fresh_map_cache, make_venue  # noqa: F401  (fixtures shared with the venue tests)

# The smallest files whose content is what they claim.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def pdf(name: str = "证明材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def fake_pdf(name: str = "伪装.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is a program, not a PDF", content_type="application/pdf")


@dataclass
class Cast:
    operator: Actor  # 填报单位: the school in 泰山区 that runs the station
    county_a: Actor  # 泰山区科协
    county_b: Actor  # 岱岳区科协: the outsider
    city: Actor  # 市科协科普部
    citizen: Actor
    venue: Venue


@pytest.fixture
def cast(personas, make_venue) -> Cast:  # noqa: F811  (the fixture, by name)
    operator = make_staff("station_operator", personas.org_a, Role.ORGANISER)
    venue = make_venue(name="岱庙街道星火科普服务站", venue_type=VenueType.SPARK_STATION, operator=personas.org_a, status="draft")
    return Cast(
        operator=actor_for(operator), county_a=actor_for(personas.county_a), county_b=actor_for(personas.county_b),
        city=actor_for(personas.city_staff), citizen=actor_for(personas.citizen), venue=venue,
    )  # fmt: skip


def full_marks(application: Application, share: float = 0.9) -> dict[int, tuple[str, str]]:
    return {s.indicator_id: (str(round(s.indicator.weight * share, 1)), "符合") for s in application.scores.select_related("indicator")}


def acting_as(actor: Actor):
    return scope(**actor.scope_kwargs())


def submitted_application(cast: Cast) -> Application:
    with acting_as(cast.operator):
        application = services.application_create(actor=cast.operator, venue=cast.venue, statement="申请认定为星火科普服务站")
        services.application_save_self_assessment(actor=cast.operator, application=application, scores=full_marks(application))
        services.evidence_add(actor=cast.operator, application=application, upload=pdf())
        return services.application_submit(actor=cast.operator, application=application)


def in_notice(cast: Cast) -> Application:
    application = submitted_application(cast)
    services.application_county_review(actor=cast.county_a, application=application, approve=True)
    with acting_as(cast.city):
        return services.application_city_review(actor=cast.city, application=application, scores=full_marks(application), decision="notice")


def after_notice(application: Application) -> date:
    return application.notice_ends + timedelta(days=1)


def today() -> date:
    return timezone.localdate()
