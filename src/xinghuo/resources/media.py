"""Media files of resources: checked by their content (the first bytes), never by their name, sized by kind, and
stored through Django's storage API (local disk by default; an S3-compatible storage is a setting away)."""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.core.files.uploadedfile import UploadedFile

from xinghuo.core.errors import DomainError
from xinghuo.resources.errors import ResourceError as E
from xinghuo.resources.models import Kind

MB = 1024 * 1024


@dataclass(frozen=True)
class MediaRule:
    label: str  # what the message names
    types: dict[str, str]  # MIME type → the extension it is stored with
    max_bytes: int


VIDEO = {"video/mp4": "mp4", "video/webm": "webm", "video/x-m4v": "m4v", "video/quicktime": "mov"}
AUDIO = {"audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/m4a": "m4a", "audio/ogg": "ogg", "audio/x-wav": "wav", "audio/x-flac": "flac"}
DOCUMENTS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.ms-powerpoint": "ppt",
}
RULES = {
    Kind.VIDEO: MediaRule("MP4、WebM 或 MOV 视频", VIDEO, 1024 * MB),
    Kind.AUDIO: MediaRule("MP3、M4A、OGG、WAV 或 FLAC 音频", AUDIO, 200 * MB),
    Kind.COURSEWARE: MediaRule("PDF 或 PowerPoint 课件", DOCUMENTS, 100 * MB),
    Kind.BOOK: MediaRule("PDF 或 EPUB 电子书", {"application/pdf": "pdf", "application/epub+zip": "epub"}, 200 * MB),
    Kind.EXHIBIT: MediaRule("PDF 说明书", {"application/pdf": "pdf"}, 50 * MB),
}
#: Media that a browser plays and seeks: answered with HTTP range requests.
STREAMED = frozenset({*VIDEO, *AUDIO})


@dataclass(frozen=True)
class CheckedMedia:
    upload: UploadedFile
    mime: str
    extension: str
    size: int


def check_media(upload: UploadedFile, kind: str, *, field: str = "media") -> CheckedMedia:
    """The upload if its content is of a type this kind of resource carries and within its size, else a Chinese
    message. Reads only the first 8 KB: a video of a gigabyte stays on disk where Django put it."""
    name = upload.name or "文件"
    rule = RULES.get(kind)
    if rule is None:
        raise DomainError(E.MEDIA_INVALID, "图文资源不需要媒体文件，请把内容写在正文里", field=field)
    size = upload.size or 0
    if size > rule.max_bytes:
        raise DomainError(E.MEDIA_INVALID, f"文件“{name}”超过 {rule.max_bytes // MB} MB", field=field)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not head:
        raise DomainError(E.MEDIA_INVALID, f"文件“{name}”是空的", field=field)
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime not in rule.types:
        what = f"（实际是 {guess.extension.upper()} 文件）" if guess else ""
        raise DomainError(E.MEDIA_INVALID, f"文件“{name}”的内容不是{rule.label}{what}，请检查后重新上传", field=field)
    return CheckedMedia(upload=upload, mime=mime, extension=rule.types[mime], size=size)
