from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "xinghuo.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        post_migrate.connect(_remove_orphans, sender=self, dispatch_uid="xinghuo-search-orphans")


def _remove_orphans(sender: AppConfig, *, using: str, **kwargs: Any) -> None:
    """After migrate, and after a test database's flush (which emits post_migrate): drop index entries of rows
    that are gone, which only SQLite's separate FTS table can have."""
    from xinghuo.search.backends import backend_for
    from xinghuo.search.registry import registered_models

    for model in registered_models():
        backend_for(using).remove_orphans(model, using=using)
