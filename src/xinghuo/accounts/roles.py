"""The roles of SPEC "Who uses it", and which organisation kinds may hold each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinghuo.organisations.models import OrganisationKind


class Role(models.TextChoices):
    CITY_STAFF = "city_staff", _("市科协工作人员")
    COUNTY_STAFF = "county_staff", _("县市区/功能区科协工作人员")
    ORGANISER = "organiser", _("填报单位")
    REVIEWER = "reviewer", _("评审专家")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


#: The three separated administrators (三权分立): none of them edits business data.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
#: Roles that work on business data in the console.
BUSINESS_ROLES = frozenset({Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER, Role.REVIEWER})
STAFF_ROLES = frozenset({Role.CITY_STAFF, Role.COUNTY_STAFF})

ALLOWED_KINDS: dict[str, set[str]] = {
    Role.CITY_STAFF: {OrganisationKind.CITY_ASSOCIATION, OrganisationKind.DEPARTMENT, OrganisationKind.DIRECT_UNIT},
    Role.COUNTY_STAFF: {OrganisationKind.COUNTY_ASSOCIATION},
    Role.ORGANISER: set(OrganisationKind.values) - {OrganisationKind.CITY_ASSOCIATION},
    Role.REVIEWER: set(OrganisationKind.values),
    Role.SYSTEM_ADMIN: {OrganisationKind.CITY_ASSOCIATION, OrganisationKind.DEPARTMENT, OrganisationKind.DIRECT_UNIT},
    Role.SECURITY_ADMIN: {OrganisationKind.CITY_ASSOCIATION, OrganisationKind.DEPARTMENT, OrganisationKind.DIRECT_UNIT},
    Role.AUDIT_ADMIN: {OrganisationKind.CITY_ASSOCIATION, OrganisationKind.DEPARTMENT, OrganisationKind.DIRECT_UNIT},
}
