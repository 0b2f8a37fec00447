"""Console pages where city staff plan the work list: add a plan and mark it 执行中 or 已结束; add a task to a plan
(a sub-task under one of its tasks) with its responsible units and measurable targets; change a task; weigh its
units' actions. Everyone else gets the same 404 as for a missing page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import selectors, services
from xinghuo.worklist import units as unit_list
from xinghuo.worklist.forms import PlanForm, TargetFormSet, TaskForm, WeightsForm, target_specs
from xinghuo.worklist.models import Action, Plan, Task

HOME = ("专项工作清单", "worklist_console:plans")


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _plan(request: HttpRequest, code: str) -> Plan:
    try:
        return selectors.get_plan(actor=_actor(request), code=code)
    except NotFound as exc:
        raise Http404 from exc


def _task(request: HttpRequest, uid: str) -> Task:
    try:
        return selectors.get_task(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


def _indicators() -> list[tuple[str, str]]:
    from xinghuo.indicators.selectors import all_indicators  # the indicators read the work list: imported when used

    return [(i.key, f"{i.name}（{i.group}）") for i in all_indicators()]


@for_roles(Role.CITY_STAFF)
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=_actor(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已添加方案《{plan.title}》，请添加它的任务")
            return redirect(reverse("worklist_console:plan", args=[plan.code]))
    return render(request, "worklist/plan_form.html", console_context(
        request, title="新增方案", crumbs=[(HOME[0], reverse(HOME[1])), ("新增方案", None)], form=form,
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def plan_status_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(request, code)
    active = request.POST.get("is_active") == "1"
    try:
        services.plan_set_active(actor=_actor(request), plan=plan, is_active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"《{plan.title}》已标为{'执行中' if active else '已结束'}")
    return redirect(reverse("worklist_console:plan", args=[plan.code]))


def _unit_groups(form: TaskForm) -> list[unit_list.Group]:
    return unit_list.groups(form["units"].value() or [], form["unit_kinds"].value() or [])


def _task_page(request: HttpRequest, *, plan: Plan, task: Task | None, form: TaskForm, formset: Any, status: int) -> HttpResponse:
    crumbs = [(HOME[0], reverse(HOME[1])), (plan.title, reverse("worklist_console:plan", args=[plan.code]))]
    if task is None:
        title, crumbs = "新增任务", [*crumbs, ("新增任务", None)]
    else:
        title, crumbs = f"编辑任务 {task.code}", [*crumbs, (task.code, reverse("worklist_console:task", args=[task.uid])), ("编辑", None)]
    return render(request, "worklist/task_form.html", console_context(
        request, title=title, crumbs=crumbs, plan=plan, task=task, form=form, formset=formset, unit_groups=_unit_groups(form),
    ), status=status)  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_http_methods(["GET", "POST"])
def task_create_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(request, code)
    posted = request.method == "POST"
    form = TaskForm(request.POST if posted else None, plan=plan, initial={"parent": request.GET.get("parent", "")})
    formset = TargetFormSet(request.POST if posted else None, prefix="targets", form_kwargs={"indicators": _indicators()})
    if posted and form.is_valid() and formset.is_valid():
        try:
            task = services.task_create(actor=_actor(request), plan=plan, targets=target_specs(formset), **form.task_data())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已添加任务 {task.code}")
            return redirect(reverse("worklist_console:task", args=[task.uid]))
    return _task_page(request, plan=plan, task=None, form=form, formset=formset, status=400 if posted else 200)


def _name_of(org: Organisation) -> str:
    """How the form writes a unit it does not list: its name, or its code where another unit has the same name."""
    same = unit_list.candidates().filter(name=org.name).count() + unit_list.candidates().filter(short_name=org.name).count()
    return org.name if same == 1 else org.code


@for_roles(Role.CITY_STAFF)
@require_http_methods(["GET", "POST"])
def task_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    task = _task(request, uid)
    posted = request.method == "POST"
    units = [a.organisation for a in Action.unscoped.filter(task=task).select_related("organisation").order_by("organisation__code")]
    listed = {u.pk for u in unit_list.listed()}
    initial = {
        "title": task.title, "text": task.text, "section": task.section, "lead": task.lead, "period": task.period, "weight": task.weight,
        "report_every": task.report_every, "units_text": task.units, "units": [str(u.uid) for u in units if u.pk in listed],
        "other_units": "、".join(_name_of(u) for u in units if u.pk not in listed),
    }  # fmt: skip
    targets = [{"uid": str(t.uid), "text": t.text, "minimum": t.minimum, "maximum": t.maximum, "unit": t.unit, "per": t.per,
                "indicator": t.indicator} for t in task.targets.all()]  # fmt: skip
    form = TaskForm(request.POST if posted else None, plan=task.plan, task=task, initial=initial)
    formset = TargetFormSet(request.POST if posted else None, prefix="targets", initial=targets, form_kwargs={"indicators": _indicators()})
    if posted and form.is_valid() and formset.is_valid():
        try:
            services.task_update(actor=_actor(request), task=task, targets=target_specs(formset), **form.task_data())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已保存任务 {task.code}")
            return redirect(reverse("worklist_console:task", args=[task.uid]))
    return _task_page(request, plan=task.plan, task=task, form=form, formset=formset, status=400 if posted else 200)


@for_roles(Role.CITY_STAFF)
@require_POST
def task_weights_view(request: HttpRequest, uid: str) -> HttpResponse:
    task = _task(request, uid)
    form = WeightsForm(request.POST, actions=list(Action.unscoped.filter(task=task).select_related("organisation")))
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[name].label}：{e}" for name, errors in form.errors.items() for e in errors))
    else:
        try:
            changed = services.action_weights_set(actor=_actor(request), task=task, weights=form.weights())
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已更新 {changed} 个单位的权重" if changed else "权重没有变化")
    return redirect(reverse("worklist_console:task", args=[task.uid]))
