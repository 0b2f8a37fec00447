"""What the indicators keep of their own: which figures the city publishes on the portal (公开指标). The figures
themselves are never stored: they are computed from the records each time (registry.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinghuo.core.models import BaseManager, BaseModel


class Publication(BaseModel):
    """An indicator the city chose to show on the public summary page, in this order."""

    key = models.CharField(_("指标"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = BaseManager()

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("公开指标")
        verbose_name_plural = _("公开指标")

    def __str__(self) -> str:
        return self.key

    def audit_name(self) -> str:
        return f"公开指标 {self.key}"
