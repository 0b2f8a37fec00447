"""Fetching one record by its public UUID inside the current scope: missing, malformed and forbidden
all raise the same NotFound."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet

from xinghuo.core.errors import NotFound

M = TypeVar("M", bound=Model)


def get_by_uid(queryset: QuerySet[M], uid: object) -> M:
    try:
        value = uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise NotFound() from exc
    obj = queryset.filter(uid=value).first()
    if obj is None:
        raise NotFound()
    return obj
