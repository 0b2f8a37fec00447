"""Attachments and the report template, through the services: a report is written on the template with photos and
documents, kept as a draft and submitted (the action takes its progress); files are taken by their content, of the
kinds accepted only; one bad file refuses the whole save, text and all, and leaves no file behind; files come off a
filing or report only while it may still be changed; an answer's files stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import attachments, supervision
from xinghuo.worklist.models import Action, ActionStatus, Attachment, Filing, Plan, ProgressReport
from xinghuo.worklist.tests.conftest import PDF, docx, jpeg, legacy_doc, pdf, png, pptx, stored_files, xlsx

pytestmark = pytest.mark.django_db


def test_a_report_on_the_template_is_kept_as_a_draft_then_submitted_and_the_action_takes_its_progress(report_a, actors):
    _, county_a, _ = actors

    draft = supervision.report_save(actor=county_a, report=report_a, text="10 月开展示范活动 1 期", progress=30, files=[jpeg()])
    action_after_draft = Action.unscoped.get(pk=report_a.action_id)
    submitted = supervision.report_save(
        actor=county_a, report=report_a, text="10 月开展示范活动 2 期，覆盖群众 600 余人", progress=45, problems="场地不足",
        next_steps="11 月进村开展 2 期", files=[pdf("活动总结.pdf")], submit=True,
    )  # fmt: skip

    assert draft.submitted_at is None
    assert draft.is_draft
    assert (action_after_draft.progress, action_after_draft.status) == (0, ActionStatus.NOT_STARTED)  # a draft moves nothing
    assert submitted.submitted_at is not None
    assert (submitted.progress, submitted.problems, submitted.next_steps) == (45, "场地不足", "11 月进村开展 2 期")
    action = Action.unscoped.get(pk=report_a.action_id)
    assert (action.progress, action.status) == (45, ActionStatus.IN_PROGRESS)
    assert sorted(a.name for a in Attachment.unscoped.filter(report=report_a)) == ["活动总结.pdf", "现场.jpg"]
    with pytest.raises(DomainError, match="已报送"):
        supervision.report_save(actor=county_a, report=report_a, text="再改", progress=50, submit=True)


def test_a_report_at_100_per_cent_marks_the_action_done(report_a, actors):
    _, county_a, _ = actors

    supervision.report_save(actor=county_a, report=report_a, text="全部完成", progress=100, submit=True)

    action = Action.unscoped.get(pk=report_a.action_id)
    assert (action.progress, action.status) == (100, ActionStatus.DONE)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "", "progress": 30}, "请填写本期完成情况"),
        ({"text": "做了", "progress": None}, "请填写量化进展"),
        ({"text": "做了", "progress": 120}, "0 到 100"),
    ],
)
def test_a_report_is_submitted_on_the_whole_template(report_a, actors, fields, message):
    _, county_a, _ = actors

    with pytest.raises(DomainError, match=message):
        supervision.report_save(actor=county_a, report=report_a, submit=True, **fields)

    assert ProgressReport.unscoped.get(pk=report_a.pk).submitted_at is None


@pytest.mark.parametrize(
    ("upload", "content_type", "stored_name"),
    [
        (pdf, "application/pdf", "实施方案.pdf"),
        (docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "实施方案.docx"),
        (xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "进度表.xlsx"),
        (pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "汇报.pptx"),
        (legacy_doc, "application/msword", "旧版方案.doc"),
        (jpeg, "image/jpeg", "现场.jpg"),
        (png, "image/jpeg", "截图.jpg"),  # pictures are saved again as JPEG
    ],
)
def test_each_accepted_kind_of_file_is_taken_by_its_content(report_a, actors, upload, content_type, stored_name):
    _, county_a, _ = actors

    supervision.report_save(actor=county_a, report=report_a, text="见附件", files=[upload()])

    stored = Attachment.unscoped.get(report=report_a)
    assert (stored.content_type, stored.name, stored.organisation.code) == (content_type, stored_name, "KX370902")
    assert stored.file.storage.exists(stored.file.name)
    assert stored.file.name.startswith("worklist/")


def test_a_photo_is_stored_without_the_position_it_was_taken_at(report_a, actors):
    _, county_a, _ = actors

    supervision.report_save(actor=county_a, report=report_a, files=[jpeg(gps=True)])

    stored = Attachment.unscoped.get(report=report_a)
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert 0x8825 not in image.getexif()


OVERSIZE = PDF + b"0" * (attachments.MAX_BYTES + 1 - len(PDF))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (SimpleUploadedFile("安装包.exe", b"MZ\x90\x00"), "类型不能上传"),
        (SimpleUploadedFile("说明.html", b"<script>alert(1)</script>"), "类型不能上传"),
        (SimpleUploadedFile("超大.pdf", OVERSIZE), "超过 20 MB"),
        (SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 this is a program, not a PDF"), "内容不是PDF"),
        (SimpleUploadedFile("伪装.jpg", b"<html><script>alert(1)</script></html>"), "内容不是图片"),
        (SimpleUploadedFile("伪装.docx", b"PK\x03\x04 not really a package"), "内容不是Word 文档"),
        (pdf("伪装.xlsx"), "内容不是Excel 表格"),
        (docx("带宏.docx", macros=True), "含有宏"),
        (SimpleUploadedFile("空.pdf", b""), "是空的"),
    ],
)
def test_a_bad_file_refuses_the_whole_report_and_nothing_is_saved(report_a, actors, bad, message):
    _, county_a, _ = actors
    files_before = stored_files()

    with pytest.raises(DomainError, match=message) as info:
        supervision.report_save(actor=county_a, report=report_a, text="10 月开展示范活动 2 期", progress=40,
                                files=[pdf("总结.pdf"), bad], submit=True)  # fmt: skip

    assert info.value.field == "files"
    stored = ProgressReport.unscoped.get(pk=report_a.pk)
    assert (stored.text, stored.progress, stored.submitted_at) == ("", None, None)
    assert not Attachment.unscoped.exists()
    assert stored_files() == files_before
    assert Action.unscoped.get(pk=report_a.action_id).progress == 0


def test_a_save_that_fails_after_a_file_was_written_leaves_no_file_behind(loaded, actors, monkeypatch):
    _, county_a, _ = actors
    plan = Plan.objects.get()
    monkeypatch.setattr(attachments, "MAX_FILES", 1)
    filing = supervision.filing_save(actor=county_a, plan=plan, title="泰山区实施方案", content="一、目标", files=[pdf("佐证一.pdf")])
    files_before = stored_files()

    with pytest.raises(DomainError, match="最多 1 个附件"):  # the document is written first, then the files are one too many
        supervision.filing_save(actor=county_a, plan=plan, filing=filing, title="改过的名称", content="一、目标",
                                document=pdf(), files=[pdf("佐证二.pdf")])  # fmt: skip

    assert Filing.unscoped.get(pk=filing.pk).title == "泰山区实施方案"
    assert [a.name for a in Attachment.unscoped.all()] == ["佐证一.pdf"]
    assert stored_files() == files_before


def test_the_filing_document_is_replaced_and_files_come_off_only_while_the_filing_may_change(
    loaded, actors, django_capture_on_commit_callbacks
):
    _city, county_a, county_b = actors
    plan = Plan.objects.get()
    filing = supervision.filing_save(actor=county_a, plan=plan, title="泰山区实施方案", content="一、目标", document=pdf("初稿.pdf"),
                                     files=[xlsx()])  # fmt: skip
    first = Attachment.unscoped.get(filing=filing, is_document=True)
    with django_capture_on_commit_callbacks(execute=True):
        supervision.filing_save(actor=county_a, plan=plan, filing=filing, title="泰山区实施方案", content="一、目标",
                                document=docx("定稿.docx"))  # fmt: skip
    sheet = Attachment.unscoped.get(filing=filing, is_document=False)

    document = Attachment.unscoped.get(filing=filing, is_document=True)
    assert document.name == "定稿.docx"
    assert not first.file.storage.exists(first.file.name)  # the replaced file is gone once the change committed
    with pytest.raises(DomainError) as outsider:
        supervision.attachment_remove(actor=county_b, attachment=sheet)
    supervision.attachment_remove(actor=county_a, attachment=sheet)
    supervision.filing_save(actor=county_a, plan=plan, filing=filing, title="泰山区实施方案", content="一、目标", submit=True)
    with pytest.raises(DomainError, match="不能删除"):
        supervision.attachment_remove(actor=county_a, attachment=document)

    assert outsider.value.status == 404
    assert [a.name for a in Attachment.unscoped.filter(filing=filing)] == ["定稿.docx"]
    assert Filing.unscoped.get(pk=filing.pk).status == "submitted"


def test_a_report_file_comes_off_before_the_report_is_submitted_only(report_a, actors):
    city, county_a, _ = actors
    supervision.report_save(actor=county_a, report=report_a, text="草稿", files=[pdf("一.pdf"), pdf("二.pdf")])
    one, two = Attachment.unscoped.filter(report=report_a).order_by("name")

    with pytest.raises(DomainError) as by_city:
        supervision.attachment_remove(actor=city, attachment=one)  # the city reads every unit's reports, keeps none of them
    supervision.attachment_remove(actor=county_a, attachment=one)
    supervision.report_save(actor=county_a, report=report_a, text="定稿", progress=20, submit=True)
    with pytest.raises(DomainError, match="已报送"):
        supervision.attachment_remove(actor=county_a, attachment=two)

    assert by_city.value.status == 404
    assert [a.name for a in Attachment.unscoped.filter(report=report_a)] == [two.name]


def test_an_answer_to_a_notice_carries_files_that_stay(loaded, actors):
    city, county_a, _ = actors
    notice = supervision.notice_issue(actor=city, organisation=Organisation.unscoped.get(code="KX370902"), text="请说明覆盖率偏低的原因",
                                      answer_by=timezone.localdate() + timedelta(days=5))  # fmt: skip

    with pytest.raises(DomainError, match="内容不是PDF"):
        supervision.notice_answer(actor=county_a, notice=notice, answer="已整改", files=[pdf("伪装.pdf", b"not a pdf")])
    assert notice.__class__.unscoped.get(pk=notice.pk).status == "open"  # the answer waits for a good file too
    supervision.notice_answer(actor=county_a, notice=notice, answer="已整改", files=[jpeg("整改现场.jpg")])
    photo = Attachment.unscoped.get(notice=notice)
    with pytest.raises(DomainError, match="不能删除"):
        supervision.attachment_remove(actor=county_a, attachment=photo)

    assert photo.organisation.code == "KX370902"


def test_attachments_are_audited_as_they_come_and_go(report_a, actors):
    _, county_a, _ = actors
    supervision.report_save(actor=county_a, report=report_a, text="草稿", files=[pdf("总结.pdf")])
    attachment = Attachment.unscoped.get()
    supervision.attachment_remove(actor=county_a, attachment=attachment)

    actions = list(AuditEvent.objects.filter(object_type="worklist.attachment").order_by("id").values_list("action", "object_repr"))
    assert actions == [("create", "附件 总结.pdf"), ("delete", "附件 总结.pdf")]
