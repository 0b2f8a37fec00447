"""The pages of attachments, the report template and reminders, as a county and the city use them: files uploaded
with the save that carries them and listed on the record's page; a bad file shows a Chinese message and saves
nothing; another county gets 404 on a file; the report page submits on the template and moves the task's progress;
reminders show on the console home and the 提醒 page, and are marked read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinghuo.worklist import reminders
from xinghuo.worklist.models import Action, Attachment, Filing, Plan, ProgressReport, Reminder, SupervisionNotice
from xinghuo.worklist.tests.conftest import PDF, docx, jpeg, pdf

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    """The whole body; a file response read to its end is closed by the test client, as a WSGI server would."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def _status(response) -> int:
    """The status of a file response, read to its end and closed."""
    _body(response)
    return response.status_code


def test_a_filing_carries_its_document_and_files_and_another_county_gets_404_on_them(client, login, personas, loaded):
    login(client, personas.county_a)
    client.post("/console/worklist/plans/sample/filing/",
                {"title": "泰山区实施方案", "content": "一、目标", "document": pdf("泰山区实施方案.pdf"), "files": [jpeg("调研.jpg"), docx("分工.docx")]})  # fmt: skip
    filing = Filing.unscoped.get()
    document = Attachment.unscoped.get(filing=filing, is_document=True)
    page = client.get(f"/console/worklist/filings/{filing.uid}/").content.decode()
    own = client.get(f"/console/worklist/attachments/{document.uid}/")
    own_body = _body(own)

    login(client, personas.county_b)
    outsider = client.get(f"/console/worklist/attachments/{document.uid}/")
    outsider_delete = client.post(f"/console/worklist/attachments/{document.uid}/delete/")
    login(client, personas.city_staff)
    city = _status(client.get(f"/console/worklist/attachments/{document.uid}/"))

    assert Attachment.unscoped.filter(filing=filing).count() == 3
    assert "泰山区实施方案.pdf" in page
    assert "调研.jpg" in page
    assert "分工.docx" in page
    assert (own.status_code, own["Content-Type"], own_body) == (200, "application/pdf", PDF)
    assert (outsider.status_code, outsider_delete.status_code) == (404, 404)
    assert city == 200
    assert Attachment.unscoped.filter(filing=filing).count() == 3


def test_an_office_file_is_downloaded_not_opened(client, login, personas, loaded):
    login(client, personas.county_a)
    client.post("/console/worklist/plans/sample/filing/", {"title": "泰山区实施方案", "content": "一、目标", "files": [docx("分工.docx")]})
    attachment = Attachment.unscoped.get()

    response = client.get(f"/console/worklist/attachments/{attachment.uid}/")
    _body(response)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_bad_file_on_the_filing_page_saves_neither_the_file_nor_the_text(client, login, personas, loaded):
    login(client, personas.county_a)
    client.post("/console/worklist/plans/sample/filing/", {"title": "泰山区实施方案", "content": "一、目标"})
    filing = Filing.unscoped.get()

    response = client.post(f"/console/worklist/filings/{filing.uid}/", {
        "title": "泰山区实施方案", "content": "一、目标 二、时间表", "submit": "1",
        "document": SimpleUploadedFile("实施方案.pdf", b"<html><script>alert(1)</script></html>"),
    })  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert "文件“实施方案.pdf”的内容不是PDF" in page
    assert "一、目标 二、时间表" in page  # what was typed is still in the form to send again
    stored = Filing.unscoped.get()
    assert (stored.content, stored.status) == ("一、目标", "draft")
    assert not Attachment.unscoped.exists()


def test_a_report_is_written_on_the_template_kept_and_submitted_and_moves_the_task(client, login, personas, report_a):
    login(client, personas.county_a)
    url = f"/console/worklist/reports/{report_a.uid}/"
    form = client.get(url).content.decode()
    kept = client.post(url, {"text": "10 月开展示范活动 1 期", "progress": "20", "problems": "", "next_steps": "", "files": [jpeg()]})
    photo = Attachment.unscoped.get(report=report_a)
    removed = client.post(f"/console/worklist/attachments/{photo.uid}/delete/")
    submitted = client.post(url, {"text": "10 月开展示范活动 2 期", "progress": "60", "problems": "经费紧张", "next_steps": "11 月进村",
                                  "files": [pdf("总结.pdf")], "submit": "1"})  # fmt: skip
    task_page = client.get(f"/console/worklist/tasks/{report_a.action.task.uid}/").content.decode()
    shown = client.get(url).content.decode()

    for section in ("本期完成情况", "量化进展（进度%）", "存在问题", "下步计划", "照片和材料"):
        assert section in form
    assert "每年市级开展示范活动10-20期" in form  # the task's targets beside the form
    assert (kept.status_code, removed.status_code, submitted.status_code) == (302, 302, 302)
    stored = ProgressReport.unscoped.get(pk=report_a.pk)
    assert (stored.text, stored.progress, stored.problems, stored.next_steps) == ("10 月开展示范活动 2 期", 60, "经费紧张", "11 月进村")
    assert [a.name for a in Attachment.unscoped.filter(report=report_a)] == ["总结.pdf"]
    assert Action.unscoped.get(pk=report_a.action_id).progress == 60
    assert "60%" in task_page
    assert "经费紧张" in shown
    assert "总结.pdf" in shown
    assert 'name="submit"' not in shown  # submitted: no more changes


def test_a_bad_file_on_the_report_page_shows_why_and_saves_nothing(client, login, personas, report_a):
    login(client, personas.county_a)
    oversize = SimpleUploadedFile("现场录像.pdf", PDF + b"0" * (20 * 1024 * 1024))

    response = client.post(f"/console/worklist/reports/{report_a.uid}/",
                           {"text": "10 月开展示范活动 2 期", "progress": "60", "files": [pdf("总结.pdf"), oversize], "submit": "1"})  # fmt: skip

    assert response.status_code == 400
    assert "文件“现场录像.pdf”超过 20 MB" in response.content.decode()
    stored = ProgressReport.unscoped.get(pk=report_a.pk)
    assert (stored.text, stored.submitted_at) == ("", None)
    assert not Attachment.unscoped.exists()
    assert Action.unscoped.get(pk=report_a.action_id).progress == 0


def test_a_report_page_asks_for_the_template_on_submitting(client, login, personas, report_a):
    login(client, personas.county_a)

    response = client.post(f"/console/worklist/reports/{report_a.uid}/", {"text": "", "progress": "", "submit": "1"})

    assert response.status_code == 400
    assert "请填写本期完成情况" in response.content.decode()


def test_another_county_gets_404_on_a_report_page_and_its_files(client, login, personas, report_a):
    login(client, personas.county_a)
    client.post(f"/console/worklist/reports/{report_a.uid}/", {"text": "草稿", "files": [pdf("总结.pdf")]})
    attachment = Attachment.unscoped.get()
    login(client, personas.county_b)

    assert client.get(f"/console/worklist/reports/{report_a.uid}/").status_code == 404
    assert client.post(f"/console/worklist/reports/{report_a.uid}/", {"text": "代报", "progress": "1", "submit": "1"}).status_code == 404
    assert client.get(f"/console/worklist/attachments/{attachment.uid}/").status_code == 404
    assert ProgressReport.unscoped.get(pk=report_a.pk).text == "草稿"


def test_a_notice_is_answered_on_its_page_with_a_file_the_city_reads(client, login, personas, loaded):
    notice = SupervisionNotice.unscoped.create(organisation=personas.county_a.memberships.get().organisation, text="覆盖率偏低，请说明",
                                               answer_by=timezone.localdate() + timedelta(days=3))  # fmt: skip
    login(client, personas.county_a)
    refused = client.post(f"/console/worklist/notices/{notice.uid}/answer/",
                          {"answer": "已新增宣传员 12 名", "files": [SimpleUploadedFile("名单.xlsx", b"not a workbook")]})  # fmt: skip
    client.post(f"/console/worklist/notices/{notice.uid}/answer/", {"answer": "已新增宣传员 12 名", "files": [pdf("名单.pdf")]})
    login(client, personas.city_staff)
    page = client.get(f"/console/worklist/notices/{notice.uid}/").content.decode()
    attachment = Attachment.unscoped.get(notice=notice)

    assert refused.status_code == 400
    assert "内容不是Excel 表格" in refused.content.decode()
    assert "已新增宣传员 12 名" in page
    assert "名单.pdf" in page
    assert _status(client.get(f"/console/worklist/attachments/{attachment.uid}/")) == 200


def test_reminders_show_on_the_console_home_and_the_reminders_page_and_are_marked_read(client, login, personas, report_a):
    reminders.reminders_send(today=report_a.due - timedelta(days=3))
    reminders.reminders_send(today=report_a.due + timedelta(days=1))
    upcoming, overdue = Reminder.unscoped.order_by("kind")[1], Reminder.unscoped.order_by("kind")[0]
    login(client, personas.county_a)

    home = client.get("/console/").content.decode()
    page = client.get("/console/worklist/reminders/").content.decode()
    opened = client.post(f"/console/worklist/reminders/{overdue.uid}/read/", {"open": "1"})
    client.post(f"/console/worklist/reminders/{upcoming.uid}/read/")
    after = client.get("/console/worklist/reminders/").content.decode()

    assert "未读提醒" in home
    assert "/console/worklist/reminders/?unread=1" in home
    assert page.count('data-testid="reminder"') == 2
    assert page.count('data-testid="unread-badge"') == 2
    assert "已逾期" in page
    assert opened.status_code == 302
    assert opened["Location"] == f"/console/worklist/reports/{report_a.uid}/"
    assert 'data-testid="unread-badge"' not in after
    assert Reminder.unscoped.filter(read_at__isnull=True).count() == 0


def test_another_county_neither_sees_nor_marks_a_units_reminders(client, login, personas, report_a):
    reminders.reminders_send(today=report_a.due - timedelta(days=3))
    reminder = Reminder.unscoped.get()
    login(client, personas.county_b)

    page = client.get("/console/worklist/reminders/").content.decode()
    marked = client.post(f"/console/worklist/reminders/{reminder.uid}/read/")
    client.post("/console/worklist/reminders/read-all/")

    assert 'data-testid="reminder"' not in page
    assert marked.status_code == 404
    assert Reminder.unscoped.get().read_at is None


def test_the_reminders_export_to_excel(client, login, personas, report_a):
    reminders.reminders_send(today=report_a.due - timedelta(days=3))
    login(client, personas.county_a)

    response = client.get("/console/worklist/reminders/export/")
    _body(response)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_city_sets_a_filing_deadline_and_counties_see_it_and_when_it_is_overdue(client, login, personas, loaded):
    login(client, personas.city_staff)
    past = timezone.localdate() - timedelta(days=1)
    client.post("/console/worklist/plans/sample/filing-due/", {"sample-filing_due": str(past)})
    login(client, personas.county_a)
    missing = client.get("/console/worklist/filings/").content.decode()
    client.post("/console/worklist/plans/sample/filing/", {"title": "泰山区实施方案", "content": "一、目标"})
    listed = client.get("/console/worklist/filings/").content.decode()
    refused = client.post("/console/worklist/plans/sample/filing-due/", {"sample-filing_due": "2030-01-01"})

    assert Plan.objects.get().filing_due == past
    assert f"请于 {past:%Y-%m-%d} 前提交" in missing
    assert 'data-testid="overdue"' in missing
    assert 'data-testid="overdue"' in listed  # a draft after the deadline is flagged in the list
    assert refused.status_code == 404
