"""The hash chain: `manage.py verify_audit` passes on an untouched trail and names the first record that was
altered, removed or slipped in behind the platform's back."""

from __future__ import annotations

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent


@pytest.fixture
def trail(personas) -> list[AuditEvent]:
    """The whole trail, oldest first: the base data's records, the personas' and a few of this test's."""
    for n in range(3):
        audit.record(AuditAction.EXPORT, object_type="organisations.organisation", object_repr=f"导出《组织机构》{n} 行")
    return list(AuditEvent.objects.order_by("seq"))


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
    assert all(audit.compute_hash(audit.event_fields(e)) == e.hash for e in trail)
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (trail[-1].seq, trail[-1].hash)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("object_repr", "什么也没导出"),
        ("changes", '{"filters": [null, "{}"]}'),
        ("actor_label", "someone_else"),
        ("outcome", "failure"),
        ("hash", "f" * 64),
    ],
)
def test_an_altered_record_is_named_as_the_first_broken_one(trail, tamper, column, value):
    victim = trail[len(trail) // 2]
    tamper(f"UPDATE core_auditevent SET {column} = %s WHERE seq = %s", [value, victim.seq])

    with pytest.raises(CommandError, match=rf"第 {victim.seq} 条记录.*被篡改"):
        _verify()
    checked, broken, _ = audit.verify_chain()
    assert (checked, broken.seq) == (victim.seq - 1, victim.seq)


def test_an_altered_time_is_found(trail, tamper):
    victim = trail[5]
    tamper("UPDATE core_auditevent SET at = %s WHERE seq = %s", [timezone.now(), victim.seq])

    assert audit.verify_chain()[1].seq == victim.seq


def test_a_record_removed_in_the_middle_is_found(trail, tamper):
    removed = trail[len(trail) // 2]
    tamper("DELETE FROM core_auditevent WHERE seq = %s", [removed.seq])

    with pytest.raises(CommandError, match=rf"第 {removed.seq + 1} 条记录.*应为 {removed.seq}.*被删除"):
        _verify()


def test_the_last_record_removed_is_found(trail, tamper):
    last = trail[-1]
    tamper("DELETE FROM core_auditevent WHERE seq = %s", [last.seq])

    with pytest.raises(CommandError, match=rf"链尾缺失：应到第 {last.seq} 条，实到第 {last.seq - 1} 条"):
        _verify()


def test_the_last_records_removed_are_found(trail, tamper):
    tamper("DELETE FROM core_auditevent WHERE seq > %s", [trail[-4].seq])

    with pytest.raises(CommandError, match=rf"应到第 {trail[-1].seq} 条"):
        _verify()


def test_a_wiped_trail_is_found(trail, tamper):
    tamper("DELETE FROM core_auditevent")

    with pytest.raises(CommandError, match=rf"应到第 {trail[-1].seq} 条"):
        _verify()


def test_a_record_slipped_in_behind_the_chain_is_found(trail):
    # A well-formed record, hash and all, written straight to the table instead of through audit.record()
    last = trail[-1]
    forged = AuditEvent(
        seq=last.seq + 1, at=timezone.now(), actor_label="auditadmin", action=AuditAction.EXPORT, object_type="core.auditevent",
        prev_hash=last.hash,
    )  # fmt: skip
    forged.hash = audit.compute_hash(audit.event_fields(forged))
    forged.save(force_insert=True)

    with pytest.raises(CommandError, match=rf"应到第 {last.seq} 条，实到第 {forged.seq} 条"):
        _verify()


def test_the_chain_goes_on_after_a_check(trail):
    _verify()

    event = audit.record(AuditAction.EXPORT, object_type="core.auditevent")

    assert (event.seq, event.prev_hash) == (trail[-1].seq + 1, trail[-1].hash)
    assert audit.verify_chain()[1] is None


def test_verify_walks_the_trail_in_chunks(trail):
    assert audit.verify_chain(chunk_size=7) == (len(trail), None, "")
