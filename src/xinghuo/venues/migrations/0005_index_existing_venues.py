"""Index the venues that were there before the search index (none on a new database: then nothing is loaded)."""

from django.db import migrations


def index_existing(apps, schema_editor):
    from xinghuo.search import rebuild

    Venue = apps.get_model("venues", "Venue")
    if Venue._base_manager.using(schema_editor.connection.alias).exists():
        rebuild(Venue, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('venues', '0004_venue_search_index'),
    ]

    operations = [
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
