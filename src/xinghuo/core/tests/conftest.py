"""Fixtures for the audit-trail tests: watching the trail for the records one act leaves, and tampering with
it behind the platform's back (inside the test's own transaction, which is rolled back afterwards).

A test runs inside a transaction that never commits, so the records it writes stay pending (unsealed) until
the test seals them with `audit.seal_pending()`, as the platform does after each commit. The watch therefore
goes by id, which every record has from the moment it is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from xinghuo.core.models import AuditEvent


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@dataclass(frozen=True)
class TrailWatch:
    """The audit records written since the watch started."""

    start_id: int
    started_at: datetime

    def events(self, action: str | None = None) -> list[AuditEvent]:
        qs = AuditEvent.objects.filter(id__gt=self.start_id).order_by("id")
        if action is not None:
            qs = qs.filter(action=action)
        return list(qs)

    def one(self, action: str) -> AuditEvent:
        events = self.events(action)
        assert len(events) == 1, f"expected exactly one {action!r} record, found {len(events)}: {events}"
        return events[0]


@pytest.fixture
def watch_trail(db) -> Callable[[], TrailWatch]:
    """`watch = watch_trail()` right before the act; `watch.one("create")` after it."""

    def start() -> TrailWatch:
        return TrailWatch(start_id=last_id(), started_at=timezone.now())

    return start


@pytest.fixture
def tamper(db) -> Callable[..., None]:
    """Switch off the append-only triggers (records and seals) for this test's transaction, and run raw SQL
    against the trail.

    SQLite and PostgreSQL both roll the DDL back with the test's transaction, so the triggers are back for the
    next test (test_audit_append_only checks that they refuse a raw UPDATE)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL alters no table with foreign-key checks still deferred on it (the seals written so far)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in ("core_auditevent", "core_auditseal"):
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER {table}_no_update")
            else:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_change")

    def run(sql: str, params: list[Any] | None = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])

    return run
