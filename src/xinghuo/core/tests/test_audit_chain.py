"""The hash chain: `manage.py verify_audit` passes on an untouched trail and names the first record that was
altered, removed, reordered or slipped in behind the platform's back — in the records or in their seals."""

from __future__ import annotations

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent, AuditSeal


@pytest.fixture
def trail(personas) -> list[AuditEvent]:
    """The whole trail, sealed, oldest first: the base data's records, the personas' and a few of this test's."""
    for n in range(3):
        audit.record(AuditAction.EXPORT, object_type="organisations.organisation", object_repr=f"导出《组织机构》{n} 行")
    audit.seal_pending()  # what the commit of this test's transaction would have set off
    return list(AuditEvent.objects.select_related("seal").order_by("seal__seq"))


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_an_untouched_trail_passes(trail):
    assert len(trail) > 40
    assert f"审计日志校验通过：共 {len(trail)} 条记录" in _verify()
    assert audit.verify_chain() == (len(trail), None, "")


def test_each_record_holds_the_hash_of_the_one_before(trail):
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    assert trail[0].prev_hash == audit.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(trail))
    assert all(audit.link_hash(e, seq=e.seq, prev_hash=e.prev_hash) == e.hash for e in trail)
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (trail[-1].seq, trail[-1].hash)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("core_auditevent", "object_repr", "什么也没导出"),
        ("core_auditevent", "changes", '{"filters": [null, "{}"]}'),
        ("core_auditevent", "actor_label", "someone_else"),
        ("core_auditevent", "outcome", "failure"),
        ("core_auditseal", "hash", "f" * 64),
    ],
)
def test_an_altered_record_is_named_as_the_first_broken_one(trail, tamper, table, column, value):
    victim = trail[len(trail) // 2]
    key = "id" if table == "core_auditevent" else "event_id"
    tamper(f"UPDATE {table} SET {column} = %s WHERE {key} = %s", [value, victim.pk])

    with pytest.raises(CommandError, match=rf"第 {victim.seq} 条记录.*被篡改"):
        _verify()
    checked, broken, _ = audit.verify_chain()
    assert (checked, broken.seq) == (victim.seq - 1, victim.seq)


def test_an_altered_time_is_found(trail, tamper):
    victim = trail[5]
    tamper("UPDATE core_auditevent SET at = %s WHERE id = %s", [timezone.now(), victim.pk])

    assert audit.verify_chain()[1].seq == victim.seq


@pytest.mark.parametrize("with_its_seal", [False, True], ids=["the record", "the record and its seal"])
def test_a_record_removed_in_the_middle_is_found(trail, tamper, with_its_seal):
    removed = trail[len(trail) // 2]
    if with_its_seal:
        tamper("DELETE FROM core_auditseal WHERE event_id = %s", [removed.pk])
    tamper("DELETE FROM core_auditevent WHERE id = %s", [removed.pk])

    with pytest.raises(CommandError, match=rf"第 {removed.seq + 1} 条记录.*应为 {removed.seq}.*被删除"):
        _verify()
    # The database itself refuses a seal without its record at commit (a deferred foreign key), and so does
    # the test's teardown: take the seal away too.
    tamper("DELETE FROM core_auditseal WHERE event_id = %s", [removed.pk])


def test_the_last_record_removed_is_found(trail, tamper):
    last = trail[-1]
    tamper("DELETE FROM core_auditseal WHERE event_id = %s", [last.pk])
    tamper("DELETE FROM core_auditevent WHERE id = %s", [last.pk])

    with pytest.raises(CommandError, match=rf"链尾缺失：应到第 {last.seq} 条，实到第 {last.seq - 1} 条"):
        _verify()


def test_the_last_records_removed_are_found(trail, tamper):
    gone = [e.pk for e in trail[-3:]]
    tamper(f"DELETE FROM core_auditseal WHERE event_id IN ({', '.join(['%s'] * 3)})", gone)
    tamper(f"DELETE FROM core_auditevent WHERE id IN ({', '.join(['%s'] * 3)})", gone)

    with pytest.raises(CommandError, match=rf"应到第 {trail[-1].seq} 条"):
        _verify()


def test_a_wiped_trail_is_found(trail, tamper):
    tamper("DELETE FROM core_auditseal")
    tamper("DELETE FROM core_auditevent")

    with pytest.raises(CommandError, match=rf"应到第 {trail[-1].seq} 条"):
        _verify()


def test_a_record_slipped_in_behind_the_chain_is_found(trail):
    # A well-formed record, hash and all, written straight to the tables instead of through audit.record()
    last = trail[-1]
    forged = AuditEvent.objects.create(
        at=timezone.now(), actor_label="auditadmin", action=AuditAction.EXPORT, object_type="core.auditevent"
    )
    seq = last.seq + 1
    AuditSeal.objects.create(
        event=forged, seq=seq, prev_hash=last.hash, hash=audit.link_hash(forged, seq=seq, prev_hash=last.hash), sealed_at=timezone.now()
    )  # fmt: skip

    with pytest.raises(CommandError, match=rf"应到第 {last.seq} 条，实到第 {seq} 条"):
        _verify()


def test_a_record_slipped_in_without_a_seal_is_found_and_not_sealed(trail):
    # Written straight to the table, content only, leaving the sealing to the platform
    forged = AuditEvent.objects.create(
        at=timezone.now(), actor_label="auditadmin", action=AuditAction.EXPORT, object_type="core.auditevent"
    )

    with pytest.raises(CommandError, match=rf"未封存的记录（编号 {forged.pk}）.*不是经平台写入的记录"):
        _verify()
    assert audit.seal_pending() == 0
    assert forged.seq is None


# --- tampering with the seals ---------------------------------------------------------------------------------


def test_an_altered_link_to_the_record_before_is_found(trail, tamper):
    victim = trail[len(trail) // 2]
    tamper("UPDATE core_auditseal SET prev_hash = %s WHERE event_id = %s", ["0" * 64, victim.pk])

    with pytest.raises(CommandError, match=rf"第 {victim.seq} 条记录.*前一条记录的哈希不符"):
        _verify()


def test_two_records_swapped_in_order_are_found(trail, tamper):
    first, second = trail[10], trail[11]
    tamper("UPDATE core_auditseal SET seq = 0 WHERE event_id = %s", [first.pk])
    tamper("UPDATE core_auditseal SET seq = %s WHERE event_id = %s", [first.seq, second.pk])
    tamper("UPDATE core_auditseal SET seq = %s WHERE event_id = %s", [second.seq, first.pk])

    checked, broken, reason = audit.verify_chain()

    assert (checked, broken.pk, reason) == (first.seq - 1, second.pk, "前一条记录的哈希不符（链被改动）")


def test_two_seals_swapped_between_records_are_found(trail, tamper):
    first, second = trail[10], trail[11]
    tamper("DELETE FROM core_auditseal WHERE event_id IN (%s, %s)", [first.pk, second.pk])
    for event, other in ((first, second), (second, first)):  # each record under the other's seal
        tamper(
            "INSERT INTO core_auditseal (event_id, seq, prev_hash, hash, sealed_at) VALUES (%s, %s, %s, %s, %s)",
            [event.pk, other.seq, other.prev_hash, other.hash, timezone.now()],
        )

    with pytest.raises(CommandError, match=rf"第 {first.seq} 条记录.*被篡改"):
        _verify()


def test_a_removed_seal_is_found(trail, tamper):
    victim = trail[len(trail) // 2]
    tamper("DELETE FROM core_auditseal WHERE event_id = %s", [victim.pk])

    with pytest.raises(CommandError, match=rf"第 {victim.seq + 1} 条记录.*应为 {victim.seq}"):
        _verify()


# --- after a check --------------------------------------------------------------------------------------------


def test_the_chain_goes_on_after_a_check(trail):
    _verify()

    event = audit.record(AuditAction.EXPORT, object_type="core.auditevent")
    audit.seal_pending()

    assert (event.seq, event.prev_hash) == (trail[-1].seq + 1, trail[-1].hash)
    assert audit.verify_chain()[1] is None


def test_verify_walks_the_trail_in_chunks(trail):
    assert audit.verify_chain(chunk_size=7) == (len(trail), None, "")
