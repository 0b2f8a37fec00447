"""Writes of filings and supervision (备案制度、督促指导): a county files its implementation plan (with the plan's
document and supporting files) by the plan's filing deadline, and the city accepts it or returns it with comments;
units report their progress on the report template each period of a task that asks for it (with photos and
documents), and are overdue after the due day; the city sends supervision notices (督办) that the unit must answer
(with files if it likes), and closes them; the city picks a report as an exemplary practice (典型做法).

Each write in one transaction, audited by the models' saves. Files are checked before the transaction and stored
inside it (attachments.py): a bad file refuses the whole save, text and all, and a save that fails leaves no file.
What a unit completes closes the reminders it had of it (reminders.py)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.roles import Role
from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.core.files import written_files
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.worklist import attachments, permissions
from xinghuo.worklist.errors import WorklistError as E
from xinghuo.worklist.models import (
    Action,
    ActionStatus,
    Attachment,
    Filing,
    FilingStatus,
    FilingStep,
    NoticeStatus,
    Plan,
    ProgressReport,
    Reminder,
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


def may_report(actor: Actor, report: ProgressReport) -> bool:
    """Whether the actor keeps this report: the unit's own staff, or a county's for the units of its county (the city's
    staff report for their own unit only: they read everyone's)."""
    org = report.action.organisation
    if not permissions.can_report(actor) or (actor.role == Role.CITY_STAFF and actor.organisation != org):
        return False
    return _reaches(actor, org)


def _close_reminders(**owner: object) -> None:
    """The reminders of something the unit has now done need no more attention: marked read."""
    now = timezone.now()
    for reminder in Reminder.unscoped.filter(read_at__isnull=True, **owner):
        reminder.read_at = now
        reminder.save(update_fields=["read_at", "updated_at"])


# --- filings ----------------------------------------------------------------------------------------------------


def _step(filing: Filing, actor: Actor, from_status: str, comment: str = "") -> None:
    FilingStep.unscoped.create(filing=filing, from_status=from_status, to_status=filing.status, actor_label=actor.user.audit_label(),
                               comment=comment)  # fmt: skip


def plan_set_filing_due(*, actor: Actor, plan: Plan, filing_due: date | None) -> Plan:
    """The city sets (or clears) the day by which every county files its implementation plan for the plan."""
    _city(actor)
    with transaction.atomic():
        locked = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        locked.filing_due = filing_due
        locked.save(update_fields=["filing_due", "updated_at"])
    return locked


def filing_save(
    *, actor: Actor, plan: Plan, title: str, content: str, filing: Filing | None = None, document: UploadedFile | None = None,
    files: Sequence[UploadedFile] = (), submit: bool = False,
) -> Filing:  # fmt: skip
    """Draft (or revise, while a draft or returned) the county's implementation plan for a plan: its text, the plan's
    document (replacing the one before) and supporting files; and submit it to the city if `submit`, all at once."""
    org = _own_county(actor)
    title, content = (title or "").strip(), (content or "").strip()
    if not title:
        raise DomainError(E.INVALID, "请填写实施方案名称", field="title")
    if not content:
        raise DomainError(E.INVALID, "请填写实施方案的主要内容", field="content")
    checked_document = attachments.check_uploads([document] if document else [], field="document")
    checked_files = attachments.check_uploads(files, field="files")
    with written_files() as written, transaction.atomic():
        if filing is None:
            if Filing.unscoped.filter(organisation=org, plan=plan).exists():
                raise DomainError(E.INVALID, "本单位已有这一方案的实施方案，请在原备案上修改", field="title")
            locked = Filing(organisation=org, plan=plan, title=title, content=content)
            locked.save()
            _step(locked, actor, "")
        else:
            locked = Filing.unscoped.select_for_update(of=("self",)).get(pk=filing.pk)
            if locked.organisation_id != org.pk:
                raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
            if locked.status not in EDITABLE:
                raise DomainError(E.INVALID, f"备案当前为“{locked.get_status_display()}”，不能修改")
            locked.title, locked.content = title, content
            locked.save(update_fields=["title", "content", "updated_at"])
        if checked_document:
            for old in Attachment.unscoped.filter(filing=locked, is_document=True):
                attachments.remove(old)
            attachments.store(checked_document, organisation=org, written=written, filing=locked, is_document=True, field="document")
        attachments.store(checked_files, organisation=org, written=written, filing=locked)
        if submit:
            _submit(locked, actor)
    return locked


def _submit(locked: Filing, actor: Actor) -> None:
    if locked.status not in EDITABLE:
        raise DomainError(E.INVALID, f"备案当前为“{locked.get_status_display()}”，不能提交")
    before = locked.status
    locked.status, locked.submitted_at = FilingStatus.SUBMITTED, timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    _step(locked, actor, before)
    _close_reminders(plan=locked.plan_id, organisation=locked.organisation_id)


def filing_submit(*, actor: Actor, filing: Filing) -> Filing:
    org = _own_county(actor)
    with transaction.atomic():
        locked = Filing.unscoped.select_for_update(of=("self",)).get(pk=filing.pk)
        if locked.organisation_id != org.pk:
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        _submit(locked, actor)
    return locked


def attachment_remove(*, actor: Actor, attachment: Attachment) -> None:
    """Take a file off a filing or a progress report while it may still be changed (a draft or returned filing; a
    report not yet submitted), by those who may change it. Answers to notices are final: their files stay."""
    with transaction.atomic():
        if attachment.filing_id is not None:
            org = _own_county(actor)
            owner = Filing.unscoped.select_for_update(of=("self",)).get(pk=attachment.filing_id)
            if owner.organisation_id != org.pk:
                raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
            if owner.status not in EDITABLE:
                raise DomainError(E.INVALID, f"备案当前为“{owner.get_status_display()}”，附件不能删除")
        elif attachment.report_id is not None:
            report = (
                ProgressReport.unscoped.select_for_update(of=("self",)).select_related("action__organisation").get(pk=attachment.report_id)
            )
            if not may_report(actor, report):
                raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
            if report.submitted_at is not None:
                raise DomainError(E.INVALID, "进展已报送，附件不能删除")
        else:
            raise DomainError(E.INVALID, "督办回复的附件作为办理记录保留，不能删除")
        attachments.remove(attachment)


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


def report_save(
    *, actor: Actor, report: ProgressReport, text: str = "", progress: int | None = None, problems: str = "", next_steps: str = "",
    files: Sequence[UploadedFile] = (), submit: bool = False,
) -> ProgressReport:  # fmt: skip
    """The unit writes its report for the period on the template — what was done, the progress in per cent, the
    problems, the next steps — with photos and documents; kept as a draft, or submitted (late ones too: they stay
    marked late by their time). Submitting sets the action's progress to the report's, in the same transaction."""
    text, problems, next_steps = (text or "").strip(), (problems or "").strip(), (next_steps or "").strip()
    if progress is not None and not 0 <= int(progress) <= 100:
        raise DomainError(E.INVALID, "进度请填写 0 到 100 之间的整数", field="progress")
    if submit and not text:
        raise DomainError(E.INVALID, "请填写本期完成情况", field="text")
    if submit and progress is None:
        raise DomainError(E.INVALID, "请填写量化进展（进度%）", field="progress")
    checked = attachments.check_uploads(files, field="files")
    with written_files() as written, transaction.atomic():
        locked = ProgressReport.unscoped.select_for_update(of=("self",)).select_related("action__organisation").get(pk=report.pk)
        if not may_report(actor, locked):
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        if locked.submitted_at is not None:
            raise DomainError(E.INVALID, "本期进展已报送")
        locked.text, locked.problems, locked.next_steps = text[:5000], problems[:5000], next_steps[:5000]
        locked.progress = None if progress is None else int(progress)
        fields = ["text", "progress", "problems", "next_steps", "updated_at"]
        if submit:
            locked.submitted_at = timezone.now()
            fields.append("submitted_at")
        locked.save(update_fields=fields)
        attachments.store(checked, organisation=locked.action.organisation, written=written, report=locked)
        if submit:
            _set_action_progress(locked.action_id, locked.progress)
            _close_reminders(report=locked.pk)
    return locked


def _set_action_progress(action_id: int, progress: int) -> None:
    """The action's progress becomes the submitted report's: done at 100; under way once it moved (the unit's own
    滞后 flag stays until it is done)."""
    action = Action.unscoped.select_for_update(of=("self",)).get(pk=action_id)
    status = action.status
    if progress == 100:
        status = ActionStatus.DONE
    elif status == ActionStatus.DONE or (status == ActionStatus.NOT_STARTED and progress > 0):
        status = ActionStatus.IN_PROGRESS
    if (action.progress, action.status) != (progress, status):
        action.progress, action.status = progress, status
        action.save(update_fields=["progress", "status", "updated_at"])


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


def notice_answer(*, actor: Actor, notice: SupervisionNotice, answer: str, files: Sequence[UploadedFile] = ()) -> SupervisionNotice:
    """The unit answers the notice (what it did, by when it will be done), with files that show it if it likes."""
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(E.INVALID, "请填写回复", field="answer")
    checked = attachments.check_uploads(files, field="files")
    with written_files() as written, transaction.atomic():
        locked = SupervisionNotice.unscoped.select_for_update(of=("self",)).select_related("organisation").get(pk=notice.pk)
        if actor.role == Role.CITY_STAFF or not _reaches(actor, locked.organisation):
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        if locked.status != NoticeStatus.OPEN:
            raise DomainError(E.INVALID, f"督办当前为“{locked.get_status_display()}”，不能再回复")
        locked.status, locked.answer, locked.answered_at = NoticeStatus.ANSWERED, answer[:5000], timezone.now()
        locked.save(update_fields=["status", "answer", "answered_at", "updated_at"])
        attachments.store(checked, organisation=locked.organisation, written=written, notice=locked)
        _close_reminders(notice=locked.pk)
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
