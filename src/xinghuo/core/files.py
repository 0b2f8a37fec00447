"""Stored files: cleaning up after a write that fails, and answering one to a reader the view has let in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


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


def file_response(file: FieldFile, *, content_type: str, filename: str = "", as_attachment: bool = False) -> FileResponse:
    """The stored file as a response (inline, or as a download), named `filename`; a missing one is a 404.
    The view decides who may read it; the browser is told not to guess another type."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename or None)
    response["X-Content-Type-Options"] = "nosniff"
    return response
