"""Writes of filings and supervision (备案制度、督促指导): a county files its implementation plan and the city accepts
it or returns it with comments; units report their progress each period of a task that asks for it, and are
overdue after the due day; the city sends supervision notices (督办) that the unit must answer, and closes them; the
city picks a report as an exemplary practice (典型做法). Each write in one transaction, audited by the models' saves."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.worklist.errors import WorklistError as E
from xinghuo.worklist.models import (
    Action,
    Filing,
    FilingStatus,
    FilingStep,
    NoticeStatus,
    Plan,
    ProgressReport,
    SupervisionNotice,
    Task,
)

NOT_FOUND = "您要找的记录不存在或无权查看。"
DUE_AFTER_DAYS = 5  # a period's report is due this many days after the period ends (the 5th of the next month)
EDITABLE = (FilingStatus.DRAFT, FilingStatus.RETURNED)


def _city(actor: Actor) -> None:
    if actor.role != Role.CITY_STAFF:
        raise DomainError(E.NOT_ALLOWED, "只有市科协可以办理这一环节", status=403)


def _own_county(actor: Actor) -> Organisation:
    org = actor.organisation
    if actor.role != Role.COUNTY_STAFF or org is None or org.kind != OrganisationKind.COUNTY_ASSOCIATION:
        raise DomainError(E.NOT_ALLOWED, "实施方案由县市区、功能区科协备案", status=403)
    return org


def _reaches(actor: Actor, org: Organisation) -> bool:
    return actor.reaches(region_id=org.region_id, organisation_id=org.pk)


# --- filings ----------------------------------------------------------------------------------------------------


def _step(filing: Filing, actor: Actor, from_status: str, comment: str = "") -> None:
    FilingStep.unscoped.create(filing=filing, from_status=from_status, to_status=filing.status, actor_label=actor.user.audit_label(),
                               comment=comment)  # fmt: skip


def filing_save(*, actor: Actor, plan: Plan, title: str, content: str, filing: Filing | None = None) -> Filing:
    """Draft (or revise, while a draft or returned) the county's implementation plan for a plan."""
    org = _own_county(actor)
    title, content = (title or "").strip(), (content or "").strip()
    if not title:
        raise DomainError(E.INVALID, "请填写实施方案名称", field="title")
    if not content:
        raise DomainError(E.INVALID, "请填写实施方案的主要内容", field="content")
    with transaction.atomic():
        if filing is None:
            if Filing.unscoped.filter(organisation=org, plan=plan).exists():
                raise DomainError(E.INVALID, "本单位已有这一方案的实施方案，请在原备案上修改", field="title")
            filing = Filing(organisation=org, plan=plan, title=title, content=content)
            filing.save()
            _step(filing, actor, "")
            return filing
        locked = Filing.unscoped.select_for_update(of=("self",)).get(pk=filing.pk)
        if locked.organisation_id != org.pk:
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        if locked.status not in EDITABLE:
            raise DomainError(E.INVALID, f"备案当前为“{locked.get_status_display()}”，不能修改")
        locked.title, locked.content = title, content
        locked.save(update_fields=["title", "content", "updated_at"])
    return locked


def filing_submit(*, actor: Actor, filing: Filing) -> Filing:
    org = _own_county(actor)
    with transaction.atomic():
        locked = Filing.unscoped.select_for_update(of=("self",)).get(pk=filing.pk)
        if locked.organisation_id != org.pk:
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        if locked.status not in EDITABLE:
            raise DomainError(E.INVALID, f"备案当前为“{locked.get_status_display()}”，不能提交")
        before = locked.status
        locked.status, locked.submitted_at = FilingStatus.SUBMITTED, timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        _step(locked, actor, before)
    return locked


def filing_decide(*, actor: Actor, filing: Filing, accept: bool, comment: str = "") -> Filing:
    """The city accepts the filing, or returns it with the comments the county must address."""
    _city(actor)
    comment = (comment or "").strip()
    if not accept and not comment:
        raise DomainError(E.INVALID, "退回请写明修改意见", field="comment")
    with transaction.atomic():
        locked = Filing.unscoped.select_for_update(of=("self",)).get(pk=filing.pk)
        if locked.status != FilingStatus.SUBMITTED:
            raise DomainError(E.INVALID, f"备案当前为“{locked.get_status_display()}”，不在审核中")
        locked.status = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
        locked.decided_at, locked.comment = timezone.now(), comment
        locked.save(update_fields=["status", "decided_at", "comment", "updated_at"])
        _step(locked, actor, FilingStatus.SUBMITTED, comment)
    return locked


# --- progress reports -------------------------------------------------------------------------------------------


def last_period(every: str, today: date) -> tuple[str, date] | None:
    """The last period (month or quarter) that has ended by `today`: its label and its due day."""
    if every == "month":
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        end = date(year, month, calendar.monthrange(year, month)[1])
        return f"{year}-{month:02d}", end + timedelta(days=DUE_AFTER_DAYS)
    if every == "quarter":
        quarter = (today.month - 1) // 3  # the quarter before this one, 0 meaning the last of last year
        year, quarter = (today.year, quarter) if quarter else (today.year - 1, 4)
        end_month = quarter * 3
        end = date(year, end_month, calendar.monthrange(year, end_month)[1])
        return f"{year}-Q{quarter}", end + timedelta(days=DUE_AFTER_DAYS)
    return None


def reports_open(*, today: date | None = None) -> int:
    """Open the report of the last ended period for every action of a task that asks for reports (idempotent; run
    daily by `manage.py open_progress_reports`). Returns how many it opened."""
    today = today or timezone.localdate()
    opened = 0
    with transaction.atomic():
        for every in ("month", "quarter"):
            period = last_period(every, today)
            if period is None:
                continue
            label, due = period
            actions = Action.unscoped.filter(task__report_every=every, task__plan__is_active=True)
            have = set(ProgressReport.unscoped.filter(period=label, action__in=actions).values_list("action_id", flat=True))
            new = [ProgressReport(action_id=pk, period=label, due=due) for pk in actions.values_list("pk", flat=True) if pk not in have]
            if new:
                with audit.bulk_write(model=ProgressReport, description=f"开启 {label} 期进展报送") as summary:
                    ProgressReport.unscoped.bulk_create(new, batch_size=1000)
                    summary["created"] = len(new)
            opened += len(new)
    return opened


def report_submit(*, actor: Actor, report: ProgressReport, text: str) -> ProgressReport:
    """The unit reports its progress for the period (late ones too; they stay marked as late by their time)."""
    text = (text or "").strip()
    if not text:
        raise DomainError(E.INVALID, "请填写本期进展情况", field="text")
    with transaction.atomic():
        locked = ProgressReport.unscoped.select_for_update(of=("self",)).select_related("action__organisation").get(pk=report.pk)
        if not _reaches(actor, locked.action.organisation) or (
            actor.role == Role.CITY_STAFF and actor.organisation != locked.action.organisation
        ):
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        if locked.submitted_at is not None:
            raise DomainError(E.INVALID, "本期进展已报送")
        locked.text, locked.submitted_at = text[:5000], timezone.now()
        locked.save(update_fields=["text", "submitted_at", "updated_at"])
    return locked


def report_mark_exemplary(*, actor: Actor, report: ProgressReport, exemplary: bool = True) -> ProgressReport:
    """The city picks a submitted report as an exemplary practice (典型做法), to be shown to all units."""
    _city(actor)
    with transaction.atomic():
        locked = ProgressReport.unscoped.select_for_update(of=("self",)).get(pk=report.pk)
        if locked.submitted_at is None:
            raise DomainError(E.INVALID, "尚未报送的进展不能评为典型做法")
        locked.exemplary = exemplary
        locked.save(update_fields=["exemplary", "updated_at"])
    return locked


# --- supervision notices ----------------------------------------------------------------------------------------


def notice_issue(*, actor: Actor, organisation: Organisation, text: str, answer_by: date, task: Task | None = None) -> SupervisionNotice:
    _city(actor)
    text = (text or "").strip()
    if not text:
        raise DomainError(E.INVALID, "请填写督办事项", field="text")
    if answer_by < timezone.localdate():
        raise DomainError(E.INVALID, "回复期限不能早于今天", field="answer_by")
    notice = SupervisionNotice(organisation=organisation, task=task, text=text[:5000], answer_by=answer_by)
    with transaction.atomic():
        notice.save()
    return notice


def notice_answer(*, actor: Actor, notice: SupervisionNotice, answer: str) -> SupervisionNotice:
    """The unit answers the notice (what it did, by when it will be done)."""
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(E.INVALID, "请填写回复", field="answer")
    with transaction.atomic():
        locked = SupervisionNotice.unscoped.select_for_update(of=("self",)).select_related("organisation").get(pk=notice.pk)
        if actor.role == Role.CITY_STAFF or not _reaches(actor, locked.organisation):
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        if locked.status != NoticeStatus.OPEN:
            raise DomainError(E.INVALID, f"督办当前为“{locked.get_status_display()}”，不能再回复")
        locked.status, locked.answer, locked.answered_at = NoticeStatus.ANSWERED, answer[:5000], timezone.now()
        locked.save(update_fields=["status", "answer", "answered_at", "updated_at"])
    return locked


def notice_close(*, actor: Actor, notice: SupervisionNotice) -> SupervisionNotice:
    _city(actor)
    with transaction.atomic():
        locked = SupervisionNotice.unscoped.select_for_update(of=("self",)).get(pk=notice.pk)
        if locked.status != NoticeStatus.ANSWERED:
            raise DomainError(E.INVALID, "督办回复后才能办结")
        locked.status, locked.closed_at = NoticeStatus.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
    return locked
