"""Console pages of funded projects (科普项目): the list of the actor's scope with filters and its Excel export; a
project's page with its documents, its history and the form of each step the actor may take now; the applicant's
forms (new, edit); the calls. Every page fetches through the selectors: another county's project answers 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.console.steps import run_step
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.files import file_response
from xinghuo.core.forms import Form
from xinghuo.core.lookup import get_by_uid
from xinghuo.organisations.models import CITY_OFFICE_KINDS, Organisation
from xinghuo.projects import permissions, selectors, services
from xinghuo.projects.forms import (
    AcceptanceForm,
    AllocateForm,
    CallForm,
    CommentForm,
    DocumentForm,
    EvaluationForm,
    FilterForm,
    NewProjectForm,
    ProjectForm,
    SpendingForm,
)
from xinghuo.projects.models import CallStatus, Project, ProjectCall, ProjectDocument, ProjectStatus
from xinghuo.regions.models import RegionLevel

VIEWERS = permissions.VIEWER_ROLES
APPLICANTS = permissions.APPLICANT_ROLES
CITY = Role.CITY_STAFF
HOME = ("科普项目", "projects_console:list")
#: error codes that mean the page is stale (the project moved on): shown at the top of the project's page
MOVED_ON = ("project_wrong_status",)


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(HOME[0], reverse(HOME[1])), *extra]


def _project(request: HttpRequest, uid: str) -> Project:
    try:
        return selectors.get_project_for_actor(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


def _url(project: Project) -> str:
    return reverse("projects_console:detail", args=[project.uid])


def _counties(request: HttpRequest) -> list[Any]:
    """The counties the actor may filter by: the city's for city staff; none for the others (theirs is their scope)."""
    actor = _actor(request)
    if actor.role != CITY:
        return []
    return list(actor.scope_region.filter(level__in=(RegionLevel.COUNTY, RegionLevel.ZONE)).order_by("level", "code"))


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.ProjectFilters]:
    form = FilterForm(request.GET or None, years=selectors.years(), counties=_counties(request))
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.ProjectFilters(q=data.get("q") or "", year=data.get("year"), status=data.get("status") or "",
                                          category=data.get("category") or "", county=data.get("county") or "",
                                          call=request.GET.get("call", ""))  # fmt: skip


def _listed(request: HttpRequest, filters: selectors.ProjectFilters) -> Any:
    try:
        return selectors.project_list(actor=_actor(request), filters=filters)
    except (DomainError, NotFound):
        return Project.objects.none()


# --- the list and its export ----------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def project_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    return render(request, "projects/list.html", console_context(
        request, title="科普项目", crumbs=_crumbs(), form=form, can_apply=_actor(request).role in APPLICANTS,
        **paginated(request, _listed(request, filters)),
    ))  # fmt: skip


COLUMNS = [
    Column("项目编号", lambda p: p.code, 14), Column("项目名称", lambda p: p.title, 36), Column("申报批次", lambda p: p.call.title, 28),
    Column("年度", lambda p: p.call.year, 8), Column("申报单位", lambda p: p.applicant.name, 28),
    Column("县市区", lambda p: (p.region.county or p.region).name if p.region.level != "city" else selectors.CITY_LEVEL, 12),
    Column("类别", lambda p: p.get_category_display(), 14), Column("状态", lambda p: p.get_status_display(), 12),
    Column("申请资金（元）", lambda p: float(p.requested), 14),
    Column("立项资金（元）", lambda p: float(p.allocated) if p.allocated is not None else None, 14),
    Column("已支出（元）", lambda p: float(p.spent), 14), Column("立项日期", lambda p: p.allocated_on, 12),
    Column("实施期", lambda p: f"{p.period_start:%Y-%m-%d} 至 {p.period_end:%Y-%m-%d}", 24),
    Column("验收通过日期", lambda p: p.accepted_on, 12),
    Column("绩效评价", lambda p: f"{p.evaluation.total} 分 {p.evaluation.get_grade_display()}" if p.status == "evaluated" else "", 14),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def project_export_view(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    rows = _listed(request, filters).select_related("evaluation", "region__county")
    return export_response(filename="科普项目", sheet="科普项目", columns=COLUMNS, rows=rows.iterator(chunk_size=1000),
                           object_type="projects.project", filters=filters.__dict__)  # fmt: skip


# --- the applicant's forms ------------------------------------------------------------------------------------


def _applicants() -> Any:
    """The organisations the actor may apply for: an organiser's own; a county's organisations (and itself)."""
    return Organisation.objects.filter(is_active=True).exclude(kind__in=CITY_OFFICE_KINDS).order_by("path")


@for_roles(*APPLICANTS)
@require_http_methods(["GET", "POST"])
def project_create_view(request: HttpRequest) -> HttpResponse:
    calls = selectors.open_calls()
    form = NewProjectForm(request.POST or None, calls=calls, applicants=_applicants())
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=_actor(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已创建项目 {project.code}，请上传申报书后提交")
            return redirect(_url(project))
    return render(request, "projects/form.html", console_context(
        request, title="新建项目申报", crumbs=_crumbs(("新建项目申报", None)), form=form, no_calls=not calls.exists(),
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


@for_roles(*APPLICANTS)
@require_http_methods(["GET", "POST"])
def project_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    project = _project(request, uid)
    initial = {f: getattr(project, f) for f in ProjectForm.base_fields}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=_actor(request), project=project, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect(_url(project))
    return render(request, "projects/form.html", console_context(
        request, title=f"修改 {project.code}", crumbs=_crumbs((project.code, _url(project)), ("修改", None)), form=form, project=project,
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


# --- a project's page -----------------------------------------------------------------------------------------


def _detail(request: HttpRequest, project: Project, *, status: int = 200, **forms: Form) -> HttpResponse:
    actor = _actor(request)
    mine = permissions.acts_for(actor, project.applicant)
    city = permissions.can_decide(actor)
    kinds = services.UPLOADS.get(project.status, ()) if mine and (project.status != ProjectStatus.REJECTED or project.can_reapply) else ()
    s = ProjectStatus
    can = {
        "edit": mine and project.status == s.DRAFT,
        "submit": mine and project.status == s.DRAFT,
        "upload": bool(kinds),
        "start": mine and project.status == s.APPROVED,
        "spending": mine and project.status in services.SPENDING_STATUSES and (project.status != s.REJECTED or project.can_reapply),
        "apply": mine and (project.status == s.IN_PROGRESS or project.can_reapply),
        "decide": city and project.status == s.SUBMITTED,
        "verdict": city and project.status == s.ACCEPTANCE_APPLIED,
        "evaluate": city and project.status == s.ACCEPTED,
    }
    call = selectors.calls().get(pk=project.call_id)
    defaults: dict[str, Form] = {
        "document_form": DocumentForm(kinds=kinds or ("other",)),
        "allocate_form": AllocateForm(initial={"amount": min(project.requested, call.total_budget - call.granted)}),
        "decline_form": CommentForm(),
        "spending_form": SpendingForm(initial={"spent": project.spent}),
        "acceptance_form": AcceptanceForm(initial={"spent": project.spent}),
        "verdict_form": CommentForm(),
        "evaluation_form": EvaluationForm(),
    }
    documents = project.documents(manager="unscoped").all()
    sent = max((t for t in (project.submitted_at, project.acceptance_applied_at) if t is not None), default=None)
    evaluation = getattr(project, "evaluation", None) if project.status == ProjectStatus.EVALUATED else None
    return render(request, "projects/detail.html", console_context(
        request, title=f"{project.code} {project.title}", crumbs=_crumbs((project.code, None)), project=project, can=can, call=call,
        left=call.total_budget - call.granted, documents=[(d, mine and bool(kinds) and (sent is None or d.created_at > sent)) for d in documents],
        steps=project.steps(manager="unscoped").all(), evaluation=evaluation, **{**defaults, **forms},
    ), status=status)  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def project_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _detail(request, _project(request, uid))


def _step(request: HttpRequest, uid: str, form_class: Callable[..., Form], name: str, act: Callable[[Project, dict[str, Any]], Any],
          success: str, **form_kwargs: Any) -> HttpResponse:  # fmt: skip
    project = _project(request, uid)
    return run_step(
        request, form_class(request.POST, request.FILES, **form_kwargs), lambda data: act(project, data), back=_url(project),
        success=lambda _: success, page=lambda form: _detail(request, project, status=400, **{name: form}), moved_on=MOVED_ON,
    )  # fmt: skip


def _plain(request: HttpRequest, uid: str, act: Callable[[Project], Any], success: str) -> HttpResponse:
    project = _project(request, uid)
    try:
        act(project)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(_url(project))


@for_roles(*APPLICANTS)
@require_POST
def project_submit_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _plain(request, uid, lambda p: services.project_submit(actor=_actor(request), project=p), "已提交市科协审核")


@for_roles(*APPLICANTS)
@require_POST
def project_start_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _plain(request, uid, lambda p: services.project_start(actor=_actor(request), project=p), "项目已进入实施")


@for_roles(*APPLICANTS)
@require_POST
def document_upload_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _step(request, uid, DocumentForm, "document_form",
                 lambda p, d: services.document_add(actor=_actor(request), project=p, kind=d["kind"], upload=d["file"]), "材料已上传")  # fmt: skip


@for_roles(*APPLICANTS)
@require_POST
def spending_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _step(request, uid, SpendingForm, "spending_form",
                 lambda p, d: services.project_report_spending(actor=_actor(request), project=p, **d), "已更新支出")  # fmt: skip


@for_roles(*APPLICANTS)
@require_POST
def acceptance_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _step(request, uid, AcceptanceForm, "acceptance_form",
                 lambda p, d: services.project_apply_acceptance(actor=_actor(request), project=p, **d), "已申请验收")  # fmt: skip


@for_roles(CITY)
@require_POST
def allocate_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _step(request, uid, AllocateForm, "allocate_form",
                 lambda p, d: services.project_allocate(actor=_actor(request), project=p, **d), "已立项")  # fmt: skip


@for_roles(CITY)
@require_POST
def decline_view(request: HttpRequest, uid: str) -> HttpResponse:
    returning = request.POST.get("decision") == "return"
    act = services.project_return if returning else services.project_decline
    return _step(request, uid, CommentForm, "decline_form", lambda p, d: act(actor=_actor(request), project=p, comment=d["comment"]),
                 "已退回申报单位修改" if returning else "已作出不予立项决定")  # fmt: skip


@for_roles(CITY)
@require_POST
def verdict_view(request: HttpRequest, uid: str) -> HttpResponse:
    passed = request.POST.get("verdict") == "pass"
    return _step(request, uid, CommentForm, "verdict_form",
                 lambda p, d: services.project_verdict(actor=_actor(request), project=p, passed=passed, comment=d["comment"]),
                 "验收通过" if passed else "已作出验收不通过结论")  # fmt: skip


@for_roles(CITY)
@require_POST
def evaluate_view(request: HttpRequest, uid: str) -> HttpResponse:
    def act(project: Project, data: dict[str, Any]) -> Any:
        comment = data.pop("comment", "")
        return services.project_evaluate(actor=_actor(request), project=project, scores=data, comment=comment)

    return _step(request, uid, EvaluationForm, "evaluation_form", act, "已完成绩效评价")


# --- documents ------------------------------------------------------------------------------------------------


def _document(uid: str) -> ProjectDocument:
    try:
        return get_by_uid(ProjectDocument.objects.select_related("project"), uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*VIEWERS)
@require_GET
def document_view(request: HttpRequest, uid: str) -> HttpResponse:
    """A document, to those who may see its project only (the scoped manager finds no other)."""
    document = _document(uid)
    return file_response(document.file, content_type=document.content_type, filename=document.name, as_attachment=not document.inline)


@for_roles(*APPLICANTS)
@require_POST
def document_delete_view(request: HttpRequest, uid: str) -> HttpResponse:
    document = _document(uid)
    try:
        services.document_remove(actor=_actor(request), document=document)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除 {document.name}")
    return redirect(_url(document.project))


# --- calls ----------------------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def call_list_view(request: HttpRequest) -> HttpResponse:
    city = _actor(request).role == CITY
    form = CallForm(request.POST or None)
    if request.method == "POST":
        if not city:
            raise Http404
        if form.is_valid():
            try:
                call = services.call_save(actor=_actor(request), **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已发布“{call.title}”")
                return redirect(reverse("projects_console:calls"))
    return render(request, "projects/calls.html", console_context(
        request, title="项目申报批次", crumbs=_crumbs(("项目申报批次", None)), form=form, is_city=city, calls=selectors.calls(),
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


def _call(uid: str) -> ProjectCall:
    try:
        return selectors.get_call(uid=uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(CITY)
@require_http_methods(["GET", "POST"])
def call_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    call = _call(uid)
    initial = {f: getattr(call, f) for f in CallForm.base_fields}
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_save(actor=_actor(request), call=call, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect(reverse("projects_console:calls"))
    return render(request, "projects/call_form.html", console_context(
        request, title=f"修改 {call.title}", crumbs=_crumbs(("项目申报批次", reverse("projects_console:calls")), (call.title, None)),
        form=form, call=call,
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


@for_roles(CITY)
@require_POST
def call_status_view(request: HttpRequest, uid: str) -> HttpResponse:
    call = _call(uid)
    status = CallStatus.CLOSED if call.status == CallStatus.OPEN else CallStatus.OPEN
    try:
        services.call_set_status(actor=_actor(request), call=call, status=status)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已截止申报" if status == CallStatus.CLOSED else "已重新开放申报")
    return redirect(reverse("projects_console:calls"))
