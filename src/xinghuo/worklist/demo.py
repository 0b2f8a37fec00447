"""Demo work list: the two plans' tasks (worklist/data.py), with the year's progress told unevenly — some counties
ahead, some behind, a few units marked 滞后 — the implementation plans of the counties in every state of their
filing (one returned with comments), last month's progress reports (most in, some overdue, one picked as an
exemplary practice) for the tasks that report monthly, and supervision notices, one answered, one waiting; then
the day's reminders of what is near its deadline or past it. Idempotent: seeded once (the plans load again harmlessly)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from xinghuo.core import audit
from xinghuo.core.demo import DemoContext
from xinghuo.organisations.base_data import city_association
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.worklist import data
from xinghuo.worklist.loading import load
from xinghuo.worklist.models import (
    Action,
    ActionStatus,
    Filing,
    FilingStatus,
    FilingStep,
    NoticeStatus,
    Plan,
    ProgressReport,
    SupervisionNotice,
    Task,
)
from xinghuo.worklist.reminders import reminders_send
from xinghuo.worklist.supervision import last_period

#: the tasks that report monthly (the brand activities and the venues): their reports open in the demo
MONTHLY = ("X-4.1.1", "X-4.1.2", "X-4.3.1")
#: how far along each county is this year, as a share of the year's work (some ahead, some behind)
PACE = (0.95, 0.85, 0.7, 0.55, 0.4, 0.3, 0.8, 0.6, 0.5)


def seed(ctx: DemoContext) -> dict[str, int]:
    if Plan.objects.exists() and Filing.unscoped.exists():
        return {}
    loaded = load(plans=data.PLANS, tasks=data.TASKS, city=city_association(), refresh=True)  # the demo's organisations now exist
    rng, now, today = ctx.rng, timezone.now(), timezone.localdate()
    counties = list(Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION, code__startswith="KX3709").order_by("code"))
    pace = {org.pk: PACE[i % len(PACE)] for i, org in enumerate(counties)}
    actions = list(Action.unscoped.all())
    for action in actions:
        share = pace.get(action.organisation_id, rng.uniform(0.4, 0.9))
        progress = max(0, min(100, int(rng.gauss(share * 100, 12))))
        if progress >= 100:
            action.status, action.progress = ActionStatus.DONE, 100
        elif progress == 0:
            action.status, action.progress = ActionStatus.NOT_STARTED, 0
        else:
            behind = share < 0.45 and rng.random() < 0.5
            action.status, action.progress = (ActionStatus.DELAYED if behind else ActionStatus.IN_PROGRESS), progress
        action.note = "" if action.progress == 0 else rng.choice(("已按计划推进", "已召开专题会议部署", "已开展活动并上报", "正在征集需求"))
    with audit.bulk_write(model=Action, description="演示数据：各单位落实进度") as summary:
        Action.unscoped.bulk_update(actions, ["status", "progress", "note"], batch_size=500)
        summary["updated"] = len(actions)
    with audit.bulk_write(model=Task, description="演示数据：按月报送的任务"):
        Task.objects.filter(code__in=MONTHLY).update(report_every="month")
    plan = Plan.objects.get(code="xinghuo")
    filings, steps = [], []
    states = (FilingStatus.ACCEPTED, FilingStatus.ACCEPTED, FilingStatus.SUBMITTED, FilingStatus.RETURNED, FilingStatus.DRAFT)
    for i, org in enumerate(counties):
        status = states[i % len(states)]
        filings.append(Filing(
            organisation=org, plan=plan, title=f"{org.short_name or org.name}“星火科普”专项行动实施方案", status=status,
            content="一、工作目标\n二、重点任务\n三、保障措施（含星火科普宣传员村村全覆盖的时间表）",
            submitted_at=None if status == FilingStatus.DRAFT else now - timedelta(days=30 - i),
            decided_at=now - timedelta(days=20 - i) if status in (FilingStatus.ACCEPTED, FilingStatus.RETURNED) else None,
            comment="请补充宣传员全覆盖的分月时间表和服务站选址" if status == FilingStatus.RETURNED else "",
        ))  # fmt: skip
    with audit.bulk_write(model=Filing, description="演示数据：实施方案备案") as summary:
        Filing.unscoped.bulk_create(filings)
        summary["created"] = len(filings)
    for filing in filings:
        trail = {"draft": ["draft"], "submitted": ["draft", "submitted"], "returned": ["draft", "submitted", "returned"],
                 "accepted": ["draft", "submitted", "accepted"]}[filing.status]  # fmt: skip
        for before, after in zip(["", *trail], trail, strict=False):
            steps.append(
                FilingStep(
                    filing=filing,
                    from_status=before,
                    to_status=after,
                    actor_label="演示数据",
                    comment=filing.comment if after == "returned" else "",
                )
            )
    with audit.bulk_write(model=FilingStep, description="演示数据：备案办理环节"):
        FilingStep.unscoped.bulk_create(steps)
    label, due = last_period("month", today)
    reports = []
    for action in Action.unscoped.filter(task__code__in=MONTHLY).select_related("organisation").order_by("id"):
        late = pace.get(action.organisation_id, 0.7) < 0.45
        reports.append(ProgressReport(
            action=action, period=label, due=due,
            submitted_at=None if late else now - timedelta(days=rng.randint(0, 3)),
            text="" if late else rng.choice(("本月开展示范活动 2 期，覆盖群众 600 余人", "新增宣传员 8 名，覆盖 6 个村", "完成品牌活动备案 3 项")),
        ))  # fmt: skip
    if reports and reports[0].submitted_at is not None:
        reports[0].exemplary = True
    with audit.bulk_write(model=ProgressReport, description=f"演示数据：{label} 进展报送") as summary:
        ProgressReport.unscoped.bulk_create(reports)
        summary["created"] = len(reports)
    behind = [org for org in counties if pace[org.pk] < 0.45]
    coverage_task = Task.objects.get(code="X-4.1.4")
    notices = []
    for i, org in enumerate(behind):
        answered = i == 0
        notices.append(SupervisionNotice(
            organisation=org, task=coverage_task, text="宣传员覆盖和服务站建设进度滞后，请说明原因、措施和完成时限",
            answer_by=today + timedelta(days=7 - 10 * i), status=NoticeStatus.ANSWERED if answered else NoticeStatus.OPEN,
            answer="已制定分月推进表，年底前实现村村有宣传员" if answered else "", answered_at=now - timedelta(days=1) if answered else None,
        ))  # fmt: skip
    with audit.bulk_write(model=SupervisionNotice, description="演示数据：督办通知") as summary:
        SupervisionNotice.unscoped.bulk_create(notices)
        summary["created"] = len(notices)
    sent = reminders_send(today=today)
    return {
        "工作任务": loaded.tasks,
        "落实单位": len(actions),
        "实施方案备案": len(filings),
        "进展报送": len(reports),
        "督办": len(notices),
        "提醒": sent.total,
    }
