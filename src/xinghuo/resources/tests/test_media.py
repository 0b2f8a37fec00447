"""Media uploads are checked by content, not by name, and by size per kind; stored through the storage API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinghuo.resources import services
from xinghuo.resources.media import check_media
from xinghuo.resources.models import Kind, Resource
from xinghuo.resources.tests.conftest import draft

pytestmark = pytest.mark.django_db

# the first bytes of an MP4 (an ftyp box of brand isom) and of a Windows executable
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"\x00" * 32


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_renamed_executable_is_refused_with_a_clear_chinese_message():
    with pytest.raises(services.DomainError) as info:
        check_media(upload("科普视频.mp4", EXE), Kind.VIDEO)

    assert info.value.message == "文件“科普视频.mp4”的内容不是MP4、WebM 或 MOV 视频（实际是 EXE 文件），请检查后重新上传"
    assert info.value.field == "media"


def test_content_decides_not_the_name():
    assert check_media(upload("video.bin", MP4), Kind.VIDEO).extension == "mp4"
    assert check_media(upload("课件.mp4", PDF), Kind.COURSEWARE).mime == "application/pdf"
    with pytest.raises(services.DomainError):
        check_media(upload("课件.pdf", MP4), Kind.COURSEWARE)


def test_an_empty_file_and_an_article_with_a_file_are_refused():
    with pytest.raises(services.DomainError) as empty:
        check_media(upload("a.mp4", b""), Kind.VIDEO)
    with pytest.raises(services.DomainError) as article:
        check_media(upload("a.pdf", PDF), Kind.ARTICLE)

    assert "是空的" in empty.value.message
    assert "图文资源不需要媒体文件" in article.value.message


def test_size_is_limited_per_kind(monkeypatch):
    from xinghuo.resources import media

    monkeypatch.setitem(media.RULES, Kind.EXHIBIT, media.MediaRule("PDF 说明书", {"application/pdf": "pdf"}, 64))

    with pytest.raises(services.DomainError) as info:
        check_media(upload("说明书.pdf", PDF + b"\x00" * 100), Kind.EXHIBIT)

    assert "超过" in info.value.message


def test_a_checked_file_is_stored_and_a_refused_one_changes_nothing(cast):
    resource = draft(cast, kind=Kind.VIDEO, body="")

    with pytest.raises(services.DomainError):
        services.resource_set_media(actor=cast.contributor, resource=resource, media=upload("坏的.mp4", EXE))
    assert not Resource.unscoped.get(pk=resource.pk).media
    services.resource_set_media(actor=cast.contributor, resource=resource, media=upload("好的.mp4", MP4))

    stored = Resource.unscoped.get(pk=resource.pk)
    assert stored.media.name.endswith(f"{resource.uid.hex}.mp4")
    assert (stored.media_type, stored.media_size) == ("video/mp4", len(MP4))
    assert stored.media.storage.exists(stored.media.name)
    services.resource_submit(actor=cast.contributor, resource=stored)  # a video with its file is complete


def test_a_replaced_file_is_deleted_after_the_commit_and_the_new_one_kept(cast, django_capture_on_commit_callbacks):
    resource = draft(cast, kind=Kind.VIDEO, body="")
    resource = services.resource_set_media(actor=cast.contributor, resource=resource, media=upload("第一版.mp4", MP4))
    first = resource.media.name

    with django_capture_on_commit_callbacks(execute=True):
        resource = services.resource_set_media(actor=cast.contributor, resource=resource, media=upload("第二版.mp4", MP4 + b"\x00"))

    storage = resource.media.storage
    assert resource.media.name != first
    assert storage.exists(resource.media.name)
    assert not storage.exists(first)


def test_in_s3_storage_a_replaced_file_leaves_the_bucket(cast, s3, django_capture_on_commit_callbacks):
    resource = draft(cast, kind=Kind.VIDEO, body="")
    resource = services.resource_set_media(actor=cast.contributor, resource=resource, media=upload("第一版.mp4", MP4))

    with django_capture_on_commit_callbacks(execute=True):
        resource = services.resource_set_media(actor=cast.contributor, resource=resource, media=upload("第二版.mp4", MP4 + b"\x00"))

    assert s3.keys() == [f"private/{resource.media.name}"]
