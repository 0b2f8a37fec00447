"""Organisations: the association, its departments and direct units, county associations, societies,
university and enterprise associations, member units, schools, companies and venue operators — a tree,
each node in a region."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinghuo.core.models import BaseManager, BaseModel
from xinghuo.core.scoping import scoped_manager


class OrganisationKind(models.TextChoices):
    CITY_ASSOCIATION = "city_association", _("市科协")
    COUNTY_ASSOCIATION = "county_association", _("县市区/功能区科协")
    DEPARTMENT = "department", _("市科协部室")
    DIRECT_UNIT = "direct_unit", _("直属单位")
    SOCIETY = "society", _("市级学会")
    UNIVERSITY_ASSOCIATION = "university_association", _("高校科协")
    ENTERPRISE_ASSOCIATION = "enterprise_association", _("企业科协")
    MEMBER_UNIT = "member_unit", _("科学素质领导小组成员单位")
    SCHOOL = "school", _("学校")
    COMPANY = "company", _("企业")
    VENUE_OPERATOR = "venue_operator", _("场馆运营单位")


ASSOCIATION_KINDS = {OrganisationKind.CITY_ASSOCIATION, OrganisationKind.COUNTY_ASSOCIATION}
CITY_OFFICE_KINDS = {OrganisationKind.CITY_ASSOCIATION, OrganisationKind.DEPARTMENT, OrganisationKind.DIRECT_UNIT}


class Organisation(BaseModel):
    code = models.CharField(_("机构代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrganisationKind.choices, db_index=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级机构"))
    path = models.CharField(max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    region = models.ForeignKey("regions.Region", models.PROTECT, related_name="organisations", verbose_name=_("所在区划"))
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = scoped_manager(region="region", organisation="pk")
    unscoped = BaseManager()

    personal_fields = {"contact_phone": "phone", "address": "address"}

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="organisation_unique_name_under_parent",
                violation_error_message=_("同一上级机构下已有同名机构"),
            ),
            models.UniqueConstraint(fields=["credit_code"], condition=~models.Q(credit_code=""), name="organisation_unique_credit_code"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def audit_name(self) -> str:
        return f"{self.code} {self.name}"

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.unscoped.filter(path__startswith=self.path)

    def is_within(self, other: Organisation) -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestors_and_self(self) -> list[Organisation]:
        chain: list[Organisation] = []
        node: Organisation | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
