"""Two reviewers acting on one application at the same moment (PostgreSQL): the application row is locked, so
exactly one step is taken and the other is told the application has moved on — never two steps, never a
decision on a status that no longer holds."""

from __future__ import annotations

import pytest
from django.conf import settings
from tests.factories import make_staff

from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.roles import Role
from xinghuo.certification import services
from xinghuo.certification.errors import CertificationError as E
from xinghuo.certification.models import Application, ApplicationStatus, Step, StepAction
from xinghuo.certification.tests.conftest import submitted_application
from xinghuo.core.errors import DomainError
from xinghuo.organisations.models import Organisation
from xinghuo.venues.tests.test_race import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]


def test_two_county_reviewers_at_once_take_one_step(cast):
    application = submitted_application(cast)
    colleague = actor_for(make_staff("taishan_colleague", Organisation.unscoped.get(code="KX370902"), Role.COUNTY_STAFF))
    reviewers = [cast.county_a, colleague]
    decisions = [True, False]
    refused: list[DomainError] = []

    def review(i: int) -> None:
        try:
            services.application_county_review(actor=reviewers[i], application=application, approve=decisions[i], reason="并发审核意见")
        except DomainError as exc:
            refused.append(exc)

    errors = run_together(review, 2)

    assert errors == []
    assert [e.code for e in refused] == [E.STATUS]
    steps = Step.unscoped.filter(application=application, action__in=[StepAction.COUNTY_APPROVE, StepAction.COUNTY_RETURN])
    assert steps.count() == 1
    status = Application.unscoped.get(pk=application.pk).status
    assert status == (ApplicationStatus.COUNTY_APPROVED if steps.get().action == StepAction.COUNTY_APPROVE else ApplicationStatus.RETURNED)
