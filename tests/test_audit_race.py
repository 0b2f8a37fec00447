"""The audit trail under concurrent writers (PostgreSQL): writers never wait for each other on the chain, and
the sealers that chain their records after each commit give every record the next sequence number and link
it to the one before, whatever the interleaving."""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

from xinghuo.core import audit, context
from xinghuo.core.models import AuditEvent, AuditPending
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.services import organisation_create
from xinghuo.regions.models import Region

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions",
    ),
]

WRITERS = 8
EACH = 6


def _school(name: str) -> Organisation:
    return organisation_create(
        name=name,
        kind=OrganisationKind.SCHOOL,
        region=Region.objects.get(code="370902001"),
        parent=Organisation.unscoped.get(code="KX370902"),
    )


def _assert_whole_chain_sealed_and_intact() -> None:
    assert not AuditPending.objects.exists()
    seqs = sorted(AuditEvent.objects.values_list("seal__seq", flat=True))
    assert seqs == list(range(1, AuditEvent.objects.count() + 1))
    assert audit.verify_chain() == (len(seqs), None, "")


def test_concurrent_writers_never_fork_the_chain():
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            with context.acting(context.ActorContext(user_label=f"writer{n}", source="test")):
                for i in range(EACH):
                    _school(f"并发学校{n}-{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert AuditEvent.objects.count() == before + WRITERS * EACH
    _assert_whole_chain_sealed_and_intact()


def test_a_writer_does_not_wait_for_another_writers_open_transaction():
    # given transaction A has written an audited row and stays open
    a_written, b_committed = threading.Event(), threading.Event()
    seen: dict[str, object] = {}
    errors: list[BaseException] = []

    def writer_a() -> None:
        try:
            with context.acting(context.ActorContext(user_label="writer_a", source="test")), transaction.atomic():
                seen["a"] = _school("长事务学校")
                a_written.set()
                b_committed.wait(timeout=10)  # the old design: B waits on the chain head until A ends
                seen["b_done_while_a_open"] = b_committed.is_set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def writer_b() -> None:
        try:
            a_written.wait(timeout=10)
            # when B writes and commits an audited row of its own meanwhile
            with context.acting(context.ActorContext(user_label="writer_b", source="test")):
                seen["b"] = _school("短事务学校")
            seen["b_seq_while_a_open"] = AuditEvent.objects.get(object_id=str(seen["b"].uid)).seq
            b_committed.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then B neither waited for A nor for its seal, and A's record, written first, is chained after B's
    assert errors == []
    assert seen["b_done_while_a_open"] is True
    assert seen["b_seq_while_a_open"] is not None
    a_event = AuditEvent.objects.get(object_id=str(seen["a"].uid))
    b_event = AuditEvent.objects.get(object_id=str(seen["b"].uid))
    assert a_event.pk < b_event.pk
    assert a_event.seq == b_event.seq + 1
    assert a_event.prev_hash == b_event.hash
    _assert_whole_chain_sealed_and_intact()
