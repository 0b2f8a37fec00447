"""The demo's projects: about twenty across the counties, in every status, within each call's budget, with their
histories and documents — and the city can take the next step on them through the services."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.models import User
from xinghuo.projects import services
from xinghuo.projects.models import Evaluation, Project, ProjectCall, ProjectDocument, ProjectStatus, ProjectStep

pytestmark = pytest.mark.django_db


def test_the_demo_has_projects_in_every_status_within_budget_and_seeds_once():
    call_command("seed_demo", "--scale", "small", "--quiet")
    count = Project.unscoped.count()

    call_command("seed_demo", "--scale", "small", "--quiet")

    assert 18 <= count <= 25
    assert Project.unscoped.count() == count
    assert set(Project.unscoped.values_list("status", flat=True)) == set(ProjectStatus.values)
    assert Project.unscoped.values("region__county").distinct().count() >= 5
    assert Evaluation.unscoped.count() == 3
    for call in ProjectCall.objects.all():
        assert services.allocated_in(call) <= call.total_budget
    for project in Project.unscoped.exclude(status="draft"):
        assert ProjectStep.unscoped.filter(project=project, action="submit").exists()
        assert ProjectDocument.unscoped.filter(project=project, kind="application").exists()
    rectifying = Project.unscoped.filter(status="rejected", acceptance_rounds=1).get()
    assert rectifying.can_reapply


def test_the_city_decides_a_demo_application():
    call_command("seed_demo", "--scale", "small", "--quiet")
    city = actor_for(User.objects.get(username="kepu"))
    waiting = Project.unscoped.filter(status="submitted").order_by("code").first()

    services.project_allocate(actor=city, project=waiting, amount=waiting.requested)

    assert Project.unscoped.get(pk=waiting.pk).status == ProjectStatus.APPROVED
