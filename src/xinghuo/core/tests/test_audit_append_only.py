"""Audit records and their seals are append-only: the models refuse to change or delete one, and so does the
database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from xinghuo.core import audit
from xinghuo.core.models import AuditAction, AuditEvent, AuditSeal


@pytest.fixture
def event(personas) -> AuditEvent:
    """A record of this test's own, sealed, and its content as written."""
    written = audit.record(AuditAction.EXPORT, object_type="organisations.organisation", object_repr="导出《组织机构》3 行")
    audit.seal_pending()
    return AuditEvent.objects.select_related("seal").get(pk=written.pk)


def _unchanged(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.select_related("seal").get(pk=event.pk)
    return (stored.object_repr, stored.seq, stored.prev_hash, stored.hash) == (
        "导出《组织机构》3 行", event.seq, event.prev_hash, event.hash
    )  # fmt: skip


def test_saving_an_existing_record_is_refused(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    stored.object_repr = "什么也没导出"

    with pytest.raises(PermissionError, match="不可修改"):
        stored.save()

    assert _unchanged(event)


def test_deleting_a_record_is_refused(event):
    with pytest.raises(PermissionError, match="不可删除"):
        AuditEvent.objects.get(pk=event.pk).delete()

    assert _unchanged(event)


def test_queryset_update_is_refused(event):
    with pytest.raises(PermissionError, match="不可修改"):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="什么也没导出")

    assert _unchanged(event)


def test_queryset_delete_is_refused(event):
    with pytest.raises(PermissionError, match="不可删除"):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert _unchanged(event)


def test_bulk_update_is_refused(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    stored.object_repr = "什么也没导出"

    # bulk_update joins the caller's transaction without a savepoint: give it one, as a request would
    with pytest.raises(PermissionError, match="不可修改"), transaction.atomic():
        AuditEvent.objects.bulk_update([stored], ["object_repr"])

    assert _unchanged(event)


def test_the_database_refuses_a_raw_update(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["什么也没导出", event.pk])

    assert _unchanged(event)


def test_the_database_refuses_a_raw_update_of_every_record_at_once(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET outcome = 'success'")

    assert _unchanged(event)


def test_on_postgresql_the_database_refuses_a_raw_delete(event):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for the test flush; there the hash chain finds a deleted record (test_audit_chain)")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    assert _unchanged(event)


# --- the seals ------------------------------------------------------------------------------------------------


def test_saving_or_deleting_an_existing_seal_is_refused(event):
    seal = AuditSeal.objects.get(event=event)
    seal.hash = "f" * 64

    with pytest.raises(PermissionError, match="不可修改"):
        seal.save()
    with pytest.raises(PermissionError, match="不可删除"):
        seal.delete()

    assert _unchanged(event)


def test_queryset_update_and_delete_of_seals_are_refused(event):
    with pytest.raises(PermissionError, match="不可修改"):
        AuditSeal.objects.filter(event=event).update(hash="f" * 64)
    with pytest.raises(PermissionError, match="不可删除"):
        AuditSeal.objects.filter(event=event).delete()

    assert _unchanged(event)


def test_the_database_refuses_a_raw_update_of_a_seal(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditseal SET hash = %s WHERE event_id = %s", ["f" * 64, event.pk])

    assert _unchanged(event)


def test_on_postgresql_the_database_refuses_a_raw_delete_of_a_seal(event):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for the test flush; there the hash chain finds a deleted seal (test_audit_chain)")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditseal WHERE event_id = %s", [event.pk])

    assert _unchanged(event)
