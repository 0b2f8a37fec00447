"""Under concurrency (PostgreSQL): two runs of the daily reminders at the same moment remind each unit once; a report
submitted by two of the unit's staff at once is submitted once, with one file set, and the action takes its progress
once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings

from xinghuo.core.errors import DomainError
from xinghuo.core.scoping import system_scope
from xinghuo.talent.tests.test_race import run_together
from xinghuo.worklist import reminders, supervision
from xinghuo.worklist.models import Action, Attachment, ProgressReport, Reminder
from xinghuo.worklist.tests.conftest import pdf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]


def test_two_daily_runs_at_once_remind_each_unit_once(report_a):
    def run(_: int) -> None:
        with system_scope():
            reminders.reminders_send(today=report_a.due - timedelta(days=1))

    errors = run_together(run, 2)

    assert errors == []
    assert Reminder.unscoped.filter(report=report_a).count() == 1


def test_a_report_submitted_twice_at_once_is_submitted_once(report_a, actors):
    _, county_a, _ = actors

    def submit(i: int) -> None:
        supervision.report_save(actor=county_a, report=report_a, text=f"第 {i} 位填报", progress=40 + i, files=[pdf(f"总结{i}.pdf")],
                                submit=True)  # fmt: skip

    errors = run_together(submit, 2)

    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    stored = ProgressReport.unscoped.get(pk=report_a.pk)
    assert Attachment.unscoped.filter(report=report_a).count() == 1
    assert Action.unscoped.get(pk=report_a.action_id).progress == stored.progress
