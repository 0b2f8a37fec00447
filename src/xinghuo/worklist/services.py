"""Writes of the work list: a responsible unit updates its action (status, progress, what was done); city staff add
a plan, add a task (with its responsible units) and weigh tasks and actions. Each in one transaction, audited by
the models' saves."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import permissions
from xinghuo.worklist.errors import WorklistError as E
from xinghuo.worklist.models import Action, ActionStatus, Plan, Task

NOT_FOUND = "您要找的记录不存在或无权查看。"


def _deny(message: str = "您的身份不能办理这一环节") -> DomainError:
    return DomainError(E.NOT_ALLOWED, message, status=403)


def action_update(*, actor: Actor, action: Action, status: str, progress: int, note: str = "") -> Action:
    """The unit's own action (city staff: any): its status, its progress in per cent, and what was done."""
    if not permissions.can_report(actor):
        raise _deny()
    if status not in ActionStatus.values:
        raise DomainError(E.INVALID, "请选择状态", field="status")
    if progress is None or not 0 <= int(progress) <= 100:
        raise DomainError(E.INVALID, "进度请填写 0 到 100 之间的整数", field="progress")
    progress = 100 if status == ActionStatus.DONE else int(progress)
    if status == ActionStatus.NOT_STARTED and progress > 0:
        raise DomainError(E.INVALID, "已有进度的任务请选择“推进中”", field="status")
    with transaction.atomic():
        locked = Action.unscoped.select_for_update(of=("self",)).select_related("organisation").get(pk=action.pk)
        if not (
            permissions.can_plan(actor) or actor.reaches(region_id=locked.organisation.region_id, organisation_id=locked.organisation_id)
        ):
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        locked.status, locked.progress, locked.note = status, progress, (note or "").strip()[:2000]
        validate(locked)
        locked.save(update_fields=["status", "progress", "note", "updated_at"])
    return locked


def plan_create(*, actor: Actor, code: str, title: str, issued: str = "") -> Plan:
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以添加方案")
    code, title = (code or "").strip(), (title or "").strip()
    if not title:
        raise DomainError(E.INVALID, "请填写方案名称", field="title")
    if not code or Plan.objects.filter(code=code).exists():
        raise DomainError(E.INVALID, "请填写一个未被使用的方案代码（字母、数字、连字符）", field="code")
    plan = Plan(code=code, title=title, issued=(issued or "").strip())
    validate(plan)
    with transaction.atomic():
        plan.save()
    return plan


def task_create(
    *, actor: Actor, plan: Plan, code: str, title: str, text: str, parent: Task | None = None, lead: str = "",
    units: list[Organisation] | None = None, period: str = "", weight: Decimal | None = None,
) -> Task:  # fmt: skip
    """A task of a plan (a new plan's clause, or one the city adds), with an action for each responsible unit."""
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以添加任务")
    code, title, text = (code or "").strip(), (title or "").strip(), (text or "").strip()
    if not title:
        raise DomainError(E.INVALID, "请填写任务名称", field="title")
    if not text:
        raise DomainError(E.INVALID, "请填写任务内容", field="text")
    if not code or Task.objects.filter(code=code).exists():
        raise DomainError(E.INVALID, "请填写一个未被使用的任务编号", field="code")
    if parent is not None and parent.plan_id != plan.pk:
        raise DomainError(E.INVALID, "上级任务须属于同一方案", field="parent")
    units = list(dict.fromkeys(units or []))
    with transaction.atomic():
        order = (Task.objects.filter(plan=plan, parent=parent).order_by("-order").values_list("order", flat=True).first() or 0) + 1
        task = Task(plan=plan, parent=parent, code=code, order=order, title=title, text=text, lead=(lead or "").strip(),
                    units="、".join(u.name for u in units)[:300], period=(period or "").strip(), weight=weight)  # fmt: skip
        validate(task)
        task.save()
        for unit in units:
            Action.unscoped.create(task=task, organisation=unit)
    return task


def weight_set(*, actor: Actor, task: Task | None = None, action: Action | None = None, weight: Decimal | None) -> None:
    """Weigh a task among its siblings, or an action among its task's actions (None: counts as 1)."""
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以设置权重")
    if weight is not None and weight <= 0:
        raise DomainError(E.INVALID, "权重应大于 0（不填则按 1 计）", field="weight")
    with transaction.atomic():
        target = task if task is not None else action
        if target is None:
            raise ValueError("weigh a task or an action")
        target.weight = weight
        target.save(update_fields=["weight", "updated_at"])
