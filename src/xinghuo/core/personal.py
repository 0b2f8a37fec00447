"""Showing a personal value unmasked is a deliberate act of a permitted role, and it is audited.

Pages show personal values masked (core.masking). A "显示完整" button posts to a view that checks the
role's permission and calls `reveal()`, which records who saw which field of which record, then returns
the clear value for that one response."""

from __future__ import annotations

from django.db import models

from xinghuo.core import audit
from xinghuo.core.masking import MASKERS
from xinghuo.core.models import AuditAction


def reveal(*, obj: models.Model, field: str, reason: str = "") -> str:
    personal = getattr(type(obj), "personal_fields", {})
    if field not in personal:
        raise ValueError(f"{type(obj).__name__}.{field} is not a declared personal field")
    value = getattr(obj, field) or ""
    audit.record(
        AuditAction.VIEW_PERSONAL,
        obj=obj,
        changes={field: [None, MASKERS[personal[field]](value)], **({"reason": [None, reason[:100]]} if reason else {})},
    )
    return value
