"""The association's news on the public portal (通知公告、工作动态)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager


class NewsStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class NewsCategory(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    WORK = "work", _("工作动态")
    COUNTY = "county", _("基层动态")


class News(BaseModel):
    title = models.CharField(_("标题"), max_length=120)
    category = models.CharField(_("栏目"), max_length=16, choices=NewsCategory.choices, default=NewsCategory.WORK)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=16, choices=NewsStatus.choices, default=NewsStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="news", verbose_name=_("发布单位"))
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="+", verbose_name=_("区划"))
    author = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name=_("撰稿人"))

    objects = scoped_manager()
    unscoped = BaseManager()  # for re-reading, under a lock, a record already fetched through the scope

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")
        indexes = [models.Index(fields=["status", "-published_at"], name="news_public_listing_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="news_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_name(self) -> str:
        return self.title[:100]
