"""科普中国信息员: the people who pass on the 科普中国 app's science content, and how much they pass on each month.

An `InfoOfficer` is a person of the people registry (talent.Person) registered with their 科普中国 account, under an
organisation, on a day; one registration per person. They count as an officer while they hold the INFO_OFFICER role
(talent.PersonRole): ending the role takes them off the lists without touching the registration or the figures.

`MonthlyFigures` are one officer's dissemination figures (传播数据) for one calendar month as the 科普中国 back office
reports them — shares, reads, likes — imported from its Excel sheets; one row per officer and month (a month imported
again replaces the figures)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager

#: An officer is active (活跃) in a month when they shared at least this many times in it. Our choice: the seed asks
#: for "注册量及活跃度、传播量" without defining activity, and one share is the least a working officer does; change it
#: here if the 科普中国 back office's own definition is adopted.
ACTIVE_MIN_SHARES = 1
#: the first year figures may be entered for (the 科普中国 information-officer programme is younger)
FIRST_YEAR = 2015


class InfoOfficer(BaseModel):
    person = models.OneToOneField("talent.Person", models.PROTECT, related_name="info_officer", verbose_name=_("人员"))
    account = models.CharField(_("科普中国账号"), max_length=50, help_text=_("科普中国 App 的账号 ID 或昵称"))
    organisation = models.ForeignKey("organisations.Organisation", models.PROTECT, related_name="info_officers", verbose_name=_("注册单位"))
    registered_on = models.DateField(_("注册日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = scoped_manager(region="person__region", organisation="organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("科普中国信息员")
        verbose_name_plural = _("科普中国信息员")
        constraints = [
            models.UniqueConstraint(Lower("account"), name="officer_unique_account"),
            models.CheckConstraint(condition=~Q(account=""), name="officer_account_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.account}）"

    def audit_name(self) -> str:
        return f"科普中国信息员 {self.person.name}"


class MonthlyFigures(BaseModel):
    officer = models.ForeignKey(InfoOfficer, models.CASCADE, related_name="months", verbose_name=_("信息员"))
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    shares = models.PositiveIntegerField(_("转发/分享次数"), default=0)
    reads = models.PositiveIntegerField(_("阅读量"), default=0)
    likes = models.PositiveIntegerField(_("点赞数"), default=0)

    objects = scoped_manager(region="officer__person__region", organisation="officer__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["officer", "-year", "-month"]
        verbose_name = _("信息员传播数据")
        verbose_name_plural = _("信息员传播数据")
        indexes = [models.Index(fields=["year", "month"], name="officer_figures_month_idx")]
        constraints = [
            models.UniqueConstraint(fields=["officer", "year", "month"], name="officer_figures_once_a_month"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="officer_figures_month_valid"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="officer_figures_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.label}"

    def audit_name(self) -> str:
        return f"信息员传播数据 {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def is_active(self) -> bool:
        return self.shares >= ACTIVE_MIN_SHARES
