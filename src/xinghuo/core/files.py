"""Stored files: the private storage, cleaning up after a write that fails, and answering one to a reader the view
has let in. Files are read through the storage API only, so that local disk and S3-compatible storage serve alike."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty

from xinghuo.core.errors import DomainError


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


def replace_file(file: FieldFile, name: str, content: File, written: list[FieldFile]) -> None:
    """Store `content` as the field's file under `name` (the row is saved by the caller), inside `written_files`
    and a transaction: the new file goes again if the block fails, the one it replaces once the change commits."""
    old = (file.storage, file.name) if file else None
    file.save(name, content, save=False)  # renames the FieldFile: the old name is kept apart above
    written.append(file)
    if old is not None:
        transaction.on_commit(lambda: old[0].delete(old[1]))


def sniffed_upload(upload: UploadedFile, *, max_bytes: int, types: Collection[str], not_allowed: str, code: str,
                   field: str = "file") -> tuple[str, bytes]:  # fmt: skip
    """An upload's content and its MIME type as its bytes tell (filetype, not its name), if within `max_bytes` and of
    one of `types`; else a DomainError in Chinese naming the file (`not_allowed` ends "文件“x”…": "的内容不是 PDF…文件")."""
    too_big = f"文件“{upload.name}”超过 {max_bytes // 1024 // 1024} MB"
    if upload.size is not None and upload.size > max_bytes:
        raise DomainError(code, too_big, field=field)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DomainError(code, too_big, field=field)
    if not data:
        raise DomainError(code, f"文件“{upload.name}”是空文件", field=field)
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else ""
    if mime not in types:
        raise DomainError(code, f"文件“{upload.name}”{not_allowed}", field=field)
    return mime, data


def _open(file: FieldFile) -> tuple[File, int]:
    """The stored file opened for reading through its storage, and its size; a missing one is a 404."""
    if not file:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return handle, handle.size


def _stream(handle: File, start: int = 0, end: int | None = None) -> Any:
    """The opened file as a readable stream from byte `start` (to byte `end`, or to its end). An object in S3-compatible
    storage is fetched with a ranged GET and streamed as it arrives: reading its S3File would first download all of
    it, a gigabyte for a second of video."""
    s3 = sys.modules.get("storages.backends.s3")  # imported only where S3 storage is configured (boto3 is slow to import)
    if s3 is not None and isinstance(handle, s3.S3File):
        if start == 0 and end is None:
            return handle.obj.get()["Body"]
        return handle.obj.get(Range=f"bytes={start}-{'' if end is None else end}")["Body"]
    handle.seek(start)
    return handle


def _whole(file: FieldFile, handle: File, size: int, *, content_type: str, filename: str = "", as_attachment: bool = False) -> FileResponse:
    response = FileResponse(_stream(handle), content_type=content_type, as_attachment=as_attachment,
                            filename=filename or PurePosixPath(file.name).name)  # fmt: skip
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_response(file: FieldFile, *, content_type: str, filename: str = "", as_attachment: bool = False) -> FileResponse:
    """The stored file as a response (inline, or as a download), named `filename`; a missing one is a 404.
    The view decides who may read it; the browser is told not to guess another type."""
    handle, size = _open(file)
    return _whole(file, handle, size, content_type=content_type, filename=filename, as_attachment=as_attachment)


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _etag(file: FieldFile, size: int) -> str:
    return '"' + hashlib.sha1(f"{file.name}:{size}".encode(), usedforsecurity=False).hexdigest()[:20] + '"'


def _part(handle: File, start: int, end: int) -> Iterator[bytes]:
    stream = _stream(handle, start, end)
    try:
        length = end - start + 1
        while length > 0:
            chunk = stream.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        stream.close()
        handle.close()


def ranged_file_response(request: HttpRequest, file: FieldFile, *, content_type: str) -> HttpResponseBase:
    """A stored video or audio file that a browser can seek in: one byte range (RFC 9110 §14) answered 206 with its
    Content-Range, an impossible one 416, none (or several, or a stale If-Range) the whole file with 200. The view
    decides who may read it."""
    handle, size = _open(file)
    etag = _etag(file, size)
    match = RANGE_RE.match(request.headers.get("Range", "").strip())
    if_range = request.headers.get("If-Range")
    if match is None or (if_range is not None and if_range != etag) or not any(match.groups()):
        response: HttpResponseBase = _whole(file, handle, size, content_type=content_type)
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
        response = StreamingHttpResponse(_part(handle, start, end), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    return response
