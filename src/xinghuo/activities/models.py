"""Science-popularisation activities (科普活动) under the city's brands (品牌活动), with yearly targets per level.

A brand (三百三进, 科普之春, 全国科普月, …) has a target a year per level — city demonstration (市级示范) or
grassroots (基层) — as the seeds set them. An activity walks draft → submitted → published (approved by the city
for a city-level activity, by the county of its region for a grassroots one; or returned with reasons) → held →
reported (attendance, online views, photos, a summary) → verified; only verified activities count toward a
target. Every step is an `ActivityStep` (who, in which role, when, from → to, why) besides the audit trail.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.files import private_storage  # migrations name it xinghuo.activities.models.private_storage
from xinghuo.core.masking import mask_name
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager
from xinghuo.venues.models import Audience


class Level(models.TextChoices):
    CITY = "city", _("市级示范")
    GRASSROOTS = "grassroots", _("基层")


class Brand(BaseModel):
    """A brand of activities (品牌活动): reference data of the city, kept by a data migration."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.TextField(_("说明"), blank=True)
    season = models.CharField(_("举办时段"), max_length=60, blank=True, help_text=_("如“每年9月”“全年”"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = BaseManager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("品牌活动")
        verbose_name_plural = _("品牌活动")

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return self.name


class BrandTarget(BaseModel):
    """How many activities of a brand and level a year should bring (a range, or a floor when `maximum` is empty)."""

    brand = models.ForeignKey(Brand, models.CASCADE, related_name="targets", verbose_name=_("品牌"))
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    minimum = models.PositiveIntegerField(_("目标下限"))
    maximum = models.PositiveIntegerField(_("目标上限"), null=True, blank=True, help_text=_("留空表示“不少于”下限"))

    objects = BaseManager()

    class Meta:
        ordering = ["-year", "brand__order", "level"]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [
            models.UniqueConstraint(fields=["brand", "year", "level"], name="brand_target_once_a_year"),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=models.F("minimum")), name="brand_target_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.brand} {self.get_level_display()} {self.label}"

    def audit_name(self) -> str:
        return str(self)

    @property
    def label(self) -> str:
        if self.maximum is None:
            return f"不少于 {self.minimum} 期"
        if self.maximum == self.minimum:
            return f"{self.minimum} 期"
        return f"{self.minimum}–{self.maximum} 期"


class Format(models.TextChoices):
    OFFLINE = "offline", _("线下")
    ONLINE = "online", _("线上")
    BOTH = "both", _("线上线下结合")


class Topic(models.TextChoices):
    # the emergency themes (应急科普) of the work plan first
    EPIDEMIC = "epidemic", _("疫情防控")
    HEALTH = "health", _("生命健康")
    ECOLOGY = "ecology", _("生态保护")
    FOOD_SAFETY = "food_safety", _("食品安全")
    ENERGY_SECURITY = "energy_security", _("能源安全")
    GRAIN_SECURITY = "grain_security", _("粮食安全")
    # everyday themes
    DIGITAL = "digital", _("数字素养与人工智能")
    AGRICULTURE = "agriculture", _("现代农业与乡村振兴")
    INDUSTRY = "industry", _("产业技术与科技创新")
    SPACE = "space", _("航空航天与天文")
    EARTH = "earth", _("地球科学与防灾减灾")
    ANTI_FRAUD = "anti_fraud", _("防范电信网络诈骗")
    SCIENCE_SPIRIT = "science_spirit", _("科学家精神")
    OTHER = "other", _("其他")


#: The emergency themes (应急科普: 疫情防控、生命健康、生态保护、食品安全、能源安全、粮食安全).
EMERGENCY_TOPICS = (
    Topic.EPIDEMIC,
    Topic.HEALTH,
    Topic.ECOLOGY,
    Topic.FOOD_SAFETY,
    Topic.ENERGY_SECURITY,
    Topic.GRAIN_SECURITY,
)


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("已发布")
    HELD = "held", _("已举办")
    REPORTED = "reported", _("待核验")
    VERIFIED = "verified", _("已核验")
    CANCELLED = "cancelled", _("已取消")


EDITABLE_STATUSES = (ActivityStatus.DRAFT, ActivityStatus.RETURNED)
#: An activity can be called off until it is held (after that it has a report to give).
CANCELLABLE_STATUSES = (ActivityStatus.DRAFT, ActivityStatus.SUBMITTED, ActivityStatus.RETURNED, ActivityStatus.PUBLISHED)


def _codes(values: list[str]) -> str:
    return f",{','.join(values)}," if values else ""


class Activity(BaseModel):
    title = models.CharField(_("活动名称"), max_length=120)
    brand = models.ForeignKey(Brand, models.PROTECT, related_name="activities", verbose_name=_("品牌"))
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices, db_index=True)
    format = models.CharField(_("形式"), max_length=10, choices=Format.choices, default=Format.OFFLINE)
    organiser = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="activities", verbose_name=_("主办单位"))
    co_organisers = models.CharField(_("协办单位"), max_length=300, blank=True, help_text=_("多个单位用顿号分隔"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="activities", verbose_name=_("举办地区划"))
    venue = models.ForeignKey("venues.Venue", models.PROTECT, null=True, blank=True, related_name="activities", verbose_name=_("场馆"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    online_url = models.URLField(_("线上链接"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    # ",youth,public," as Venue.audience_codes: filters alike on SQLite and PostgreSQL
    audience_codes = models.CharField(_("面向人群"), max_length=120, blank=True, default="")
    topic_codes = models.CharField(_("主题"), max_length=200, blank=True, default="")
    description = models.TextField(_("活动简介"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"), default=0, help_text=_("0 表示不限名额、无需报名"))
    registration_opens = models.DateTimeField(_("报名开始"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("报名截止"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(_("提交次数"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("确认举办时间"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("现场参与人次"), null=True, blank=True)
    online_views = models.PositiveIntegerField(_("线上观看人次"), null=True, blank=True)
    summary = models.TextField(_("活动总结"), blank=True)
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # confirmed seats, changed only under the activity's row lock (activities.registrations); the database
    # refuses a count above the capacity (a capacity of 0 means no registration at all, so none is taken)
    seats_taken = models.PositiveIntegerField(_("已报名人数"), default=0)

    objects = scoped_manager(region="region", organisation="organiser")
    unscoped = BaseManager()

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("科普活动")
        verbose_name_plural = _("科普活动")
        indexes = [models.Index(fields=["brand", "level", "status", "starts_at"], name="activity_progress_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="activity_capacity_not_negative"),
            models.CheckConstraint(condition=Q(seats_taken__lte=models.F("capacity")), name="activity_seats_within_capacity"),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=models.F("registration_opens")),
                name="activity_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__isnull=True) | Q(registration_closes__lte=models.F("ends_at")),
                name="activity_registration_closes_by_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False, reported_at__isnull=False),
                name="activity_verified_when_reported",
            ),
            models.CheckConstraint(condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False), name="activity_cancelled_has_time"),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_name(self) -> str:
        return f"{self.brand.name if self.brand_id else ''} {self.title}".strip()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def audiences(self) -> list[str]:
        return [a for a in self.audience_codes.split(",") if a]

    @audiences.setter
    def audiences(self, values: list[str]) -> None:
        self.audience_codes = _codes(list(values))

    @property
    def topics(self) -> list[str]:
        return [t for t in self.topic_codes.split(",") if t]

    @topics.setter
    def topics(self, values: list[str]) -> None:
        self.topic_codes = _codes(list(values))

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(a, a)) for a in self.audiences]

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics]

    @property
    def is_emergency(self) -> bool:
        return any(t in EMERGENCY_TOPICS for t in self.topics)

    @property
    def needs_place(self) -> bool:
        return self.format in (Format.OFFLINE, Format.BOTH)

    @property
    def needs_link(self) -> bool:
        return self.format in (Format.ONLINE, Format.BOTH)

    @property
    def place(self) -> str:
        if self.venue_id:
            return f"{self.venue.name}（{self.venue.address}）" if self.venue.address else self.venue.name
        return self.address


class StepAction(models.TextChoices):
    CREATE = "create", _("创建活动")
    SUBMIT = "submit", _("提交审核")
    APPROVE = "approve", _("审核通过并发布")
    RETURN = "return", _("退回修改")
    HOLD = "hold", _("确认已举办")
    REPORT = "report", _("报送活动情况")
    REPORT_RETURN = "report_return", _("退回活动情况")
    VERIFY = "verify", _("核验通过")
    CANCEL = "cancel", _("取消活动")


class ActivityStep(BaseModel):
    """One step of an activity: who, in which role, when, from which status to which, and why."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="steps", verbose_name=_("活动"))
    action = models.CharField(_("环节"), max_length=20, choices=StepAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=ActivityStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=ActivityStatus.choices)
    actor = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("经办人"))
    actor_label = models.CharField(_("经办人"), max_length=150)
    actor_role = models.CharField(_("身份"), max_length=200, blank=True)
    reason = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("记录"), default=dict, blank=True)

    objects = scoped_manager(region="activity__region", organisation="activity__organiser")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("活动办理环节")
        verbose_name_plural = _("活动办理环节")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_label}"

    def audit_name(self) -> str:
        return f"{self.get_action_display()} · {self.activity.title}"


class ActivityPhoto(BaseModel):
    """A photo of a held activity, sent with its report (re-encoded on upload: no metadata, at most 1600 px);
    kept outside the media root and read through a scoped view only."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="photos", verbose_name=_("活动"))
    image = models.ImageField(_("照片"), upload_to="activities/%Y/%m/", storage=private_storage)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    objects = scoped_manager(region="activity__region", organisation="activity__organiser")
    unscoped = BaseManager()

    class Meta:
        ordering = ["activity", "created_at"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self) -> str:
        return self.caption or f"{self.activity} 照片"

    def audit_name(self) -> str:
        return f"照片 {self.activity.title}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_REGISTRATION_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


#: Below this age a participant is a minor (未成年人): their name is masked wherever staff see it.
ADULT_AGE = 18


class Registration(BaseModel):
    """A sign-up of a citizen for a published activity: for themselves, for a school group (seats, a teacher's
    contact), or for someone else (a minor: a guardian's name, phone and recorded consent). Confirmed seats count
    toward the activity's capacity; beyond it the sign-up waits in line, first come first served."""

    activity = models.ForeignKey(Activity, models.PROTECT, related_name="registrations", verbose_name=_("活动"))
    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="activity_registrations", verbose_name=_("报名人"))
    seats = models.PositiveSmallIntegerField(_("人数"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=RegistrationStatus.choices, db_index=True)
    code = models.CharField(_("签到码"), max_length=8, unique=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    group_name = models.CharField(_("团体名称"), max_length=100, blank=True)
    group_contact = models.CharField(_("带队老师电话"), max_length=20, blank=True)
    participant_name = models.CharField(_("参加人"), max_length=50, blank=True)
    participant_age = models.PositiveSmallIntegerField(_("参加人年龄"), null=True, blank=True)
    guardian_name = models.CharField(_("监护人"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    guardian_consent_at = models.DateTimeField(_("监护人同意时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("签到经办人")
    )

    objects = scoped_manager(region="activity__region", organisation="activity__organiser")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone", "group_contact": "phone", "guardian_phone": "phone", "guardian_name": "name",
                       "participant_name": "name"}  # fmt: skip

    class Meta:
        # the waiting line's order: who came first (the id breaks a tie within one clock tick)
        ordering = ["created_at", "id"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="registration_at_least_one_seat"),
            models.UniqueConstraint(
                fields=["activity", "user"], condition=Q(status__in=["confirmed", "waitlisted"]), name="registration_one_per_user"
            ),
            models.CheckConstraint(
                condition=Q(participant_age__isnull=True)
                | Q(participant_age__gte=14)
                | Q(guardian_consent_at__isnull=False) & ~Q(guardian_name="") & ~Q(guardian_phone=""),
                name="registration_minor_has_guardian",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} × {self.seats}"

    def audit_name(self) -> str:
        return f"报名 {self.code} {self.seats} 人"

    @property
    def is_minor(self) -> bool:
        return self.participant_age is not None and self.participant_age < ADULT_AGE

    @property
    def participant_shown(self) -> str:
        """The participant as staff pages and exports show them: a minor's name masked (张**)."""
        return mask_name(self.participant_name) if self.is_minor else self.participant_name

    @property
    def who_shown(self) -> str:
        """Who the registration is for, in one phrase: the group, the participant (masked if a minor), or the user."""
        return self.group_name or self.participant_shown or self.user.name


class RegistrationNotice(BaseModel):
    """What a registrant is told on “我的活动” (e.g. promoted from the waiting list); a text message may follow."""

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="notices", verbose_name=_("报名"))
    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="+", verbose_name=_("收件人"))
    text = models.CharField(_("内容"), max_length=300)

    objects = BaseManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("报名通知")
        verbose_name_plural = _("报名通知")

    def __str__(self) -> str:
        return self.text

    def audit_name(self) -> str:
        return f"通知 {self.registration.code}"
