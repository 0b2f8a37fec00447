"""The search index's new form on PostgreSQL (title pairs as marked lexemes, the rank column): every row again."""

from django.db import migrations

from xinghuo.search.operations import RefreshSearchIndex


class Migration(migrations.Migration):

    dependencies = [
        ("venues", "0005_index_existing_venues"),
    ]

    operations = [
        RefreshSearchIndex(model_name="venue"),
    ]
