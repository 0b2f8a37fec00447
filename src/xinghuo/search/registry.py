"""Which models are searchable, from which of their fields, and the hooks that keep their index in step.

A model is declared once, next to its definition:

    search.register(Venue, title=("name",), summary=("summary",), body=("address",))

and carries a `search_vector = SearchVectorField(null=True, editable=False)` column (PostgreSQL's index lives
there; on SQLite it stays empty and an FTS5 table beside the model's table holds the index), created with the
migration operation `CreateSearchIndex`. Every save and delete then updates the index in the same transaction,
through post_save/post_delete, so that no write path (services, admin, a test's `save()`) can forget it. Bulk
writes send no signals: a bulk load calls `search.bulk_create` instead of `bulk_create` (or `index_objects`
after it), and `rebuild_search_index` redoes everything after a raw load or a change of the dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.signals import post_delete, post_save


@dataclass(frozen=True)
class SearchSpec:
    """The fields a model is searched by. Each group is joined with spaces; titles also give pinyin and
    character pairs. A field may follow a relation (`contributor__name`)."""

    label: str
    title: tuple[str, ...]
    summary: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    column: str = "search_vector"

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.title, *self.summary, *self.body)

    @property
    def local_fields(self) -> frozenset[str]:
        """The model's own fields whose change calls for re-indexing (a related name changing does not)."""
        return frozenset(f.split("__", 1)[0] for f in self.fields)


_specs: dict[str, SearchSpec] = {}


def register(
    model: type[models.Model],
    *,
    title: tuple[str, ...] | list[str],
    summary: tuple[str, ...] | list[str] = (),
    body: tuple[str, ...] | list[str] = (),
    column: str = "search_vector",
) -> SearchSpec:
    """Make a model searchable by `xinghuo.search.search`. Its primary key must be an integer (FTS5 keys
    its rows by rowid) and `column` a SearchVectorField."""
    meta = model._meta
    if meta.pk.get_internal_type() not in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
        raise TypeError(f"{meta.label}: full-text search needs an integer primary key")
    if not isinstance(meta.get_field(column), SearchVectorField):
        raise TypeError(f"{meta.label}.{column} must be a SearchVectorField")
    if not title:
        raise TypeError(f"{meta.label}: a searchable model needs at least one title field")
    spec = SearchSpec(meta.label, tuple(title), tuple(summary), tuple(body), column)
    _specs[meta.label] = spec
    post_save.connect(_on_save, sender=model, dispatch_uid=f"xinghuo-search-save-{meta.label}")
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"xinghuo-search-delete-{meta.label}")
    return spec


def spec_for(model: type[models.Model]) -> SearchSpec:
    """The model's declaration; a historical model of a migration finds its model's by label."""
    try:
        return _specs[model._meta.label]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not registered for full-text search") from None


def registered_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in sorted(_specs)]


def _on_save(
    sender: type[models.Model], instance: models.Model, *, raw: bool = False, update_fields: Any = None, using: str, **kwargs: Any
) -> None:
    if raw:  # loaddata: the fixture's rows are indexed by rebuild_search_index
        return
    if update_fields is not None and not (spec_for(sender).local_fields & set(update_fields)):
        return  # e.g. save(update_fields=["status", "updated_at"]): nothing searched changed
    from xinghuo.search.indexing import index_objects

    index_objects(sender, [instance], using=using)


def _on_delete(sender: type[models.Model], instance: models.Model, *, using: str, **kwargs: Any) -> None:
    from xinghuo.search.backends import backend_for

    backend_for(using).delete(sender, spec_for(sender), [instance.pk], using=using)
