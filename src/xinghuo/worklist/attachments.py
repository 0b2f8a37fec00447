"""Attachments of filings, progress reports and supervision answers: every upload is checked before anything is
written — by its content, which must be the kind of file its name says (a PDF, a Word, Excel or PowerPoint file, a
JPEG or PNG picture), and by its size — then stored in private storage inside the transaction of the save that
carries it (`written` comes from core.files.written_files, so a save that fails leaves no file behind).

Pictures are opened and saved again as JPEG (core.images), which drops their metadata: a phone's photo carries the
GPS position of where it was taken."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from xinghuo.core.errors import DomainError
from xinghuo.core.images import clean_image
from xinghuo.organisations.models import Organisation
from xinghuo.worklist.errors import WorklistError as E
from xinghuo.worklist.models import Attachment, Filing, ProgressReport, SupervisionNotice

MB = 1024 * 1024
MAX_BYTES = 20 * MB
MAX_FILES = 20  # on one filing, report or answer
ACCEPTED = "PDF、Word、Excel、PowerPoint 文件或 JPEG、PNG 图片"
#: the accept attribute of the file inputs (a hint to the browser; the content is what is checked)
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png"

PDF = "application/pdf"
DOC, DOCX = "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS, XLSX = "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPT, PPTX = "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
JPEG = "image/jpeg"
#: a name's extension → the kind of file it says it is, and what that kind is called in a message
KINDS = {
    "pdf": ("pdf", "PDF"), "doc": ("word", "Word 文档"), "docx": ("word", "Word 文档"), "xls": ("excel", "Excel 表格"),
    "xlsx": ("excel", "Excel 表格"), "ppt": ("powerpoint", "PowerPoint 演示文稿"), "pptx": ("powerpoint", "PowerPoint 演示文稿"),
    "jpg": ("image", "图片"), "jpeg": ("image", "图片"), "png": ("image", "图片"),
}  # fmt: skip
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97–2003
#: the stream that makes a compound file a Word, Excel or PowerPoint file (directory entries are UTF-16 names)
OLE2_STREAMS = {
    "word": ("WordDocument",), "excel": ("Workbook", "Book"), "powerpoint": ("PowerPoint Document",),
}  # fmt: skip
#: the part that makes an Office Open XML package a Word, Excel or PowerPoint file
OOXML_PARTS = {"word": ("word/document.xml", DOCX, "docx"), "excel": ("xl/workbook.xml", XLSX, "xlsx"),
               "powerpoint": ("ppt/presentation.xml", PPTX, "pptx")}  # fmt: skip
OLE2_TYPES = {"word": (DOC, "doc"), "excel": (XLS, "xls"), "powerpoint": (PPT, "ppt")}
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: its content as it will be stored, its type and the name people know it by."""

    name: str
    content: bytes
    content_type: str
    extension: str


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(E.ATTACHMENT_INVALID, message, field=field)


def _clean_name(raw: str) -> str:
    name = UNSAFE_NAME.sub("_", (raw or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "附件"
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 149 - len(ext)]}.{ext}" if dot and len(ext) <= 5 else name[:150]
    return name


def _office(data: bytes, kind: str) -> tuple[str, str] | None:
    """(MIME type, extension) if `data` is a Word, Excel or PowerPoint file of either format, as `kind` says."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        part, mime, extension = OOXML_PARTS[kind]
        if "[Content_Types].xml" in names and part in names:
            return mime, extension
        return None
    if data.startswith(OLE2_MAGIC) and any(stream.encode("utf-16-le") in data for stream in OLE2_STREAMS[kind]):
        return OLE2_TYPES[kind]
    return None


def _has_macros(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return b"_\x00V\x00B\x00A\x00_\x00P\x00R\x00O\x00J\x00E\x00C\x00T\x00" in data  # the VBA storage of a 97–2003 file
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return any(n.lower().endswith("vbaproject.bin") for n in package.namelist())


def check_upload(upload: UploadedFile, *, field: str = "files") -> CheckedFile:
    """The upload if it is a file of an accepted type whose content is what its name says, within the size limit;
    else a DomainError in Chinese naming the file."""
    name = _clean_name(upload.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise _invalid(f"文件“{name}”的类型不能上传：请上传{ACCEPTED}", field)
    kind, label = KINDS[extension]
    if upload.size is not None and upload.size > MAX_BYTES:
        raise _invalid(f"文件“{name}”超过 {MAX_BYTES // MB} MB", field)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _invalid(f"文件“{name}”超过 {MAX_BYTES // MB} MB", field)
    if not data:
        raise _invalid(f"文件“{name}”是空的", field)
    spoofed = _invalid(f"文件“{name}”的内容不是{label}（与扩展名不符），请检查后重新上传", field)
    if kind == "pdf":
        if b"%PDF-" not in data[:1024]:
            raise spoofed
        return CheckedFile(name=name, content=data, content_type=PDF, extension="pdf")
    if kind == "image":
        if not data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
            raise spoofed
        upload.seek(0)
        image = clean_image(upload, max_side=2560, field=field)  # a picture that does not open: its own message
        stem = name.rsplit(".", 1)[0]
        return CheckedFile(name=f"{stem}.jpg", content=image.content.read(), content_type=JPEG, extension="jpg")
    found = _office(data, kind)
    if found is None:
        raise spoofed
    if _has_macros(data):
        raise _invalid(f"文件“{name}”含有宏，请另存为不含宏的文件后上传", field)
    mime, stored_as = found
    if stored_as != extension:
        name = f"{name.rsplit('.', 1)[0]}.{stored_as}"  # an .xls that is really .xlsx opens as what it is
    return CheckedFile(name=name, content=data, content_type=mime, extension=stored_as)


def check_uploads(uploads: Sequence[UploadedFile] | None, *, field: str = "files") -> list[CheckedFile]:
    """Every upload checked before any is written: one bad file and none is."""
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_FILES:
        raise _invalid(f"一次最多上传 {MAX_FILES} 个文件", field)
    return [check_upload(u, field=field) for u in uploads]


def store(
    checked: Sequence[CheckedFile], *, organisation: Organisation, written: list[FieldFile], filing: Filing | None = None,
    report: ProgressReport | None = None, notice: SupervisionNotice | None = None, is_document: bool = False,
    field: str = "files",
) -> list[Attachment]:  # fmt: skip
    """Store checked files as attachments of one record (inside the caller's transaction and `written_files`)."""
    if not checked:
        return []
    owner = {"filing": filing} if filing is not None else {"report": report} if report is not None else {"notice": notice}
    if Attachment.unscoped.filter(**owner, is_document=False).count() + (0 if is_document else len(checked)) > MAX_FILES:
        raise _invalid(f"每份材料最多 {MAX_FILES} 个附件，请先删除不需要的附件", field)
    stored = []
    for item in checked:
        attachment = Attachment(organisation=organisation, is_document=is_document, name=item.name, content_type=item.content_type,
                                size=len(item.content), sha256=hashlib.sha256(item.content).hexdigest(), **owner)  # fmt: skip
        attachment.file.save(f"{attachment.uid.hex}.{item.extension}", ContentFile(item.content), save=False)
        written.append(attachment.file)
        attachment.save()
        stored.append(attachment)
    return stored


def remove(attachment: Attachment) -> None:
    """Delete the attachment's row now and its file once the deletion commits (inside the caller's transaction)."""
    file = attachment.file
    Attachment.unscoped.get(pk=attachment.pk).delete()
    transaction.on_commit(lambda: file.delete(save=False))
