"""Every record chained before the seal table existed gets its seal from its own sequence number, previous
hash and hash, unchanged: the hash covers the same fields, so the chain verifies as it did. The head stays
where it was, and new records are chained after it.

Backwards, the seals go back into the records' columns (the append-only trigger is lifted for that); records
still pending must be sealed first (`manage.py seal_audit`)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 5000


def seal_existing_chain(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditSeal = apps.get_model("core", "AuditSeal")
    rows = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values_list("id", "seq", "prev_hash", "hash", "at")
    batch = []
    for event_id, seq, prev_hash, hash_, at in rows.iterator(chunk_size=BATCH):
        batch.append(AuditSeal(event_id=event_id, seq=seq, prev_hash=prev_hash, hash=hash_, sealed_at=at))
        if len(batch) == BATCH:
            AuditSeal.objects.bulk_create(batch)
            batch = []
    AuditSeal.objects.bulk_create(batch)


def unseal_into_records(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditSeal = apps.get_model("core", "AuditSeal")
    AuditPending = apps.get_model("core", "AuditPending")
    if AuditPending.objects.exists():
        raise RuntimeError("还有待封存的审计记录：先运行 manage.py seal_audit，再回退此迁移")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")  # 0003 puts it back
    seal = AuditSeal.objects.filter(event_id=OuterRef("pk"))
    AuditEvent.objects.update(
        seq=Subquery(seal.values("seq")[:1]),
        prev_hash=Subquery(seal.values("prev_hash")[:1]),
        hash=Subquery(seal.values("hash")[:1]),
    )
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_change")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_seal_and_pending_tables")]

    operations = [migrations.RunPython(seal_existing_chain, unseal_into_records)]
