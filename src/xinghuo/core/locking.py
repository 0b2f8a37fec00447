"""Row locks that give up: a seat, slot or route under a rush is locked for its change, and a lock not had within
3 s answers a retryable "busy" (503) instead of a hang — on PostgreSQL, where `lock_timeout` exists; SQLite
serialises writers anyway."""

from __future__ import annotations

from typing import TypeVar

from django.db import DatabaseError, connection
from django.db.models import Model, QuerySet

from xinghuo.core.errors import DomainError, ErrorCode

LOCK_TIMEOUT_MS = 3000
M = TypeVar("M", bound=Model)


def lock_row(queryset: QuerySet[M], pk: int, *, busy: str) -> M:
    """`queryset.select_for_update().get(pk=pk)` inside the caller's transaction; `busy` is the message of the
    retryable refusal when the lock is not had within LOCK_TIMEOUT_MS."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
    try:
        return queryset.get(pk=pk)
    except DatabaseError as exc:
        if "lock timeout" in str(exc).lower() or "canceling statement" in str(exc).lower():
            raise DomainError(ErrorCode.BUSY, busy, status=503) from exc
        raise
