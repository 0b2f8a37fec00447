"""Sealing in the background (`XINGHUO_AUDIT_SEAL_IN_BACKGROUND`, PostgreSQL outside the tests): a commit only wakes
the process's sealer thread, which a moment later seals every record committed in that moment in one pass; a pass
that fails leaves the records pending for the next; a process on its way out seals what it still owes."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.db import connection

from xinghuo.core import audit, context, sealing
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent, AuditPending

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_S = 10  # at most, for the thread (it gathers for a fraction of a second)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("sealing in the background is for PostgreSQL; SQLite serialises writers and seals at the commit")


@pytest.fixture
def sealer(settings, monkeypatch) -> Iterator[sealing.BackgroundSealer]:
    """A sealer of the test's own (gathering for 0.3 s), in place of the process's."""
    settings.XINGHUO_AUDIT_SEAL_IN_BACKGROUND = True
    own = sealing.BackgroundSealer(gather_seconds=0.3)
    monkeypatch.setattr(sealing, "sealer", own)
    audit.seal_pending()
    yield own
    own.stop()


def _export(n: int) -> AuditEvent:
    with context.as_command("test"):
        return audit.record(AuditAction.EXPORT, object_type="organisations.organisation", object_repr=f"导出 {n} 行")


def _seq(event: AuditEvent) -> int | None:
    return AuditEvent.objects.select_related("seal").get(pk=event.pk).seq


def test_a_commit_leaves_its_record_to_the_thread_which_seals_it_a_moment_later(sealer):
    head = AuditChainHead.objects.get()

    # when an audited change commits
    event = _export(1)

    # then the commit returns with its record still pending (nobody waited for the chain) ...
    assert AuditPending.objects.filter(event=event).exists()
    # ... and the thread seals it a moment later, next in the chain
    assert sealer.idle.wait(WAIT_S)
    assert _seq(event) == head.last_seq + 1
    assert not AuditPending.objects.exists()
    assert audit.verify_chain() == (head.last_seq + 1, None, "")


def test_the_commits_of_a_moment_are_sealed_together_in_order(sealer):
    head = AuditChainHead.objects.get()

    # when ten changes commit one after the other, faster than the thread gathers
    events = [_export(n) for n in range(10)]

    # then fewer passes than commits seal them all, in the order written
    assert sealer.idle.wait(WAIT_S)
    assert [_seq(e) for e in events] == list(range(head.last_seq + 1, head.last_seq + 11))
    assert 1 <= sealer.passes < 10
    assert audit.verify_chain() == (head.last_seq + 10, None, "")


def test_a_failed_pass_leaves_the_records_pending_for_the_next(sealer, monkeypatch, caplog):
    head = AuditChainHead.objects.get()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    # given a pass that fails
    with monkeypatch.context() as patch, caplog.at_level(logging.ERROR, logger="xinghuo.core.sealing"):
        patch.setattr(audit, "seal_pending", broken)
        first = _export(1)
        assert sealer.idle.wait(WAIT_S)
    assert "audit seal in the background failed" in caplog.text
    assert _seq(first) is None
    assert AuditPending.objects.filter(event=first).exists()

    # when the next commit wakes the thread again
    second = _export(2)

    # then that pass takes both, the survivor first
    assert sealer.idle.wait(WAIT_S)
    assert (_seq(first), _seq(second)) == (head.last_seq + 1, head.last_seq + 2)


def test_a_process_on_its_way_out_seals_what_it_still_owes(sealer, monkeypatch):
    head = AuditChainHead.objects.get()
    # given a thread that has not made its pass yet (it is held at its start)
    monkeypatch.setattr(sealer, "_ensure_running", lambda: None)
    event = _export(1)
    assert _seq(event) is None

    # when the process exits (atexit calls flush)
    sealer.flush()

    # then the record is sealed in the exiting thread
    assert _seq(event) == head.last_seq + 1
    assert not AuditPending.objects.exists()


def test_a_writer_seals_at_its_commit_when_the_setting_is_off(settings):
    settings.XINGHUO_AUDIT_SEAL_IN_BACKGROUND = False
    audit.seal_pending()
    head = AuditChainHead.objects.get()

    event = _export(1)

    assert _seq(event) == head.last_seq + 1  # sealed before the commit's caller got its answer
