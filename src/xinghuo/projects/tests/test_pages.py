"""The project pages as a county, an organiser and the city use them: apply, upload, decide, accept, evaluate; another
county never reaches a project or its documents; a wrong file is named in Chinese and nothing is saved; the list
exports to Excel in the actor's scope."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinghuo.projects.models import Evaluation, Project, ProjectCall, ProjectDocument, ProjectStatus
from xinghuo.projects.tests.conftest import PDF, SCORES, accepted, applied, draft, funded, pdf, submitted

pytestmark = pytest.mark.django_db


def _new(cast, **extra) -> dict:
    year = cast.call.year
    return {"call": cast.call.pk, "applicant": cast.org_a.pk, "title": "校园科技节", "category": "activity", "brief": "举办校园科技节",
            "goals": "参与学生 1000 人次", "requested": "60000", "period_start": f"{year}-04-01", "period_end": f"{year}-11-30", **extra}  # fmt: skip


def test_a_county_applies_and_the_city_grants_through_the_pages(client, login, personas, cast):
    login(client, personas.county_a)
    assert "岱庙街道中心小学" in client.get("/console/projects/new/").content.decode()
    answer = client.post("/console/projects/new/", _new(cast))
    project = Project.unscoped.get()
    assert answer.url == f"/console/projects/{project.uid}/"
    client.post(f"/console/projects/{project.uid}/documents/", {"kind": "application", "file": pdf()})
    client.post(f"/console/projects/{project.uid}/submit/")

    login(client, personas.city_staff)
    page = client.get(f"/console/projects/{project.uid}/").content.decode()
    too_much = client.post(f"/console/projects/{project.uid}/allocate/", {"amount": "60000.01"})
    client.post(f"/console/projects/{project.uid}/allocate/", {"amount": "55000", "comment": "同意"})

    assert 'data-testid="allocate"' in page
    assert "申报书.pdf" in page
    assert too_much.status_code == 400
    assert "立项资金不能超过申请资金" in too_much.content.decode()
    stored = Project.unscoped.get()
    assert (stored.status, stored.allocated) == (ProjectStatus.APPROVED, Decimal(55_000))


def test_an_application_with_missing_fields_is_answered_in_chinese_and_nothing_is_saved(client, login, personas, cast):
    login(client, personas.county_a)

    answer = client.post("/console/projects/new/", _new(cast, title="", requested="-5", period_end=f"{cast.call.year}-01-01"))

    assert answer.status_code == 400
    text = answer.content.decode()
    assert "请填写项目名称" in text
    assert "金额不能为负数" in text
    assert not Project.unscoped.exists()


def test_another_county_gets_404_on_a_project_its_steps_and_its_documents(client, login, personas, cast):
    project = submitted(cast)
    document = ProjectDocument.unscoped.get(project=project)
    login(client, personas.county_b)

    assert client.get(f"/console/projects/{project.uid}/").status_code == 404
    assert client.get(f"/console/projects/{project.uid}/edit/").status_code == 404
    assert client.get(f"/console/projects/documents/{document.uid}/").status_code == 404
    assert client.post(f"/console/projects/{project.uid}/documents/", {"kind": "other", "file": pdf()}).status_code == 404
    assert client.post(f"/console/projects/documents/{document.uid}/delete/").status_code == 404
    assert project.title not in client.get("/console/projects/").content.decode()
    assert ProjectDocument.unscoped.count() == 1


def test_a_county_reads_its_projects_document_and_the_city_its_page(client, login, personas, cast):
    project = submitted(cast)
    document = ProjectDocument.unscoped.get(project=project)
    login(client, personas.county_a)

    answer = client.get(f"/console/projects/documents/{document.uid}/")

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert answer["Content-Type"] == "application/pdf"
    login(client, personas.city_staff)
    assert client.get(f"/console/projects/{project.uid}/").status_code == 200


def test_a_wrong_file_type_gets_a_chinese_message_and_nothing_is_saved(client, login, personas, cast):
    project = draft(cast)
    login(client, personas.county_a)
    script = SimpleUploadedFile("申报书.pdf", b"#!/bin/sh\necho not a document\n", content_type="application/pdf")

    answer = client.post(f"/console/projects/{project.uid}/documents/", {"kind": "application", "file": script})

    assert answer.status_code == 400
    assert "的内容不是 PDF、Word、Excel、PowerPoint 或图片（JPEG/PNG）文件" in answer.content.decode()
    assert not ProjectDocument.unscoped.exists()


def test_an_organiser_sees_its_own_organisations_projects_only(client, login, personas, cast):
    own = draft(cast, actor=cast.organiser, applicant=cast.society, title="学会科普讲座")
    other = draft(cast, title="泰山区学校项目")
    login(client, personas.organiser)

    listing = client.get("/console/projects/").content.decode()

    assert own.title in listing
    assert other.title not in listing
    assert client.get(f"/console/projects/{other.uid}/").status_code == 404


def test_acceptance_rejection_and_evaluation_through_the_pages(client, login, personas, cast):
    failing, passing = applied(cast, title="待验收一"), accepted(cast, title="已验收二")
    login(client, personas.city_staff)

    no_reason = client.post(f"/console/projects/{failing.uid}/verdict/", {"verdict": "fail", "comment": ""})
    client.post(f"/console/projects/{failing.uid}/verdict/", {"verdict": "fail", "comment": "缺少签到记录"})
    bad_score = client.post(f"/console/projects/{passing.uid}/evaluate/", {**SCORES, "goal_score": "45"})
    client.post(f"/console/projects/{passing.uid}/evaluate/", {**SCORES, "comment": "成效明显"})

    assert no_reason.status_code == 400
    assert "验收不通过请写明理由和整改要求" in no_reason.content.decode()
    assert bad_score.status_code == 400
    assert "得分不能超过满分" in bad_score.content.decode()
    assert Project.unscoped.get(pk=failing.pk).status == ProjectStatus.REJECTED
    assert Evaluation.unscoped.get().grade == "excellent"
    login(client, personas.county_a)
    page = client.get(f"/console/projects/{failing.uid}/").content.decode()
    assert "缺少签到记录" in page
    assert "可整改后重新申请验收" in page
    assert 'data-testid="acceptance"' in page
    assert "90（优秀）" in client.get(f"/console/projects/{passing.uid}/").content.decode()


def test_a_county_cannot_take_the_citys_steps_by_posting(client, login, personas, cast):
    project = submitted(cast)
    login(client, personas.county_a)

    assert client.post(f"/console/projects/{project.uid}/allocate/", {"amount": "1000"}).status_code == 404
    assert Project.unscoped.get().status == ProjectStatus.SUBMITTED


def test_the_list_filters_and_exports_to_excel_in_the_actors_scope(client, login, personas, cast):
    funded(cast, requested=80_000, title="泰山区立项项目")
    draft(cast, title="泰山区草稿项目")
    draft(cast, actor=cast.county_b, applicant=cast.org_b, title="岱岳区项目")
    login(client, personas.county_a)

    filtered = client.get("/console/projects/", {"status": "approved"}).content.decode()
    answer = client.get("/console/projects/export/")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active.iter_rows(values_only=True))

    assert "泰山区立项项目" in filtered
    assert "泰山区草稿项目" not in filtered
    assert rows[0][:3] == ("项目编号", "项目名称", "申报批次")
    assert sorted(r[1] for r in rows[1:]) == ["泰山区立项项目", "泰山区草稿项目"]
    approved = next(r for r in rows if r[1] == "泰山区立项项目")
    assert (approved[5], approved[7], approved[9]) == ("泰山区", "已立项", 80000)


def test_the_city_opens_a_call_and_only_the_city_may(client, login, personas, cast):
    data = {"year": "2027", "title": "2027年度科普项目", "total_budget": "1000000", "deadline": "2027-03-31", "notes": ""}
    login(client, personas.county_a)
    assert client.post("/console/projects/calls/", data).status_code == 404

    login(client, personas.city_staff)
    client.post("/console/projects/calls/", data)
    call = ProjectCall.objects.get(year=2027)
    client.post(f"/console/projects/calls/{call.uid}/status/")

    assert (call.total_budget, call.deadline) == (Decimal(1_000_000), date(2027, 3, 31))
    assert ProjectCall.objects.get(pk=call.pk).status == "closed"
    assert "2027年度科普项目" in client.get("/console/projects/calls/").content.decode()


def test_the_list_takes_as_many_queries_for_many_projects_as_for_few(client, login, personas, cast):
    login(client, personas.city_staff)
    draft(cast, title="第一个")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/console/projects/").status_code == 200
        return len(captured)

    few = queries()
    for i in range(6):
        draft(cast, actor=cast.county_b if i % 2 else cast.county_a, applicant=cast.org_b if i % 2 else cast.org_a, title=f"项目{i}")

    assert queries() == few
