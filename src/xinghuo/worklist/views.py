"""Console pages of the work list (专项工作清单): the plans with their tasks and rolled-up progress, one task with
every responsible unit's part, the actor's own actions to keep, and the Excel export of a plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.lookup import get_by_uid
from xinghuo.worklist import permissions, selectors, services
from xinghuo.worklist.forms import ActionForm
from xinghuo.worklist.models import Plan

VIEWERS = permissions.VIEWER_ROLES


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _plan(request: HttpRequest, code: str) -> Plan:
    try:
        return selectors.get_plan(actor=_actor(request), code=code)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*VIEWERS)
@require_GET
def plan_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    plans = [(plan, selectors.plan_tree(plan)) for plan in selectors.plans(actor=actor)]
    overall = [(plan, selectors.weighted([(n.progress, n.task.weight or selectors.ONE) for n in tree if n.progress is not None]), tree)
               for plan, tree in plans]  # fmt: skip
    return render(request, "worklist/plans.html", console_context(
        request, title="专项工作清单", crumbs=[("专项工作清单", None)], plans=overall, ended=selectors.ended_plans(actor=actor),
        can_plan=permissions.can_plan(actor),
    ))  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def plan_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(request, code)
    return render(request, "worklist/plan.html", console_context(
        request, title=plan.title, crumbs=[("专项工作清单", reverse("worklist_console:plans")), (plan.title, None)], plan=plan,
        tree=selectors.plan_tree(plan), can_plan=permissions.can_plan(_actor(request)),
    ))  # fmt: skip


def _rows(tree: list[selectors.Node], depth: int = 0) -> list[tuple[int, selectors.Node]]:
    rows = []
    for node in tree:
        rows.append((depth, node))
        rows += _rows(node.children, depth + 1)
    return rows


EXPORT_COLUMNS = [
    Column("编号", lambda r: r[1].task.code, 12), Column("所属部分", lambda r: r[1].task.section, 30),
    Column("任务", lambda r: ("　" * r[0]) + r[1].task.title, 40), Column("牵头部门", lambda r: r[1].task.lead, 20),
    Column("负责落实单位", lambda r: r[1].task.units, 30), Column("量化目标", lambda r: "；".join(t.text for t in r[1].task.targets.all()), 30),
    Column("进度", lambda r: r[1].percent, 8), Column("滞后单位数", lambda r: r[1].delayed, 10),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def plan_export_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(request, code)
    return export_response(filename=f"工作清单-{plan.code}", sheet="专项工作清单", columns=EXPORT_COLUMNS,
                           rows=_rows(selectors.plan_tree(plan)), object_type="worklist.task", filters={"plan": plan.code})  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def task_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    try:
        task = selectors.get_task(actor=actor, uid=uid)
        node = selectors.task_node(task)
    except NotFound as exc:
        raise Http404 from exc
    mine = set(selectors.my_actions(actor=actor).filter(task=task).values_list("pk", flat=True))
    can_plan = permissions.can_plan(actor)
    return render(request, "worklist/task.html", console_context(
        request, title=f"{task.code} {task.title}",
        crumbs=[("专项工作清单", reverse("worklist_console:plans")), (task.plan.title, reverse("worklist_console:plan", args=[task.plan.code])),
                (task.code, None)],
        task=task, node=node, mine=mine, form=ActionForm(), targets=list(task.targets.all()), can_plan=can_plan,
    ))  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def my_actions_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "worklist/mine.html", console_context(
        request, title="我单位的落实任务", crumbs=[("专项工作清单", reverse("worklist_console:plans")), ("我单位的落实任务", None)],
        form=ActionForm(), **paginated(request, selectors.my_actions(actor=actor), per_page=30),
    ))  # fmt: skip


@for_roles(*VIEWERS)
@require_POST
def action_update_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        action = get_by_uid(selectors.my_actions(actor=_actor(request)), uid)
    except NotFound as exc:
        raise Http404 from exc
    form = ActionForm(request.POST)
    back = request.POST.get("back") == "task"
    if form.is_valid():
        try:
            services.action_update(actor=_actor(request), action=action, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已更新：{action.task.code} · {action.organisation.name}")
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("worklist_console:task", args=[action.task.uid]) if back else reverse("worklist_console:mine"))
