"""The demo's certification work: applications at every step made through the services (so each has its
history), venues in public notice that the public page shows, and this year's re-check under way."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from xinghuo.certification.models import AnnualReview, Application, ApplicationStatus, Evidence, Objection, Step, StepAction
from xinghuo.venues.models import Venue, VenueStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db) -> None:
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")


def test_the_demo_has_applications_at_every_early_step_each_with_its_history(demo, client):
    statuses = set(Application.unscoped.values_list("status", flat=True))
    assert {
        ApplicationStatus.IN_NOTICE,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.COUNTY_APPROVED,
        ApplicationStatus.RETURNED,
    } <= statuses
    for application in Application.unscoped.all():
        steps = list(Step.unscoped.filter(application=application).values_list("action", flat=True))
        assert steps[0] == StepAction.CREATE
        assert Evidence.unscoped.filter(application=application).count() == 2
    assert Objection.unscoped.filter(upheld__isnull=True).exists()  # one waits for the city's answer

    page = client.get("/certification/notice/").content.decode()
    for application in Application.unscoped.filter(status=ApplicationStatus.IN_NOTICE).select_related("venue"):
        assert application.venue.name in page


def test_certified_venues_have_dates_and_this_years_re_check_is_under_way(demo):
    assert not Venue.unscoped.filter(status=VenueStatus.CERTIFIED, certified_at__isnull=True).exists()
    reviews = AnnualReview.unscoped.all()
    assert reviews.count() > 50
    assert reviews.filter(status="reported").exists()
    assert reviews.filter(status="decided").exists()


def test_seeding_again_adds_no_certification_work(demo):
    counts = (Application.unscoped.count(), AnnualReview.unscoped.count(), Step.unscoped.count())
    call_command("seed_demo", "--scale", "small", "--quiet")
    assert (Application.unscoped.count(), AnnualReview.unscoped.count(), Step.unscoped.count()) == counts
