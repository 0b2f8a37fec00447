"""`search(queryset, query)`: the one entry point for reading the index."""

from __future__ import annotations

from django.db import models
from django.db.models import FloatField, Q, Value

from xinghuo.search import text
from xinghuo.search.backends import backend_for
from xinghuo.search.registry import spec_for


def search(queryset: models.QuerySet, query: str) -> models.QuerySet:
    """The records of `queryset` that match `query`, annotated with `search_rank` (higher is better).

    Still a queryset of the model: filter it further (facets), `order_by("-search_rank", …)`, count and page it
    in SQL. Every term of the query must match; a term matches a word of any field (the last term also as the
    start of a word: `taish` finds 泰山's pinyin), a title's pinyin or initials, or a piece of a title's Chinese
    (as `icontains` on the title would; not the middle of a latin word or number). A query with nothing to search for (empty, only
    punctuation or stopwords) matches nothing. Never raises for what a user typed."""
    terms = text.parse_query(query)
    if not terms:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField())).none()
    return backend_for(queryset.db).apply(queryset, spec_for(queryset.model), terms)


def ranked_fields_match(queryset: models.QuerySet, query: str) -> Q:
    """The condition that a record of `queryset`'s model matches `query` in the fields that rank it — title, its
    pinyin and pieces, summary — and not only in its body; for `filter` or `exclude` of a `search` result, to list
    those hits apart (through an index of their own on PostgreSQL) from the body-only ones."""
    terms = text.parse_query(query)
    if not terms:
        return Q(pk__in=[])
    return backend_for(queryset.db).ranked_hit(queryset.model, spec_for(queryset.model), terms, using=queryset.db)
