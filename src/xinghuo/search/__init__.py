"""Chinese full-text search on the database's own index: jieba cuts the words, pypinyin gives titles their
pinyin, SQLite's FTS5 or PostgreSQL's tsvector does the rest.

    search.register(Venue, title=("name",), summary=("summary",), body=("address",))   # once, by the model
    search.search(Venue.objects.filter(...), "泰山 科技馆").order_by("-search_rank")      # a queryset
    search.bulk_create(Venue.objects, venues)  # a bulk load, indexed (saves and deletes index themselves)
    search.index_objects(Venue, changed)     # after a bulk_update or a raw write
    manage.py rebuild_search_index           # after a bulk load or a dictionary change

See `text` for what a token is, `backends` for how each database stores and ranks, `registry` for the hooks.
"""

from xinghuo.search.indexing import bulk_create, index_objects, rebuild
from xinghuo.search.query import ranked_fields_match, search
from xinghuo.search.registry import SearchSpec, register, registered_models

__all__ = ["SearchSpec", "bulk_create", "index_objects", "ranked_fields_match", "rebuild", "register", "registered_models", "search"]
