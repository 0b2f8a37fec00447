"""What the people-registry tests share: the actors of the personas, well-formed ID numbers of known people, and a
way to enter a person through the service as county or city staff would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinghuo.accounts.actor import Actor
from xinghuo.core import id_numbers
from xinghuo.regions.models import Region
from xinghuo.talent import services
from xinghuo.talent.models import Person

DAIMIAO = "370902001"  # 岱庙街道, 泰山区 (county A)
ZHOUDIAN = "370911001"  # 粥店街道, 岱岳区 (county B)
# Known values that must never show in clear anywhere but through the audited reveal.
PHONE_A = "13712340001"
ID_A = id_numbers.make("370902", date(1978, 5, 17), 231)  # a man, 泰山区
PHONE_B = "13712340002"
ID_B = id_numbers.make("370911", date(1985, 11, 3), 482)  # a woman, 岱岳区
GUARDIAN_PHONE = "13712340003"
CHILD_ID = id_numbers.make("370902", date(2016, 6, 1), 102)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class Cast:
    city: Actor
    county_a: Actor
    county_b: Actor
    organiser: Actor

    def enter(self, actor: Actor | None = None, **overrides: Any) -> Person:
        """A person entered through the service: by default a man of 泰山区 with a phone and an ID number."""
        fields: dict[str, Any] = {
            "name": "王建国", "region": Region.objects.get(code=DAIMIAO), "phone": PHONE_A, "id_number": ID_A, "title": "高级农艺师",
            "fields": ["agriculture"], "consent_given": True,
        }  # fmt: skip
        fields.update(overrides)
        return services.person_create(actor=actor or self.county_a, **fields)

    def enter_b(self, **overrides: Any) -> Person:
        """A woman of 岱岳区 (county B), entered by county B's staff."""
        fields: dict[str, Any] = {"name": "李秀英", "region": Region.objects.get(code=ZHOUDIAN), "phone": PHONE_B, "id_number": ID_B}
        fields.update(overrides)
        return self.enter(self.county_b, **fields)


@pytest.fixture
def cast(personas) -> Cast:
    return Cast(
        city=personas.actor(personas.city_staff),
        county_a=personas.actor(personas.county_a),
        county_b=personas.actor(personas.county_b),
        organiser=personas.actor(personas.organiser),
    )
