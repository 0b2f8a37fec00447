"""Reminders before the work list's deadlines (督促提醒): a unit's staff find them under 提醒 in the console.

Run daily (`manage.py send_worklist_reminders`): for every progress report not yet submitted, every supervision
notice not yet answered, and every county that has not yet filed (submitted) its implementation plan for a plan
with a filing deadline, the responsible unit gets one reminder when the deadline is `XINGHUO_REMIND_DAYS_BEFORE`
days away or nearer (3 by default), and one more once it has passed (the day after the deadline, when the item
shows as overdue). At most one of each kind for each item, so a second run the same day, or a run after a missed
day, writes only what is missing. A run that finds a deadline already passed writes only the overdue one.

Reading them: a unit's staff see their own unit's reminders and mark them read; doing the thing reminded of marks
its reminders read as well (supervision._close_reminders)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.worklist.errors import WorklistError as E
from xinghuo.worklist.models import (
    Filing,
    FilingStatus,
    NoticeStatus,
    Plan,
    ProgressReport,
    Reminder,
    ReminderKind,
    SupervisionNotice,
)

NOT_FOUND = "您要找的记录不存在或无权查看。"
FILED = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)


@dataclass
class Sent:
    reports: int = 0
    notices: int = 0
    filings: int = 0

    @property
    def total(self) -> int:
        return self.reports + self.notices + self.filings


def days_before() -> int:
    return int(settings.XINGHUO_REMIND_DAYS_BEFORE)


def _kind(due: date, today: date) -> str:
    return ReminderKind.OVERDUE if due < today else ReminderKind.UPCOMING


def _window(qs: QuerySet, field: str, today: date, before: int) -> QuerySet:
    """The items whose deadline is within `before` days from today or has passed."""
    return qs.filter(**{f"{field}__lte": today + timedelta(days=before)})


def _report_reminders(today: date, before: int) -> list[Reminder]:
    found = []
    reports = _window(ProgressReport.unscoped.filter(submitted_at__isnull=True, action__task__plan__is_active=True), "due", today, before)
    for kind, items in (
        (ReminderKind.OVERDUE, reports.filter(due__lt=today)),
        (ReminderKind.UPCOMING, reports.filter(due__gte=today)),
    ):
        for r in items.exclude(reminders__kind=kind).select_related("action__task", "action__organisation").order_by("due", "id"):
            task = r.action.task
            text = (f"《{task.code} {task.title}》{r.period} 期进展报送已于 {r.due:%Y-%m-%d} 截止，尚未报送，已逾期" if kind == ReminderKind.OVERDUE
                    else f"《{task.code} {task.title}》{r.period} 期进展报送将于 {r.due:%Y-%m-%d} 截止，请按时报送")  # fmt: skip
            found.append(Reminder(organisation_id=r.action.organisation_id, kind=kind, report=r, due=r.due, text=text[:300],
                                  link=reverse("worklist_console:report", args=[r.uid])))  # fmt: skip
    return found


def _notice_reminders(today: date, before: int) -> list[Reminder]:
    found = []
    notices = _window(SupervisionNotice.unscoped.filter(status=NoticeStatus.OPEN), "answer_by", today, before)
    for kind, items in (
        (ReminderKind.OVERDUE, notices.filter(answer_by__lt=today)),
        (ReminderKind.UPCOMING, notices.filter(answer_by__gte=today)),
    ):
        for n in items.exclude(reminders__kind=kind).order_by("answer_by", "id"):
            subject = n.text if len(n.text) <= 30 else n.text[:30] + "……"
            text = (f"督办“{subject}”的回复期限 {n.answer_by:%Y-%m-%d} 已过，尚未回复，已逾期" if kind == ReminderKind.OVERDUE
                    else f"督办“{subject}”请于 {n.answer_by:%Y-%m-%d} 前回复")  # fmt: skip
            found.append(Reminder(organisation_id=n.organisation_id, kind=kind, notice=n, due=n.answer_by, text=text[:300],
                                  link=reverse("worklist_console:notice", args=[n.uid])))  # fmt: skip
    return found


def _filing_reminders(today: date, before: int) -> list[Reminder]:
    found = []
    plans = _window(Plan.objects.filter(is_active=True, filing_due__isnull=False), "filing_due", today, before)
    counties = list(Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, is_active=True).order_by("code"))
    for plan in plans.order_by("code"):
        kind = _kind(plan.filing_due, today)
        filings = {f.organisation_id: f for f in Filing.unscoped.filter(plan=plan)}
        have = set(Reminder.unscoped.filter(plan=plan, kind=kind).values_list("organisation_id", flat=True))
        for org in counties:
            filing = filings.get(org.pk)
            if org.pk in have or (filing is not None and filing.status in FILED):
                continue
            text = (f"《{plan.title}》实施方案备案已于 {plan.filing_due:%Y-%m-%d} 截止，本单位尚未提交，已逾期" if kind == ReminderKind.OVERDUE
                    else f"请于 {plan.filing_due:%Y-%m-%d} 前提交《{plan.title}》实施方案备案")  # fmt: skip
            link = (reverse("worklist_console:filing", args=[filing.uid]) if filing is not None
                    else reverse("worklist_console:filing_create", args=[plan.code]))  # fmt: skip
            found.append(Reminder(organisation=org, kind=kind, plan=plan, due=plan.filing_due, text=text[:300], link=link))
    return found


def reminders_send(*, today: date | None = None, before: int | None = None) -> Sent:
    """Write the reminders due today that are not written yet (idempotent); how many of each it wrote."""
    today = today or timezone.localdate()
    before = days_before() if before is None else before
    sent = Sent()
    with transaction.atomic():
        batches = {"reports": _report_reminders(today, before), "notices": _notice_reminders(today, before),
                   "filings": _filing_reminders(today, before)}  # fmt: skip
        new = [r for batch in batches.values() for r in batch]
        if new:
            with audit.bulk_write(model=Reminder, description=f"{today:%Y-%m-%d} 工作清单截止提醒") as summary:
                # a run beside this one may have written some of them: the unique constraints keep each once
                Reminder.unscoped.bulk_create(new, batch_size=1000, ignore_conflicts=True)
                summary["created"] = len(new)
        sent = Sent(reports=len(batches["reports"]), notices=len(batches["notices"]), filings=len(batches["filings"]))
    return sent


def _own(actor: Actor, reminder: Reminder) -> Reminder:
    locked = Reminder.unscoped.select_for_update(of=("self",)).get(pk=reminder.pk)
    if actor.organisation is None or locked.organisation_id != actor.organisation.pk:
        raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
    return locked


def reminder_mark_read(*, actor: Actor, reminder: Reminder) -> Reminder:
    """One of the unit's staff has seen it (for the whole unit)."""
    with transaction.atomic():
        locked = _own(actor, reminder)
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at", "updated_at"])
    return locked


def reminders_mark_all_read(*, actor: Actor) -> int:
    """Every unread reminder of the actor's unit, marked read."""
    if actor.organisation is None:
        return 0
    with audit.bulk_write(model=Reminder, description=f"{actor.organisation.name} 的提醒全部标为已读") as summary:
        done = Reminder.unscoped.filter(organisation=actor.organisation, read_at__isnull=True).update(read_at=timezone.now(),
                                                                                                       updated_at=timezone.now())  # fmt: skip
        summary["updated"] = done
    return done
