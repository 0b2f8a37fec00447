"""Files written by a write that may still fail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.fields.files import FieldFile


@contextmanager
def written_files() -> Iterator[list[FieldFile]]:
    """Files appended to the list inside the block are deleted again if the block fails: a row rolled back leaves
    no file behind in storage."""
    written: list[FieldFile] = []
    try:
        yield written
    except BaseException:
        for file in written:
            file.delete(save=False)
        raise
