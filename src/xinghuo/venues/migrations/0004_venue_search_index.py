"""The full-text index of venues (xinghuo.search): a tsvector column with its GIN index on PostgreSQL, an FTS5
table beside venues_venue on SQLite (the column stays empty there)."""

import django.contrib.postgres.search
from django.db import migrations

from xinghuo.search.operations import CreateSearchIndex


class Migration(migrations.Migration):

    dependencies = [
        ('venues', '0003_venue_photos'),
    ]

    operations = [
        migrations.AddField(
            model_name='venue',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        CreateSearchIndex(model_name='venue'),
    ]
