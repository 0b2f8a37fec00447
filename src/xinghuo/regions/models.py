"""Regions: city → county/district → town/street → community/village, plus functional zones.

Codes are the 2023 statistical division codes (city 6 digits, county 6, town 9, village 12). A functional
zone (高新区, 泰山景区, …) is a region too: it has no statistical code of its own, and the towns it
administers keep their county while also pointing at it (`zone`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinghuo.core.models import BaseModel


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县市区")
    ZONE = "zone", _("功能区")
    TOWN = "town", _("乡镇（街道）")
    VILLAGE = "village", _("社区（村）")


class Region(BaseModel):
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=100, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级"))
    city = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属市"))
    county = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属县市区"))
    town = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属乡镇"))
    zone = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("托管功能区"),
        limit_choices_to={"level": RegionLevel.ZONE},
    )  # fmt: skip
    statistical = models.BooleanField(_("统计区划"), default=True, help_text=_("功能区没有统计区划代码"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [models.Index(fields=["level", "code"], name="region_level_code_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(level="city") | Q(parent__isnull=False), name="region_parent_except_city"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def audit_name(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def subtree_q(self, prefix: str = "") -> Q:
        """A filter for this region and everything under it (for a zone: the towns it administers).

        Through a relation (`prefix`), both halves test the related region's own columns — its code (unique) for the
        region itself — rather than `record.region_id = pk OR region.city_id = pk`, which mixes two tables: PostgreSQL
        can then pick the subtree's regions first and join the records to them, instead of joining every region of the
        province before it can filter (the dashboard's queries at province scale took half as long)."""
        p = f"{prefix}__" if prefix else ""
        below = {
            RegionLevel.CITY: "city",
            RegionLevel.COUNTY: "county",
            RegionLevel.ZONE: "zone",
            RegionLevel.TOWN: "town",
        }.get(RegionLevel(self.level))
        if not below:
            return Q(**{f"{p}pk": self.pk})
        own = Q(**{f"{p}code": self.code}) if prefix else Q(pk=self.pk)
        return own | Q(**{f"{p}{below}": self.pk})

    def subtree(self) -> models.QuerySet[Region]:
        return Region.objects.filter(self.subtree_q())

    def contains(self, other: Region) -> bool:
        if other.pk == self.pk:
            return True
        field = {"city": "city_id", "county": "county_id", "zone": "zone_id", "town": "town_id"}.get(self.level)
        return bool(field) and getattr(other, field) == self.pk

    @property
    def county_or_zone(self) -> Region | None:
        if self.level in (RegionLevel.COUNTY, RegionLevel.ZONE):
            return self
        return self.county
