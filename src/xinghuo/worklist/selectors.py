"""Reads of the work list: each plan's tasks as a tree with the progress rolled up from the responsible units'
actions (weighted where weights are set, else the plain average), one task with its actions, and a unit's own
actions to keep."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import NotFound
from xinghuo.core.lookup import get_by_uid
from xinghuo.worklist import permissions
from xinghuo.worklist.models import Action, ActionStatus, Attachment, Filing, Plan, ProgressReport, Reminder, SupervisionNotice, Task

ONE = Decimal(1)


@dataclass
class Node:
    task: Task
    children: list[Node] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # every unit's, for the roll-up
    progress: Decimal | None = None  # None: no unit on the platform carries it
    delayed: int = 0  # actions marked 滞后 in this subtree

    @property
    def percent(self) -> str:
        return "—" if self.progress is None else f"{self.progress:.0f}%"


def weighted(items: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The weighted average of (value, weight) pairs; None for none."""
    total = sum((w for _, w in items), Decimal(0))
    return sum((v * w for v, w in items), Decimal(0)) / total if items and total else None


def roll_up(node: Node) -> Decimal | None:
    """A task's progress: the weighted average of its sub-tasks' (those with a progress) and its actions'."""
    items = []
    for child in node.children:
        if roll_up(child) is not None:
            items.append((child.progress, child.task.weight or ONE))
        node.delayed += child.delayed
    for action in node.actions:
        items.append((Decimal(action.progress), action.weight or ONE))
        node.delayed += action.status == ActionStatus.DELAYED
    node.progress = weighted(items)
    return node.progress


def plan_tree(plan: Plan) -> list[Node]:
    """The plan's top tasks, each with its sub-tasks and actions, rolled up; two queries."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "id"))
    nodes = {t.pk: Node(task=t) for t in tasks}
    for action in Action.unscoped.filter(task__plan=plan).select_related("organisation").order_by("organisation__code"):
        nodes[action.task_id].actions.append(action)
    roots = []
    for t in tasks:
        (nodes[t.parent_id].children if t.parent_id in nodes else roots).append(nodes[t.pk])
    for root in roots:
        roll_up(root)
    return roots


def plans(*, actor: Actor) -> QuerySet[Plan]:
    return Plan.objects.filter(is_active=True).order_by("code") if permissions.can_view(actor) else Plan.objects.none()


def ended_plans(*, actor: Actor) -> QuerySet[Plan]:
    """The plans marked 已结束: the city's to look back on (and to mark 执行中 again); the units see active plans only."""
    return Plan.objects.filter(is_active=False).order_by("code") if permissions.can_plan(actor) else Plan.objects.none()


def get_plan(*, actor: Actor, code: str) -> Plan:
    """An active plan, or for city staff an ended one too; NotFound otherwise."""
    plan = (plans(actor=actor) | ended_plans(actor=actor)).filter(code=code).first()
    if plan is None:
        raise NotFound
    return plan


def get_task(*, actor: Actor, uid: str) -> Task:
    if not permissions.can_view(actor):
        raise NotFound
    return get_by_uid(Task.objects.select_related("plan", "parent"), uid)


def task_node(task: Task) -> Node:
    """One task with its subtree, rolled up."""
    for root in plan_tree(task.plan):
        found = _find(root, task.pk)
        if found is not None:
            return found
    raise NotFound


def _find(node: Node, pk: int) -> Node | None:
    if node.task.pk == pk:
        return node
    for child in node.children:
        found = _find(child, pk)
        if found is not None:
            return found
    return None


def my_actions(*, actor: Actor) -> QuerySet[Action]:
    """The actions of the actor's own scope (a county's, an organisation's; the city: all), to keep."""
    if not permissions.can_report(actor):
        return Action.objects.none()
    return Action.objects.select_related("task", "task__plan", "organisation").order_by("task__plan__code", "task__order", "task_id")


def actions_by_status(actions: list[Action]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for action in actions:
        counts[action.status] += 1
    return dict(counts)


# --- filings and supervision ------------------------------------------------------------------------------------


def filings(*, actor: Actor, status: str = "") -> QuerySet[Filing]:
    """The filings of the actor's scope (a county: its own; the city: all)."""
    if not permissions.can_view(actor):
        return Filing.objects.none()
    found = Filing.objects.select_related("organisation", "plan")
    return found.filter(status=status) if status else found


def reports(*, actor: Actor) -> QuerySet[ProgressReport]:
    if not permissions.can_report(actor):
        return ProgressReport.objects.none()
    return ProgressReport.objects.select_related("action__task", "action__organisation").order_by("submitted_at", "due", "id")


def overdue_reports(*, today: date | None = None) -> QuerySet[ProgressReport]:
    """The reports of the current scope not in by their due day, of the plans still carried out (an ended plan's
    debts are no longer asked for)."""
    today = today or timezone.localdate()
    return ProgressReport.objects.filter(submitted_at__isnull=True, due__lt=today, action__task__plan__is_active=True).select_related(
        "action__task", "action__organisation"
    )


def notices(*, actor: Actor) -> QuerySet[SupervisionNotice]:
    if not permissions.can_view(actor):
        return SupervisionNotice.objects.none()
    return SupervisionNotice.objects.select_related("organisation", "task")


def get_report(*, actor: Actor, uid: str) -> ProgressReport:
    return get_by_uid(reports(actor=actor).select_related("action__task__plan"), uid)


def get_notice(*, actor: Actor, uid: str) -> SupervisionNotice:
    return get_by_uid(notices(actor=actor), uid)


def get_attachment(*, actor: Actor, uid: str) -> Attachment:
    """An attachment the actor may read: one of a filing, report or notice the actor may see (else NotFound, for
    missing and forbidden alike)."""
    attachment = get_by_uid(Attachment.objects.select_related("filing", "report", "notice"), uid)
    if attachment.filing_id is not None:
        owner = filings(actor=actor).filter(pk=attachment.filing_id)
    elif attachment.report_id is not None:
        owner = reports(actor=actor).filter(pk=attachment.report_id)
    else:
        owner = notices(actor=actor).filter(pk=attachment.notice_id)
    if not owner.exists():
        raise NotFound
    return attachment


def reminders(*, actor: Actor) -> QuerySet[Reminder]:
    """The reminders of the actor's own unit, newest first."""
    if not permissions.can_view(actor) or actor.organisation is None:
        return Reminder.objects.none()
    return Reminder.objects.filter(organisation=actor.organisation).order_by("-created_at", "-id")


def unread_reminders(*, actor: Actor) -> QuerySet[Reminder]:
    return reminders(actor=actor).filter(read_at__isnull=True)


def exemplary_reports() -> QuerySet[ProgressReport]:
    """The reports the city picked as exemplary practices (典型做法), newest first: shown to every unit."""
    return (
        ProgressReport.unscoped.filter(exemplary=True, submitted_at__isnull=False)
        .select_related("action__task", "action__organisation")
        .order_by("-submitted_at")
    )
