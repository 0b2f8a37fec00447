"""The search index's new form on PostgreSQL (title pairs as marked lexemes, the rank column): every row again."""

from django.db import migrations

from xinghuo.search.operations import RefreshSearchIndex


class Migration(migrations.Migration):

    dependencies = [
        ("resources", "0004_search_index"),
    ]

    operations = [
        RefreshSearchIndex(model_name="resource"),
        RefreshSearchIndex(model_name="course"),
    ]
