"""点单式科普: a community, school or company asks for a talk on a topic; the platform suggests experts of the
泰山科普名家库 who match (field, county, free in the weeks asked for); the county (or city) staff confirm one with a
date, and the talk becomes an activity of the asking organisation (a draft it completes and files as any other);
once held, the asker gives feedback, which joins the expert's record.

    requested ─confirm→ confirmed ─feedback (after the activity is held)→ done
        ├─decline (with the reason)→ declined
        └─cancel (the asker, before it is confirmed)→ cancelled
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.masking import mask_phone
from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager
from xinghuo.talent.models import Expertise
from xinghuo.venues.models import Audience


class TalkStatus(models.TextChoices):
    REQUESTED = "requested", _("待安排")
    CONFIRMED = "confirmed", _("已安排")
    DONE = "done", _("已反馈")
    DECLINED = "declined", _("未能安排")
    CANCELLED = "cancelled", _("已撤回")


class TalkRequest(BaseModel):
    requester = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="talk_requests", verbose_name=_("点单单位"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="talk_requests", verbose_name=_("举办地区划"))
    address = models.CharField(_("讲座地点"), max_length=200)
    topic = models.CharField(_("希望讲的主题"), max_length=100)
    field = models.CharField(_("专业领域"), max_length=20, choices=Expertise.choices)
    audience = models.CharField(_("听众"), max_length=20, choices=Audience.choices)
    expected_size = models.PositiveIntegerField(_("预计人数"))
    wanted_from = models.DateField(_("希望时间自"))
    wanted_until = models.DateField(_("希望时间至"))
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    note = models.TextField(_("补充说明"), blank=True)

    status = models.CharField(_("状态"), max_length=12, choices=TalkStatus.choices, default=TalkStatus.REQUESTED, db_index=True)
    expert = models.ForeignKey(
        "talent.Person", models.PROTECT, null=True, blank=True, related_name="talks", verbose_name=_("主讲专家")
    )  # fmt: skip
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    activity = models.OneToOneField(
        "activities.Activity", models.PROTECT, null=True, blank=True, related_name="talk_request", verbose_name=_("活动")
    )  # fmt: skip
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    decline_reason = models.CharField(_("未能安排的原因"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    feedback = models.TextField(_("反馈"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    objects = scoped_manager(region="region", organisation="requester")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone", "contact_name": "name"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("点单")
        verbose_name_plural = _("点单")
        indexes = [models.Index(fields=["expert", "status"], name="talk_expert_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(wanted_until__gte=models.F("wanted_from")), name="talk_window_ordered"),
            models.CheckConstraint(condition=Q(expected_size__gte=1), name="talk_size_positive"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="talk_rating_1_to_5"),
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "done"])
                | (Q(expert__isnull=False) & Q(starts_at__isnull=False) & Q(ends_at__isnull=False) & Q(activity__isnull=False)),
                name="talk_confirmed_has_expert_time_activity",
            ),
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")), name="talk_times_ordered"),
        ]

    def __str__(self) -> str:
        return self.topic

    def audit_name(self) -> str:
        return f"点单 {self.topic}（{self.requester.name}）"

    @property
    def contact_phone_shown(self) -> str:
        return mask_phone(self.contact_phone)
