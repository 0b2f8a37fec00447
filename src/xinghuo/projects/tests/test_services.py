"""The rules of funded projects: each step by the side that may take it, in the status it may be taken in; the budget
of a call never exceeded; a refused step changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditEvent
from xinghuo.projects import services
from xinghuo.projects.errors import ProjectError as E
from xinghuo.projects.models import (
    DocumentKind,
    Evaluation,
    Grade,
    Project,
    ProjectCall,
    ProjectDocument,
    ProjectStatus,
    ProjectStep,
    grade_for,
)
from xinghuo.projects.tests.conftest import SCORES, accepted, applied, draft, funded, in_progress, pdf, submitted

pytestmark = pytest.mark.django_db


def _refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    return caught.value


# --- the whole way ----------------------------------------------------------------------------------------------


def test_a_project_from_draft_to_evaluation_records_every_step(cast):
    project = draft(cast)
    services.document_add(actor=cast.county_a, project=project, kind=DocumentKind.APPLICATION, upload=pdf())
    services.project_submit(actor=cast.county_a, project=project)
    services.project_allocate(actor=cast.city, project=project, amount=Decimal("80000.50"), comment="压减部分设备费")
    services.project_start(actor=cast.county_a, project=project)
    services.project_report_spending(actor=cast.county_a, project=project, spent=Decimal(30_000))
    services.document_add(actor=cast.county_a, project=project, kind=DocumentKind.ACCEPTANCE, upload=pdf("验收报告.pdf"))
    services.document_add(actor=cast.county_a, project=project, kind=DocumentKind.FINANCIAL, upload=pdf("决算.pdf"))
    services.project_apply_acceptance(actor=cast.county_a, project=project, summary="按期完成", spent=Decimal("79000"))
    services.project_verdict(actor=cast.city, project=project, passed=True, comment="同意通过")
    evaluation = services.project_evaluate(actor=cast.city, project=project, scores=SCORES, comment="成效明显")

    stored = Project.unscoped.get(pk=project.pk)
    assert stored.code == f"KP-{cast.call.year}-001"
    assert stored.status == ProjectStatus.EVALUATED
    assert (stored.allocated, stored.spent, stored.allocated_by) == (Decimal("80000.50"), Decimal(79000), cast.city.user)
    assert stored.accepted_on == timezone.localdate()
    assert (evaluation.total, evaluation.grade) == (90, Grade.EXCELLENT)
    assert list(ProjectStep.unscoped.filter(project=project).values_list("action", flat=True)) == [
        "create", "submit", "allocate", "start", "spending", "apply", "accept", "evaluate",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.uid)).count() >= 8


def test_codes_count_up_within_the_year(cast):
    first, second = draft(cast), draft(cast, title="第二个项目")

    assert (first.code, second.code) == (f"KP-{cast.call.year}-001", f"KP-{cast.call.year}-002")


def test_a_returned_application_is_revised_and_submitted_again(cast):
    project = submitted(cast)

    services.project_return(actor=cast.city, project=project, comment="请细化经费测算")
    services.project_update(actor=cast.county_a, project=project, title="社区科普e站建设（修改）", category="infrastructure",
                            brief="细化了经费", requested=Decimal(90_000), period_start=project.period_start,
                            period_end=project.period_end)  # fmt: skip
    services.project_submit(actor=cast.county_a, project=project)

    stored = Project.unscoped.get(pk=project.pk)
    assert (stored.status, stored.requested, stored.decision_comment) == (ProjectStatus.SUBMITTED, Decimal(90_000), "请细化经费测算")


def test_the_organiser_of_a_society_applies_for_its_own_society(cast):
    project = submitted(cast, actor=cast.organiser, applicant=cast.society)

    assert project.status == ProjectStatus.SUBMITTED
    assert project.region == cast.society.region


# --- who may ----------------------------------------------------------------------------------------------------


def test_only_the_applicants_side_drafts_and_others_are_refused(cast):
    assert _refused(lambda: draft(cast, actor=cast.city), E.NOT_ALLOWED).status == 403  # the city sees, but does not apply
    assert _refused(lambda: draft(cast, actor=cast.county_b), E.NOT_ALLOWED).status == 404
    assert _refused(lambda: draft(cast, actor=cast.organiser), E.NOT_ALLOWED).status == 404
    assert _refused(lambda: draft(cast, actor=cast.county_a, applicant=cast.society), E.NOT_ALLOWED).status == 404
    assert _refused(lambda: draft(cast, actor=cast.school_a, applicant=cast.org_b), E.NOT_ALLOWED).status == 404
    assert draft(cast, actor=cast.school_a).applicant == cast.org_a
    assert Project.unscoped.count() == 1


def test_the_city_sees_but_may_not_take_the_applicants_steps(cast):
    project = draft(cast)

    error = _refused(lambda: services.project_submit(actor=cast.city, project=project), E.NOT_ALLOWED)

    assert error.status == 403
    assert "只有申报单位" in error.message
    assert _refused(lambda: services.document_add(actor=cast.city, project=project, kind="application", upload=pdf()), E.NOT_ALLOWED)
    assert _refused(lambda: services.project_submit(actor=cast.county_b, project=project), E.NOT_ALLOWED).status == 404


@pytest.mark.parametrize("who", ["county_a", "county_b", "organiser", "school_a"])
def test_only_the_city_decides_accepts_and_evaluates(cast, who):
    actor = getattr(cast, who)
    waiting, done = submitted(cast), accepted(cast, title="已验收项目")
    applying = applied(cast, title="待验收项目")

    for call in (
        lambda: services.project_allocate(actor=actor, project=waiting, amount=Decimal(1000)),
        lambda: services.project_decline(actor=actor, project=waiting, comment="不"),
        lambda: services.project_return(actor=actor, project=waiting, comment="改"),
        lambda: services.project_verdict(actor=actor, project=applying, passed=True),
        lambda: services.project_evaluate(actor=actor, project=done, scores=SCORES),
    ):
        assert _refused(call, E.NOT_ALLOWED).status == 403
    assert Project.unscoped.get(pk=waiting.pk).status == ProjectStatus.SUBMITTED
    assert not Evaluation.unscoped.exists()


# --- in which status --------------------------------------------------------------------------------------------


def test_steps_in_the_wrong_status_are_refused_in_chinese_and_change_nothing(cast):
    project = draft(cast)
    steps_before = ProjectStep.unscoped.count()

    cases = [
        (lambda: services.project_allocate(actor=cast.city, project=project, amount=Decimal(1000)), "项目当前为“申报中”，不能立项"),
        (lambda: services.project_decline(actor=cast.city, project=project, comment="不"), "不能作出立项决定"),
        (lambda: services.project_start(actor=cast.county_a, project=project), "不能开始实施"),
        (lambda: services.project_report_spending(actor=cast.county_a, project=project, spent=Decimal(1)), "不能报告支出"),
        (lambda: services.project_apply_acceptance(actor=cast.county_a, project=project, summary="完成", spent=Decimal(0)),
         "不能申请验收"),
        (lambda: services.project_verdict(actor=cast.city, project=project, passed=True), "不能作出验收结论"),
        (lambda: services.project_evaluate(actor=cast.city, project=project, scores=SCORES), "不能评价"),
    ]  # fmt: skip
    for call, text in cases:
        assert text in _refused(call, E.WRONG_STATUS).message

    assert Project.unscoped.get(pk=project.pk).status == ProjectStatus.DRAFT
    assert ProjectStep.unscoped.count() == steps_before


def test_a_submitted_application_can_no_longer_be_edited_or_submitted_again(cast):
    project = submitted(cast)

    edit = lambda: services.project_update(actor=cast.county_a, project=project, title="改", category="other", brief="改",  # noqa: E731
                                           requested=Decimal(1), period_start=project.period_start, period_end=project.period_end)  # fmt: skip
    assert "不能修改" in _refused(edit, E.WRONG_STATUS).message
    assert "不能提交" in _refused(lambda: services.project_submit(actor=cast.county_a, project=project), E.WRONG_STATUS).message
    assert Project.unscoped.get(pk=project.pk).title == "社区科普e站建设"


def test_a_decided_project_is_not_decided_again(cast):
    project = funded(cast)

    assert _refused(lambda: services.project_allocate(actor=cast.city, project=project, amount=Decimal(1)), E.WRONG_STATUS)
    assert _refused(lambda: services.project_decline(actor=cast.city, project=project, comment="不"), E.WRONG_STATUS)
    assert Project.unscoped.get(pk=project.pk).allocated == project.allocated


def test_submitting_needs_the_application_form_and_an_open_call(cast):
    project = draft(cast)
    assert "申报书" in _refused(lambda: services.project_submit(actor=cast.county_a, project=project), E.DOCUMENTS_MISSING).message

    services.document_add(actor=cast.county_a, project=project, kind=DocumentKind.APPLICATION, upload=pdf())
    services.call_set_status(actor=cast.city, call=cast.call, status="closed")
    assert "已截止" in _refused(lambda: services.project_submit(actor=cast.county_a, project=project), E.CALL_CLOSED).message

    services.call_set_status(actor=cast.city, call=cast.call, status="open")
    services.call_save(actor=cast.city, call=cast.call, year=cast.call.year, title=cast.call.title, total_budget=cast.call.total_budget,
                       deadline=timezone.localdate() - timedelta(days=1))  # fmt: skip
    assert "截止日期" in _refused(lambda: services.project_submit(actor=cast.county_a, project=project), E.CALL_CLOSED).message
    assert Project.unscoped.get(pk=project.pk).status == ProjectStatus.DRAFT


def test_declining_and_failing_need_reasons(cast):
    waiting = submitted(cast)
    applying = applied(cast, title="待验收")

    assert _refused(lambda: services.project_decline(actor=cast.city, project=waiting, comment=" "), E.INVALID).field == "comment"
    assert _refused(lambda: services.project_return(actor=cast.city, project=waiting, comment=""), E.INVALID).field == "comment"
    assert _refused(lambda: services.project_verdict(actor=cast.city, project=applying, passed=False, comment=""), E.INVALID)

    services.project_decline(actor=cast.city, project=waiting, comment="绩效目标不明确")
    stored = Project.unscoped.get(pk=waiting.pk)
    assert (stored.status, stored.allocated, stored.decision_comment) == (ProjectStatus.DECLINED, None, "绩效目标不明确")


# --- money ----------------------------------------------------------------------------------------------------


def test_the_grant_is_at_most_the_request(cast):
    project = submitted(cast, requested=50_000)

    error = _refused(lambda: services.project_allocate(actor=cast.city, project=project, amount=Decimal("50000.01")), E.INVALID)

    assert "不能超过申请资金" in error.message
    assert Project.unscoped.get(pk=project.pk).status == ProjectStatus.SUBMITTED


def test_the_grants_of_a_call_never_exceed_its_total(cast):
    # given a call of 500,000 with 450,000 granted already
    funded(cast, requested=250_000)
    funded(cast, requested=200_000, title="第二个")
    third = submitted(cast, requested=100_000, title="第三个")

    # when the city grants the third more than is left, then it is told what is left and nothing changes
    error = _refused(lambda: services.project_allocate(actor=cast.city, project=third, amount=Decimal("50000.01")), E.BUDGET_EXCEEDED)
    assert "尚余 50,000.00 元" in error.message
    assert Project.unscoped.get(pk=third.pk).allocated is None

    # and exactly what is left is granted
    services.project_allocate(actor=cast.city, project=third, amount=Decimal(50_000))
    assert services.allocated_in(cast.call) == cast.call.total_budget


def test_a_declined_project_leaves_its_request_in_the_budget(cast):
    declined = submitted(cast, requested=400_000)
    services.project_decline(actor=cast.city, project=declined, comment="不予支持")

    assert funded(cast, requested=500_000, title="全额").allocated == Decimal(500_000)


def test_a_calls_total_is_never_cut_below_what_it_granted(cast):
    funded(cast, requested=300_000)

    error = _refused(
        lambda: services.call_save(actor=cast.city, call=cast.call, year=cast.call.year, title=cast.call.title,
                                   total_budget=Decimal(299_999), deadline=cast.call.deadline),
        E.BUDGET_EXCEEDED,
    )  # fmt: skip

    assert "300,000.00" in error.message
    assert ProjectCall.objects.get(pk=cast.call.pk).total_budget == Decimal(500_000)


def test_spending_is_never_negative_nor_more_than_the_grant(cast):
    project = in_progress(cast, requested=80_000)

    assert _refused(lambda: services.project_report_spending(actor=cast.county_a, project=project, spent=Decimal(-1)), E.INVALID)
    error = _refused(lambda: services.project_report_spending(actor=cast.county_a, project=project, spent=Decimal("80000.01")), E.INVALID)
    assert "不能超过立项资金" in error.message
    assert _refused(lambda: services.project_report_spending(actor=cast.county_a, project=project, spent="1.001"), E.INVALID)
    assert Project.unscoped.get(pk=project.pk).spent == 0


def test_the_database_keeps_the_money_invariants(cast):
    project = funded(cast, requested=80_000)

    for change in ({"allocated": Decimal(80_001)}, {"spent": Decimal(-1)}, {"spent": Decimal(90_000)}, {"allocated": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            _raw_update(project, change)


def _raw_update(project: Project, change: dict) -> None:
    with audit.bulk_write(model=Project, description="测试：绕过服务直接写"):
        Project.unscoped.filter(pk=project.pk).update(**change)


# --- acceptance -------------------------------------------------------------------------------------------------


def test_applying_for_acceptance_needs_the_acceptance_and_financial_documents(cast):
    project = in_progress(cast)

    error = _refused(lambda: services.project_apply_acceptance(actor=cast.county_a, project=project, summary="完成", spent=Decimal(0)),
                     E.DOCUMENTS_MISSING)  # fmt: skip
    assert "验收材料和财务决算" in error.message

    services.document_add(actor=cast.county_a, project=project, kind=DocumentKind.ACCEPTANCE, upload=pdf("验收.pdf"))
    error = _refused(lambda: services.project_apply_acceptance(actor=cast.county_a, project=project, summary="完成", spent=Decimal(0)),
                     E.DOCUMENTS_MISSING)  # fmt: skip
    assert "财务决算" in error.message
    assert "验收材料" not in error.message


def test_a_failed_acceptance_is_rectified_and_applied_for_once_more(cast):
    project = applied(cast)

    services.project_verdict(actor=cast.city, project=project, passed=False, comment="缺少活动影像资料")
    services.document_add(actor=cast.county_a, project=project, kind=DocumentKind.ACCEPTANCE, upload=pdf("补充影像.pdf"))
    services.project_apply_acceptance(actor=cast.county_a, project=project, summary="已补充", spent=project.allocated)
    services.project_verdict(actor=cast.city, project=project, passed=False, comment="仍不符合要求")

    stored = Project.unscoped.get(pk=project.pk)
    assert (stored.status, stored.acceptance_rounds, stored.can_reapply) == (ProjectStatus.REJECTED, 2, False)
    error = _refused(lambda: services.project_apply_acceptance(actor=cast.county_a, project=stored, summary="再试", spent=Decimal(0)),
                     E.WRONG_STATUS)  # fmt: skip
    assert "不能再申请验收" in error.message
    assert _refused(lambda: services.document_add(actor=cast.county_a, project=stored, kind="acceptance", upload=pdf()), E.WRONG_STATUS)


def test_a_project_that_passes_after_rectifying_has_its_acceptance_date(cast):
    project = applied(cast)
    services.project_verdict(actor=cast.city, project=project, passed=False, comment="请整改")
    assert Project.unscoped.get(pk=project.pk).accepted_on is None

    services.project_apply_acceptance(actor=cast.county_a, project=project, summary="已整改", spent=project.allocated)
    services.project_verdict(actor=cast.city, project=project, passed=True)

    stored = Project.unscoped.get(pk=project.pk)
    assert (stored.status, stored.accepted_on, stored.acceptance_rounds) == (ProjectStatus.ACCEPTED, timezone.localdate(), 2)


# --- evaluation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("total", "grade"), [(100, "excellent"), (90, "excellent"), (89, "good"), (75, "good"), (74, "pass"),
                                              (60, "pass"), (59, "fail"), (0, "fail")])  # fmt: skip
def test_the_grade_follows_the_thresholds(total, grade):
    assert grade_for(total) == grade


def test_scores_outside_the_full_marks_are_refused(cast):
    project = accepted(cast)

    for scores, field in (({**SCORES, "goal_score": 41}, "goal_score"), ({**SCORES, "archive_score": -1}, "archive_score"),
                          ({**SCORES, "funds_score": "八"}, "funds_score"), ({k: v for k, v in SCORES.items() if k != "benefit_score"},
                                                                               "benefit_score")):  # fmt: skip
        error = _refused(lambda s=scores: services.project_evaluate(actor=cast.city, project=project, scores=s), E.INVALID)
        assert error.field == field
    assert Project.unscoped.get(pk=project.pk).status == ProjectStatus.ACCEPTED
    assert not Evaluation.unscoped.exists()


def test_an_evaluation_is_given_once_and_its_grade_is_checked_by_the_database(cast):
    project = accepted(cast)
    evaluation = services.project_evaluate(actor=cast.city, project=project, scores={**SCORES, "goal_score": 20})

    assert (evaluation.total, evaluation.grade) == (74, Grade.PASS)
    assert _refused(lambda: services.project_evaluate(actor=cast.city, project=project, scores=SCORES), E.WRONG_STATUS)
    with pytest.raises(IntegrityError), transaction.atomic(), audit.bulk_write(model=Evaluation, description="测试"):
        Evaluation.unscoped.filter(pk=evaluation.pk).update(grade=Grade.GOOD)


# --- documents --------------------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored(cast, settings):
    project = draft(cast)
    disguised = SimpleUploadedFile("申报书.pdf", b"MZ\x90\x00 not really a pdf", content_type="application/pdf")

    error = _refused(lambda: services.document_add(actor=cast.county_a, project=project, kind="application", upload=disguised),
                     E.DOCUMENT_INVALID)  # fmt: skip

    assert "不是 PDF、Word、Excel、PowerPoint 或图片" in error.message
    assert not ProjectDocument.unscoped.exists()


def test_a_file_over_the_limit_is_refused(cast, monkeypatch):
    project = draft(cast)
    monkeypatch.setattr(services, "MAX_DOCUMENT_BYTES", 20)

    error = _refused(lambda: services.document_add(actor=cast.county_a, project=project, kind="application", upload=pdf()),
                     E.DOCUMENT_INVALID)  # fmt: skip

    assert "超过" in error.message
    assert not ProjectDocument.unscoped.exists()


def test_documents_are_taken_in_their_stage_only(cast):
    project = draft(cast)
    error = _refused(lambda: services.document_add(actor=cast.county_a, project=project, kind="financial", upload=pdf()),
                     E.DOCUMENT_INVALID)  # fmt: skip
    assert "不能上传财务决算" in error.message

    services.document_add(actor=cast.county_a, project=project, kind="application", upload=pdf())
    services.project_submit(actor=cast.county_a, project=project)
    assert (
        "不能上传材料"
        in _refused(lambda: services.document_add(actor=cast.county_a, project=project, kind="other", upload=pdf()), E.WRONG_STATUS).message
    )


def test_a_document_the_city_has_seen_stays_and_a_new_one_may_be_removed(cast):
    project = in_progress(cast)
    seen = ProjectDocument.unscoped.get(project=project, kind="application")
    fresh = services.document_add(actor=cast.county_a, project=project, kind="acceptance", upload=pdf("草稿.pdf"))

    assert "不能删除" in _refused(lambda: services.document_remove(actor=cast.county_a, document=seen), E.WRONG_STATUS).message
    assert _refused(lambda: services.document_remove(actor=cast.county_b, document=fresh), E.NOT_ALLOWED).status == 404
    services.document_remove(actor=cast.county_a, document=fresh)

    assert list(ProjectDocument.unscoped.filter(project=project).values_list("pk", flat=True)) == [seen.pk]


def test_a_photo_is_stored_without_the_place_it_was_taken(cast):
    import io

    from PIL import Image

    from xinghuo.worklist.tests.conftest import jpeg

    project = draft(cast)
    upload = jpeg("现场.jpg", gps=True)
    assert Image.open(io.BytesIO(upload.read())).getexif().get(0x8825)  # the upload has a GPS block
    upload.seek(0)

    document = services.document_add(actor=cast.county_a, project=project, kind=DocumentKind.OTHER, upload=upload)

    with document.file.open("rb") as stored:
        kept = Image.open(io.BytesIO(stored.read()))
    assert document.content_type == "image/jpeg"
    assert kept.format == "JPEG"
    assert not kept.getexif().get(0x8825)
