"""The list in each actor's scope, and the dashboard's yearly figures checked against a count by hand over every
project."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xinghuo.core.scoping import scope
from xinghuo.organisations.models import Organisation
from xinghuo.organisations.services import organisation_create
from xinghuo.projects import selectors, services
from xinghuo.projects.models import PASSED_STATUSES, Project, ProjectCall
from xinghuo.projects.tests.conftest import accepted, applied, draft, funded, in_progress, submitted
from xinghuo.regions.models import Region

pytestmark = pytest.mark.django_db


def test_each_actor_lists_the_projects_of_its_scope(cast):
    mine = draft(cast)
    theirs = draft(cast, actor=cast.county_b, applicant=cast.org_b, title="岱岳区项目")
    society = draft(cast, actor=cast.organiser, applicant=cast.society, title="学会项目")

    def listed(actor) -> set[int]:
        with scope(**actor.scope_kwargs()):
            return set(selectors.project_list(actor=actor).values_list("pk", flat=True))

    assert listed(cast.county_a) == {mine.pk}
    assert listed(cast.county_b) == {theirs.pk}
    assert listed(cast.organiser) == {society.pk}
    assert listed(cast.school_a) == {mine.pk}
    assert listed(cast.city) == {mine.pk, theirs.pk, society.pk}


def _county_code(project: Project) -> str | None:
    region = project.region
    if region.level in ("county", "zone"):
        return region.code
    return region.county.code if region.county else None


def _by_hand(year: int) -> tuple[dict, dict]:
    funds: dict = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    passed: dict = defaultdict(int)
    for p in Project.unscoped.select_related("call", "region__county"):
        if p.call.year == year and p.allocated is not None:
            row = funds[_county_code(p)]
            row[0], row[1], row[2] = row[0] + 1, row[1] + p.allocated, row[2] + p.spent
        if p.status in PASSED_STATUSES and p.accepted_on.year == year:
            passed[_county_code(p)] += 1
    return {k: tuple(v) for k, v in funds.items()}, dict(passed)


def test_funds_and_acceptances_by_county_match_a_count_by_hand(cast):
    # given projects of several counties, of the city level and of another year, in every status
    year = cast.call.year
    county_org = Organisation.unscoped.get(code="KX370911")  # the county association itself, at the county's own region
    zone_school = organisation_create(name="高新区实验学校", kind="school", region=Region.objects.filter(zone__isnull=False,
                                      level="town").order_by("code").first(), parent=Organisation.unscoped.get(code="KX370902"))  # fmt: skip
    draft(cast)
    submitted(cast, title="已提交")
    funded(cast, requested=60_000, title="已立项")
    services.project_report_spending(
        actor=cast.county_a, project=in_progress(cast, requested=40_000, title="实施中"), spent=Decimal(12_345)
    )
    accepted(cast, actor=cast.county_b, applicant=cast.org_b, requested=70_000, title="岱岳区已验收")
    applied(cast, actor=cast.county_b, applicant=county_org, requested=30_000, title="岱岳区科协项目")
    accepted(cast, actor=cast.organiser, applicant=cast.society, requested=50_000, title="学会项目")
    if zone_school is not None:
        funded(cast, applicant=zone_school, requested=20_000, title="托管镇学校项目")
    last = ProjectCall.objects.create(
        year=year - 1, title="上年度", total_budget=Decimal(100_000), deadline=timezone.localdate() + timedelta(days=3)
    )
    accepted(cast, call=last, requested=10_000, title="上年度项目")  # granted last year, accepted this year

    funds, passed = _by_hand(year)
    rows = selectors.funds_by_county(year)

    assert {r.code: (r.projects, r.allocated, r.spent) for r in rows} == funds
    assert (rows[-1].code, rows[-1].name) == (None, "市直单位")
    assert [r.name for r in rows if r.code == "370911"] == ["岱岳区"]
    assert selectors.projects_accepted(year) == passed
    assert sum(selectors.projects_accepted(year).values()) == 3
    assert selectors.funds_by_county(year - 1) == [selectors.CountyFunds("370902", "泰山区", 1, Decimal(10_000), Decimal(10_000))]
    assert selectors.projects_accepted(year - 1) == {}


def test_figures_within_a_county_count_only_its_projects(cast):
    accepted(cast, requested=10_000)
    accepted(cast, actor=cast.county_b, applicant=cast.org_b, requested=20_000, title="岱岳区")
    taishan = Region.objects.get(code="370902")

    assert [(r.code, r.allocated) for r in selectors.funds_by_county(cast.call.year, within=taishan)] == [("370902", Decimal(10_000))]
    assert selectors.projects_accepted(cast.call.year, within=taishan) == {"370902": 1}


def test_no_projects_no_figures(cast):
    assert selectors.funds_by_county(date.today().year) == []
    assert selectors.projects_accepted(date.today().year) == {}
