"""The audit trail: every write, sign-in, role change, export and unmasked read leaves one record.

Records are written in the transaction of the change they record, so a change without its record cannot
commit. Each record holds the SHA-256 of the one before (a hash chain); `manage.py verify_audit` finds the
first record that was altered, removed or inserted behind the platform's back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone

from xinghuo.core import context
from xinghuo.core.masking import MASKERS
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent, AuditOutcome

GENESIS = "0" * 64
_bulk_depth: ContextVar[int] = ContextVar("xinghuo_audit_bulk", default=0)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, Decimal, UUID)):
        return str(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _masked(model: type[models.Model], attname: str, value: Any) -> str | None:
    secret = getattr(model, "secret_fields", ())
    personal = getattr(model, "personal_fields", {})
    if attname in secret:
        return MASKERS["secret"](value) or None
    if attname in personal:
        return MASKERS[personal[attname]](_text(value)) or None
    return _text(value)


def canonical(event: dict[str, Any]) -> str:
    keys = (
        "seq", "at", "actor_id", "actor_label", "actor_role", "action", "object_type", "object_id",
        "object_repr", "changes", "outcome", "ip", "request_id", "source", "prev_hash",
    )  # fmt: skip
    payload = {k: event[k] for k in keys}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(event: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(event).encode("utf-8")).hexdigest()


def event_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "outcome": event.outcome,
        "ip": event.ip,
        "request_id": event.request_id,
        "source": event.source,
        "prev_hash": event.prev_hash,
    }


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    user: Any = None,
) -> AuditEvent:
    """Append one record to the chain, inside the caller's transaction (or a new one)."""
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "uid", None) or obj.pk)
        object_repr = object_repr or audit_repr(obj)
    actor_id = ctx.user_id
    actor_label = ctx.user_label
    if user is not None and getattr(user, "pk", None):
        actor_id = user.pk
        actor_label = user.audit_label() if hasattr(user, "audit_label") else str(user.pk)
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label[:150],
            actor_role=ctx.role_label[:200],
            action=str(action),
            object_type=object_type[:100],
            object_id=str(object_id)[:64],
            object_repr=object_repr[:200],
            changes=changes or {},
            outcome=str(outcome),
            ip=ctx.ip[:64],
            request_id=ctx.request_id[:64],
            source=ctx.source[:16],
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event_fields(event))
        event.save(force_insert=True)
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def audit_repr(obj: models.Model) -> str:
    """A name for the record that carries no personal value."""
    custom = getattr(obj, "audit_name", None)
    if callable(custom):
        return str(custom())[:200]
    return f"{obj._meta.verbose_name} {getattr(obj, 'uid', obj.pk)}"[:200]


def record_model_save(obj: models.Model, *, created: bool, before: dict[str, Any] | None, update_fields: Any = None) -> AuditEvent | None:
    model = type(obj)
    exclude = set(getattr(model, "audit_exclude", ()))
    changes: dict[str, list[str | None]] = {}
    for f in model._meta.concrete_fields:
        if f.attname in exclude or f.attname == "id":
            continue
        if update_fields is not None and f.name not in update_fields and f.attname not in update_fields:
            continue
        new = getattr(obj, f.attname)
        if created:
            if new in (None, ""):
                continue
            changes[f.attname] = [None, _masked(model, f.attname, new)]
        else:
            old = (before or {}).get(f.attname)
            if before is not None and _text(old) == _text(new):
                continue
            changes[f.attname] = [_masked(model, f.attname, old), _masked(model, f.attname, new)]
    if not created and not changes:
        return None
    return record(AuditAction.CREATE if created else AuditAction.UPDATE, obj=obj, changes=changes)


def record_model_delete(obj: models.Model) -> AuditEvent:
    model = type(obj)
    exclude = set(getattr(model, "audit_exclude", ()))
    changes = {
        f.attname: [_masked(model, f.attname, getattr(obj, f.attname)), None]
        for f in model._meta.concrete_fields
        if f.attname not in exclude and f.attname != "id" and getattr(obj, f.attname) not in (None, "")
    }
    return record(AuditAction.DELETE, obj=obj, changes=changes)


def bulk_write_open() -> bool:
    return _bulk_depth.get() > 0


@contextmanager
def bulk_write(*, model: type[models.Model], description: str, counts: dict[str, int] | None = None) -> Iterator[dict[str, int]]:
    """Allow bulk writes on an audited model; one summary record, in the same transaction.

    The block may fill in the counts dictionary it is given (created, updated, ...), which the record holds.
    """
    summary: dict[str, int] = dict(counts or {})
    token = _bulk_depth.set(_bulk_depth.get() + 1)
    try:
        with transaction.atomic():
            yield summary
            record(
                AuditAction.BULK,
                object_type=model._meta.label_lower,
                object_repr=description[:200],
                changes={k: [None, str(v)] for k, v in summary.items()},
            )
    finally:
        _bulk_depth.reset(token)


def verify_chain(*, chunk_size: int = 2000) -> tuple[int, AuditEvent | None, str]:
    """Walk the chain in order. Returns (records checked, first broken record or None, reason).

    The chain is intact only when `reason` is empty: a trail whose tail (or whole) was removed has no broken
    record to name, only the head that remembers how far it went."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    last: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return checked, event, f"序号不连续：应为 {expected_seq}，实为 {event.seq}（其间记录被删除）"
        if event.prev_hash != prev:
            return checked, event, "前一条记录的哈希不符（链被改动）"
        if compute_hash(event_fields(event)) != event.hash:
            return checked, event, "记录内容与其哈希不符（记录被篡改）"
        prev = event.hash
        expected_seq += 1
        checked += 1
        last = event
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != (last.seq if last else 0):
        return checked, last, f"链尾缺失：应到第 {head.last_seq} 条，实到第 {last.seq if last else 0} 条"
    if head is not None and last is not None and head.last_hash != last.hash:
        return checked, last, "链尾哈希与记录不符"
    return checked, None, ""
