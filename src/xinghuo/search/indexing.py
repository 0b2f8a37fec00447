"""Putting records into the index: one after its save, many after a bulk load, all after a dictionary change.

The index is derived data, like a cache: it is written with plain SQL and not audited (the audit trail has the
record's own change). Writes happen in the caller's transaction, so a record and its index entry commit or roll
back together.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import reduce
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, transaction

from xinghuo.search import text
from xinghuo.search.backends import backend_for
from xinghuo.search.registry import SearchSpec, spec_for

BATCH_SIZE = 1000
#: Worker processes start (≈1 s each, jieba's dictionary included) only for this many rows or more.
PARALLEL_FROM = 5000


def _value(obj: Any, path: str) -> str:
    value = reduce(lambda o, name: getattr(o, name, None) if o is not None else None, path.split("__"), obj)
    return "" if value is None else str(value)


def _joined(values: Iterable[Any]) -> str:
    return " ".join(str(v) for v in values if v not in (None, ""))


def _texts(spec: SearchSpec, row: Sequence[Any]) -> tuple[Any, str, str, str]:
    """(pk, title, summary, body) from a row of (pk, *the spec's fields in order)."""
    values = dict(zip(spec.fields, row[1:], strict=True))
    return row[0], _joined(values[f] for f in spec.title), _joined(values[f] for f in spec.summary), _joined(values[f] for f in spec.body)


def _documents(batch: list[tuple[Any, str, str, str]]) -> list[tuple[Any, text.Document]]:
    return [(pk, text.document(title=title, summary=summary, body=body)) for pk, title, summary, body in batch]


@contextmanager
def _mapper(jobs: int) -> Iterator[Callable[[Iterable[list[tuple[Any, str, str, str]]]], Iterator[list[tuple[Any, text.Document]]]]]:
    """Turns batches of texts into documents, in order: here, or in `jobs` worker processes while this one
    writes (jieba is pure Python; a rebuild of 100,000 rows is mostly its time). The workers only cut text:
    they never touch the database, and start from a fresh interpreter (forkserver), not a fork of this one."""
    if jobs <= 1:
        yield lambda batches: map(_documents, batches)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        yield lambda batches: pool.map(_documents, batches)


def _loaded(obj: models.Model, spec: SearchSpec) -> bool:
    """All the fields the index reads are on the instance (none deferred, no relation left to fetch)."""
    deferred = obj.get_deferred_fields()
    return all("__" not in f and f not in deferred for f in spec.fields)


def _rows(model: type[models.Model], spec: SearchSpec, batch: Sequence[models.Model | int], using: str) -> list[tuple[Any, ...]]:
    ready = [o for o in batch if isinstance(o, models.Model) and _loaded(o, spec)]
    ready_pks = {o.pk for o in ready}
    rest = [o.pk if isinstance(o, models.Model) else o for o in batch if not (isinstance(o, models.Model) and o.pk in ready_pks)]
    rows = [(o.pk, *(_value(o, f) for f in spec.fields)) for o in ready]
    if rest:
        rows += list(model._base_manager.using(using).filter(pk__in=rest).values_list("pk", *spec.fields))
    return rows


def index_objects(model: type[models.Model], objects: Sequence[models.Model | int], *, using: str = DEFAULT_DB_ALIAS, jobs: int = 1) -> int:
    """(Re)index these records of `model`, given as saved instances or primary keys, in the caller's
    transaction. Instances with every searched field loaded are read as they are (the save hook, a
    bulk_create's list); the others are read from the database in batches. `jobs` > 1 cuts the text in that
    many worker processes (from PARALLEL_FROM rows on). Returns how many were indexed."""
    spec = spec_for(model)
    backend = backend_for(using)
    batches = [
        [_texts(spec, row) for row in _rows(model, spec, objects[start : start + BATCH_SIZE], using)]
        for start in range(0, len(objects), BATCH_SIZE)
    ]
    done = 0
    with _mapper(jobs if len(objects) >= PARALLEL_FROM else 1) as documents_of:
        for documents in documents_of(batches):
            backend.write(model, spec, documents, using=using)
            done += len(documents)
    return done


def bulk_create(
    queryset: models.QuerySet | models.Manager, objects: list[models.Model], *, batch_size: int = BATCH_SIZE, jobs: int = 1
) -> list[models.Model]:
    """`queryset.bulk_create(objects)` with the objects indexed: on PostgreSQL each row's vector goes in with
    its INSERT, on SQLite the FTS rows follow. Call it where the bulk_create would be (inside
    `audit.bulk_write`). `jobs` as for `index_objects`."""
    model = queryset.model
    using = queryset.db
    spec = spec_for(model)
    backend = backend_for(using)
    texts = [_texts(spec, (i, *(_value(o, f) for f in spec.fields))) for i, o in enumerate(objects)]
    created: list[models.Model] = []
    with _mapper(jobs if len(objects) >= PARALLEL_FROM else 1) as documents_of:
        # a batch is inserted while the workers cut the next ones
        for documents in documents_of(texts[i : i + batch_size] for i in range(0, len(texts), batch_size)):
            batch = [objects[i] for i, _ in documents]
            backend.prepare(model, spec, [(objects[i], doc) for i, doc in documents])
            created += queryset.bulk_create(batch, batch_size=batch_size)
            backend.after_insert(model, spec, [(objects[i].pk, doc) for i, doc in documents], using=using)
    return created


def rebuild(model: type[models.Model], *, batch_size: int = BATCH_SIZE, using: str = DEFAULT_DB_ALIAS, jobs: int = 1) -> int:
    """Index every record of the model again, a batch per transaction (a long rebuild does not hold every
    row locked; a record saved meanwhile is indexed by its own save), then drop entries of deleted rows.
    Works with a migration's historical model too. Returns how many were indexed."""
    spec = spec_for(model)
    backend = backend_for(using)

    def batches() -> Iterator[list[tuple[Any, str, str, str]]]:
        last: Any = None
        while True:
            page = model._base_manager.using(using).order_by("pk")
            rows = list((page.filter(pk__gt=last) if last is not None else page).values_list("pk", *spec.fields)[:batch_size])
            if not rows:
                return
            yield [_texts(spec, row) for row in rows]
            last = rows[-1][0]

    if jobs > 1 and not model._base_manager.using(using).order_by()[PARALLEL_FROM - 1 :].exists():
        jobs = 1  # too few rows to pay for starting the workers
    done = 0
    with _mapper(jobs) as documents_of:
        for documents in documents_of(batches()):
            with transaction.atomic(using=using):
                backend.write(model, spec, documents, using=using)
            done += len(documents)
    backend.remove_orphans(model, using=using)
    return done
