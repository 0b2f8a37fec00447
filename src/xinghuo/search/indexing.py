"""Putting records into the index: one after its save, many after a bulk load, all after a dictionary change.

The index is derived data, like a cache: it is written with plain SQL and not audited (the audit trail has the
record's own change). Writes happen in the caller's transaction, so a record and its index entry commit or roll
back together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, transaction

from xinghuo.search import text
from xinghuo.search.backends import backend_for
from xinghuo.search.registry import SearchSpec, spec_for

BATCH_SIZE = 1000


def _value(obj: Any, path: str) -> str:
    value = reduce(lambda o, name: getattr(o, name, None) if o is not None else None, path.split("__"), obj)
    return "" if value is None else str(value)


def _joined(values: Iterable[Any]) -> str:
    return " ".join(str(v) for v in values if v not in (None, ""))


def _document(spec: SearchSpec, values: dict[str, Any]) -> text.Document:
    return text.document(
        title=_joined(values[f] for f in spec.title),
        summary=_joined(values[f] for f in spec.summary),
        body=_joined(values[f] for f in spec.body),
    )


def _loaded(obj: models.Model, spec: SearchSpec) -> bool:
    """All the fields the index reads are on the instance (none deferred, no relation left to fetch)."""
    deferred = obj.get_deferred_fields()
    return all("__" not in f and f not in deferred for f in spec.fields)


def index_objects(model: type[models.Model], objects: Sequence[models.Model | int], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """(Re)index these records of `model`, given as saved instances or primary keys. Instances with every
    searched field loaded are read as they are (the save hook, a bulk_create's list); the others are read
    from the database in batches. Returns how many were indexed."""
    spec = spec_for(model)
    backend = backend_for(using)
    done = 0
    for start in range(0, len(objects), BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        ready = [o for o in batch if isinstance(o, models.Model) and _loaded(o, spec)]
        ready_pks = {o.pk for o in ready}
        rest = [o.pk if isinstance(o, models.Model) else o for o in batch if not (isinstance(o, models.Model) and o.pk in ready_pks)]
        rows = [(o.pk, _document(spec, {f: _value(o, f) for f in spec.fields})) for o in ready]
        if rest:
            fetched = model._base_manager.using(using).filter(pk__in=rest).values_list("pk", *spec.fields)
            rows += [(row[0], _document(spec, dict(zip(spec.fields, row[1:], strict=True)))) for row in fetched]
        backend.write(model, spec, rows, using=using)
        done += len(rows)
    return done


def rebuild(model: type[models.Model], *, batch_size: int = BATCH_SIZE, using: str = DEFAULT_DB_ALIAS) -> int:
    """Index every record of the model again, a batch per transaction (a long rebuild does not hold every
    row locked; a record saved meanwhile is indexed by its own save), then drop entries of deleted rows.
    Works with a migration's historical model too. Returns how many were indexed."""
    spec = spec_for(model)
    manager = model._base_manager.using(using)
    done = 0
    last: Any = None
    while True:
        page = manager.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page.values_list("pk", *spec.fields)[:batch_size])
        if not rows:
            break
        documents = [(row[0], _document(spec, dict(zip(spec.fields, row[1:], strict=True)))) for row in rows]
        with transaction.atomic(using=using):
            backend_for(using).write(model, spec, documents, using=using)
        done += len(rows)
        last = rows[-1][0]
    backend_for(using).remove_orphans(model, using=using)
    return done
