"""The audit chain moves out of the records: a seal table (sequence number, previous hash, hash), written
after a record's transaction commits, and the queue of records waiting for it. The records' own chain
columns become nullable here, are copied into seals by 0004 and dropped by 0005."""

import django.db.models.deletion
from django.db import migrations, models

# SQLite rebuilds a table to change a column, and a rebuilt table has lost its triggers: going back past
# this migration puts 0002's trigger back (going forward, 0005 puts it back).
SQLITE_EVENT_TRIGGER = """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;"""


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_EVENT_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_trigger),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(unique=True, verbose_name="序号")),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                ("sealed_at", models.DateTimeField(verbose_name="封存时间")),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="seal", to="core.auditevent"
                    ),
                ),
            ],
            options={"verbose_name": "审计封存", "verbose_name_plural": "审计封存", "ordering": ["seq"]},
        ),
        migrations.CreateModel(
            name="AuditPending",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="pending",
                        serialize=False,
                        to="core.auditevent",
                    ),
                ),
            ],
            options={"ordering": ["event"]},
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-id"], "verbose_name": "审计记录", "verbose_name_plural": "审计记录"},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, unique=True, verbose_name="序号"),
        ),
        migrations.AlterField(model_name="auditevent", name="prev_hash", field=models.CharField(max_length=64, null=True)),
        migrations.AlterField(model_name="auditevent", name="hash", field=models.CharField(max_length=64, null=True, unique=True)),
    ]
