"""Make the audit trail append-only in the database too: UPDATE is refused on both databases, DELETE on
PostgreSQL (SQLite's test flush deletes rows; deletions there are still caught by the hash chain)."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS core_auditevent_no_update;"]

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def create_chain_head(apps, schema_editor):
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditChainHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
    ]
