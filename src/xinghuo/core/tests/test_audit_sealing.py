"""Sealing: a record is chained after its transaction commits, by a short step of its own; records left
unsealed (the process died between the commit and the seal) are picked up by the next seal, and reported by
the check if they stay unsealed."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from xinghuo.core import audit, context
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent, AuditPending


def _export(n: int = 0) -> AuditEvent:
    return audit.record(AuditAction.EXPORT, object_type="organisations.organisation", object_repr=f"导出《组织机构》{n} 行")


@pytest.fixture
def sealed_trail(personas) -> AuditChainHead:
    """Everything written so far sealed; the head it left."""
    audit.seal_pending()
    return AuditChainHead.objects.get()


def _fresh(event: AuditEvent) -> AuditEvent:
    return AuditEvent.objects.select_related("seal").get(pk=event.pk)


def test_a_record_is_pending_in_its_transaction_and_sealed_when_it_commits(sealed_trail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = _export()
        assert _fresh(event).seq is None
        assert AuditPending.objects.filter(event=event).exists()

    event = _fresh(event)
    assert (event.seq, event.prev_hash) == (sealed_trail.last_seq + 1, sealed_trail.last_hash)
    assert event.hash == audit.link_hash(event, seq=event.seq, prev_hash=event.prev_hash)
    assert not AuditPending.objects.exists()
    assert audit.verify_chain()[1] is None


def test_the_records_of_one_transaction_are_sealed_in_the_order_written(sealed_trail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        events = [_export(n) for n in range(5)]

    assert [_fresh(e).seq for e in events] == list(range(sealed_trail.last_seq + 1, sealed_trail.last_seq + 6))
    assert len(callbacks) == 5  # one registration a record, one seal for them all
    assert AuditChainHead.objects.get().last_seq == sealed_trail.last_seq + 5


def test_a_rolled_back_savepoint_does_not_cancel_the_seal_of_the_records_kept(sealed_trail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = _export(1)
        with pytest.raises(RuntimeError), transaction.atomic():
            _export(2)
            raise RuntimeError("a later step failed")

    assert _fresh(kept).seq == sealed_trail.last_seq + 1
    assert not AuditPending.objects.exists()


def test_a_transaction_rolled_back_whole_does_not_hold_up_the_next_ones_seal(sealed_trail, django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        _export(1)
        raise RuntimeError("the whole transaction failed")

    with django_capture_on_commit_callbacks(execute=True):
        kept = _export(2)

    assert _fresh(kept).seq == sealed_trail.last_seq + 1
    assert not AuditPending.objects.exists()


def test_a_record_left_unsealed_by_a_crash_is_sealed_by_the_next_commit(sealed_trail, django_capture_on_commit_callbacks):
    # given a record whose transaction committed but whose seal never ran (the process died in between)
    survivor = _export(1)

    # when a later audited transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        later = _export(2)

    # then both are sealed, the survivor first, and the chain verifies
    assert (_fresh(survivor).seq, _fresh(later).seq) == (sealed_trail.last_seq + 1, sealed_trail.last_seq + 2)
    assert audit.verify_chain()[1] is None


@pytest.mark.parametrize("command", ["seal_audit", "verify_audit"])
def test_a_record_left_unsealed_by_a_crash_is_sealed_by_the_commands(sealed_trail, command):
    survivor = _export()

    call_command(command, stdout=StringIO())

    assert _fresh(survivor).seq == sealed_trail.last_seq + 1
    assert not AuditPending.objects.exists()


def test_seal_audit_is_idempotent(sealed_trail):
    _export()
    out = StringIO()

    call_command("seal_audit", stdout=out)
    call_command("seal_audit", stdout=out)

    assert out.getvalue().splitlines() == ["已封存 1 条审计记录", "已封存 0 条审计记录"]
    assert AuditChainHead.objects.get().last_seq == sealed_trail.last_seq + 1


def test_a_large_backlog_is_sealed_in_batches(sealed_trail):
    events = [_export(n) for n in range(12)]

    assert audit.seal_pending(batch_size=5) == 12

    assert [_fresh(e).seq for e in events] == list(range(sealed_trail.last_seq + 1, sealed_trail.last_seq + 13))
    assert audit.verify_chain()[1] is None


def test_a_failed_seal_does_not_undo_the_committed_change(sealed_trail, django_capture_on_commit_callbacks, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("sealer unavailable")

    monkeypatch.setattr(audit, "seal_pending", broken)
    with django_capture_on_commit_callbacks(execute=True):
        event = _export()

    assert "sealer unavailable" in caplog.text  # logged, not raised to the user whose change committed
    assert AuditPending.objects.filter(event=event).exists()  # and left for the next seal
    monkeypatch.undo()
    assert audit.seal_pending() == 1


def test_a_record_pending_for_longer_than_ten_minutes_is_reported(sealed_trail, monkeypatch):
    event = _export()
    written = timezone.now()

    monkeypatch.setattr(audit.timezone, "now", lambda: written + timedelta(minutes=9))
    assert audit.verify_chain() == (sealed_trail.last_seq, None, "")
    monkeypatch.setattr(audit.timezone, "now", lambda: written + timedelta(minutes=11))
    checked, broken, reason = audit.verify_chain()

    assert (checked, broken, reason) == (sealed_trail.last_seq, event, "1 条记录提交后超过 10 分钟仍未封存（封存中断）")


def test_verify_audit_names_a_record_it_could_not_seal(sealed_trail, monkeypatch):
    event = _export()
    written = timezone.now()
    monkeypatch.setattr(audit, "seal_pending", lambda **kwargs: 0)  # sealing is broken
    monkeypatch.setattr("xinghuo.core.management.commands.verify_audit.seal_pending", lambda **kwargs: 0)
    monkeypatch.setattr(audit.timezone, "now", lambda: written + timedelta(minutes=11))

    with pytest.raises(CommandError, match=rf"未封存的记录（编号 {event.pk}）.*超过 10 分钟仍未封存"):
        call_command("verify_audit", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_whose_seal_never_ran_is_picked_up_by_the_next_commit(monkeypatch):
    # given a change that commits while its seal is suppressed, as if the process died right after the commit
    audit.seal_pending()
    head = AuditChainHead.objects.get()
    monkeypatch.setattr(audit, "_seal_after_commit", lambda event: None)
    with context.as_command("test"):
        survivor = _export(1)
    assert transaction.get_autocommit()  # committed, not in a test transaction
    assert _fresh(survivor).seq is None
    assert AuditPending.objects.filter(event=survivor).exists()
    assert audit.verify_chain() == (head.last_seq, None, "")  # pending for seconds is no problem yet

    # when the next audited change commits as usual
    monkeypatch.undo()
    with context.as_command("test"):
        later = _export(2)

    # then its seal takes the survivor along, first
    assert (_fresh(survivor).seq, _fresh(later).seq) == (head.last_seq + 1, head.last_seq + 2)
    assert not AuditPending.objects.exists()
    assert audit.verify_chain() == (head.last_seq + 2, None, "")


@pytest.mark.django_db(transaction=True)
def test_a_commit_does_not_queue_behind_a_sealer_at_work_which_seals_its_record_after(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the sealer's advisory lock is PostgreSQL's; SQLite serialises writers")
    audit.seal_pending()
    head = AuditChainHead.objects.get()
    paused, resume = threading.Event(), threading.Event()
    drop_markers = audit._drop_markers

    def slow_drop_markers(ids):  # the sealer has read the pending records and holds the head
        if threading.current_thread().name == "sealer" and not paused.is_set():
            paused.set()
            resume.wait(10)
        drop_markers(ids)

    monkeypatch.setattr(audit, "_drop_markers", slow_drop_markers)

    def sealer() -> None:
        try:
            with context.as_command("test"):
                _export(1)  # commits, then seals: pauses in the middle
        finally:
            connection.close()

    worker = threading.Thread(target=sealer, name="sealer")
    worker.start()
    assert paused.wait(10)

    # when another write commits while that sealer holds the head
    started = time.monotonic()
    with context.as_command("test"):
        later = _export(2)
    waited = time.monotonic() - started

    # then it does not wait for the head, and its record is pending
    assert waited < 2
    assert _fresh(later).seq is None
    resume.set()
    worker.join(10)

    # and the sealer, looking again after its commit, seals it
    assert _fresh(later).seq == head.last_seq + 2
    assert not AuditPending.objects.exists()
    assert audit.verify_chain() == (head.last_seq + 2, None, "")
