"""Arranging under concurrent staff (PostgreSQL): four requests arranged at the same moment with the same expert for
the same hours give one talk; the expert's row lock serialises them, and the others are told the expert is busy."""

from __future__ import annotations

import pytest
from django.conf import settings

from xinghuo.activities.models import Activity
from xinghuo.core.errors import DomainError
from xinghuo.talent.tests.test_race import run_together
from xinghuo.talks import services
from xinghuo.talks.errors import TalkError
from xinghuo.talks.models import TalkRequest, TalkStatus
from xinghuo.talks.tests.conftest import ask, expert, in_days

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]


def test_one_expert_arranged_four_times_at_once_for_the_same_hours_gives_one_talk(scene):
    doctor = expert(scene.cast, "王医生")
    talks = [ask(scene, topic=f"第{i}场") for i in range(4)]

    def arrange(i: int) -> None:
        services.talk_confirm(actor=scene.cast.county_a, talk=talks[i], expert=doctor, starts_at=in_days(9), ends_at=in_days(9, 16))

    errors = run_together(arrange, 4)

    assert TalkRequest.unscoped.filter(status=TalkStatus.CONFIRMED).count() == 1
    assert Activity.unscoped.count() == 1
    assert len(errors) == 3
    assert {e.code for e in errors if isinstance(e, DomainError)} == {TalkError.BUSY}
