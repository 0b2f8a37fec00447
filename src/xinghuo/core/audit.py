"""The audit trail: every write, sign-in, role change, export and unmasked read leaves one record.

Records are written in the transaction of the change they record, so a change without its record cannot
commit, and they are never updated or deleted. Writing one takes no lock that other writers wait for: the
record goes in together with a marker that it is pending (`AuditPending`), and that is all a writer does.

The records are chained after they commit. `record()` asks, through `transaction.on_commit`, for
`seal_pending()`, which works in short transactions of its own, never inside a user's: it locks the chain
head, takes the committed pending records in id order, gives each the next sequence number and the SHA-256
of its content with that number and the hash of the link before (an `AuditSeal`, insert-only like the
records), removes their markers and moves the head. Sealers wait for each other on the head and each seals a
batch, the records of other commits too; a commit whose records were taken along seals nothing. No user
transaction waits for a sealer: the seal runs after the commit, holding none of its locks — in the writer's
thread, or, with `XINGHUO_AUDIT_SEAL_IN_BACKGROUND` (PostgreSQL outside the tests), in a thread of the
writer's process a moment later, for all the commits of that moment at once (core.sealing), so that no
answer waits for it. A record whose transaction commits after a later record was sealed (PostgreSQL hands out ids
before commit) simply gets the next number. If the process dies between a commit and its seal, the records
stay pending until the next seal: any later audited commit, `manage.py seal_audit`, or `manage.py
verify_audit` (and the console's check), which seal before they check.

`verify_chain()` walks the seals in sequence order and names the first record that was altered, removed,
reordered or slipped in behind the platform's back (a record with neither a seal nor a pending marker was
not written by `record()`), and reports records left pending for longer than `STALE_AFTER` (sealing is
broken).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone

from xinghuo.core import context, sealing
from xinghuo.core.masking import MASKERS
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent, AuditOutcome, AuditPending, AuditSeal

GENESIS = "0" * 64
STALE_AFTER = timedelta(minutes=10)  # a committed record still unsealed after this is reported by verify_chain()
SEAL_BATCH = 500  # records sealed in one transaction of the sealer
MAX_PASSES = 20  # rounds a sealer after a commit takes at most (see _seal_unless_busy)
SEALER_LOCK = 0x58484155  # PostgreSQL advisory lock of the sealer after a commit ("XHAU")
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


def event_fields(event: AuditEvent, *, seq: int, prev_hash: str) -> dict[str, Any]:
    """What a seal's hash covers: the record's content, its sequence number and the hash of the link before."""
    return {
        "seq": seq,
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
        "prev_hash": prev_hash,
    }


def link_hash(event: AuditEvent, *, seq: int, prev_hash: str) -> str:
    return compute_hash(event_fields(event, seq=seq, prev_hash=prev_hash))


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
    """Write one record, inside the caller's transaction (or a new one); it is chained after the commit."""
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
    event = AuditEvent(
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
    )
    # No savepoint: if the record cannot be written, the caller's whole transaction is spoilt, so that the
    # change cannot commit without it even when the caller catches the error.
    with transaction.atomic(savepoint=False):
        event.save(force_insert=True)
        AuditPending.objects.create(event=event)
        _seal_after_commit(event)
    return event


def _seal_after_commit(event: AuditEvent) -> None:
    """Seal once the record's transaction commits. Every record registers the callback (a savepoint rolled
    back takes its registrations with it); the first call after a commit seals them all, the others find
    nothing left to do."""
    connection = transaction.get_connection()
    connection.__dict__.setdefault("xinghuo_audit_written", []).append(event.pk)
    # robust: the change has committed; a failed seal is logged, and the next seal picks its records up
    transaction.on_commit(_seal_committed, robust=True)


def _seal_committed() -> None:
    connection = transaction.get_connection()
    written = connection.__dict__.get("xinghuo_audit_written")
    if written:
        # Ids of records rolled back since the last commit may be among them: they are simply not pending.
        connection.xinghuo_audit_written = []
        if sealing.in_background():
            sealing.sealer.wake()
        else:
            seal_pending(unless_sealed=written, wait=False)


def seal_pending(*, batch_size: int = SEAL_BATCH, unless_sealed: list[int] | None = None, wait: bool = True) -> int:
    """Chain the committed pending records, lowest id first, in short transactions of their own.

    `unless_sealed`: the records a transaction just committed; when another sealer has taken them all along
    already, there is nothing to do (under load, most commits then cost one query, not a turn at the head).
    Without `wait` (after a commit), on PostgreSQL, a sealer at work already is left to it (see _seal_unless_busy).
    Meant to run outside any transaction (after a commit, from a command): inside one, it would hold the
    chain head until that transaction ends. Returns how many records it sealed."""
    if not wait and transaction.get_connection().vendor == "postgresql":
        return _seal_unless_busy(batch_size)
    pending = AuditPending.objects.all()
    if unless_sealed is not None and len(unless_sealed) <= batch_size:
        pending = pending.filter(event_id__in=unless_sealed)
    if not pending.exists():  # nothing to do: do not queue up on the head for it
        return 0
    return _seal_all(batch_size)


def _seal_all(batch_size: int) -> int:
    sealed = 0
    while True:
        taken, count = _seal_batch(batch_size)
        sealed += count
        if taken < batch_size:
            return sealed


def _seal_unless_busy(batch_size: int) -> int:
    """Seal unless another process is sealing already: then return at once (one query, instead of queueing on
    the head with every other writer of a rush). The sealer at work looks for pending records again each time it
    lets go, and goes on while there are any, so it finds the records of those that left: they were committed
    before their writer found it busy, hence before it let go. A sealer stops after MAX_PASSES rounds; what a
    steady stream of writes leaves then is sealed by the next write, by `seal_audit`, or by `verify_audit`
    (which reports records pending for long)."""
    connection = transaction.get_connection()
    sealed = 0
    for _ in range(MAX_PASSES):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SEALER_LOCK])
            if not cursor.fetchone()[0]:
                return sealed
        try:
            sealed += _seal_all(batch_size)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SEALER_LOCK])
        if not AuditPending.objects.exists():
            return sealed
    return sealed


def _seal_batch(limit: int) -> tuple[int, int]:
    """Seal up to `limit` pending records in one transaction; returns (markers taken, records sealed)."""
    with transaction.atomic():
        head = _lock_head()
        # Read after the lock: under READ COMMITTED this statement sees every seal committed before it
        # (the previous holder's included) and every record committed so far.
        # Two plain lookups by key (the queue is small, the trail is not): a join would let the planner
        # walk the whole trail's index up to the first pending id.
        ids = list(AuditPending.objects.order_by("event_id").values_list("event_id", flat=True)[:limit])
        if not ids:
            return 0, 0
        events = list(AuditEvent.objects.filter(id__in=ids).select_related("seal").order_by("id"))
        seq, prev, now = head.last_seq, head.last_hash, timezone.now()
        seals = []
        for event in events:
            if event.seal_or_none is not None:  # sealed already: only its marker is left to remove
                continue
            seq += 1
            seal = AuditSeal(event=event, seq=seq, prev_hash=prev, hash=link_hash(event, seq=seq, prev_hash=prev), sealed_at=now)
            seals.append(seal)
            prev = seal.hash
        AuditSeal.objects.bulk_create(seals)
        _drop_markers(ids)  # a marker of a record sealed already goes too
        if seals:
            head.last_seq, head.last_hash = seq, prev
            head.save(update_fields=["last_seq", "last_hash"])
    return len(ids), len(seals)


def _drop_markers(ids: list[int]) -> None:
    """Plain DELETE: the queryset's delete() would first read the rows back to send post_delete for each (a
    receiver listens to every model's deletions), one more round trip under the head lock for nothing."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(AuditPending._meta.db_table)
    params = ", ".join(["%s"] * len(ids))  # one query parameter per id
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE event_id IN ({params})", ids)  # noqa: S608 (parameters only)


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


def describe(event: AuditEvent) -> str:
    """How a message names a record: by its sequence number, or by its id while it has none."""
    return f"第 {event.seq} 条记录" if event.seq is not None else f"未封存的记录（编号 {event.pk}）"


def verify_chain(*, chunk_size: int = 2000) -> tuple[int, AuditEvent | None, str]:
    """Walk the chain in order. Returns (records checked, first broken record or None, reason).

    The chain is intact only when `reason` is empty: a trail whose tail (or whole) was removed has no broken
    record to name, only the head that remembers how far it went. Records still pending are not checked;
    those pending for longer than STALE_AFTER are reported (call `seal_pending()` first to seal the rest)."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    last: AuditSeal | None = None
    # An inner join: a seal whose record was deleted drops out, and leaves a gap in the numbers.
    for seal in AuditSeal.objects.select_related("event").order_by("seq").iterator(chunk_size=chunk_size):
        event = seal.event
        if seal.seq != expected_seq:
            return checked, event, f"序号不连续：应为 {expected_seq}，实为 {seal.seq}（其间记录被删除）"
        if seal.prev_hash != prev:
            return checked, event, "前一条记录的哈希不符（链被改动）"
        if link_hash(event, seq=seal.seq, prev_hash=seal.prev_hash) != seal.hash:
            return checked, event, "记录内容与其哈希不符（记录被篡改）"
        prev = seal.hash
        expected_seq += 1
        checked += 1
        last = seal
    last_seq = last.seq if last else 0
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != last_seq:
        return checked, last.event if last else None, f"链尾缺失：应到第 {head.last_seq} 条，实到第 {last_seq} 条"
    if head is not None and last is not None and head.last_hash != last.hash:
        return checked, last.event, "链尾哈希与记录不符"
    stray = AuditEvent.objects.filter(seal__isnull=True, pending__isnull=True).order_by("id").first()
    if stray is not None:
        return checked, stray, "记录既未封存也不在待封存队列中（不是经平台写入的记录）"
    stale = AuditEvent.objects.filter(pending__isnull=False, at__lt=timezone.now() - STALE_AFTER)
    first_stale = stale.order_by("id").first()
    if first_stale is not None:
        minutes = int(STALE_AFTER.total_seconds() // 60)
        return checked, first_stale, f"{stale.count()} 条记录提交后超过 {minutes} 分钟仍未封存（封存中断）"
    return checked, None, ""
