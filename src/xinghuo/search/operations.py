"""The migration operations that create a model's search index, and bring it up to date, on whichever database
the migration runs."""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation


class CreateSearchIndex(Operation):
    """PostgreSQL: a GIN index on the model's SearchVectorField. SQLite: the FTS5 table beside the model's
    table. Add the field first (AddField of a SearchVectorField), then this; nothing changes in the state."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name: str, column: str = "search_vector") -> None:
        self.model_name = model_name
        self.column = column

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [], {"model_name": self.model_name, "column": self.column})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        from xinghuo.search.backends import backend_for

        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            backend_for(schema_editor.connection).create_index(schema_editor, model, self.column)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        from xinghuo.search.backends import backend_for

        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            backend_for(schema_editor.connection).drop_index(schema_editor, model, self.column)

    def describe(self) -> str:
        return f"Create the full-text search index of {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"search_index_{self.model_name.lower()}"


class RefreshSearchIndex(CreateSearchIndex):
    """After a change of what the index holds or how (`backends`, `text`): create what the index lacks, then index
    every row again. Going back changes nothing: run the earlier code's `rebuild_search_index` then."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        from xinghuo.search.indexing import rebuild

        super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            rebuild(model, using=schema_editor.connection.alias)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        pass

    def describe(self) -> str:
        return f"Bring the full-text search index of {self.model_name} up to date and index every row again"

    @property
    def migration_name_fragment(self) -> str:
        return f"refresh_search_index_{self.model_name.lower()}"
