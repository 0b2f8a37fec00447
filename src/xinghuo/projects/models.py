"""Funded science-popularization projects (科普项目): a yearly call (申报批次) with its total budget, the projects that
organisations apply for in it, the city's allocation (立项), the acceptance (验收) with its documents and verdict, and
the performance evaluation (绩效评价).

A project walks 申报中 → 已提交 → 已立项 (or 未立项) → 实施中 → 待验收 → 验收通过 (or 验收不通过, rectified and applied for
again while rounds remain) → 已评价. Every step is a `ProjectStep` (who, when, from which status to which, the amount
and the comment) besides the audit trail.

Invariants kept by the database: a project is granted at most what it asked for (the city may cut a request, never
raise it: an applicant who needs more revises the request before it is decided); what it spent is never negative and
never more than it was granted (the platform tracks the grant, not co-funding); a project has an allocated amount
exactly while it is funded, and an acceptance date exactly while it has passed. The sum granted in a call never
exceeding the call's total budget is a rule across rows: the allocation service keeps it under a lock on the call.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.files import private_storage  # migrations name it xinghuo.projects.models.private_storage
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager

MONEY = {"max_digits": 14, "decimal_places": 2}


class CallStatus(models.TextChoices):
    OPEN = "open", _("开放申报")
    CLOSED = "closed", _("已截止")


class ProjectCall(BaseModel):
    """A yearly call for projects (年度科普项目申报批次) with the total budget its projects may be granted. The city's:
    every business role reads the calls; city staff open, edit and close them."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("批次名称"), max_length=200)
    total_budget = models.DecimalField(_("资金总额（元）"), **MONEY)
    deadline = models.DateField(_("申报截止日期"))
    status = models.CharField(_("状态"), max_length=8, choices=CallStatus.choices, default=CallStatus.OPEN, db_index=True)
    notes = models.TextField(_("申报指南"), blank=True)

    objects = BaseManager()

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("项目申报批次")
        verbose_name_plural = _("项目申报批次")
        constraints = [
            models.CheckConstraint(condition=Q(total_budget__gt=0), name="project_call_budget_positive"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="project_call_year_sane"),
            models.UniqueConstraint(fields=["year", "title"], name="project_call_unique_title_per_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_name(self) -> str:
        return f"申报批次 {self.title}"


class Category(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("科普基础设施")
    ACTIVITY = "activity", _("科普活动")
    RESOURCES = "resources", _("科普资源开发")
    TALENT = "talent", _("科普人才培养")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("申报中")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已立项")
    DECLINED = "declined", _("未立项")
    IN_PROGRESS = "in_progress", _("实施中")
    ACCEPTANCE_APPLIED = "acceptance_applied", _("待验收")
    ACCEPTED = "accepted", _("验收通过")
    REJECTED = "rejected", _("验收不通过")
    EVALUATED = "evaluated", _("已评价")


#: The statuses of a project that was granted money (it has an allocated amount exactly in these).
FUNDED_STATUSES = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTANCE_APPLIED,
    ProjectStatus.ACCEPTED,
    ProjectStatus.REJECTED,
    ProjectStatus.EVALUATED,
)
PASSED_STATUSES = (ProjectStatus.ACCEPTED, ProjectStatus.EVALUATED)
#: How many times a project may apply for acceptance: once, and once more after rectifying a failed one (整改).
MAX_ACCEPTANCE_ROUNDS = 2


class Project(BaseModel):
    call = models.ForeignKey(ProjectCall, models.PROTECT, related_name="projects", verbose_name=_("申报批次"))
    code = models.CharField(_("项目编号"), max_length=20, unique=True)
    title = models.CharField(_("项目名称"), max_length=200)
    applicant = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="projects", verbose_name=_("申报单位"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="+", verbose_name=_("所在区划"))
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices)
    brief = models.TextField(_("项目简介"))
    goals = models.TextField(_("绩效目标"), blank=True)
    requested = models.DecimalField(_("申请资金（元）"), **MONEY)
    allocated = models.DecimalField(_("立项资金（元）"), null=True, blank=True, **MONEY)
    spent = models.DecimalField(_("已支出（元）"), default=Decimal(0), **MONEY)
    period_start = models.DateField(_("实施开始"))
    period_end = models.DateField(_("实施结束"))
    status = models.CharField(_("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    allocated_on = models.DateField(_("立项日期"), null=True, blank=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("立项经办人"))  # fmt: skip
    decision_comment = models.TextField(_("立项意见"), blank=True)
    acceptance_applied_at = models.DateTimeField(_("申请验收时间"), null=True, blank=True)
    acceptance_summary = models.TextField(_("验收申请说明"), blank=True)
    acceptance_rounds = models.PositiveSmallIntegerField(_("验收申请次数"), default=0)
    verdict_comment = models.TextField(_("验收意见"), blank=True)
    accepted_on = models.DateField(_("验收通过日期"), null=True, blank=True)

    objects = scoped_manager(region="region", organisation="applicant")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-call__year", "code"]
        verbose_name = _("科普项目")
        verbose_name_plural = _("科普项目")
        constraints = [
            models.CheckConstraint(condition=Q(requested__gt=0), name="project_requested_positive"),
            models.CheckConstraint(
                condition=Q(allocated__isnull=True) | Q(allocated__gt=0, allocated__lte=F("requested")),
                name="project_allocated_within_request",
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="project_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(spent=0) | Q(allocated__isnull=False, spent__lte=F("allocated")), name="project_spent_within_grant"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="project_period_ordered"),
            models.CheckConstraint(
                condition=(Q(status__in=FUNDED_STATUSES) & Q(allocated__isnull=False, allocated_on__isnull=False))
                | (~Q(status__in=FUNDED_STATUSES) & Q(allocated__isnull=True)),
                name="project_allocated_while_funded",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=PASSED_STATUSES) & Q(accepted_on__isnull=False))
                | (~Q(status__in=PASSED_STATUSES) & Q(accepted_on__isnull=True)),
                name="project_accepted_on_while_passed",
            ),
            models.CheckConstraint(condition=Q(acceptance_rounds__lte=MAX_ACCEPTANCE_ROUNDS), name="project_acceptance_rounds_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def audit_name(self) -> str:
        return f"科普项目 {self.code} {self.title}"

    @property
    def can_reapply(self) -> bool:
        """A failed acceptance may be rectified and applied for again while rounds remain."""
        return self.status == ProjectStatus.REJECTED and self.acceptance_rounds < MAX_ACCEPTANCE_ROUNDS

    @property
    def balance(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.spent


class StepAction(models.TextChoices):
    CREATE = "create", _("创建申报")
    SUBMIT = "submit", _("提交申报")
    RETURN = "return", _("退回修改")
    ALLOCATE = "allocate", _("立项")
    DECLINE = "decline", _("不予立项")
    START = "start", _("开始实施")
    SPENDING = "spending", _("报告支出")
    APPLY = "apply", _("申请验收")
    ACCEPT = "accept", _("验收通过")
    REJECT = "reject", _("验收不通过")
    EVALUATE = "evaluate", _("绩效评价")


class ProjectStep(BaseModel):
    """One step of a project: who, when, what, from which status to which, the amount concerned and the comment."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="steps", verbose_name=_("项目"))
    action = models.CharField(_("环节"), max_length=12, choices=StepAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=ProjectStatus.choices)
    actor_label = models.CharField(_("经办人"), max_length=150)
    amount = models.DecimalField(_("金额（元）"), null=True, blank=True, **MONEY)
    comment = models.TextField(_("意见"), blank=True)

    objects = scoped_manager(region="project__region", organisation="project__applicant")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("项目办理环节")
        verbose_name_plural = _("项目办理环节")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_label}"


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("申报书")
    ACCEPTANCE = "acceptance", _("验收材料")
    FINANCIAL = "financial", _("财务决算")
    OTHER = "other", _("其他材料")


class ProjectDocument(BaseModel):
    """A file of a project (申报书, 验收材料, 财务决算…), checked by its content, kept in private storage and served only
    to those who may see the project."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="documents", verbose_name=_("项目"))
    kind = models.CharField(_("材料类别"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to="projects/%Y/%m/", storage=private_storage)
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(_("上传人"), max_length=150)

    objects = scoped_manager(region="project__region", organisation="project__applicant")
    unscoped = BaseManager()

    class Meta:
        ordering = ["kind", "created_at", "id"]
        verbose_name = _("项目材料")
        verbose_name_plural = _("项目材料")

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"项目材料 {self.name}"

    @property
    def inline(self) -> bool:
        return self.content_type.startswith("image/") or self.content_type == "application/pdf"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


#: The criteria of the performance evaluation (绩效评价) and their full marks: 100 in all.
CRITERIA: tuple[tuple[str, Any, int], ...] = (
    ("goal_score", _("目标完成"), 40),
    ("benefit_score", _("社会效益"), 30),
    ("funds_score", _("经费使用"), 20),
    ("archive_score", _("档案管理"), 10),
)
#: The lowest total of each grade; below the last, 不合格.
GRADE_LINES: tuple[tuple[str, int], ...] = ((Grade.EXCELLENT, 90), (Grade.GOOD, 75), (Grade.PASS, 60))


def grade_for(total: int) -> str:
    return next((grade for grade, line in GRADE_LINES if total >= line), Grade.FAIL)


def _grade_bands() -> Q:
    bands = Q(grade=Grade.FAIL, total__lt=GRADE_LINES[-1][1])
    upper = None
    for grade, line in GRADE_LINES:
        bands |= Q(grade=grade, total__gte=line) & (Q(total__lt=upper) if upper is not None else Q())
        upper = line
    return bands


class Evaluation(BaseModel):
    """The performance evaluation (绩效评价) of an accepted project: a score on each criterion, their total, and the
    grade its thresholds give — all three kept consistent by the database."""

    project = models.OneToOneField(Project, models.CASCADE, related_name="evaluation", verbose_name=_("项目"))
    goal_score = models.PositiveSmallIntegerField(_("目标完成"))
    benefit_score = models.PositiveSmallIntegerField(_("社会效益"))
    funds_score = models.PositiveSmallIntegerField(_("经费使用"))
    archive_score = models.PositiveSmallIntegerField(_("档案管理"))
    total = models.PositiveSmallIntegerField(_("总分"))
    grade = models.CharField(_("评价等次"), max_length=10, choices=Grade.choices)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("评价人"))
    evaluator_label = models.CharField(_("评价人"), max_length=150)
    comment = models.TextField(_("评价意见"), blank=True)

    objects = scoped_manager(region="project__region", organisation="project__applicant")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("绩效评价")
        verbose_name_plural = _("绩效评价")
        constraints = [
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__lte": full}), name=f"evaluation_{name}_within_full")
                for name, _l, full in CRITERIA
            ],
            models.CheckConstraint(
                condition=Q(total=F("goal_score") + F("benefit_score") + F("funds_score") + F("archive_score")),
                name="evaluation_total_is_sum",
            ),
            models.CheckConstraint(condition=_grade_bands(), name="evaluation_grade_by_total"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.total} {self.get_grade_display()}"

    def audit_name(self) -> str:
        return f"绩效评价 {self.project.code}"

    def scores(self) -> list[tuple[str, int, int]]:
        return [(label, getattr(self, name), full) for name, label, full in CRITERIA]
