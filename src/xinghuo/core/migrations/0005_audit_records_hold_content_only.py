"""The records keep only their content; their place in the chain is their seal. The seals are append-only
in the database like the records: UPDATE is refused on both databases, DELETE on PostgreSQL. On SQLite the
records' trigger is put back, since rebuilding the table to drop the columns removed it."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditseal_no_update BEFORE UPDATE ON core_auditseal
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS core_auditseal_no_update;"]

PG_FORWARD = [
    # core_auditevent_append_only() is 0002's function: it refuses whatever row it is called for.
    """CREATE TRIGGER core_auditseal_no_change BEFORE UPDATE OR DELETE ON core_auditseal
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();""",
]
PG_BACKWARD = ["DROP TRIGGER IF EXISTS core_auditseal_no_change ON core_auditseal;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0004_seal_the_existing_audit_chain")]

    operations = [
        migrations.RemoveField(model_name="auditevent", name="hash"),
        migrations.RemoveField(model_name="auditevent", name="prev_hash"),
        migrations.RemoveField(model_name="auditevent", name="seq"),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
