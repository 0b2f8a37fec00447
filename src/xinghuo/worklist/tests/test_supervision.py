"""Filings and supervision: a county's implementation plan goes from draft through a return and a resubmission to
accepted; a progress report not in by its due day is overdue; a supervision notice is answered and closed; a county
never sees another county's filings, reports or notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from xinghuo.accounts.actor import actor_for
from xinghuo.activities.tests.conftest import acting_as
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import selectors, supervision
from xinghuo.worklist.models import Filing, FilingStatus, NoticeStatus, Plan, ProgressReport, SupervisionNotice, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(personas):
    return actor_for(personas.city_staff), actor_for(personas.county_a), actor_for(personas.county_b)


def test_a_filing_goes_through_a_return_and_a_resubmission_to_accepted(loaded, actors):
    city, county_a, _ = actors
    plan = Plan.objects.get()

    filing = supervision.filing_save(actor=county_a, plan=plan, title="泰山区星火科普行动实施方案", content="一、目标……")
    supervision.filing_submit(actor=county_a, filing=filing)
    with pytest.raises(DomainError):
        supervision.filing_decide(actor=city, filing=filing, accept=False)  # a return says why
    supervision.filing_decide(actor=city, filing=filing, accept=False, comment="请补充宣传员全覆盖的时间表")
    with pytest.raises(DomainError):
        supervision.filing_decide(actor=city, filing=filing, accept=True)  # not under review while returned
    supervision.filing_save(actor=county_a, plan=plan, title="泰山区星火科普行动实施方案", content="一、目标……二、时间表……", filing=filing)
    supervision.filing_submit(actor=county_a, filing=filing)
    accepted = supervision.filing_decide(actor=city, filing=filing, accept=True)

    assert accepted.status == FilingStatus.ACCEPTED
    assert [s.to_status for s in accepted.steps(manager="unscoped").all()] == ["draft", "submitted", "returned", "submitted", "accepted"]
    with pytest.raises(DomainError):
        supervision.filing_save(actor=county_a, plan=plan, title="改", content="改", filing=filing)  # accepted: no more edits


def test_only_a_county_files_and_only_the_city_decides(loaded, actors):
    city, county_a, county_b = actors
    plan = Plan.objects.get()
    filing = supervision.filing_save(actor=county_a, plan=plan, title="实施方案", content="内容")

    with pytest.raises(DomainError):
        supervision.filing_save(actor=city, plan=plan, title="市里代填", content="内容")
    with pytest.raises(DomainError) as info:
        supervision.filing_submit(actor=county_b, filing=filing)
    supervision.filing_submit(actor=county_a, filing=filing)
    with pytest.raises(DomainError):
        supervision.filing_decide(actor=county_b, filing=filing, accept=True)

    assert info.value.status == 404
    with acting_as(county_b):
        assert not Filing.objects.exists()
    with acting_as(county_a):
        assert Filing.objects.count() == 1


def test_the_last_month_and_quarter_and_their_due_days():
    assert supervision.last_period("month", date(2026, 12, 2)) == ("2026-11", date(2026, 12, 5))
    assert supervision.last_period("month", date(2026, 1, 10)) == ("2025-12", date(2026, 1, 5))
    assert supervision.last_period("quarter", date(2026, 12, 2)) == ("2026-Q3", date(2026, 10, 5))
    assert supervision.last_period("quarter", date(2026, 2, 1)) == ("2025-Q4", date(2026, 1, 5))
    assert supervision.last_period("", date(2026, 2, 1)) is None


def test_a_report_not_in_by_its_due_day_is_overdue_until_submitted(loaded, actors):
    _, county_a, county_b = actors
    with audit.bulk_write(model=Task, description="测试：按月报送"):
        Task.objects.filter(code="S-4.1.1").update(report_every="month")
    opened = supervision.reports_open(today=date(2026, 12, 2))
    again = supervision.reports_open(today=date(2026, 12, 2))
    report = ProgressReport.unscoped.get(action__organisation__code="KX370902")

    assert opened == Task.objects.get(code="S-4.1.1").actions(manager="unscoped").count()
    assert again == 0
    assert not report.is_overdue(date(2026, 12, 5))
    assert report.is_overdue(date(2026, 12, 6))
    with acting_as(county_a):
        assert [r.pk for r in selectors.overdue_reports(today=date(2026, 12, 6))] == [report.pk]
    with pytest.raises(DomainError) as info:
        supervision.report_save(actor=county_b, report=report, text="不是我们的", progress=10, submit=True)
    supervision.report_save(actor=county_a, report=report, text="11 月开展示范活动 2 期", progress=40, submit=True)

    assert info.value.status == 404
    assert not ProgressReport.unscoped.get(pk=report.pk).is_overdue(date(2026, 12, 6))


def test_a_supervision_notice_is_answered_by_its_unit_and_closed_by_the_city(loaded, actors):
    city, county_a, county_b = actors
    unit = Organisation.unscoped.get(code="KX370902")
    notice = supervision.notice_issue(actor=city, organisation=unit, text="宣传员覆盖率偏低，请说明原因和措施",
                                      answer_by=timezone.localdate() + timedelta(days=7), task=Task.objects.get(code="S-4.1.1"))  # fmt: skip

    with pytest.raises(DomainError):
        supervision.notice_close(actor=city, notice=notice)  # not answered yet
    with pytest.raises(DomainError) as outsider:
        supervision.notice_answer(actor=county_b, notice=notice, answer="代答")
    supervision.notice_answer(actor=county_a, notice=notice, answer="已新增宣传员 12 名，月底前覆盖全部村")
    closed = supervision.notice_close(actor=city, notice=notice)

    assert outsider.value.status == 404
    assert closed.status == NoticeStatus.CLOSED
    assert not closed.is_overdue(timezone.localdate() + timedelta(days=30))
    late = SupervisionNotice.unscoped.create(organisation=unit, text="另一件", answer_by=timezone.localdate() - timedelta(days=1))
    assert late.is_overdue(timezone.localdate())


def test_an_ended_plans_reports_are_no_longer_overdue(loaded, actors):
    from xinghuo.indicators.registry import compute
    from xinghuo.indicators.selectors import get_indicator
    from xinghuo.regions.models import Region
    from xinghuo.worklist import services

    city, county_a, _ = actors
    with audit.bulk_write(model=Task, description="测试：按月报送"):
        Task.objects.filter(code="S-4.1.1").update(report_every="month")
    supervision.reports_open(today=date(2026, 10, 2))
    overdue = get_indicator("reports_overdue")
    tai_an = Region.objects.get(code="370900")
    before = compute(overdue, within=tai_an, year=2026).value

    services.plan_set_active(actor=city, plan=Plan.objects.get(), is_active=False)

    assert before > 0
    assert compute(overdue, within=tai_an, year=2026).value == 0
    with acting_as(county_a):
        assert not selectors.overdue_reports().exists()
