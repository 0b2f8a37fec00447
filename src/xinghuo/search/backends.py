"""Everything that differs between SQLite and PostgreSQL in full-text search, and nothing else.

Both get the same tokens (see `text`) in the same five groups, and rank title hits first:

| group                      | PostgreSQL (tsvector on the model's row) | SQLite (FTS5 table `<table>_fts`) |
|----------------------------|------------------------------------------|-----------------------------------|
| title words and its pinyin | weight A (1.0)                           | columns title (10), pinyin (6)    |
| title character pairs      | weight D (0.4), lexemes marked `_`       | column grams (4)                  |
| summary                    | weight B (0.2)                           | column summary (2)                |
| body                       | weight C (0.1)                           | column body (1)                   |

PostgreSQL keeps the index in the row itself, a `tsvector` searched through a GIN index. A title's character pairs
are lexemes of their own, marked with a leading `_` (which no word has: `_` separates tokens), so that a query
never needs a weight label: a weight in a tsquery makes GIN recheck every candidate row against its vector, and
the planner then prefers reading the whole table. Matches are ranked by `ts_rank` over a narrow copy of the
vector that PostgreSQL keeps itself (a stored generated column `<column>_rank`: the title, its pinyin and pairs
and the summary, weights A, D and B), not over the whole vector: the body's words would have the rank decompress
kilobytes for each of tens of thousands of rows when a query is a common word. A body-only match scores a small
constant, so such matches follow the title and summary hits, newest first. The vector and the query are written here as literals (`'泰山':1A,7D …`, `'泰山':* & …`),
not through to_tsvector/to_tsquery: the words come cut and lowercased, so PostgreSQL's parser has nothing left to
do (its `simple` configuration would keep them as they are — a run of Han characters is one token in the C and
the usual UTF-8 locales), the server's locale cannot change a token, and a bulk_create inserts each row with its
vector instead of updating it after. A match is `search_vector @@ '…'::tsquery` on the model's own queryset, so
every other filter, count and page stays one SQL query.

SQLite's FTS5 (here without contentless-delete, which needs 3.43) keeps its own copy of the tokens in a table
keyed by the model's rowid, ranked by `bm25` with the column weights above. A match is `pk IN (SELECT rowid
FROM <fts> WHERE <fts> MATCH …)` and the rank each row's `bm25`, from the matches materialised once per query
(a MATERIALIZED common table expression: SQLite 3.35 or later, as Django's bulk_create with ids needs too).

A query reaches either database only as quoted tokens of letters and digits (`text.parse_query`): no operator,
quote, `*`, `:`, `-` or `NEAR` that a user types is ever read as query syntax.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import SearchQueryField, SearchRank, SearchVectorField
from django.db import connections, models, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import BooleanField, Expression, F, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from xinghuo.search.registry import SearchSpec
from xinghuo.search.text import Document, Term

FTS_COLUMNS = ("title", "pinyin", "grams", "summary", "body")
#: PostgreSQL's limits: a lexeme < 2 KB, positions ≤ 16,383, ≤ 256 positions a lexeme.
MAX_LEXEME = 500
MAX_POSITION = 16_383
MAX_POSITIONS = 256


def fts_table(model: type[models.Model]) -> str:
    return f"{model._meta.db_table}_fts"


def _index_name(table: str, column: str) -> str:
    name = f"{table}_{column}_gin"
    if len(name) <= 63:
        return name
    return f"{table[:40]}_{hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:8]}_gin"


def rank_column(column: str) -> str:
    """PostgreSQL's narrow copy of a search vector, for ranking (see the module's docstring)."""
    return f"{column}_rank"


class PostgresBackend:
    vendor = "postgresql"
    #: ts_rank's weights, in its order {D, C, B, A}: title pairs, body, summary, title words and pinyin.
    WEIGHTS = (0.4, 0.1, 0.2, 1.0)
    #: The weights the rank column keeps of the vector: all but the body's.
    RANKED = "{a,b,d}"
    #: What a match in the body alone scores: below any title or summary hit (ts_rank's least is ≈0.0001).
    BODY_ONLY = 1e-5
    #: Marks a title's character pair as a lexeme of its own.
    GRAM_MARK = "_"

    def create_index(self, schema_editor: BaseDatabaseSchemaEditor, model: type[models.Model], column: str) -> None:
        q = schema_editor.quote_name
        table = model._meta.db_table
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(_index_name(table, column))} ON {q(table)} USING gin ({q(column)})")
        schema_editor.execute(
            f"ALTER TABLE {q(table)} ADD COLUMN IF NOT EXISTS {q(rank_column(column))} tsvector"
            f" GENERATED ALWAYS AS (ts_filter({q(column)}, '{self.RANKED}')) STORED"
        )
        # kept in the row as it is: compressed, it cost as much to read as the whole vector (MAIN is compressed only
        # when the row is still too long once the body and the vector have gone to the TOAST table)
        schema_editor.execute(f"ALTER TABLE {q(table)} ALTER COLUMN {q(rank_column(column))} SET STORAGE MAIN")
        rank = rank_column(column)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(_index_name(table, rank))} ON {q(table)} USING gin ({q(rank)})")

    def drop_index(self, schema_editor: BaseDatabaseSchemaEditor, model: type[models.Model], column: str) -> None:
        q = schema_editor.quote_name
        schema_editor.execute(f"DROP INDEX IF EXISTS {q(_index_name(model._meta.db_table, column))}")
        schema_editor.execute(f"ALTER TABLE {q(model._meta.db_table)} DROP COLUMN IF EXISTS {q(rank_column(column))}")  # and its index

    @classmethod
    def tsvector(cls, doc: Document) -> str:
        """The document as a tsvector literal: each token a lexeme as it is (no parser, no dictionary: the
        words come cut and lowercased), its positions numbered through title and pinyin (A), summary (B), body
        (C) and the title's pairs (D, marked), as `setweight(…) || …` would number them."""
        positions: dict[str, list[str]] = {}
        position = 0
        groups = (("A", "", f"{doc.title} {doc.pinyin}"), ("B", "", doc.summary), ("C", "", doc.body), ("D", cls.GRAM_MARK, doc.grams))
        for weight, mark, tokens in groups:
            for token in tokens.split():
                position = min(position + 1, MAX_POSITION)
                at = positions.setdefault((mark + token)[:MAX_LEXEME], [])
                if len(at) < MAX_POSITIONS:
                    at.append(f"{position}{weight}")
        return " ".join(f"{cls._quote(lexeme)}:{','.join(at)}" for lexeme, at in positions.items())

    def prepare(self, model: type[models.Model], spec: SearchSpec, rows: Sequence[tuple[models.Model, Document]]) -> None:
        """Before a bulk_create: each row's tsvector goes in with its INSERT (no second write)."""
        for obj, doc in rows:
            setattr(obj, spec.column, self.tsvector(doc))

    def after_insert(self, model: type[models.Model], spec: SearchSpec, rows: Sequence[tuple[int, Document]], *, using: str) -> None:
        """After a bulk_create: nothing left to do."""

    def write(self, model: type[models.Model], spec: SearchSpec, rows: Sequence[tuple[int, Document]], *, using: str) -> None:
        """Set the rows' tsvector in one UPDATE over arrays (a thousand rows a statement)."""
        if not rows:
            return
        connection = connections[using]
        q = connection.ops.quote_name
        sql = f"""
            UPDATE {q(model._meta.db_table)} AS t SET {q(spec.column)} = v.vector::tsvector
            FROM unnest(%s::bigint[], %s::text[]) AS v(pk, vector)
            WHERE t.{q(model._meta.pk.column)} = v.pk
        """  # noqa: S608  (names are the model's own, quoted; values are parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [[pk for pk, _ in rows], [self.tsvector(doc) for _, doc in rows]])

    def delete(self, model: type[models.Model], spec: SearchSpec, pks: Sequence[Any], *, using: str) -> None:
        """Nothing to do: the index goes with the row."""

    def remove_orphans(self, model: type[models.Model], *, using: str) -> int:
        return 0

    @staticmethod
    def _quote(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    @classmethod
    def _token(cls, token: str, *, prefix: bool = False) -> str:
        return cls._quote(token[:MAX_LEXEME]) + (":*" if prefix else "")

    def tsquery(self, terms: Sequence[Term]) -> str:
        """The terms as a tsquery literal: every term must match, each in any of its ways (see Term)."""
        parts = []
        for term in terms:
            words = [self._token(w, prefix=term.prefix and i == len(term.words) - 1) for i, w in enumerate(term.words)]
            ways = [" & ".join(words)]
            if term.prefix and len(term.words) > 1:
                ways.append(self._token(term.whole, prefix=True))
            if len(term.grams) == 1 and len(term.grams[0]) == 1:
                ways.append(self._token(self.GRAM_MARK + term.grams[0], prefix=True))
            elif term.grams:
                ways.append(" <-> ".join(self._token(self.GRAM_MARK + g) for g in term.grams))
            parts.append("(" + " | ".join(f"({way})" for way in ways) + ")")
        return " & ".join(parts)

    def _query(self, terms: Sequence[Term]) -> Cast:
        return Cast(Value(self.tsquery(terms)), output_field=SearchQueryField())

    def apply(self, queryset: models.QuerySet, spec: SearchSpec, terms: Sequence[Term]) -> models.QuerySet:
        query = self._query(terms)
        rank = SearchRank(_OwnColumn(rank_column(spec.column)), query, weights=list(self.WEIGHTS))
        return queryset.filter(_Matches(F(spec.column), query)).annotate(search_rank=rank + Value(self.BODY_ONLY))

    def ranked_hit(self, model: type[models.Model], spec: SearchSpec, terms: Sequence[Term], *, using: str) -> Q:
        """A match in the title, its pinyin and pairs or the summary: the rank column, through its own index."""
        return Q(_Matches(_OwnColumn(rank_column(spec.column)), self._query(terms)))


class _Matches(Func):
    """`vector @@ query`, as a condition a queryset can filter on."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _OwnColumn(Expression):
    """A column of the queryset's own table that the model does not declare (the rank column)."""

    def __init__(self, column: str) -> None:
        super().__init__(output_field=SearchVectorField())
        self.column = column

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.{connection.ops.quote_name(self.column)}", []


class _Bm25Rank(Expression):
    """FTS5's bm25 of the row whose rowid is `pk` (negated: higher is better), so that the rank composes with
    any queryset of the model. The matches and their ranks are materialised once per statement and looked up
    by rowid (SQLite builds an automatic index): a MATCH per row instead would cost ≈1 ms a row."""

    output_field = FloatField()

    def __init__(self, pk: Any, *, table: str, match: str, weights: tuple[float, ...]) -> None:
        super().__init__()
        self.pk, self.table, self.match, self.weights = pk, table, match, weights

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        pk_sql, pk_params = compiler.compile(self.pk)
        t = connection.ops.quote_name(self.table)
        weights = ", ".join(str(float(w)) for w in self.weights)
        sql = (
            f"(WITH xh_ranked AS MATERIALIZED (SELECT rowid AS id, -bm25({t}, {weights}) AS score FROM {t} WHERE {t} MATCH %s)"  # noqa: S608
            f" SELECT score FROM xh_ranked WHERE id = {pk_sql})"
        )
        return sql, [self.match, *pk_params]


class SqliteBackend:
    vendor = "sqlite"
    #: bm25's weight of each FTS column, in FTS_COLUMNS' order.
    WEIGHTS = (10.0, 6.0, 4.0, 2.0, 1.0)

    def create_index(self, schema_editor: BaseDatabaseSchemaEditor, model: type[models.Model], column: str) -> None:
        columns = ", ".join(FTS_COLUMNS)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {schema_editor.quote_name(fts_table(model))} USING fts5({columns}, tokenize='unicode61')"
        )

    def drop_index(self, schema_editor: BaseDatabaseSchemaEditor, model: type[models.Model], column: str) -> None:
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(fts_table(model))}")

    def prepare(self, model: type[models.Model], spec: SearchSpec, rows: Sequence[tuple[models.Model, Document]]) -> None:
        """Before a bulk_create: nothing (the FTS rows need the new rowids)."""

    def after_insert(self, model: type[models.Model], spec: SearchSpec, rows: Sequence[tuple[int, Document]], *, using: str) -> None:
        if any(pk is None for pk, _ in rows):  # SQLite before 3.35 returns no ids from a bulk insert
            raise RuntimeError("bulk_create returned no primary keys: index the rows with index_objects or rebuild_search_index")
        self.write(model, spec, rows, using=using)

    def write(self, model: type[models.Model], spec: SearchSpec, rows: Sequence[tuple[int, Document]], *, using: str) -> None:
        if not rows:
            return
        connection = connections[using]
        t = connection.ops.quote_name(fts_table(model))
        with transaction.atomic(using=using), connection.cursor() as cursor:
            self._delete(cursor, t, [pk for pk, _ in rows])
            cursor.executemany(
                f"INSERT INTO {t}(rowid, {', '.join(FTS_COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
                [(pk, *(getattr(doc, name) for name in FTS_COLUMNS)) for pk, doc in rows],
            )

    @staticmethod
    def _delete(cursor: Any, table: str, pks: Sequence[Any]) -> None:
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608

    def delete(self, model: type[models.Model], spec: SearchSpec, pks: Sequence[Any], *, using: str) -> None:
        connection = connections[using]
        with connection.cursor() as cursor:
            self._delete(cursor, connection.ops.quote_name(fts_table(model)), list(pks))

    def remove_orphans(self, model: type[models.Model], *, using: str) -> int:
        """Drop entries whose row is gone: a test database's flush empties the model's table with a plain
        DELETE (no signals), and a later row could take the same rowid."""
        connection = connections[using]
        if fts_table(model) not in connection.introspection.table_names():
            return 0  # migrated back to before the index
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {q(fts_table(model))} WHERE rowid NOT IN (SELECT {q(model._meta.pk.column)} FROM {q(model._meta.db_table)})"  # noqa: S608
            )
            return cursor.rowcount

    @staticmethod
    def _token(token: str, *, prefix: bool = False) -> str:
        return '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")

    def match(self, terms: Sequence[Term]) -> str:
        """The terms as an FTS5 MATCH expression: every term must match, each in any of its ways (see Term)."""
        parts = []
        for term in terms:
            words = [self._token(w, prefix=term.prefix and i == len(term.words) - 1) for i, w in enumerate(term.words)]
            ways = ["(" + " AND ".join(words) + ")"]
            if term.prefix and len(term.words) > 1:
                ways.append(self._token(term.whole, prefix=True))
            if len(term.grams) == 1 and len(term.grams[0]) == 1:
                ways.append("grams : " + self._token(term.grams[0], prefix=True))
            elif term.grams:
                ways.append("grams : " + self._token(" ".join(term.grams)))  # a phrase: consecutive pairs
            parts.append("(" + " OR ".join(ways) + ")")
        return " AND ".join(parts)

    def apply(self, queryset: models.QuerySet, spec: SearchSpec, terms: Sequence[Term]) -> models.QuerySet:
        table = fts_table(queryset.model)
        t = connections[queryset.db].ops.quote_name(table)
        match = self.match(terms)
        matching = RawSQL(f"SELECT rowid FROM {t} WHERE {t} MATCH %s", [match])  # noqa: S608, S611  (the table's own name; the match a parameter)
        return queryset.filter(pk__in=matching).annotate(search_rank=_Bm25Rank(F("pk"), table=table, match=match, weights=self.WEIGHTS))

    def ranked_hit(self, model: type[models.Model], spec: SearchSpec, terms: Sequence[Term], *, using: str) -> Q:
        """A match in the title, its pinyin and pairs or the summary: the FTS columns but the body's."""
        t = connections[using].ops.quote_name(fts_table(model))
        match = "{" + " ".join(c for c in FTS_COLUMNS if c != "body") + "} : (" + self.match(terms) + ")"
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {t} WHERE {t} MATCH %s", [match]))  # noqa: S608, S611


_BACKENDS = {"postgresql": PostgresBackend(), "sqlite": SqliteBackend()}


def backend_for(alias_or_connection: Any) -> PostgresBackend | SqliteBackend:
    connection = connections[alias_or_connection] if isinstance(alias_or_connection, str) else alias_or_connection
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"full-text search supports SQLite and PostgreSQL, not {connection.vendor}") from None
