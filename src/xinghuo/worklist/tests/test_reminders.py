"""Reminders before deadlines, through the service and the daily command: a unit is reminded N days before a report
or an answer is due (3 unless set otherwise) and once it is overdue, never twice for the same, never for what it has
done; counties are reminded of a plan's filing deadline until they file; doing the thing marks its reminders read;
a unit reads and marks only its own."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from xinghuo.activities.tests.conftest import acting_as
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.worklist import reminders, selectors, supervision
from xinghuo.worklist.models import Plan, ProgressReport, Reminder, ReminderKind, SupervisionNotice

pytestmark = pytest.mark.django_db

DUE = date(2026, 11, 5)  # report_a's due day


def kinds(**owner) -> list[str]:
    return sorted(Reminder.unscoped.filter(**owner).values_list("kind", flat=True))


def test_a_unit_is_reminded_three_days_before_a_report_is_due_and_not_earlier(report_a):
    reminders.reminders_send(today=DUE - timedelta(days=4))
    assert kinds(report=report_a) == []

    sent = reminders.reminders_send(today=DUE - timedelta(days=3))

    reminder = Reminder.unscoped.get(report=report_a)
    assert sent.reports == 1
    assert (reminder.kind, reminder.organisation.code, reminder.due, reminder.read_at) == (ReminderKind.UPCOMING, "KX370902", DUE, None)
    assert "2026-10 期进展报送将于 2026-11-05 截止" in reminder.text
    assert reminder.link == f"/console/worklist/reports/{report_a.uid}/"


def test_a_rerun_reminds_no_one_twice(report_a):
    reminders.reminders_send(today=DUE - timedelta(days=3))
    again = reminders.reminders_send(today=DUE - timedelta(days=3))
    next_day = reminders.reminders_send(today=DUE - timedelta(days=2))
    on_the_day = reminders.reminders_send(today=DUE)

    assert (again.total, next_day.total, on_the_day.total) == (0, 0, 0)
    assert kinds(report=report_a) == [ReminderKind.UPCOMING]


def test_an_overdue_report_is_reminded_once_the_day_after_its_due_day(report_a):
    reminders.reminders_send(today=DUE - timedelta(days=1))

    reminders.reminders_send(today=DUE + timedelta(days=1))
    reminders.reminders_send(today=DUE + timedelta(days=2))

    overdue = Reminder.unscoped.get(report=report_a, kind=ReminderKind.OVERDUE)
    assert kinds(report=report_a) == [ReminderKind.OVERDUE, ReminderKind.UPCOMING]
    assert "已逾期" in overdue.text


def test_a_run_after_the_deadline_writes_only_the_overdue_reminder(report_a):
    reminders.reminders_send(today=DUE + timedelta(days=10))

    assert kinds(report=report_a) == [ReminderKind.OVERDUE]


def test_how_many_days_before_is_a_setting(report_a, settings):
    settings.XINGHUO_REMIND_DAYS_BEFORE = 7

    reminders.reminders_send(today=DUE - timedelta(days=7))

    assert kinds(report=report_a) == [ReminderKind.UPCOMING]


def test_no_reminder_for_a_submitted_report_and_submitting_marks_its_reminders_read(report_a, actors):
    _, county_a, _ = actors
    reminders.reminders_send(today=DUE - timedelta(days=3))

    supervision.report_save(actor=county_a, report=report_a, text="已完成", progress=50, submit=True)
    reminders.reminders_send(today=DUE + timedelta(days=1))

    assert kinds(report=report_a) == [ReminderKind.UPCOMING]
    assert Reminder.unscoped.get(report=report_a).read_at is not None


def test_a_notice_is_reminded_before_its_answer_is_due_and_when_overdue_but_not_once_answered(loaded, actors):
    city, county_a, _ = actors
    today = timezone.localdate()
    unit = Organisation.unscoped.get(code="KX370902")
    soon = supervision.notice_issue(
        actor=city, organisation=unit, text="宣传员覆盖率偏低，请说明原因和措施", answer_by=today + timedelta(days=2)
    )
    answered = supervision.notice_issue(actor=city, organisation=unit, text="另一件事", answer_by=today + timedelta(days=1))
    supervision.notice_answer(actor=county_a, notice=answered, answer="已办")

    reminders.reminders_send(today=today)
    reminders.reminders_send(today=today + timedelta(days=3))

    assert kinds(notice=soon) == [ReminderKind.OVERDUE, ReminderKind.UPCOMING]
    assert kinds(notice=answered) == []
    assert "督办“宣传员覆盖率偏低，请说明原因和措施”请于" in Reminder.unscoped.get(notice=soon, kind=ReminderKind.UPCOMING).text


def test_answering_a_notice_marks_its_reminders_read(loaded, actors):
    city, county_a, _ = actors
    today = timezone.localdate()
    notice = supervision.notice_issue(actor=city, organisation=Organisation.unscoped.get(code="KX370902"), text="请说明",
                                      answer_by=today + timedelta(days=1))  # fmt: skip
    reminders.reminders_send(today=today)

    supervision.notice_answer(actor=county_a, notice=notice, answer="已办")

    assert Reminder.unscoped.get(notice=notice).read_at is not None


def test_counties_are_reminded_of_a_filing_deadline_until_they_file(loaded, actors):
    city, county_a, county_b = actors
    today = timezone.localdate()
    plan = supervision.plan_set_filing_due(actor=city, plan=Plan.objects.get(), filing_due=today + timedelta(days=3))
    supervision.filing_save(actor=county_a, plan=plan, title="泰山区实施方案", content="一、目标", submit=True)
    draft = supervision.filing_save(actor=county_b, plan=plan, title="岱岳区实施方案", content="一、目标")
    counties = Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, is_active=True).count()

    sent = reminders.reminders_send(today=today)
    overdue = reminders.reminders_send(today=today + timedelta(days=4))

    assert sent.filings == counties - 1  # every county but the one that filed
    assert overdue.filings == counties - 1
    assert not Reminder.unscoped.filter(plan=plan, organisation__code="KX370902").exists()
    b = Reminder.unscoped.get(plan=plan, organisation__code="KX370911", kind=ReminderKind.UPCOMING)
    assert b.link == f"/console/worklist/filings/{draft.uid}/"
    others = Reminder.unscoped.filter(plan=plan, kind=ReminderKind.UPCOMING).exclude(organisation__code__in=["KX370902", "KX370911"])
    assert {r.link for r in others} == {f"/console/worklist/plans/{plan.code}/filing/"}
    supervision.filing_save(actor=county_b, plan=plan, filing=draft, title="岱岳区实施方案", content="一、目标", submit=True)
    assert Reminder.unscoped.filter(plan=plan, organisation__code="KX370911", read_at__isnull=True).count() == 0


def test_no_filing_reminder_without_a_deadline_nor_for_a_plan_no_longer_carried_out(loaded, actors):
    city, _, _ = actors
    plan = Plan.objects.get()
    reminders.reminders_send(today=date(2030, 1, 1))
    supervision.plan_set_filing_due(actor=city, plan=plan, filing_due=date(2026, 1, 1))
    with audit.bulk_write(model=Plan, description="测试：方案停止执行"):
        Plan.objects.filter(pk=plan.pk).update(is_active=False)

    reminders.reminders_send(today=date(2030, 1, 1))

    assert not Reminder.unscoped.filter(plan=plan).exists()


def test_only_the_city_sets_a_filing_deadline(loaded, actors):
    _, county_a, _ = actors

    with pytest.raises(DomainError) as info:
        supervision.plan_set_filing_due(actor=county_a, plan=Plan.objects.get(), filing_due=date(2027, 3, 31))

    assert info.value.status == 403
    assert Plan.objects.get().filing_due is None


def test_a_unit_reads_and_marks_its_own_reminders_only(report_a, actors):
    city, county_a, county_b = actors
    reminders.reminders_send(today=DUE - timedelta(days=3))
    reminder = Reminder.unscoped.get()

    with acting_as(county_b):
        assert not selectors.reminders(actor=county_b).exists()
    with acting_as(city):
        assert not selectors.reminders(actor=city).exists()  # the city's staff get their own unit's, not every unit's
    with pytest.raises(DomainError) as outsider:
        reminders.reminder_mark_read(actor=county_b, reminder=reminder)
    with acting_as(county_a):
        assert selectors.unread_reminders(actor=county_a).count() == 1
        reminders.reminder_mark_read(actor=county_a, reminder=reminder)
        assert selectors.unread_reminders(actor=county_a).count() == 0

    assert outsider.value.status == 404


def test_a_unit_marks_all_its_reminders_read_at_once_and_no_one_elses(loaded, actors):
    city, county_a, _county_b = actors
    today = timezone.localdate()
    for code in ("KX370902", "KX370902", "KX370911"):
        supervision.notice_issue(actor=city, organisation=Organisation.unscoped.get(code=code), text="请说明", answer_by=today)
    reminders.reminders_send(today=today)

    done = reminders.reminders_mark_all_read(actor=county_a)

    assert done == 2
    assert Reminder.unscoped.filter(organisation__code="KX370911", read_at__isnull=True).count() == 1


def test_the_daily_command_reminds_once(report_a):
    with audit.bulk_write(model=ProgressReport, description="测试：截止日为明天"):
        ProgressReport.unscoped.filter(pk=report_a.pk).update(due=timezone.localdate() + timedelta(days=1))
    SupervisionNotice.unscoped.create(organisation=report_a.action.organisation, text="请说明", answer_by=timezone.localdate())
    first, second = StringIO(), StringIO()

    call_command("send_worklist_reminders", stdout=first)
    call_command("send_worklist_reminders", stdout=second)

    assert "新发出提醒 2 条（进展报送 1、督办 1、实施方案备案 0）" in first.getvalue()
    assert "新发出提醒 0 条" in second.getvalue()
    assert Reminder.unscoped.count() == 2
