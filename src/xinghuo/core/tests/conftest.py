"""Fixtures for the audit-trail tests: watching the trail for the records one act leaves, and tampering with
it behind the platform's back (inside the test's own transaction, which is rolled back afterwards)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from xinghuo.core.models import AuditEvent


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@dataclass(frozen=True)
class TrailWatch:
    """The audit records written since the watch started."""

    start_seq: int
    started_at: datetime

    def events(self, action: str | None = None) -> list[AuditEvent]:
        qs = AuditEvent.objects.filter(seq__gt=self.start_seq).order_by("seq")
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
        return TrailWatch(start_seq=last_seq(), started_at=timezone.now())

    return start


@pytest.fixture
def tamper(db) -> Callable[..., None]:
    """Switch off the append-only trigger for this test's transaction, and run raw SQL against the trail.

    SQLite and PostgreSQL both roll the DDL back with the test's transaction, so the trigger is back for the
    next test (test_audit_append_only checks that it refuses a raw UPDATE)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
        else:
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")

    def run(sql: str, params: list[Any] | None = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])

    return run
