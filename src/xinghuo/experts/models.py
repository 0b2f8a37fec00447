"""The expert pool (泰山科普名家库) on top of the people registry, and its three yearly published lists.

A person of talent's registry holding the expert role has an `ExpertProfile` (the topics they speak on, a short
public bio); an influencer has one `InfluencerAccount` per platform account (抖音, 快手, …, with followers); an expert
studio (科普专家工作室) sits in a venue and gathers experts (`StudioMember`).

Each year the city publishes three lists — 首席泰山科普名家, 科普网红达人, 优秀科普人物, at least 10 names each (the
plan's target). A `Selection` per (city, year, kind) walks: nominations (推荐) by county staff and organisations →
the city's review of each (shortlist, return for more, decline; a note for each) → public notice (公示) of at least
5 working days (core.workdays), during which anyone may object → each objection answered (upheld: the candidate
is withdrawn) → published. Every step of a nomination is a `NominationStep` beside the audit trail."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.masking import mask_phone
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager
from xinghuo.talent.models import RoleKind

#: the plan's target: at least this many names on each list each year
LIST_TARGET = 10
#: a public notice lasts at least this many working days
MIN_NOTICE_DAYS = 5


class Platform(models.TextChoices):
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    WECHAT_CHANNELS = "wechat_channels", _("微信视频号")
    BILIBILI = "bilibili", _("哔哩哔哩")
    WEIBO = "weibo", _("微博")
    XIAOHONGSHU = "xiaohongshu", _("小红书")
    TOUTIAO = "toutiao", _("今日头条")
    OTHER = "other", _("其他")


class ExpertProfile(BaseModel):
    """What the public and staff read about an expert of the pool: the topics they speak on and a short bio."""

    person = models.OneToOneField("talent.Person", models.CASCADE, related_name="expert_profile", verbose_name=_("人员"))
    topics = models.CharField(_("科普主题"), max_length=300, blank=True, help_text=_("以顿号或逗号分隔，如：小麦病虫害防治、慢病管理"))
    bio = models.TextField(_("个人简介"), max_length=500, blank=True)

    objects = scoped_manager(region="person__region", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("名家库专家档案")
        verbose_name_plural = _("名家库专家档案")

    def __str__(self) -> str:
        return self.person.name

    def audit_name(self) -> str:
        return f"专家档案 {self.person.name}"

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split("、") if t]


class InfluencerAccount(BaseModel):
    """One account of a 科普网红达人 on one platform; a person with at least one has an influencer profile."""

    person = models.ForeignKey("talent.Person", models.CASCADE, related_name="influencer_accounts", verbose_name=_("人员"))
    platform = models.CharField(_("平台"), max_length=20, choices=Platform.choices)
    account = models.CharField(_("账号"), max_length=60)
    followers = models.PositiveIntegerField(_("粉丝数"), default=0)

    objects = scoped_manager(region="person__region", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["person", "-followers", "id"]
        verbose_name = _("达人账号")
        verbose_name_plural = _("达人账号")
        constraints = [models.UniqueConstraint(fields=["platform", "account"], name="influencer_account_unique")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.account}"

    def audit_name(self) -> str:
        return f"达人账号 {self.person.name} · {self}"


class Studio(BaseModel):
    """A 科普专家工作室: hosted by a venue, with the experts who work in it."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    venue = models.ForeignKey("venues.Venue", models.PROTECT, related_name="expert_studios", verbose_name=_("依托场馆"))
    description = models.TextField(_("简介"), max_length=1000, blank=True)
    members = models.ManyToManyField("talent.Person", through="StudioMember", related_name="studios", verbose_name=_("专家"))

    objects = scoped_manager(region="venue__region", organisation="venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("科普专家工作室")
        verbose_name_plural = _("科普专家工作室")

    def __str__(self) -> str:
        return self.name

    def audit_name(self) -> str:
        return f"专家工作室 {self.name}"


class StudioMember(BaseModel):
    studio = models.ForeignKey(Studio, models.CASCADE, related_name="memberships", verbose_name=_("工作室"))
    person = models.ForeignKey("talent.Person", models.PROTECT, related_name="studio_memberships", verbose_name=_("专家"))
    is_lead = models.BooleanField(_("领衔专家"), default=False)

    objects = scoped_manager(region="studio__venue__region", organisation="studio__venue__operator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["studio", "-is_lead", "person__name"]
        verbose_name = _("工作室专家")
        verbose_name_plural = _("工作室专家")
        constraints = [
            models.UniqueConstraint(fields=["studio", "person"], name="studio_member_once"),
            models.UniqueConstraint(fields=["studio"], condition=Q(is_lead=True), name="studio_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.studio.name}·{self.person.name}"

    def audit_name(self) -> str:
        return str(self)


class ListKind(models.TextChoices):
    CHIEF = "chief", _("首席泰山科普名家")
    INFLUENCER = "influencer", _("科普网红达人")
    OUTSTANDING = "outstanding", _("优秀科普人物")


#: the registry role a nominee of each list must hold
ROLE_OF_LIST = {ListKind.CHIEF: RoleKind.EXPERT, ListKind.INFLUENCER: RoleKind.INFLUENCER, ListKind.OUTSTANDING: RoleKind.OUTSTANDING}


class SelectionStatus(models.TextChoices):
    NOMINATING = "nominating", _("推荐评审中")
    IN_NOTICE = "in_notice", _("公示中")
    PUBLISHED = "published", _("已公布")


class Selection(BaseModel):
    """One year's selection of one list in one city. City-wide reference data: every staff member of the city sees
    it (selectors filter by the actor's city); the nominations under it are scoped."""

    city = models.ForeignKey("regions.Region", models.PROTECT, related_name="expert_selections", verbose_name=_("城市"))
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("名单"), max_length=20, choices=ListKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=SelectionStatus.choices, default=SelectionStatus.NOMINATING, db_index=True)
    target = models.PositiveSmallIntegerField(_("目标人数"), default=LIST_TARGET)
    notice_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=MIN_NOTICE_DAYS)
    note = models.TextField(_("说明"), blank=True)
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends = models.DateField(_("公示截止"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = BaseManager()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("年度名单评选")
        verbose_name_plural = _("年度名单评选")
        constraints = [
            models.UniqueConstraint(fields=["city", "year", "kind"], name="selection_once_a_year"),
            models.CheckConstraint(
                condition=Q(notice_days__gte=MIN_NOTICE_DAYS) & Q(notice_days__lte=30), name="selection_notice_days_range"
            ),
            models.CheckConstraint(condition=Q(year__gte=2020) & Q(year__lte=2100), name="selection_year_plausible"),
            models.CheckConstraint(
                condition=Q(notice_ends__isnull=True) | Q(notice_ends__gte=models.F("notice_starts")), name="selection_notice_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status="nominating") | (Q(notice_starts__isnull=False) & Q(notice_ends__isnull=False)),
                name="selection_notice_dates_after_nominating",
            ),
            models.CheckConstraint(
                condition=(Q(status="published") & Q(published_at__isnull=False)) | (~Q(status="published") & Q(published_at__isnull=True)),
                name="selection_published_at_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度{self.get_kind_display()}"

    def audit_name(self) -> str:
        return str(self)

    @property
    def role(self) -> str:
        return ROLE_OF_LIST[ListKind(self.kind)]


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待评审")
    RETURNED = "returned", _("退回补充")
    SHORTLISTED = "shortlisted", _("拟入选")
    DECLINED = "declined", _("未入选")
    WITHDRAWN = "withdrawn", _("已撤销")
    LISTED = "listed", _("入选")


#: a nomination in these statuses holds the person's place in the selection (one at a time)
LIVE_NOMINATION = ("submitted", "returned", "shortlisted", "listed")


class Nomination(BaseModel):
    """A person put forward (推荐) for one year's list by an organisation, with the reasons."""

    selection = models.ForeignKey(Selection, models.PROTECT, related_name="nominations", verbose_name=_("评选"))
    person = models.ForeignKey("talent.Person", models.PROTECT, related_name="nominations", verbose_name=_("被推荐人"))
    nominator = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="+", verbose_name=_("推荐单位"))
    submitted_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("推荐人"))
    reasons = models.TextField(_("推荐理由"), max_length=2000)
    status = models.CharField(_("状态"), max_length=12, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED, db_index=True)
    review_note = models.TextField(_("评审意见"), blank=True)
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    # county staff see the nominations of their county's people; an organisation those it made
    objects = scoped_manager(region="person__region", organisation="nominator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["selection", "person__name", "id"]
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        constraints = [
            models.UniqueConstraint(fields=["selection", "person"], condition=Q(status__in=LIVE_NOMINATION), name="nomination_once_live"),
        ]

    def __str__(self) -> str:
        return f"{self.selection} · {self.person.name}"

    def audit_name(self) -> str:
        return f"推荐 {self.person.name}（{self.selection}）"


class StepAction(models.TextChoices):
    NOMINATE = "nominate", _("推荐")
    RESUBMIT = "resubmit", _("补充后重新提交")
    WITHDRAW = "withdraw", _("撤回推荐")
    SHORTLIST = "shortlist", _("列为拟入选")
    RETURN = "return", _("退回补充")
    DECLINE = "decline", _("不予列入")
    NOTICE = "notice", _("进入公示")
    OBJECTION = "objection", _("收到异议")
    OBJECTION_UPHELD = "objection_upheld", _("异议成立，撤销人选")
    OBJECTION_DISMISSED = "objection_dismissed", _("异议不成立")
    LIST = "list", _("公布入选")


class NominationStep(BaseModel):
    """One step of a nomination: who, when, from which status to which, and the note."""

    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="steps", verbose_name=_("推荐"))
    action = models.CharField(_("环节"), max_length=20, choices=StepAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=NominationStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=NominationStatus.choices)
    actor = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("经办人"))
    actor_label = models.CharField(_("经办人"), max_length=150)
    note = models.TextField(_("意见"), blank=True)

    objects = scoped_manager(region="nomination__person__region", organisation="nomination__nominator")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("推荐办理环节")
        verbose_name_plural = _("推荐办理环节")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_label}"

    def audit_name(self) -> str:
        return f"{self.get_action_display()} · {self.nomination.person.name}"


class Objection(BaseModel):
    """An objection to a candidate in public notice, by anyone: a name if they give one, a contact to answer them."""

    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="objections", verbose_name=_("公示人选"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100)
    reason = models.TextField(_("异议理由"), max_length=2000)
    answer = models.TextField(_("核实与答复"), blank=True)
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("答复人"))

    objects = scoped_manager(region="nomination__person__region", organisation="nomination__nominator")
    unscoped = BaseManager()

    personal_fields = {"contact": "phone", "name": "name"}

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        constraints = [
            models.CheckConstraint(condition=Q(upheld__isnull=True) | ~Q(answer=""), name="expert_objection_answer_with_verdict"),
            models.CheckConstraint(condition=~Q(contact=""), name="expert_objection_contact_given"),
        ]

    def __str__(self) -> str:
        return f"异议 {self.nomination.person.name}"

    def audit_name(self) -> str:
        return str(self)

    @property
    def is_answered(self) -> bool:
        return self.upheld is not None

    @property
    def contact_shown(self) -> str:
        return mask_phone(self.contact)
