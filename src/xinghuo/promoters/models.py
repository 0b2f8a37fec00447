"""Where the 星火科普宣传员 work: each promoter covers one or more communities or villages (社区/村).

The plan asks for at least 60 promoters and one in every community and village of the city (3,782). A
`PromoterArea` is one village a promoter covers, from a day until the day it ends (an ended one stays, for the
record). A village is covered while an area of it is open and its person still holds the promoter role
(talent.PersonRole): ending the role uncovers their villages without touching the areas."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager
from xinghuo.talent.models import PersonRole, RoleKind, RoleStatus


def serving_promoter() -> Exists:
    """Whether the area's person holds the promoter role now (for an area queryset)."""
    return Exists(PersonRole.unscoped.filter(person=OuterRef("person_id"), kind=RoleKind.PROMOTER, status=RoleStatus.ACTIVE))


def covering(areas: models.QuerySet[PromoterArea]) -> models.QuerySet[PromoterArea]:
    """The areas that cover their village today: open, of a serving promoter."""
    return areas.filter(ended_on__isnull=True).filter(serving_promoter())


class PromoterArea(BaseModel):
    person = models.ForeignKey("talent.Person", models.PROTECT, related_name="promoter_areas", verbose_name=_("宣传员"))
    village = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="promoter_areas", verbose_name=_("负责的社区（村）"),
        limit_choices_to={"level": "village"},
    )  # fmt: skip
    since = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = scoped_manager(region="village", organisation="person__organisation")
    unscoped = BaseManager()

    class Meta:
        ordering = ["village", "since", "id"]
        verbose_name = _("宣传员负责区域")
        verbose_name_plural = _("宣传员负责区域")
        constraints = [
            models.UniqueConstraint(fields=["person", "village"], condition=Q(ended_on__isnull=True), name="promoter_area_open_once"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("since")), name="promoter_area_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["village", "ended_on"], name="promoter_area_village_idx")]

    def __str__(self) -> str:
        return f"{self.person.name}·{self.village.name}"

    def audit_name(self) -> str:
        return f"宣传员 {self.person.name} 负责 {self.village.name}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
