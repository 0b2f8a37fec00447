"""The pages of filings, progress reports and supervision notices, as a county and the city use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from xinghuo.core import audit
from xinghuo.worklist.models import Filing, FilingStatus, NoticeStatus, ProgressReport, SupervisionNotice, Task

pytestmark = pytest.mark.django_db


def test_a_filing_through_the_pages_from_draft_through_a_return_to_accepted(client, login, personas, loaded):
    login(client, personas.county_a)
    assert "尚未备案" in client.get("/console/worklist/filings/").content.decode()
    client.post("/console/worklist/plans/sample/filing/", {"title": "泰山区实施方案", "content": "一、目标"})
    filing = Filing.unscoped.get()
    client.post(f"/console/worklist/filings/{filing.uid}/", {"title": "泰山区实施方案", "content": "一、目标", "submit": "1"})

    login(client, personas.city_staff)
    refused = client.post(f"/console/worklist/filings/{filing.uid}/decide/", {"decision": "return", "comment": ""})
    client.post(f"/console/worklist/filings/{filing.uid}/decide/", {"decision": "return", "comment": "请补充时间表"})

    login(client, personas.county_a)
    page = client.get(f"/console/worklist/filings/{filing.uid}/").content.decode()
    client.post(f"/console/worklist/filings/{filing.uid}/", {"title": "泰山区实施方案", "content": "一、目标 二、时间表", "submit": "1"})

    login(client, personas.city_staff)
    client.post(f"/console/worklist/filings/{filing.uid}/decide/", {"decision": "accept", "comment": ""})

    assert refused.status_code == 400
    assert "退回请写明修改意见" in refused.content.decode()
    assert "请补充时间表" in page
    stored = Filing.unscoped.get()
    assert (stored.status, stored.content) == (FilingStatus.ACCEPTED, "一、目标 二、时间表")


def test_another_county_gets_404_on_a_filing_and_does_not_see_it_listed(client, login, personas, loaded):
    login(client, personas.county_a)
    client.post("/console/worklist/plans/sample/filing/", {"title": "泰山区实施方案", "content": "一、目标"})
    filing = Filing.unscoped.get()
    login(client, personas.county_b)

    assert client.get(f"/console/worklist/filings/{filing.uid}/").status_code == 404
    assert client.post(f"/console/worklist/filings/{filing.uid}/", {"title": "改", "content": "改", "submit": "1"}).status_code == 404
    assert "泰山区实施方案" not in client.get("/console/worklist/filings/").content.decode()


def test_an_overdue_report_is_flagged_and_the_unit_reports(client, login, personas, loaded):
    task = Task.objects.get(code="S-4.1.1")
    action = task.actions(manager="unscoped").get(organisation__code="KX370902")
    report = ProgressReport.unscoped.create(action=action, period="2026-10", due=timezone.localdate() - timedelta(days=3))
    login(client, personas.county_a)

    page = client.get("/console/worklist/reports/").content.decode()
    client.post(f"/console/worklist/reports/{report.uid}/", {"text": "10 月开展示范活动 2 期", "progress": "30", "submit": "1"})

    assert 'data-testid="overdue"' in page
    assert ProgressReport.unscoped.get(pk=report.pk).submitted_at is not None
    assert 'data-testid="overdue"' not in client.get("/console/worklist/reports/").content.decode()


def test_the_city_sends_a_notice_the_county_answers_and_the_city_closes_it(client, login, personas, loaded):
    login(client, personas.city_staff)
    client.post(
        "/console/worklist/notices/",
        {"organisation": "KX370902", "text": "覆盖率偏低，请说明", "answer_by": str(date.today() + timedelta(days=5))},
    )
    notice = SupervisionNotice.unscoped.get()

    login(client, personas.county_b)
    assert "覆盖率偏低" not in client.get("/console/worklist/notices/").content.decode()
    assert client.post(f"/console/worklist/notices/{notice.uid}/answer/", {"answer": "代答"}).status_code == 404
    login(client, personas.county_a)
    client.post(f"/console/worklist/notices/{notice.uid}/answer/", {"answer": "已新增宣传员 12 名"})
    login(client, personas.city_staff)
    client.post(f"/console/worklist/notices/{notice.uid}/close/")

    stored = SupervisionNotice.unscoped.get()
    assert (stored.status, stored.answer) == (NoticeStatus.CLOSED, "已新增宣传员 12 名")


def test_an_exemplary_practice_picked_by_the_city_is_shown_to_every_unit(client, login, personas, loaded):
    action = Task.objects.get(code="S-4.1.1").actions(manager="unscoped").get(organisation__code="KX370902")
    with audit.bulk_write(model=ProgressReport, description="测试：一份已报送的进展"):
        ProgressReport.unscoped.bulk_create([ProgressReport(action=action, period="2026-10", due=date(2026, 11, 5), text="村村建起科普角",
                                                            submitted_at=timezone.now())])  # fmt: skip
    report = ProgressReport.unscoped.get()
    login(client, personas.city_staff)
    client.post(f"/console/worklist/reports/{report.uid}/exemplary/", {"exemplary": "1"})
    login(client, personas.county_b)

    assert "村村建起科普角" in client.get("/console/worklist/practices/").content.decode()


def test_the_exemplary_practices_are_published_on_the_portal_and_nothing_else(client, loaded):
    action = Task.objects.get(code="S-4.1.1").actions(manager="unscoped").get(organisation__code="KX370902")
    with audit.bulk_write(model=ProgressReport, description="测试：两份已报送的进展，一份为典型做法"):
        ProgressReport.unscoped.bulk_create([
            ProgressReport(action=action, period="2026-09", due=date(2026, 10, 5), text="村村建起科普角", submitted_at=timezone.now(), exemplary=True),
            ProgressReport(action=action, period="2026-10", due=date(2026, 11, 5), text="内部进展", submitted_at=timezone.now()),
        ])  # fmt: skip

    text = client.get("/practices/").content.decode()

    assert "村村建起科普角" in text
    assert "内部进展" not in text
