"""What the project tests share: the personas as actors, an open call, and projects brought to each status through
the services, the way the pages bring them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.factories import make_staff

from xinghuo.accounts.actor import Actor, actor_for
from xinghuo.accounts.roles import Role
from xinghuo.organisations.models import Organisation
from xinghuo.projects import services
from xinghuo.projects.models import DocumentKind, Project, ProjectCall

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name: str = "申报书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Cast:
    city: Actor
    county_a: Actor  # 泰山区科协
    county_b: Actor  # 岱岳区科协
    organiser: Actor  # 泰安市医学会 (a city society)
    school_a: Actor  # an organiser of the school in county A
    org_a: Organisation
    org_b: Organisation
    society: Organisation
    call: ProjectCall


@pytest.fixture
def cast(personas) -> Cast:
    call = ProjectCall.objects.create(year=timezone.localdate().year, title="年度科普项目", total_budget=Decimal(500_000),
                                      deadline=timezone.localdate() + timedelta(days=30))  # fmt: skip
    return Cast(
        city=actor_for(personas.city_staff), county_a=actor_for(personas.county_a), county_b=actor_for(personas.county_b),
        organiser=actor_for(personas.organiser), school_a=actor_for(make_staff("school_a", personas.org_a, Role.ORGANISER)),
        org_a=personas.org_a, org_b=personas.org_b, society=personas.society, call=call,
    )  # fmt: skip


def draft(cast: Cast, *, actor: Actor | None = None, applicant: Organisation | None = None, requested: int = 100_000,
          title: str = "社区科普e站建设", call: ProjectCall | None = None) -> Project:  # fmt: skip
    year = (call or cast.call).year
    return services.project_create(
        actor=actor or cast.county_a, call=call or cast.call, applicant=applicant or cast.org_a, title=title, category="infrastructure",
        brief="在社区建设科普e站", requested=Decimal(requested), period_start=date(year, 3, 1), period_end=date(year, 12, 31),
    )  # fmt: skip


def submitted(cast: Cast, **kwargs) -> Project:
    project = draft(cast, **kwargs)
    actor = kwargs.get("actor") or cast.county_a
    services.document_add(actor=actor, project=project, kind=DocumentKind.APPLICATION, upload=pdf())
    return services.project_submit(actor=actor, project=project)


def funded(cast: Cast, *, amount: int | None = None, **kwargs) -> Project:
    project = submitted(cast, **kwargs)
    return services.project_allocate(actor=cast.city, project=project, amount=Decimal(amount or project.requested))


def in_progress(cast: Cast, **kwargs) -> Project:
    return services.project_start(actor=kwargs.get("actor") or cast.county_a, project=funded(cast, **kwargs))


def with_acceptance_documents(cast: Cast, project: Project, actor: Actor | None = None) -> Project:
    actor = actor or cast.county_a
    services.document_add(actor=actor, project=project, kind=DocumentKind.ACCEPTANCE, upload=pdf("验收材料.pdf"))
    services.document_add(actor=actor, project=project, kind=DocumentKind.FINANCIAL, upload=pdf("财务决算.pdf"))
    return project


def applied(cast: Cast, **kwargs) -> Project:
    project = with_acceptance_documents(cast, in_progress(cast, **kwargs), kwargs.get("actor"))
    return services.project_apply_acceptance(actor=kwargs.get("actor") or cast.county_a, project=project, summary="已完成",
                                             spent=project.allocated)  # fmt: skip


def accepted(cast: Cast, **kwargs) -> Project:
    return services.project_verdict(actor=cast.city, project=applied(cast, **kwargs), passed=True, comment="同意通过")


SCORES = {"goal_score": 36, "benefit_score": 27, "funds_score": 18, "archive_score": 9}
