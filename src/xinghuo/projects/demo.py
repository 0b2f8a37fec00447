"""Demo funded projects: last year's call, closed, whose projects were carried out — most accepted, a few evaluated,
one failed and rectifying, one failed twice, one declined at the start — and this year's call, open, with projects
in every early status (drafts, submitted, granted, being carried out, waiting for acceptance). About twenty projects
of schools, companies, venues' operators and county associations across the counties, and two city societies, each
with its history and its documents (a one-page PDF). Idempotent: seeded once."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from xinghuo.accounts.models import User
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.projects.models import (
    Category,
    DocumentKind,
    Evaluation,
    Grade,
    Project,
    ProjectCall,
    ProjectDocument,
    ProjectStatus,
    ProjectStep,
    StepAction,
    grade_for,
)

S = ProjectStatus
#: last year's projects: (status, acceptance rounds, scores for the evaluated ones)
LAST_YEAR = [
    (S.EVALUATED, 1, (38, 28, 18, 9)),
    (S.EVALUATED, 1, (33, 24, 16, 8)),
    (S.EVALUATED, 2, (27, 19, 12, 6)),
    (S.ACCEPTED, 1, None),
    (S.ACCEPTED, 1, None),
    (S.ACCEPTED, 2, None),
    (S.REJECTED, 1, None),  # rectifying: may apply once more
    (S.REJECTED, 2, None),  # failed twice: no more rounds
    (S.ACCEPTANCE_APPLIED, 1, None),
    (S.IN_PROGRESS, 0, None),
    (S.DECLINED, 0, None),
]
THIS_YEAR = [S.DRAFT, S.DRAFT, S.SUBMITTED, S.SUBMITTED, S.SUBMITTED, S.APPROVED, S.APPROVED, S.IN_PROGRESS, S.IN_PROGRESS,
             S.ACCEPTANCE_APPLIED, S.DECLINED]  # fmt: skip
TITLES = {
    Category.INFRASTRUCTURE: ["星火科普服务站提升改造", "校园科技馆展项更新", "乡村科普e站建设", "科普大篷车配置"],
    Category.ACTIVITY: ["“科普之春”社区系列活动", "智惠助老科普进社区", "青少年科学营", "科技活动周主题展演"],
    Category.RESOURCES: ["泰山地质科普读本编印", "农业实用技术科普短视频", "应急避险科普动画", "中医药科普课件开发"],
    Category.TALENT: ["星火科普宣传员培训", "科技辅导员能力提升研修", "乡村科普带头人培养"],
    Category.OTHER: ["科普工作调研与评估"],
}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
APPLICANT_KINDS = (OrganisationKind.SCHOOL, OrganisationKind.COMPANY, OrganisationKind.VENUE_OPERATOR)


def _applicants() -> list[Organisation]:
    """Organisations in each county of Tai'an taking turns (its schools, companies, venues' operators and the county
    association itself), and two city societies."""
    counties = list(Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, code__startswith="KX3709").order_by("code"))
    per_county = [
        [county, *Organisation.unscoped.filter(path__startswith=county.path, kind__in=APPLICANT_KINDS).order_by("code")[:3]]
        for county in counties
    ]
    found = [group[i] for i in range(4) for group in per_county if i < len(group)]
    societies = list(Organisation.unscoped.filter(kind=OrganisationKind.SOCIETY, region__code="370900").order_by("code")[:2])
    return societies + found


def _document(project: Project, kind: str, name: str) -> None:
    doc = ProjectDocument(project=project, kind=kind, name=name, content_type="application/pdf", size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
                          uploaded_by="演示数据")  # fmt: skip
    doc.file.save(f"{doc.uid.hex}.pdf", ContentFile(PDF), save=False)
    doc.save()


def _walk(project: Project, trail: list[tuple[str, str, str, Decimal | None, str]]) -> None:
    before = ""
    for action, to_status, label, amount, comment in trail:
        ProjectStep.unscoped.create(project=project, action=action, from_status=before, to_status=to_status, actor_label=label,
                                    amount=amount, comment=comment)  # fmt: skip
        before = to_status


def _project(ctx: DemoContext, *, call: ProjectCall, number: int, applicant: Organisation, status: str, rounds: int,
             city_user: User | None) -> Project:  # fmt: skip
    rng = ctx.rng
    category = rng.choice(list(TITLES))
    requested = Decimal(rng.randrange(8, 40) * 5000)
    start = date(call.year, rng.randint(3, 6), 1)
    project = Project(
        call=call, code=f"KP-{call.year}-{number:03d}", title=f"{applicant.short_name or applicant.name}{rng.choice(TITLES[category])}",
        applicant=applicant, region=applicant.region, category=category, requested=requested, period_start=start,
        period_end=date(call.year, 12, 31), brief="围绕“星火科普”专项行动，面向基层群众开展科普服务，完善设施、丰富资源、培养队伍。",
        goals="开展活动不少于 10 场，直接受益群众不少于 2000 人次；形成可推广的工作经验。", status=status,
    )  # fmt: skip
    unit, city = "演示数据（申报单位）", "演示数据（市科协科普部）"
    trail: list[tuple[str, str, str, Decimal | None, str]] = [(StepAction.CREATE, S.DRAFT, unit, requested, "")]
    now = timezone.now()
    if status != S.DRAFT:
        project.submitted_at = now - timedelta(days=200 if call.year < now.year else 20)
        trail.append((StepAction.SUBMIT, S.SUBMITTED, unit, None, ""))
    if status == S.DECLINED:
        project.decision_comment = "项目绩效目标不明确，经费测算依据不足，本批次不予立项。"
        trail.append((StepAction.DECLINE, S.DECLINED, city, None, project.decision_comment))
    elif status not in (S.DRAFT, S.SUBMITTED):
        project.allocated = (requested * Decimal(rng.choice(("1", "0.9", "0.8", "0.75")))).quantize(Decimal(1))
        project.allocated_on, project.allocated_by = (project.submitted_at + timedelta(days=15)).date(), city_user
        project.decision_comment = "同意立项。"
        trail.append((StepAction.ALLOCATE, S.APPROVED, city, project.allocated, "同意立项。"))
    if status not in (S.DRAFT, S.SUBMITTED, S.DECLINED, S.APPROVED):
        trail.append((StepAction.START, S.IN_PROGRESS, unit, None, ""))
        share = rng.choice(("0.92", "0.96", "1")) if rounds else rng.choice(("0.3", "0.5", "0.6"))
        project.spent = (project.allocated * Decimal(share)).quantize(Decimal(1))
        trail.append((StepAction.SPENDING, S.IN_PROGRESS, unit, project.spent, "按进度报告支出"))
    for round_ in range(1, rounds + 1):
        last = round_ == rounds
        project.acceptance_applied_at = now - timedelta(days=40 - 10 * round_)
        project.acceptance_summary = "项目已按计划完成，各项绩效目标均已实现，经费使用规范。"
        trail.append((StepAction.APPLY, S.ACCEPTANCE_APPLIED, unit, project.spent, project.acceptance_summary))
        if last and status == S.ACCEPTANCE_APPLIED:
            break
        if not last or status == S.REJECTED:
            project.verdict_comment = "验收材料不完整，部分活动缺少影像资料和签到记录，请整改后重新申请验收。"
            trail.append((StepAction.REJECT, S.REJECTED, city, None, project.verdict_comment))
        else:
            project.verdict_comment, project.accepted_on = "项目完成情况良好，同意通过验收。", (now - timedelta(days=5)).date()
            trail.append((StepAction.ACCEPT, S.ACCEPTED, city, None, project.verdict_comment))
    project.acceptance_rounds = rounds
    project.save()
    _walk(project, trail)
    if status != S.DRAFT:
        _document(project, DocumentKind.APPLICATION, f"{project.code} 项目申报书.pdf")
    if rounds:
        _document(project, DocumentKind.ACCEPTANCE, f"{project.code} 验收材料.pdf")
        _document(project, DocumentKind.FINANCIAL, f"{project.code} 财务决算报告.pdf")
    return project


def seed(ctx: DemoContext) -> dict[str, int]:
    if ProjectCall.objects.exists():
        return {}
    year = timezone.localdate().year
    city_user = User.objects.filter(username="kepu").first()
    last = ProjectCall(year=year - 1, title=f"{year - 1}年度泰安市科普项目", total_budget=Decimal(2_000_000), deadline=date(year - 1, 3, 31),
                       status="closed", notes="支持科普基础设施、科普活动、科普资源开发和科普人才培养项目。")  # fmt: skip
    last.save()
    this = ProjectCall(year=year, title=f"{year}年度泰安市科普项目", total_budget=Decimal(3_000_000),
                       deadline=timezone.localdate() + timedelta(days=30),
                       notes="重点支持“星火科普”专项行动：星火科技馆、星火科普服务站、宣传员队伍和智惠助老。")  # fmt: skip
    this.save()
    applicants = _applicants()
    made, evaluated = 0, 0
    for i, (status, rounds, scores) in enumerate(LAST_YEAR):
        base = S.ACCEPTED if status == S.EVALUATED else status
        project = _project(ctx, call=last, number=i + 1, applicant=applicants[i % len(applicants)], status=base, rounds=rounds,
                           city_user=city_user)  # fmt: skip
        made += 1
        if scores and city_user is not None:
            values = dict(zip(("goal_score", "benefit_score", "funds_score", "archive_score"), scores, strict=True))
            total = sum(scores)
            Evaluation(project=project, total=total, grade=grade_for(total), evaluator=city_user, evaluator_label="演示数据（市科协科普部）",
                       comment="目标完成较好，群众反响积极。", **values).save()  # fmt: skip
            project.status = S.EVALUATED
            project.save(update_fields=["status", "updated_at"])
            ProjectStep.unscoped.create(project=project, action=StepAction.EVALUATE, from_status=S.ACCEPTED, to_status=S.EVALUATED,
                                        actor_label="演示数据（市科协科普部）", comment=f"{total} 分，{Grade(grade_for(total)).label}")  # fmt: skip
            evaluated += 1
    for i, status in enumerate(THIS_YEAR):
        rounds = 1 if status == S.ACCEPTANCE_APPLIED else 0
        _project(ctx, call=this, number=i + 1, applicant=applicants[(i + len(LAST_YEAR)) % len(applicants)], status=status,
                 rounds=rounds, city_user=city_user)  # fmt: skip
        made += 1
    return {"申报批次": 2, "科普项目": made, "绩效评价": evaluated}
