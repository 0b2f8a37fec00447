"""The resource library (科普资源汇聚平台): science content gathered from experts, societies, universities and
companies, reviewed twice before anyone sees it, and kept right afterwards.

A resource walks draft → submitted → first review (科学性审核: a named expert of the resource's field records the
evidence or citations, a verdict and a date to look at it again) → second review (底线、红线: the association's
staff) → published; either review may return it with reasons. A published resource whose re-review date has
passed comes back to its expert's queue; a failed re-review withdraws it. Published resources may be withdrawn
(撤回) or carry a correction (更正) or a rebuttal (辟谣) notice, with a reason, shown on their page together with
the review record. A lexicon of red-line terms (迷信、伪科学、借科普之名的诈骗) flags passages for the
reviewers; it never decides. Every step is a `ResourceStep` besides the audit trail.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo import search
from xinghuo.activities.models import EMERGENCY_TOPICS, Topic
from xinghuo.core.files import private_storage  # migrations name it xinghuo.resources.models.private_storage
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager
from xinghuo.venues.models import Audience


class Kind(models.TextChoices):
    ARTICLE = "article", _("图文")
    VIDEO = "video", _("视频")
    AUDIO = "audio", _("音频")
    COURSEWARE = "courseware", _("课件")
    EXHIBIT = "exhibit", _("展品教具")
    BOOK = "book", _("图书")


class Field(models.TextChoices):
    """The field of knowledge (学科领域): who may do the first review, the expert's field."""

    AGRICULTURE = "agriculture", _("农业与乡村振兴")
    HEALTH = "health", _("医疗卫生与健康")
    NEW_TECH = "new_tech", _("新技术（人工智能、信息技术）")
    ENERGY_ENV = "energy_env", _("能源、环境与生态")
    EARTH = "earth", _("地球科学与防灾减灾")
    SPACE = "space", _("航空航天与天文")
    LIFE = "life", _("生命科学")
    PHYSICS = "physics", _("物理、化学与材料")
    ENGINEERING = "engineering", _("工程技术与智能制造")
    SAFETY = "safety", _("安全与应急")
    HUMANITIES = "humanities", _("科学史与科学家精神")


class Licence(models.TextChoices):
    GRANTED = "granted", _("著作权人授权本平台使用")
    CC_BY = "cc_by", _("知识共享 署名 4.0")
    CC_BY_NC = "cc_by_nc", _("知识共享 署名-非商业性使用 4.0")
    CC_BY_NC_ND = "cc_by_nc_nd", _("知识共享 署名-非商业性使用-禁止演绎 4.0")
    PUBLIC_DOMAIN = "public_domain", _("公有领域")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待分配初审")
    FIRST_REVIEW = "first_review", _("初审中")
    SECOND_REVIEW = "second_review", _("待复核")
    PUBLISHED = "published", _("已发布")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")


#: A contributor may change the resource in these; a withdrawn one is revised and goes through review again.
EDITABLE_STATUSES = (ResourceStatus.DRAFT, ResourceStatus.RETURNED, ResourceStatus.WITHDRAWN)


def _codes(values: list[str]) -> str:
    return f",{','.join(values)}," if values else ""


class Resource(BaseModel):
    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, db_index=True)
    field = models.CharField(_("学科领域"), max_length=16, choices=Field.choices)
    summary = models.CharField(_("摘要"), max_length=300)
    body = models.TextField(_("正文"), blank=True, help_text=_("图文的正文；其他类型的介绍"))
    # the body's text without its markup, for the search index (kept by the services with the body)
    body_text = models.TextField(_("正文文本"), blank=True, editable=False)
    media = models.FileField(_("媒体文件"), upload_to="resources/%Y/%m/", storage=private_storage, blank=True)
    media_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    media_size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    external_url = models.URLField(_("外部链接"), max_length=300, blank=True)
    cover = models.ImageField(_("封面"), upload_to="resources/covers/%Y/%m/", storage=private_storage, blank=True)
    # ",youth,public," as activities: filters alike on SQLite and PostgreSQL
    audience_codes = models.CharField(_("面向人群"), max_length=120, blank=True, default="")
    topic_codes = models.CharField(_("主题"), max_length=200, blank=True, default="")
    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="resources", verbose_name=_("供稿单位"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="resources", verbose_name=_("所属区划"))
    author = models.CharField(_("作者"), max_length=100, help_text=_("作者或主讲人，如“张华（市中心医院主任医师）”"))
    licence = models.CharField(_("授权方式"), max_length=16, choices=Licence.choices, default=Licence.GRANTED)
    is_emergency = models.BooleanField(_("应急科普"), default=False, help_text=_("应急主题的资源可加急审核，发布后在门户置顶"))
    pinned_until = models.DateTimeField(_("置顶至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(_("送审次数"), default=0)
    reviewer = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="assigned_resources", verbose_name=_("初审专家")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    review_due = models.DateField(_("复审日期"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    # The full-text index of title, summary, author and body (xinghuo.search): PostgreSQL's; empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = scoped_manager(region="region", organisation="organisation")
    unscoped = BaseManager()
    audit_exclude = (*BaseModel.audit_exclude, "search_vector", "body_text")  # derived from audited fields

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("科普资源")
        verbose_name_plural = _("科普资源")
        indexes = [
            models.Index(fields=["status", "kind", "published_at"], name="resource_library_idx"),
            # the dashboard's published resources by region and month, read off the index alone (PostgreSQL) instead of
            # the table's 190 MB at province scale: 175 → 40 ms for its two queries
            models.Index(
                fields=["region", "published_at"], include=["id"], condition=Q(status="published"), name="resource_published_region_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, review_due__isnull=False),
                name="resource_published_was_reviewed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["first_review"]) | Q(reviewer__isnull=False), name="resource_first_review_has_expert"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_name(self) -> str:
        return f"{self.get_kind_display()}《{self.title}》"

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
    def has_emergency_topic(self) -> bool:
        return any(t in EMERGENCY_TOPICS for t in self.topics)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        """Its page answers to anyone: published, or withdrawn after publication (the page then shows only why)."""
        return self.status == ResourceStatus.PUBLISHED or (self.status == ResourceStatus.WITHDRAWN and self.published_at is not None)


class Reviewer(BaseModel):
    """An expert of the review pool (审核专家库): a user with the reviewer role and the fields they may review."""

    user = models.OneToOneField("accounts.User", models.PROTECT, related_name="resource_reviewer", verbose_name=_("专家"))
    field_codes = models.CharField(_("审核领域"), max_length=200)
    title = models.CharField(_("职称与单位"), max_length=120, help_text=_("如“泰安市中心医院 主任医师”"))
    is_active = models.BooleanField(_("在库"), default=True)

    objects = BaseManager()

    class Meta:
        ordering = ["user__name"]
        verbose_name = _("审核专家")
        verbose_name_plural = _("审核专家")

    def __str__(self) -> str:
        return f"{self.user.name}（{self.title}）"

    def audit_name(self) -> str:
        return f"审核专家 {self.user.name}"

    @property
    def fields(self) -> list[str]:
        return [f for f in self.field_codes.split(",") if f]

    @fields.setter
    def fields(self, values: list[str]) -> None:
        self.field_codes = _codes(list(values))

    def field_labels(self) -> list[str]:
        labels = dict(Field.choices)
        return [str(labels.get(f, f)) for f in self.fields]


class Stage(models.TextChoices):
    FIRST = "first", _("初审（科学性审核）")
    SECOND = "second", _("复核（底线红线审核）")
    RE_REVIEW = "re_review", _("定期复审")


class Verdict(models.TextChoices):
    PASS = "pass", _("通过")
    RETURN = "return", _("退回修改")


class Review(BaseModel):
    """One review of a resource: by whom (their name, title and field then), which stage, the verdict, the evidence
    or citations (初审), the reasons, and — for a passed first review — when to look at it again. Shown on the
    published resource's page as its review record."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="reviews", verbose_name=_("资源"))
    round = models.PositiveSmallIntegerField(_("送审次数"))
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    verdict = models.CharField(_("结论"), max_length=10, choices=Verdict.choices)
    reviewer = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name=_("审核人"))
    reviewer_label = models.CharField(_("审核人"), max_length=150)
    reviewer_title = models.CharField(_("职称与单位"), max_length=120, blank=True)
    reviewer_field = models.CharField(_("审核领域"), max_length=60, blank=True)
    evidence = models.TextField(_("依据与引文"), blank=True)
    reason = models.TextField(_("意见"), blank=True)
    re_review_on = models.DateField(_("复审日期"), null=True, blank=True)
    flags = models.JSONField(_("红线词提示"), default=list, blank=True)

    objects = scoped_manager(region="resource__region", organisation="resource__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.get_verdict_display()} {self.reviewer_label}"

    def audit_name(self) -> str:
        return f"{self.get_stage_display()} · {self.resource.title}"


class StepAction(models.TextChoices):
    CREATE = "create", _("创建")
    SUBMIT = "submit", _("提交审核")
    ASSIGN = "assign", _("分配初审专家")
    FIRST_PASS = "first_pass", _("初审通过")
    FIRST_RETURN = "first_return", _("初审退回")
    SECOND_PASS = "second_pass", _("复核通过并发布")
    SECOND_RETURN = "second_return", _("复核退回")
    RE_REVIEW_PASS = "re_review_pass", _("复审通过")
    WITHDRAW = "withdraw", _("撤回")
    NOTICE = "notice", _("发布更正或辟谣说明")
    PIN = "pin", _("调整置顶")


class ResourceStep(BaseModel):
    """One step of a resource: who, in which role, when, from which status to which, and why."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="steps", verbose_name=_("资源"))
    action = models.CharField(_("环节"), max_length=20, choices=StepAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ResourceStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ResourceStatus.choices)
    actor = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("经办人"))
    actor_label = models.CharField(_("经办人"), max_length=150)
    actor_role = models.CharField(_("身份"), max_length=200, blank=True)
    reason = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("记录"), default=dict, blank=True)

    objects = scoped_manager(region="resource__region", organisation="resource__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("资源办理环节")
        verbose_name_plural = _("资源办理环节")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_label}"

    def audit_name(self) -> str:
        return f"{self.get_action_display()} · {self.resource.title}"


class NoticeKind(models.TextChoices):
    CORRECTION = "correction", _("更正")
    REBUTTAL = "rebuttal", _("辟谣")
    WITHDRAWAL = "withdrawal", _("撤回说明")


class Notice(BaseModel):
    """What readers are told on a resource's page: a correction, a rebuttal of a rumour, or why it was withdrawn."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="notices", verbose_name=_("资源"))
    kind = models.CharField(_("类型"), max_length=12, choices=NoticeKind.choices)
    text = models.TextField(_("说明"))
    actor_label = models.CharField(_("发布人"), max_length=150)

    objects = BaseManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("更正与撤回说明")
        verbose_name_plural = _("更正与撤回说明")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:30]}"

    def audit_name(self) -> str:
        return f"{self.get_kind_display()} · {self.resource.title}"


class RedLineCategory(models.TextChoices):
    SUPERSTITION = "superstition", _("封建迷信")
    PSEUDOSCIENCE = "pseudoscience", _("伪科学")
    FRAUD = "fraud", _("借科普之名的诈骗")
    MEDICAL = "medical", _("虚假医疗健康宣传")


class RedLineTerm(BaseModel):
    """A term of the red-line lexicon (底线、红线词库) kept by the city: a hit flags the passage for the reviewer."""

    term = models.CharField(_("词语"), max_length=40, unique=True)
    category = models.CharField(_("类别"), max_length=16, choices=RedLineCategory.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = BaseManager()

    class Meta:
        ordering = ["category", "term"]
        verbose_name = _("红线词")
        verbose_name_plural = _("红线词库")

    def __str__(self) -> str:
        return self.term

    def audit_name(self) -> str:
        return f"红线词“{self.term}”"


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已下架")


class Course(BaseModel):
    """A course of the cloud classroom (云课堂): ordered lessons, each a published (so reviewed) resource."""

    title = models.CharField(_("课程名称"), max_length=120)
    summary = models.CharField(_("课程简介"), max_length=500)
    cover = models.ImageField(_("封面"), upload_to="courses/%Y/%m/", storage=private_storage, blank=True)
    audience_codes = models.CharField(_("面向人群"), max_length=120, blank=True, default="")
    topic_codes = models.CharField(_("主题"), max_length=200, blank=True, default="")
    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="courses", verbose_name=_("开课单位"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="courses", verbose_name=_("所属区划"))
    status = models.CharField(_("状态"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = scoped_manager(region="region", organisation="organisation")
    unscoped = BaseManager()
    audit_exclude = (*BaseModel.audit_exclude, "search_vector")

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("课程")
        verbose_name_plural = _("课程")

    def __str__(self) -> str:
        return self.title

    def audit_name(self) -> str:
        return f"课程《{self.title}》"

    audiences = Resource.audiences
    topics = Resource.topics
    audience_labels = Resource.audience_labels
    topic_labels = Resource.topic_labels


class Lesson(BaseModel):
    """One lesson of a course, in its order: a resource of the library."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="lessons", verbose_name=_("课程"))
    order = models.PositiveSmallIntegerField(_("顺序"))
    title = models.CharField(_("课时名称"), max_length=120)
    resource = models.ForeignKey(Resource, models.PROTECT, related_name="lessons", verbose_name=_("资源"))
    minutes = models.PositiveSmallIntegerField(_("学时（分钟）"), default=10)

    objects = scoped_manager(region="course__region", organisation="course__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("课时")
        verbose_name_plural = _("课时")
        constraints = [models.UniqueConstraint(fields=["course", "order"], name="lesson_order_once")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def audit_name(self) -> str:
        return f"课时 {self.order}《{self.title}》"


class LessonProgress(BaseModel):
    """A learner's progress in a lesson: when they began, how far into a video they got, when they finished."""

    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="lesson_progress", verbose_name=_("学员"))
    lesson = models.ForeignKey(Lesson, models.CASCADE, related_name="progress", verbose_name=_("课时"))
    position = models.PositiveIntegerField(_("观看位置（秒）"), default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = BaseManager()

    class Meta:
        verbose_name = _("学习进度")
        verbose_name_plural = _("学习进度")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id}"

    def audit_name(self) -> str:
        return f"学习进度 {self.lesson.title}"


class CourseCompletion(BaseModel):
    """A learner finished every lesson of a course (the figure the dashboard counts as course completions)."""

    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="course_completions", verbose_name=_("学员"))
    course = models.ForeignKey(Course, models.CASCADE, related_name="completions", verbose_name=_("课程"))
    completed_at = models.DateTimeField(_("完成时间"))

    objects = BaseManager()

    class Meta:
        verbose_name = _("课程结业")
        verbose_name_plural = _("课程结业")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="course_completed_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"

    def audit_name(self) -> str:
        return f"结业《{self.course.title}》"


search.register(Resource, title=("title",), summary=("summary",), body=("author", "body_text"))
search.register(Course, title=("title",), summary=("summary",))
