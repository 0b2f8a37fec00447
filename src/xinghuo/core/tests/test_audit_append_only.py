"""Audit records are append-only: the model refuses to change or delete one, and so does the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from xinghuo.core import audit
from xinghuo.core.models import AuditAction, AuditEvent


@pytest.fixture
def event(personas) -> AuditEvent:
    """A record of this test's own, and its content as written."""
    return audit.record(AuditAction.EXPORT, object_type="organisations.organisation", object_repr="导出《组织机构》3 行")


def _unchanged(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.object_repr, stored.hash) == ("导出《组织机构》3 行", event.hash)


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
