"""Writes of the work list: a responsible unit updates its action (status, progress, what was done); city staff add
a plan and mark it 执行中 or 已结束, add and change tasks (with their responsible units, whose actions follow, and
their measurable targets) and weigh tasks and actions. Each in one transaction, audited by the models' saves."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.validation import validate
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import permissions
from xinghuo.worklist.errors import WorklistError as E
from xinghuo.worklist.models import Action, ActionStatus, Plan, ProgressReport, Target, Task
from xinghuo.worklist.units import candidates
from xinghuo.worklist.units import units_text as write_units

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


# --- plans and tasks (city staff) ---------------------------------------------------------------------------------

REPORT_EVERY = ("", "month", "quarter")  # Task.report_every: 不定期, 每月, 每季度
TARGET_PERS = ("year", "")  # Target.per: each year, or over the whole task
RESERVED_PLAN_CODES = {"new"}  # the console's own words in a plan's address (plans/new/)
LEAD_SEPARATORS = re.compile(r"[、，,；;\s]+")


@dataclass(frozen=True)
class TargetSpec:
    """One measurable target of a task as the form gives it: "每年市级开展示范活动10-20期" → 10 to 20 期 a year,
    counted by an indicator where one measures it. `uid` names a target the task has (when editing)."""

    text: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str = ""
    per: str = "year"
    indicator: str = ""
    uid: str = ""


def plan_create(*, actor: Actor, code: str, title: str, issued: str = "") -> Plan:
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以添加方案")
    code, title = (code or "").strip(), (title or "").strip()
    if not title:
        raise DomainError(E.INVALID, "请填写方案名称", field="title")
    if not code or code in RESERVED_PLAN_CODES or Plan.objects.filter(code=code).exists():
        raise DomainError(E.INVALID, "请填写一个未被使用的方案代码（字母、数字、连字符）", field="code")
    plan = Plan(code=code, title=title, issued=(issued or "").strip())
    validate(plan)
    with transaction.atomic():
        plan.save()
    return plan


def plan_set_active(*, actor: Actor, plan: Plan, is_active: bool) -> Plan:
    """Mark a plan 执行中 or 已结束. An ended plan leaves the units' work list: it opens no more progress reports,
    reminds of nothing, asks for no filing, and its targets leave the indicators; its tasks and records stay, and the
    city may mark it 执行中 again."""
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以设置方案状态")
    with transaction.atomic():
        locked = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if locked.is_active != is_active:
            locked.is_active = is_active
            locked.save(update_fields=["is_active", "updated_at"])
    return locked


def _task_fields(
    *, title: str, text: str, section: str, lead: str, period: str, weight: Decimal | None, report_every: str
) -> dict[str, Any]:
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise DomainError(E.INVALID, "请填写任务名称", field="title")
    if not text:
        raise DomainError(E.INVALID, "请填写任务原文", field="text")
    if weight is not None and weight <= 0:
        raise DomainError(E.INVALID, "权重应大于 0（不填则按 1 计）", field="weight")
    if report_every not in REPORT_EVERY:
        raise DomainError(E.INVALID, "请选择进展报送周期（不定期、每月或每季度）", field="report_every")
    return {
        "title": title, "text": text, "section": (section or "").strip(), "lead": "、".join(n for n in LEAD_SEPARATORS.split(lead or "") if n),
        "period": (period or "").strip(), "weight": weight, "report_every": report_every,
    }  # fmt: skip


def _clean_units(units: list[Organisation] | None) -> list[Organisation]:
    units = list(dict.fromkeys(units or []))
    stopped = [u for u in units if not u.is_active]
    if stopped:
        raise DomainError(E.INVALID, f"{stopped[0].name}已停用，不能作为负责单位", field="units")
    if len(units) != candidates().filter(pk__in=[u.pk for u in units]).count():
        raise DomainError(E.INVALID, "负责单位须是本市的单位", field="units")
    return units


def _indicator_keys() -> set[str]:
    from xinghuo.indicators.selectors import all_indicators  # the indicators read the work list: imported when used

    return {indicator.key for indicator in all_indicators()}


def _clean_targets(targets: Sequence[TargetSpec]) -> list[TargetSpec]:
    """The targets, each checked: its words, a range whose lower end is not above the upper, a known period and an
    indicator of the registry (or none)."""
    keys: set[str] | None = None
    out = []
    for n, spec in enumerate(targets, start=1):
        where = f"第 {n} 条量化目标"
        text = (spec.text or "").strip()
        if not text:
            raise DomainError(E.INVALID, f"{where}：请填写目标", field="targets")
        if spec.per not in TARGET_PERS:
            raise DomainError(E.INVALID, f"{where}：请选择周期（每年或整个任务期）", field="targets")
        if any(value is not None and value < 0 for value in (spec.minimum, spec.maximum)):
            raise DomainError(E.INVALID, f"{where}：数值不能为负数", field="targets")
        if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
            raise DomainError(E.INVALID, f"{where}：下限不能大于上限", field="targets")
        indicator = (spec.indicator or "").strip()
        if indicator:
            keys = _indicator_keys() if keys is None else keys
            if indicator not in keys:
                raise DomainError(E.INVALID, f"{where}：没有代码为“{indicator}”的指标", field="targets")
        out.append(replace(spec, text=text, unit=(spec.unit or "").strip(), indicator=indicator))
    return out


def _save_targets(task: Task, targets: list[TargetSpec]) -> None:
    """The task's targets become `targets`: those named by uid updated, the others added, the rest removed. Inside the
    caller's transaction (a bad one undoes the whole save)."""
    have = {str(t.uid): t for t in Target.objects.filter(task=task)}
    kept: set[str] = set()
    for n, spec in enumerate(targets, start=1):
        target = have.get(spec.uid) if spec.uid and spec.uid not in kept else None
        if target is None:
            target = Target(task=task)
        else:
            kept.add(spec.uid)
        values = {"text": spec.text, "minimum": spec.minimum, "maximum": spec.maximum, "unit": spec.unit, "per": spec.per,
                  "indicator": spec.indicator}  # fmt: skip
        if target.pk is not None and all(getattr(target, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(target, name, value)
        try:
            validate(target)
        except DomainError as exc:
            raise DomainError(E.INVALID, f"第 {n} 条量化目标：{exc.message}", field="targets") from exc
        target.save()
    for uid, target in have.items():
        if uid not in kept:
            target.delete()


def task_create(
    *, actor: Actor, plan: Plan, code: str, title: str, text: str, parent: Task | None = None, section: str = "", lead: str = "",
    units: list[Organisation] | None = None, units_text: str = "", period: str = "", weight: Decimal | None = None,
    report_every: str = "", targets: Sequence[TargetSpec] = (),
) -> Task:  # fmt: skip
    """A task of a plan (a new plan's clause, or one the city adds; a sub-task under `parent`, a task of the same plan),
    with an action for each responsible unit and its measurable targets, all in one transaction: a bad target saves
    nothing. `units_text` is the units as the plan writes them (may name units not on the platform); by default the
    units chosen, a whole kind by its collective name."""
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以添加任务")
    code = (code or "").strip()
    if not code:
        raise DomainError(E.INVALID, "请填写任务编号", field="code")
    fields = _task_fields(title=title, text=text, section=section, lead=lead, period=period, weight=weight, report_every=report_every)
    if parent is not None and parent.plan_id != plan.pk:
        raise DomainError(E.INVALID, "上级任务须属于同一方案", field="parent")
    units = _clean_units(units)
    checked = _clean_targets(targets)
    with transaction.atomic():
        if Task.objects.filter(code=code).exists():
            raise DomainError(E.INVALID, f"任务编号“{code}”已被使用，请换一个", field="code")
        order = (Task.objects.filter(plan=plan, parent=parent).order_by("-order").values_list("order", flat=True).first() or 0) + 1
        task = Task(plan=plan, parent=parent, code=code, order=order, units=(units_text or "").strip() or write_units(units), **fields)
        validate(task)
        try:
            with transaction.atomic():  # the same code saved by someone else a moment ago: the unique index refuses it
                task.save()
        except IntegrityError as exc:
            raise DomainError(E.INVALID, f"任务编号“{code}”已被使用，请换一个", field="code") from exc
        for unit in units:
            Action.unscoped.create(task=task, organisation=unit)
        _save_targets(task, checked)
    return task


def _has_history(action: Action) -> bool:
    """Whether the unit has worked on its action: a status, progress or note of its own, or a progress report it
    submitted or began (the empty reports opened for it are not its history)."""
    if action.progress or action.status != ActionStatus.NOT_STARTED or action.note:
        return True
    begun = (Q(submitted_at__isnull=False) | Q(progress__isnull=False) | ~Q(text="") | ~Q(problems="") | ~Q(next_steps="")
             | Q(attachments__isnull=False))  # fmt: skip
    return ProgressReport.unscoped.filter(action=action).filter(begun).exists()


def task_update(
    *, actor: Actor, task: Task, title: str, text: str, section: str = "", lead: str = "", period: str = "",
    weight: Decimal | None = None, report_every: str = "", units: list[Organisation] | None = None, units_text: str = "",
    targets: Sequence[TargetSpec] = (),
) -> Task:  # fmt: skip
    """Change a task: its words, lead, period, weight and reporting; its responsible units (a new one gets an action;
    one taken off loses its action) and its targets, all in one transaction. A unit that has worked on its action
    (progress, a note, a report submitted or begun) cannot be taken off: its history stays with the task. Its code,
    plan and place in the plan stay."""
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以修改任务")
    fields = _task_fields(title=title, text=text, section=section, lead=lead, period=period, weight=weight, report_every=report_every)
    units = _clean_units(units)
    checked = _clean_targets(targets)
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
        actions = Action.unscoped.select_for_update(of=("self",)).select_related("organisation").filter(task=locked)
        have = {a.organisation_id: a for a in actions}
        wanted = {u.pk: u for u in units}
        for org_id, action in have.items():
            if org_id in wanted:
                continue
            # its reports locked first: a draft being saved at this moment either lands before the check (and is
            # history) or waits and finds its report gone with the action
            list(ProgressReport.unscoped.select_for_update(of=("self",)).filter(action=action).order_by("pk"))
            if _has_history(action):
                raise DomainError(E.INVALID, f"{action.organisation.name}已填报过这项任务的进展，不能移出负责单位（其进展记录须保留）",
                                  field="units")  # fmt: skip
            action.delete()  # with the empty reports opened for it
        for org_id, unit in wanted.items():
            if org_id not in have:
                Action.unscoped.create(task=locked, organisation=unit)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.units = (units_text or "").strip() or write_units(units)
        validate(locked)
        locked.save(update_fields=[*fields, "units", "updated_at"])
        _save_targets(locked, checked)
    return locked


def action_weights_set(*, actor: Actor, task: Task, weights: Mapping[str, Decimal | None]) -> int:
    """Weigh a task's actions among them at once (by action uid; None counts as 1); returns how many changed."""
    if not permissions.can_plan(actor):
        raise _deny("只有市科协可以设置权重")
    if any(w is not None and w <= 0 for w in weights.values()):
        raise DomainError(E.INVALID, "权重应大于 0（不填则按 1 计）", field="weight")
    changed = 0
    with transaction.atomic():
        actions = {str(a.uid): a for a in Action.unscoped.select_for_update(of=("self",)).filter(task=task)}
        if set(weights) - set(actions):
            raise DomainError(E.NOT_ALLOWED, NOT_FOUND, status=404)
        for uid, weight in weights.items():
            action = actions[uid]
            if action.weight == weight:
                continue
            action.weight = weight
            validate(action)
            action.save(update_fields=["weight", "updated_at"])
            changed += 1
    return changed


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
