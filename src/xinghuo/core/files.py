"""Stored files: the private storage, cleaning up after a write that fails, and answering one to a reader the view
has let in."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up when first used (like Django's default_storage), so that a field
    declared with it follows the settings, also when a test overrides them."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = PrivateStorage()


def private_storage() -> Storage:
    """Files read through views that check the reader's scope only, never by URL: certification evidence, report
    photos, resource media and covers. Migrations name it by each app's alias (`<app>.models.private_storage`)."""
    return _private  # type: ignore[return-value]


@receiver(setting_changed)
def _private_storage_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty


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


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _etag(file: FieldFile, size: int) -> str:
    return '"' + hashlib.sha1(f"{file.name}:{size}".encode(), usedforsecurity=False).hexdigest()[:20] + '"'


def _part(handle: Any, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def ranged_file_response(request: HttpRequest, file: FieldFile, *, content_type: str) -> HttpResponseBase:
    """A stored video or audio file that a browser can seek in: one byte range (RFC 9110 §14) answered 206 with its
    Content-Range, an impossible one 416, none (or several, or a stale If-Range) the whole file with 200. The view
    decides who may read it."""
    if not file:
        raise Http404
    try:
        size = file.size
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    etag = _etag(file, size)
    match = RANGE_RE.match(request.headers.get("Range", "").strip())
    if_range = request.headers.get("If-Range")
    if match is None or (if_range is not None and if_range != etag) or not any(match.groups()):
        response: HttpResponseBase = FileResponse(handle, content_type=content_type)
    else:
        first, last = match.groups()
        if first == "":  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        else:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        if start >= size or start > end:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(_part(handle, start, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    return response
