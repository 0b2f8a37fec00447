"""The work list (专项工作清单): every task of the city's plans as data, and each responsible unit's part in it.

A `Plan` is one of the plans the work comes from (the two seeds, and any later plan city staff add). A `Task` is
one clause of a plan: its text, the lead departments (牵头) and responsible units (负责落实) as the plan names them,
the measurable targets it states, and its period; a clause's sub-items (一是、二是…) are tasks under it. An
`Action` is one responsible unit's part in a task (an organisation of the platform): its own status and progress,
kept by that unit. A task's progress rolls up from its sub-tasks and actions — weighted where weights are set,
else the plain average (selectors.progress_of).

Filings, progress reports and supervision answers carry `Attachment`s (files in private storage, read only through
views that check the reader may see the record they belong to); a unit's staff get a `Reminder` before a deadline
of theirs and when it has passed (reminders.py, run daily)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.files import private_storage  # migrations name it xinghuo.worklist.models.private_storage
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager


class Plan(BaseModel):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    seed = models.CharField(_("来源文件"), max_length=100, blank=True)
    issued = models.CharField(_("印发时间"), max_length=10, blank=True)
    is_active = models.BooleanField(_("执行中"), default=True)
    filing_due = models.DateField(_("实施方案备案截止"), null=True, blank=True)

    objects = BaseManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("规划方案")
        verbose_name_plural = _("规划方案")

    def __str__(self) -> str:
        return self.title

    def audit_name(self) -> str:
        return f"方案 {self.title}"


class Task(BaseModel):
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="tasks", verbose_name=_("方案"))
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="subtasks", verbose_name=_("上级任务"))
    code = models.CharField(_("编号"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    section = models.CharField(_("所属部分"), max_length=200, blank=True)
    title = models.CharField(_("任务"), max_length=200)
    text = models.TextField(_("原文"))
    lead = models.CharField(_("牵头部门"), max_length=200, blank=True, help_text=_("多个用“、”分隔"))
    units = models.CharField(_("负责落实单位"), max_length=300, blank=True, help_text=_("方案所列，多个用“、”分隔"))
    period = models.CharField(_("时限"), max_length=40, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, null=True, blank=True)
    report_every = models.CharField(_("进展报送"), max_length=10, choices=[("", _("不定期")), ("month", _("每月")), ("quarter", _("每季度"))],
                                    blank=True, default="")  # fmt: skip

    objects = BaseManager()

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        constraints = [models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gt=0), name="task_weight_positive")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def audit_name(self) -> str:
        return f"任务 {self.code} {self.title}"

    def lead_list(self) -> list[str]:
        return [x for x in self.lead.split("、") if x]


class Target(BaseModel):
    """A measurable target a task states: "每年市级开展示范活动10-20期" → 10 to 20 期 a year."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="targets", verbose_name=_("任务"))
    text = models.CharField(_("目标"), max_length=200)
    minimum = models.DecimalField(_("下限"), max_digits=12, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("上限"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    per = models.CharField(_("周期"), max_length=20, blank=True)
    indicator = models.CharField(_("指标"), max_length=60, blank=True, db_index=True)

    objects = BaseManager()

    class Meta:
        ordering = ["task", "id"]
        verbose_name = _("量化目标")
        verbose_name_plural = _("量化目标")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(maximum__isnull=True) | Q(maximum__gte=models.F("minimum")),
                name="target_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.text


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    DELAYED = "delayed", _("滞后")


class Action(BaseModel):
    """One responsible unit's part in a task: its status and progress, kept by the unit (or the city)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="actions", verbose_name=_("任务"))
    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="actions", verbose_name=_("负责单位"))
    status = models.CharField(_("状态"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("进展说明"), blank=True)

    objects = scoped_manager(region="organisation__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["task", "organisation__code", "id"]
        verbose_name = _("落实情况")
        verbose_name_plural = _("落实情况")
        constraints = [
            models.UniqueConstraint(fields=["task", "organisation"], name="action_once_per_unit"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_percent"),
            models.CheckConstraint(condition=~Q(status="done") | Q(progress=100), name="action_done_is_100"),
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gt=0), name="action_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.organisation.name}"

    def audit_name(self) -> str:
        return f"落实 {self.task.code}（{self.organisation.name}）"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已备案")


class Filing(BaseModel):
    """A county's (or zone's) implementation plan (实施方案) for a plan, filed with the city (备案): drafted, submitted,
    returned with comments and submitted again, until the city accepts it."""

    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="filings", verbose_name=_("备案单位"))
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="filings", verbose_name=_("方案"))
    title = models.CharField(_("实施方案名称"), max_length=200)
    content = models.TextField(_("主要内容"))
    status = models.CharField(_("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)

    objects = scoped_manager(region="organisation__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("实施方案备案")
        verbose_name_plural = _("实施方案备案")
        constraints = [models.UniqueConstraint(fields=["organisation", "plan"], name="filing_once_per_plan")]

    def __str__(self) -> str:
        return self.title

    def audit_name(self) -> str:
        return f"备案 {self.title}（{self.organisation.name}）"

    def is_overdue(self, today: date) -> bool:
        """Not submitted (or returned and not submitted again) after the plan's filing deadline."""
        due = self.plan.filing_due
        return due is not None and due < today and self.status in (FilingStatus.DRAFT, FilingStatus.RETURNED)


class FilingStep(BaseModel):
    """One step of a filing: who, when, from which status to which, and the comment."""

    filing = models.ForeignKey(Filing, models.CASCADE, related_name="steps", verbose_name=_("备案"))
    from_status = models.CharField(_("原状态"), max_length=10, choices=FilingStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=FilingStatus.choices)
    actor_label = models.CharField(_("经办人"), max_length=150)
    comment = models.TextField(_("意见"), blank=True)

    objects = scoped_manager(region="filing__organisation__region", organisation="filing__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("备案办理环节")
        verbose_name_plural = _("备案办理环节")

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} {self.actor_label}"


class ProgressReport(BaseModel):
    """A unit's progress report on its action for one period (a month "2026-11" or a quarter "2026-Q4"), due by a
    day after the period ends; overdue while not submitted after that day. Written on the report template: what
    was done this period (`text`, the report's one section before the template), the progress in per cent (which
    becomes the action's progress when the report is submitted), the problems met and the next steps. The unit may
    keep a draft before it submits."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="reports", verbose_name=_("落实情况"))
    period = models.CharField(_("报送期"), max_length=8)
    due = models.DateField(_("报送截止"))
    text = models.TextField(_("本期完成情况"), blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), null=True, blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步计划"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    exemplary = models.BooleanField(_("典型做法"), default=False)

    objects = scoped_manager(region="action__organisation__region", organisation="action__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="report_once_per_period"),
            models.CheckConstraint(condition=Q(submitted_at__isnull=True) | ~Q(text=""), name="report_submitted_has_text"),
            models.CheckConstraint(condition=Q(progress__isnull=True) | Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(condition=Q(exemplary=False) | Q(submitted_at__isnull=False), name="report_exemplary_when_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.period}"

    def audit_name(self) -> str:
        return f"进展报送 {self.period}（{self.action.organisation.name}）"

    def is_overdue(self, today: date) -> bool:
        return self.submitted_at is None and self.due < today

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None and bool(self.text or self.problems or self.next_steps or self.progress is not None)


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    ANSWERED = "answered", _("已回复")
    CLOSED = "closed", _("已办结")


class SupervisionNotice(BaseModel):
    """A supervision notice (督办) the city sends a unit about a task: the unit must answer by a day; the city closes it."""

    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="supervision_notices",
                                     verbose_name=_("督办对象"))  # fmt: skip
    task = models.ForeignKey(Task, models.PROTECT, null=True, blank=True, related_name="notices", verbose_name=_("任务"))
    text = models.TextField(_("督办事项"))
    answer_by = models.DateField(_("回复期限"))
    status = models.CharField(_("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN, db_index=True)
    answer = models.TextField(_("回复"), blank=True)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = scoped_manager(region="organisation__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")
        constraints = [
            models.CheckConstraint(condition=Q(status="open") | ~Q(answer=""), name="notice_answered_has_answer"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def audit_name(self) -> str:
        return f"督办 {self.organisation.name}：{self.text[:30]}"

    def is_overdue(self, today: date) -> bool:
        return self.status == NoticeStatus.OPEN and self.answer_by < today


class Attachment(BaseModel):
    """A file of a filing (the implementation plan's document itself, or a supporting file), of a progress report
    (photos, documents) or of the answer to a supervision notice. Checked by its content, never by its name; kept in
    private storage and read only by those who may see the record it belongs to. `organisation` is that record's
    unit, by which attachments are scoped like the record."""

    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    filing = models.ForeignKey(Filing, models.CASCADE, null=True, blank=True, related_name="attachments", verbose_name=_("备案"))
    report = models.ForeignKey(ProgressReport, models.CASCADE, null=True, blank=True, related_name="attachments",
                               verbose_name=_("进展报送"))  # fmt: skip
    notice = models.ForeignKey(SupervisionNotice, models.CASCADE, null=True, blank=True, related_name="attachments",
                               verbose_name=_("督办"))  # fmt: skip
    is_document = models.BooleanField(_("实施方案文本"), default=False, help_text=_("备案的实施方案文件本身（其余为佐证材料）"))
    file = models.FileField(_("文件"), upload_to="worklist/%Y/%m/", storage=private_storage)
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)

    objects = scoped_manager(region="organisation__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-is_document", "created_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        constraints = [
            models.CheckConstraint(
                condition=Q(filing__isnull=False, report__isnull=True, notice__isnull=True)
                | Q(filing__isnull=True, report__isnull=False, notice__isnull=True)
                | Q(filing__isnull=True, report__isnull=True, notice__isnull=False),
                name="attachment_belongs_to_one",
            ),
            models.CheckConstraint(condition=Q(is_document=False) | Q(filing__isnull=False), name="attachment_document_of_a_filing"),
            models.UniqueConstraint(fields=["filing"], condition=Q(is_document=True), name="attachment_one_document_per_filing"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"附件 {self.name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def opens_inline(self) -> bool:
        """Pictures and PDFs open in the browser; office documents are downloaded."""
        return self.is_image or self.content_type == "application/pdf"


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class Reminder(BaseModel):
    """A reminder to a unit's staff (in the console, under 提醒): a deadline of theirs is near, or has passed. Of one
    progress report, one supervision notice, or a plan whose implementation plan the unit must file; at most one of
    each kind for each, so the daily run that writes them (reminders.reminders_send) may run again harmlessly.
    `read_at` is set when one of the unit's staff marks it read, or when the thing it reminds of is done."""

    organisation = models.ForeignKey("organisations.Organisation", models.CASCADE, related_name="+", verbose_name=_("提醒单位"))
    kind = models.CharField(_("类型"), max_length=10, choices=ReminderKind.choices)
    report = models.ForeignKey(ProgressReport, models.CASCADE, null=True, blank=True, related_name="reminders",
                               verbose_name=_("进展报送"))  # fmt: skip
    notice = models.ForeignKey(SupervisionNotice, models.CASCADE, null=True, blank=True, related_name="reminders",
                               verbose_name=_("督办"))  # fmt: skip
    plan = models.ForeignKey(Plan, models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name=_("备案方案"))
    text = models.CharField(_("提醒内容"), max_length=300)
    link = models.CharField(_("办理地址"), max_length=200)
    due = models.DateField(_("截止日期"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = scoped_manager(region="organisation__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes = [models.Index(fields=["organisation", "read_at"], name="reminder_unit_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, notice__isnull=True, plan__isnull=True)
                | Q(report__isnull=True, notice__isnull=False, plan__isnull=True)
                | Q(report__isnull=True, notice__isnull=True, plan__isnull=False),
                name="reminder_of_one",
            ),
            models.UniqueConstraint(fields=["report", "kind"], condition=Q(report__isnull=False), name="reminder_once_per_report"),
            models.UniqueConstraint(fields=["notice", "kind"], condition=Q(notice__isnull=False), name="reminder_once_per_notice"),
            models.UniqueConstraint(
                fields=["plan", "organisation", "kind"], condition=Q(plan__isnull=False), name="reminder_once_per_filing_due"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def audit_name(self) -> str:
        return f"提醒 {self.organisation.name}：{self.text[:30]}"
