"""Writes of funded projects: calls, the applicant's draft and submission, the city's allocation (立项) within the
call's budget, implementation and spending, acceptance (验收) with its documents and verdict, and the evaluation.

Each write runs in one transaction that locks the rows whose state it changes — the call first, then the project,
always in that order — checks the actor's side and the project's status, writes the change and appends a
`ProjectStep`; the models' saves write the audit trail. A refused step changes nothing."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.files import sniffed_upload, written_files
from xinghuo.core.images import clean_image
from xinghuo.core.locking import lock_row
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.projects import permissions
from xinghuo.projects.errors import ProjectError as E
from xinghuo.projects.models import (
    CRITERIA,
    MAX_ACCEPTANCE_ROUNDS,
    CallStatus,
    Category,
    DocumentKind,
    Evaluation,
    Project,
    ProjectCall,
    ProjectDocument,
    ProjectStatus,
    ProjectStep,
    StepAction,
    grade_for,
)

NOT_FOUND = "您要找的记录不存在或无权查看。"
BUSY = "其他人正在办理同一批次的项目，请稍后再试"
CENT = Decimal("0.01")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENTS = 40
#: What a project's document may be, judged by its content (never by its name): PDF, Office files, pictures.
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "image/jpeg": "jpg",
    "image/png": "png",
}
#: Which documents the applicant may add in which statuses: the application before it is sent; acceptance and
#: financial documents while the project is carried out (or rectified); other documents in both.
UPLOADS: dict[str, tuple[str, ...]] = {
    ProjectStatus.DRAFT: (DocumentKind.APPLICATION, DocumentKind.OTHER),
    ProjectStatus.APPROVED: (DocumentKind.ACCEPTANCE, DocumentKind.FINANCIAL, DocumentKind.OTHER),
    ProjectStatus.IN_PROGRESS: (DocumentKind.ACCEPTANCE, DocumentKind.FINANCIAL, DocumentKind.OTHER),
    ProjectStatus.REJECTED: (DocumentKind.ACCEPTANCE, DocumentKind.FINANCIAL, DocumentKind.OTHER),
}
SPENDING_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.REJECTED)
CODE_RE = re.compile(r"^KP-\d{4}-(\d+)$")


# --- guards -----------------------------------------------------------------------------------------------------


def _city(actor: Actor) -> None:
    if not permissions.can_decide(actor):
        raise DomainError(E.NOT_ALLOWED, "只有市科协可以办理这一环节", status=403)


def _applicant_side(actor: Actor, applicant: Organisation) -> None:
    """The applicant's own side, or a refusal: 404 for those who may not even see the project, 403 for the rest."""
    if permissions.acts_for(actor, applicant):
        return
    if permissions.can_view(actor) and actor.reaches(region_id=applicant.region_id, organisation_id=applicant.pk):
        raise DomainError(E.NOT_ALLOWED, "只有申报单位（或其所在县市区科协）可以办理这一环节", status=403)
    raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)


def _lock(project: Project) -> Project:
    return Project.unscoped.select_for_update(of=("self",)).select_related("applicant", "call").get(pk=project.pk)


def _lock_call(pk: int) -> ProjectCall:
    return lock_row(ProjectCall.objects.select_for_update(of=("self",)), pk, busy=BUSY)


def _status(project: Project, allowed: tuple[str, ...], doing: str) -> None:
    if project.status not in allowed:
        raise DomainError(E.WRONG_STATUS, f"项目当前为“{project.get_status_display()}”，不能{doing}")


def _step(project: Project, actor: Actor, action: str, before: str, *, amount: Decimal | None = None, comment: str = "") -> None:
    ProjectStep.unscoped.create(project=project, action=action, from_status=before, to_status=project.status,
                                actor_label=actor.user.audit_label(), amount=amount, comment=comment)  # fmt: skip


def _money(value: Any, *, field: str, label: str, positive: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError) as exc:
        raise DomainError(E.INVALID, f"{label}请填写金额（元）", field=field) from exc
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise DomainError(E.INVALID, f"{label}最多保留两位小数", field=field)
    if amount < 0 or (positive and amount == 0):
        raise DomainError(E.INVALID, f"{label}应大于零" if positive else f"{label}不能为负数", field=field)
    if amount >= Decimal("1e12"):
        raise DomainError(E.INVALID, f"{label}过大", field=field)
    return amount


def _text(value: str | None, *, field: str, missing: str, limit: int = 5000) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(E.INVALID, missing, field=field)
    return text[:limit]


# --- calls ------------------------------------------------------------------------------------------------------


def allocated_in(call: ProjectCall) -> Decimal:
    """The sum granted so far in the call."""
    return Project.unscoped.filter(call=call, allocated__isnull=False).aggregate(s=Sum("allocated"))["s"] or Decimal(0)


def call_save(*, actor: Actor, year: int, title: str, total_budget: Decimal, deadline: date, notes: str = "",
              call: ProjectCall | None = None) -> ProjectCall:  # fmt: skip
    """Open a call (city staff), or change one: its total never below what its projects were already granted."""
    _city(actor)
    title = _text(title, field="title", missing="请填写批次名称", limit=200)
    budget = _money(total_budget, field="total_budget", label="资金总额")
    if not 2000 <= int(year) <= 2100:
        raise DomainError(E.INVALID, "年度应在 2000 至 2100 之间", field="year")
    with transaction.atomic():
        if call is None:
            call = ProjectCall(year=year, title=title, total_budget=budget, deadline=deadline, notes=(notes or "").strip())
        else:
            call = _lock_call(call.pk)
            granted = allocated_in(call)
            if budget < granted:
                raise DomainError(E.BUDGET_EXCEEDED, f"本批次已立项 {granted:,.2f} 元，资金总额不能低于这个数", field="total_budget")
            call.year, call.title, call.total_budget, call.deadline, call.notes = year, title, budget, deadline, (notes or "").strip()
        if ProjectCall.objects.filter(year=year, title=title).exclude(pk=call.pk).exists():
            raise DomainError(E.INVALID, "本年度已有同名批次", field="title")
        validate(call)
        call.save()
    return call


def call_set_status(*, actor: Actor, call: ProjectCall, status: str) -> ProjectCall:
    """Close a call to new applications, or open it again (city staff)."""
    _city(actor)
    if status not in CallStatus.values:
        raise DomainError(E.INVALID, "批次状态无效", field="status")
    with transaction.atomic():
        call = _lock_call(call.pk)
        call.status = status
        call.save(update_fields=["status", "updated_at"])
    return call


def _call_takes_applications(call: ProjectCall) -> None:
    if call.status != CallStatus.OPEN:
        raise DomainError(E.CALL_CLOSED, f"“{call.title}”已截止申报", field="call")
    if timezone.localdate() > call.deadline:
        raise DomainError(E.CALL_CLOSED, f"“{call.title}”的申报截止日期（{call.deadline:%Y-%m-%d}）已过", field="call")


# --- the applicant's draft and submission ------------------------------------------------------------------------


def _fields(*, title: str, category: str, brief: str, goals: str, requested: Any, period_start: date, period_end: date) -> dict[str, Any]:
    if category not in Category.values:
        raise DomainError(E.INVALID, "请选择项目类别", field="category")
    if period_end < period_start:
        raise DomainError(E.INVALID, "实施结束日期不能早于开始日期", field="period_end")
    return {
        "title": _text(title, field="title", missing="请填写项目名称", limit=200),
        "category": category,
        "brief": _text(brief, field="brief", missing="请填写项目简介", limit=10000),
        "goals": (goals or "").strip()[:5000],
        "requested": _money(requested, field="requested", label="申请资金"),
        "period_start": period_start,
        "period_end": period_end,
    }


def _next_code(year: int) -> str:
    taken = Project.unscoped.filter(code__startswith=f"KP-{year}-").values_list("code", flat=True)
    numbers = [int(m.group(1)) for m in (CODE_RE.match(c) for c in taken) if m]
    return f"KP-{year}-{max(numbers, default=0) + 1:03d}"


def project_create(*, actor: Actor, call: ProjectCall, applicant: Organisation, title: str, category: str, brief: str,
                   requested: Any, period_start: date, period_end: date, goals: str = "") -> Project:  # fmt: skip
    """Draft an application of the applicant organisation in an open call; it gets its code (KP-年度-序号) at once."""
    _applicant_side(actor, applicant)
    if not applicant.is_active:
        raise DomainError(E.INVALID, "申报单位已停用", field="applicant")
    values = _fields(title=title, category=category, brief=brief, goals=goals, requested=requested, period_start=period_start,
                     period_end=period_end)  # fmt: skip
    with transaction.atomic():
        # Numbers run through the year across its calls: every call of the year is locked, in one order, so that two
        # applications to two calls of a year never draw the same number.
        year = ProjectCall.objects.filter(pk=call.pk).values_list("year", flat=True).get()
        list(ProjectCall.objects.select_for_update().filter(year=year).order_by("pk"))
        call = _lock_call(call.pk)
        _call_takes_applications(call)
        project = Project(call=call, code=_next_code(call.year), applicant=applicant, region=applicant.region, **values)
        validate(project)
        project.save()
        _step(project, actor, StepAction.CREATE, "", amount=project.requested)
    return project


def project_update(*, actor: Actor, project: Project, title: str, category: str, brief: str, requested: Any,
                   period_start: date, period_end: date, goals: str = "") -> Project:  # fmt: skip
    """Revise a draft (also one the city returned for revision)."""
    values = _fields(title=title, category=category, brief=brief, goals=goals, requested=requested, period_start=period_start,
                     period_end=period_end)  # fmt: skip
    with transaction.atomic():
        locked = _lock(project)
        _applicant_side(actor, locked.applicant)
        _status(locked, (ProjectStatus.DRAFT,), "修改")
        for name, value in values.items():
            setattr(locked, name, value)
        validate(locked)
        locked.save(update_fields=[*values, "updated_at"])
    return locked


def project_submit(*, actor: Actor, project: Project) -> Project:
    """Send the application to the city: the call still open, the application form (申报书) attached."""
    with transaction.atomic():
        locked = _lock(project)
        _applicant_side(actor, locked.applicant)
        _status(locked, (ProjectStatus.DRAFT,), "提交")
        _call_takes_applications(locked.call)
        if not ProjectDocument.unscoped.filter(project=locked, kind=DocumentKind.APPLICATION).exists():
            raise DomainError(E.DOCUMENTS_MISSING, "请先上传项目申报书再提交")
        before = locked.status
        locked.status, locked.submitted_at = ProjectStatus.SUBMITTED, timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        _step(locked, actor, StepAction.SUBMIT, before)
    return locked


# --- the city's decision --------------------------------------------------------------------------------------


def project_return(*, actor: Actor, project: Project, comment: str) -> Project:
    """The city sends a submitted application back for revision, saying what to change."""
    _city(actor)
    comment = _text(comment, field="comment", missing="退回请写明修改意见")
    with transaction.atomic():
        locked = _lock(project)
        _status(locked, (ProjectStatus.SUBMITTED,), "退回")
        locked.status, locked.decision_comment = ProjectStatus.DRAFT, comment
        locked.save(update_fields=["status", "decision_comment", "updated_at"])
        _step(locked, actor, StepAction.RETURN, ProjectStatus.SUBMITTED, comment=comment)
    return locked


def project_allocate(*, actor: Actor, project: Project, amount: Any, comment: str = "") -> Project:
    """立项: the city grants the project an amount, at most what it asked for, within what is left of the call's budget.

    The call's row is locked first, so that two allocations in the same call at once are counted one after the other
    and never exceed its total between them."""
    _city(actor)
    amount = _money(amount, field="amount", label="立项资金")
    with transaction.atomic():
        call = _lock_call(project.call_id)
        locked = _lock(project)
        _status(locked, (ProjectStatus.SUBMITTED,), "立项")
        if amount > locked.requested:
            raise DomainError(E.INVALID, f"立项资金不能超过申请资金（{locked.requested:,.2f} 元）", field="amount")
        left = call.total_budget - allocated_in(call)
        if amount > left:
            raise DomainError(E.BUDGET_EXCEEDED, f"超出批次资金总额：“{call.title}”尚余 {left:,.2f} 元可立项", field="amount")
        locked.status, locked.allocated, locked.allocated_on = ProjectStatus.APPROVED, amount, timezone.localdate()
        locked.allocated_by, locked.decision_comment = actor.user, (comment or "").strip()[:5000]
        locked.save(update_fields=["status", "allocated", "allocated_on", "allocated_by", "decision_comment", "updated_at"])
        _step(locked, actor, StepAction.ALLOCATE, ProjectStatus.SUBMITTED, amount=amount, comment=locked.decision_comment)
    return locked


def project_decline(*, actor: Actor, project: Project, comment: str) -> Project:
    """未立项: the city declines the application, with its reasons."""
    _city(actor)
    comment = _text(comment, field="comment", missing="不予立项请写明理由")
    with transaction.atomic():
        locked = _lock(project)
        _status(locked, (ProjectStatus.SUBMITTED,), "作出立项决定")
        locked.status, locked.decision_comment = ProjectStatus.DECLINED, comment
        locked.save(update_fields=["status", "decision_comment", "updated_at"])
        _step(locked, actor, StepAction.DECLINE, ProjectStatus.SUBMITTED, comment=comment)
    return locked


# --- implementation -------------------------------------------------------------------------------------------


def project_start(*, actor: Actor, project: Project) -> Project:
    """The applicant starts carrying out the funded project (实施中)."""
    with transaction.atomic():
        locked = _lock(project)
        _applicant_side(actor, locked.applicant)
        _status(locked, (ProjectStatus.APPROVED,), "开始实施")
        locked.status = ProjectStatus.IN_PROGRESS
        locked.save(update_fields=["status", "updated_at"])
        _step(locked, actor, StepAction.START, ProjectStatus.APPROVED)
    return locked


def _set_spent(locked: Project, spent: Any) -> Decimal:
    amount = _money(spent, field="spent", label="已支出金额", positive=False)
    if locked.allocated is not None and amount > locked.allocated:
        raise DomainError(E.INVALID, f"已支出金额不能超过立项资金（{locked.allocated:,.2f} 元）", field="spent")
    return amount


def project_report_spending(*, actor: Actor, project: Project, spent: Any, comment: str = "") -> Project:
    """The applicant reports what it has spent of the grant so far (a running total, not an increment)."""
    with transaction.atomic():
        locked = _lock(project)
        _applicant_side(actor, locked.applicant)
        _status(locked, SPENDING_STATUSES, "报告支出")
        locked.spent = _set_spent(locked, spent)
        locked.save(update_fields=["spent", "updated_at"])
        _step(locked, actor, StepAction.SPENDING, locked.status, amount=locked.spent, comment=(comment or "").strip()[:2000])
    return locked


def project_apply_acceptance(*, actor: Actor, project: Project, summary: str, spent: Any) -> Project:
    """申请验收: with the final spending, a summary, and at least one acceptance document and one financial statement
    (财务决算). A project that failed acceptance applies again after rectifying, while rounds remain."""
    summary = _text(summary, field="summary", missing="请填写项目完成情况说明")
    with transaction.atomic():
        locked = _lock(project)
        _applicant_side(actor, locked.applicant)
        if locked.status == ProjectStatus.REJECTED and not locked.can_reapply:
            raise DomainError(E.WRONG_STATUS, f"项目已 {MAX_ACCEPTANCE_ROUNDS} 次验收不通过，不能再申请验收")
        _status(locked, (ProjectStatus.IN_PROGRESS, ProjectStatus.REJECTED), "申请验收")
        kinds = set(ProjectDocument.unscoped.filter(project=locked).values_list("kind", flat=True))
        missing = [
            label for kind, label in ((DocumentKind.ACCEPTANCE, "验收材料"), (DocumentKind.FINANCIAL, "财务决算")) if kind not in kinds
        ]
        if missing:
            raise DomainError(E.DOCUMENTS_MISSING, f"请先上传{'和'.join(missing)}再申请验收")
        before = locked.status
        locked.spent = _set_spent(locked, spent)
        locked.status, locked.acceptance_applied_at = ProjectStatus.ACCEPTANCE_APPLIED, timezone.now()
        locked.acceptance_summary, locked.acceptance_rounds = summary, locked.acceptance_rounds + 1
        locked.save(update_fields=["spent", "status", "acceptance_applied_at", "acceptance_summary", "acceptance_rounds", "updated_at"])
        _step(locked, actor, StepAction.APPLY, before, amount=locked.spent, comment=summary)
    return locked


# --- acceptance and evaluation --------------------------------------------------------------------------------


def project_verdict(*, actor: Actor, project: Project, passed: bool, comment: str = "") -> Project:
    """验收: the city passes the project, or fails it with the reasons (it may rectify and apply again while rounds
    remain)."""
    _city(actor)
    comment = (comment or "").strip()[:5000]
    if not passed and not comment:
        raise DomainError(E.INVALID, "验收不通过请写明理由和整改要求", field="comment")
    with transaction.atomic():
        locked = _lock(project)
        _status(locked, (ProjectStatus.ACCEPTANCE_APPLIED,), "作出验收结论")
        locked.status = ProjectStatus.ACCEPTED if passed else ProjectStatus.REJECTED
        locked.verdict_comment, locked.accepted_on = comment, timezone.localdate() if passed else None
        locked.save(update_fields=["status", "verdict_comment", "accepted_on", "updated_at"])
        _step(locked, actor, StepAction.ACCEPT if passed else StepAction.REJECT, ProjectStatus.ACCEPTANCE_APPLIED, comment=comment)
    return locked


def project_evaluate(*, actor: Actor, project: Project, scores: dict[str, Any], comment: str = "") -> Evaluation:
    """绩效评价 of an accepted project: a whole-number score on each criterion up to its full marks; the total and the
    grade follow from them."""
    _city(actor)
    values: dict[str, int] = {}
    for name, label, full in CRITERIA:
        raw = scores.get(name)
        if isinstance(raw, str) and raw.strip().lstrip("-").isdecimal():
            raw = int(raw.strip())
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise DomainError(E.INVALID, f"请填写“{label}”得分（整数）", field=name)
        value = raw
        if not 0 <= value <= full:
            raise DomainError(E.INVALID, f"“{label}”得分应在 0 到 {full} 之间", field=name)
        values[name] = value
    total = sum(values.values())
    with transaction.atomic():
        locked = _lock(project)
        _status(locked, (ProjectStatus.ACCEPTED,), "评价")
        evaluation = Evaluation(project=locked, total=total, grade=grade_for(total), evaluator=actor.user,
                                evaluator_label=actor.user.audit_label(), comment=(comment or "").strip()[:5000], **values)  # fmt: skip
        evaluation.save()
        locked.status = ProjectStatus.EVALUATED
        locked.save(update_fields=["status", "updated_at"])
        _step(locked, actor, StepAction.EVALUATE, ProjectStatus.ACCEPTED, comment=f"{total} 分，{evaluation.get_grade_display()}")
    return evaluation


# --- documents --------------------------------------------------------------------------------------------------


def _check_upload(upload: UploadedFile) -> tuple[str, bytes]:
    mime, data = sniffed_upload(upload, max_bytes=MAX_DOCUMENT_BYTES, types=DOCUMENT_TYPES, code=E.DOCUMENT_INVALID,
                                not_allowed="的内容不是 PDF、Word、Excel、PowerPoint 或图片（JPEG/PNG）文件")  # fmt: skip
    if mime in ("image/jpeg", "image/png"):  # a photo is stored as a fresh JPEG: without its EXIF (the place it was taken)
        upload.seek(0)
        return "image/jpeg", clean_image(upload, max_side=2560, field="file").content.read()
    return mime, data


def document_add(*, actor: Actor, project: Project, kind: str, upload: UploadedFile) -> ProjectDocument:
    """Attach a document to the project (the applicant's side), in private storage; a file whose content is not of
    an allowed type, or too large, is refused and nothing is stored."""
    if kind not in DocumentKind.values:
        raise DomainError(E.DOCUMENT_INVALID, "请选择材料类别", field="kind")
    mime, content = _check_upload(upload)
    with written_files() as written, transaction.atomic():
        locked = _lock(project)
        _applicant_side(actor, locked.applicant)
        allowed = UPLOADS.get(locked.status, ())
        if locked.status == ProjectStatus.REJECTED and not locked.can_reapply:
            allowed = ()
        if not allowed:
            raise DomainError(E.WRONG_STATUS, f"项目当前为“{locked.get_status_display()}”，不能上传材料")
        if kind not in allowed:
            raise DomainError(E.DOCUMENT_INVALID, f"项目当前为“{locked.get_status_display()}”，不能上传{DocumentKind(kind).label}",
                              field="kind")  # fmt: skip
        if ProjectDocument.unscoped.filter(project=locked).count() >= MAX_DOCUMENTS:
            raise DomainError(E.DOCUMENT_INVALID, f"每个项目最多 {MAX_DOCUMENTS} 个文件", field="file")
        document = ProjectDocument(project=locked, kind=kind, name=(upload.name or "材料").rsplit("/", 1)[-1][:150], content_type=mime,
                                   size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                                   uploaded_by=actor.user.audit_label())  # fmt: skip
        document.file.save(f"{document.uid.hex}.{DOCUMENT_TYPES[mime]}", ContentFile(content), save=False)
        written.append(document.file)
        document.save()
    return document


def document_remove(*, actor: Actor, document: ProjectDocument) -> None:
    """Remove a document the city has not seen yet: one added since the project was last sent (submitted, or applied
    for acceptance), while documents may be added. What was sent stays as part of the record."""
    with transaction.atomic():
        locked = _lock(document.project)
        _applicant_side(actor, locked.applicant)
        if locked.status not in UPLOADS:
            raise DomainError(E.WRONG_STATUS, f"项目当前为“{locked.get_status_display()}”，不能删除材料")
        sent = max((t for t in (locked.submitted_at, locked.acceptance_applied_at) if t is not None), default=None)
        stored = ProjectDocument.unscoped.get(pk=document.pk)
        if sent is not None and stored.created_at <= sent:
            raise DomainError(E.WRONG_STATUS, "已报送市科协的材料作为办理记录保留，不能删除；可补充上传新材料")
        file = stored.file
        stored.delete()
        transaction.on_commit(lambda: file.delete(save=False))
