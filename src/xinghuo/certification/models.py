"""Construction standards (建设标准) and certification (认定) of venues, with the yearly re-check (年度复核).

A standard is data: per venue type and version, weighted indicators with the evidence each needs, a pass
line and grade bands. An application walks operator → county review → city review with scores → public
notice (公示) with objections → certified or rejected; every step is a `Step` row (who, when, why) besides
the audit trail, so a returned application keeps its whole history. Certified venues are re-checked every
year (keep / warn / revoke) and re-assessed in full every five years (an application of kind reassessment).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.files import private_storage  # migrations name it xinghuo.certification.models.private_storage
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager
from xinghuo.venues.models import VenueType

#: A key indicator (必备项) scoring under this share of its weight fails the application whatever the total.
KEY_MIN_SHARE = Decimal("0.6")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("优良")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Standard(BaseModel):
    """A construction standard (建设标准) of one venue type, in one version; one version per type is in force."""

    venue_type = models.CharField(_("场馆类型"), max_length=20, choices=VenueType.choices)
    version = models.CharField(_("版本"), max_length=20)
    name = models.CharField(_("名称"), max_length=120)
    full_score = models.PositiveSmallIntegerField(_("满分"), default=100)
    pass_score = models.PositiveSmallIntegerField(_("合格线"), default=60)
    good_score = models.PositiveSmallIntegerField(_("优良线"), default=70)
    excellent_score = models.PositiveSmallIntegerField(_("优秀线"), default=90)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    reassess_years = models.PositiveSmallIntegerField(_("复评周期（年）"), default=5)
    is_active = models.BooleanField(_("现行"), default=False)
    note = models.TextField(_("说明"), blank=True)

    objects = BaseManager()

    class Meta:
        ordering = ["venue_type", "-version"]
        verbose_name = _("建设标准")
        verbose_name_plural = _("建设标准")
        constraints = [
            models.UniqueConstraint(fields=["venue_type", "version"], name="standard_unique_version"),
            models.UniqueConstraint(fields=["venue_type"], condition=Q(is_active=True), name="standard_one_active_per_type"),
            models.CheckConstraint(
                condition=Q(pass_score__lte=models.F("good_score"))
                & Q(good_score__lte=models.F("excellent_score"))
                & Q(excellent_score__lte=models.F("full_score")),
                name="standard_grade_bands_ordered",
            ),
            models.CheckConstraint(condition=Q(notice_days__gte=1) & Q(notice_days__lte=30), name="standard_notice_days_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    def audit_name(self) -> str:
        return str(self)

    def grade_for(self, total: Decimal, *, keys_met: bool = True) -> str:
        if not keys_met or total < self.pass_score:
            return Grade.FAIL
        if total >= self.excellent_score:
            return Grade.EXCELLENT
        if total >= self.good_score:
            return Grade.GOOD
        return Grade.PASS


class Indicator(BaseModel):
    standard = models.ForeignKey(Standard, models.CASCADE, related_name="indicators", verbose_name=_("建设标准"))
    order = models.PositiveSmallIntegerField(_("序号"))
    category = models.CharField(_("类别"), max_length=30)
    name = models.CharField(_("指标"), max_length=80)
    description = models.TextField(_("评分要点"), blank=True)
    weight = models.PositiveSmallIntegerField(_("分值"))
    evidence = models.CharField(_("证明材料"), max_length=200, blank=True)
    is_key = models.BooleanField(_("必备项"), default=False, help_text=_("得分低于分值的 60% 即不予认定"))

    objects = BaseManager()

    class Meta:
        ordering = ["standard", "order"]
        verbose_name = _("认定指标")
        verbose_name_plural = _("认定指标")
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="indicator_unique_order"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}（{self.weight} 分）"

    def audit_name(self) -> str:
        return f"{self.standard.version} {self.name}"

    @property
    def key_minimum(self) -> Decimal:
        return (Decimal(self.weight) * KEY_MIN_SHARE).quantize(Decimal("0.1"))


class ApplicationKind(models.TextChoices):
    INITIAL = "initial", _("认定申请")
    REASSESSMENT = "reassessment", _("五年复评")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待县级审核")
    COUNTY_APPROVED = "county_approved", _("待市级评审")
    RETURNED = "returned", _("退回修改")
    IN_NOTICE = "in_notice", _("公示中")
    CERTIFIED = "certified", _("已认定")
    REJECTED = "rejected", _("不予认定")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.COUNTY_APPROVED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.IN_NOTICE,
)
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class Application(BaseModel):
    venue = models.ForeignKey("venues.Venue", models.PROTECT, related_name="applications", verbose_name=_("场馆"))
    standard = models.ForeignKey(Standard, models.PROTECT, related_name="applications", verbose_name=_("建设标准"))
    kind = models.CharField(_("类别"), max_length=20, choices=ApplicationKind.choices, default=ApplicationKind.INITIAL)
    status = models.CharField(_("状态"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True)
    statement = models.TextField(_("申请说明"), blank=True)
    round = models.PositiveSmallIntegerField(_("提交次数"), default=0)
    self_total = models.DecimalField(_("自评总分"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_total = models.DecimalField(_("评审总分"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=12, choices=Grade.choices, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends = models.DateField(_("公示截止"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision_reason = models.TextField(_("结论说明"), blank=True)

    objects = scoped_manager(region="venue__region", organisation="venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("认定申请")
        verbose_name_plural = _("认定申请")
        constraints = [
            models.UniqueConstraint(
                fields=["venue"], condition=Q(status__in=[s.value for s in OPEN_STATUSES]), name="application_one_open_per_venue"
            ),
            models.CheckConstraint(
                condition=Q(notice_ends__isnull=True) | Q(notice_ends__gte=models.F("notice_starts")), name="application_notice_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue}·{self.get_kind_display()}"

    def audit_name(self) -> str:
        return f"{self.get_kind_display()} {self.venue.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Score(BaseModel):
    """One indicator of one application: the operator's self-assessment and the city's score."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="scores", verbose_name=_("申请"))
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="scores", verbose_name=_("指标"))
    self_score = models.DecimalField(_("自评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    self_note = models.TextField(_("自评说明"), blank=True)
    review_score = models.DecimalField(_("评审分"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_note = models.TextField(_("评审意见"), blank=True)

    objects = scoped_manager(region="application__venue__region", organisation="application__venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["application", "indicator__order"]
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [models.UniqueConstraint(fields=["application", "indicator"], name="score_one_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.review_score if self.review_score is not None else self.self_score}"

    def audit_name(self) -> str:
        return f"{self.application.venue.name} · {self.indicator.name}"


class Evidence(BaseModel):
    """A file that supports an application (or a yearly self-report): checked by content, never by its name."""

    venue = models.ForeignKey("venues.Venue", models.CASCADE, related_name="+", verbose_name=_("场馆"))
    application = models.ForeignKey(Application, models.CASCADE, null=True, blank=True, related_name="evidence", verbose_name=_("申请"))
    review = models.ForeignKey("AnnualReview", models.CASCADE, null=True, blank=True, related_name="evidence", verbose_name=_("年度复核"))
    indicator = models.ForeignKey(Indicator, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("对应指标"))
    file = models.FileField(_("文件"), upload_to="certification/%Y/%m/", storage=private_storage)
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)

    objects = scoped_manager(region="venue__region", organisation="venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        constraints = [
            models.CheckConstraint(
                condition=(Q(application__isnull=False) & Q(review__isnull=True)) | (Q(application__isnull=True) & Q(review__isnull=False)),
                name="evidence_belongs_to_one",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"材料 {self.name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class StepAction(models.TextChoices):
    CREATE = "create", _("创建申请")
    SUBMIT = "submit", _("提交申请")
    WITHDRAW = "withdraw", _("撤回申请")
    COUNTY_APPROVE = "county_approve", _("县级审核通过")
    COUNTY_RETURN = "county_return", _("县级退回修改")
    CITY_RETURN = "city_return", _("市级退回修改")
    CITY_SCORE = "city_score", _("市级评审打分")
    NOTICE = "notice", _("进入公示")
    OBJECTION = "objection", _("收到异议")
    OBJECTION_ANSWER = "objection_answer", _("答复异议")
    CERTIFY = "certify", _("认定通过")
    REJECT = "reject", _("不予认定")


class Step(BaseModel):
    """One step of an application: who, in which role, when, from which status to which, and why."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="steps", verbose_name=_("申请"))
    action = models.CharField(_("环节"), max_length=20, choices=StepAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("经办人"))
    actor_label = models.CharField(_("经办人"), max_length=150)
    actor_role = models.CharField(_("身份"), max_length=200, blank=True)
    reason = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("记录"), default=dict, blank=True)

    objects = scoped_manager(region="application__venue__region", organisation="application__venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_label}"

    def audit_name(self) -> str:
        return f"{self.get_action_display()} · {self.application.venue.name}"


class ObjectionChannel(models.TextChoices):
    ONLINE = "online", _("网上提交")
    PHONE = "phone", _("来电")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")


class Objection(BaseModel):
    """An objection raised during public notice (公示异议); certification waits until each is answered."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="objections", verbose_name=_("申请"))
    channel = models.CharField(_("渠道"), max_length=10, choices=ObjectionChannel.choices, default=ObjectionChannel.ONLINE)
    content = models.TextField(_("异议内容"))
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    submitted_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("提交人"))
    answer = models.TextField(_("答复"), blank=True)
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("答复人"))

    objects = scoped_manager(region="application__venue__region", organisation="application__venue__operator")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone"}

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        constraints = [
            models.CheckConstraint(condition=Q(upheld__isnull=True) | ~Q(answer=""), name="objection_answer_with_verdict"),
        ]

    def __str__(self) -> str:
        return f"异议 {self.application.venue.name}"

    def audit_name(self) -> str:
        return str(self)

    @property
    def is_answered(self) -> bool:
        return self.upheld is not None


class ReviewStatus(models.TextChoices):
    AWAITING = "awaiting", _("待自查")
    REPORTED = "reported", _("已自查")
    DECIDED = "decided", _("已出结论")


class ReviewOutcome(models.TextChoices):
    KEEP = "keep", _("保留")
    WARN = "warn", _("警示整改")
    REVOKE = "revoke", _("摘牌")


class AnnualReview(BaseModel):
    """The yearly re-check (年度复核): the venue's self-report, the county's spot check, the city's outcome."""

    venue = models.ForeignKey("venues.Venue", models.PROTECT, related_name="annual_reviews", verbose_name=_("场馆"))
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.AWAITING, db_index=True)
    opening_days = models.PositiveSmallIntegerField(_("全年开放天数"), null=True, blank=True)
    visitors = models.PositiveIntegerField(_("全年接待人次"), null=True, blank=True)
    activities = models.PositiveSmallIntegerField(_("全年科普活动场次"), null=True, blank=True)
    report = models.TextField(_("自查报告"), blank=True)
    reported_at = models.DateTimeField(_("自查提交时间"), null=True, blank=True)
    spot_checked = models.BooleanField(_("已实地抽查"), default=False)
    spot_check_note = models.TextField(_("抽查情况"), blank=True)
    spot_checked_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("抽查人"))
    spot_checked_at = models.DateTimeField(_("抽查时间"), null=True, blank=True)
    outcome = models.CharField(_("复核结论"), max_length=10, choices=ReviewOutcome.choices, blank=True)
    reason = models.TextField(_("结论说明"), blank=True)
    decided_at = models.DateTimeField(_("结论时间"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("结论人"))

    objects = scoped_manager(region="venue__region", organisation="venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-year", "venue__code"]
        verbose_name = _("年度复核")
        verbose_name_plural = _("年度复核")
        constraints = [
            models.UniqueConstraint(fields=["venue", "year"], name="annual_review_once_a_year"),
            models.CheckConstraint(
                condition=(Q(status="decided") & ~Q(outcome="")) | (~Q(status="decided") & Q(outcome="")),
                name="annual_review_outcome_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度复核 {self.venue}"

    def audit_name(self) -> str:
        return f"{self.year} 年度复核 {self.venue.name}"
