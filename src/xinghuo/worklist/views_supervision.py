"""Console pages of filings and supervision (备案、进展报送、督办、典型做法). A county files and revises its
implementation plan with its document and supporting files, by the deadline the city sets, and the city accepts or
returns it; each unit reports its progress per period on the report template with photos and documents (overdue
ones flagged); the city sends supervision notices, the unit answers, the city closes them; the exemplary practices
the city picked are listed for every unit. Every list is in the actor's scope: a county never sees another's, nor
another's files (an attachment is read only by those who may see its record)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.files import file_response
from xinghuo.core.lookup import get_by_uid
from xinghuo.organisations.models import Organisation
from xinghuo.worklist import permissions, reminders, selectors, supervision
from xinghuo.worklist.forms import AnswerForm, DecisionForm, FilingDueForm, FilingForm, NoticeForm, ReportForm
from xinghuo.worklist.models import Attachment, Filing, FilingStatus, Plan, ProgressReport, SupervisionNotice

VIEWERS = permissions.VIEWER_ROLES
HOME = ("专项工作清单", "worklist_console:plans")


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(HOME[0], reverse(HOME[1])), *extra]


def _get(queryset: Any, uid: str) -> Any:
    try:
        return get_by_uid(queryset, uid)
    except NotFound as exc:
        raise Http404 from exc


def _select(select: Any, request: HttpRequest, uid: str) -> Any:
    try:
        return select(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    if exc.status == 404:
        raise Http404 from exc
    messages.error(request, exc.message)


# --- filings ----------------------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def filing_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "") if request.GET.get("status", "") in FilingStatus.values else ""
    own = actor.organisation if actor.role == Role.COUNTY_STAFF else None
    missing = list(Plan.objects.filter(is_active=True).exclude(filings__organisation=own)) if own else []
    is_city = actor.role == Role.CITY_STAFF
    due_forms = [(plan, FilingDueForm(initial={"filing_due": plan.filing_due}, prefix=plan.code))
                 for plan in Plan.objects.filter(is_active=True)] if is_city else []  # fmt: skip
    today = timezone.localdate()
    page = paginated(request, selectors.filings(actor=actor, status=status))
    overdue = {f.pk for f in page["page_obj"] if f.is_overdue(today)}
    return render(request, "worklist/filings.html", console_context(
        request, title="实施方案备案", crumbs=_crumbs(("实施方案备案", None)), statuses=FilingStatus.choices, status=status,
        missing=missing, due_forms=due_forms, today=today, overdue=overdue, **page,
    ))  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def plan_filing_due_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = Plan.objects.filter(code=code, is_active=True).first()
    if plan is None:
        raise Http404
    form = FilingDueForm(request.POST, prefix=plan.code)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            supervision.plan_set_filing_due(actor=_actor(request), plan=plan, filing_due=form.cleaned_data["filing_due"])
        except DomainError as exc:
            _refused(request, exc)
        else:
            due = form.cleaned_data["filing_due"]
            messages.success(
                request, f"《{plan.title}》的备案截止日期已设为 {due:%Y-%m-%d}" if due else f"已取消《{plan.title}》的备案截止日期"
            )
    return redirect(reverse("worklist_console:filings"))


@for_roles(Role.COUNTY_STAFF)
@require_http_methods(["GET", "POST"])
def filing_create_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = Plan.objects.filter(code=code, is_active=True).first()
    if plan is None:
        raise Http404
    form = FilingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            filing = supervision.filing_save(actor=_actor(request), plan=plan, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "实施方案已保存为草稿，确认无误后请提交备案")
            return redirect(reverse("worklist_console:filing", args=[filing.uid]))
    return render(request, "worklist/filing_form.html", console_context(
        request, title=f"实施方案：{plan.title}", crumbs=_crumbs(("实施方案备案", reverse("worklist_console:filings")), ("新建", None)),
        form=form, plan=plan, today=timezone.localdate(),
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


def _filing_page(request: HttpRequest, filing: Filing, *, form: FilingForm | None = None, decision: DecisionForm | None = None,
                 status: int = 200) -> HttpResponse:  # fmt: skip
    actor = _actor(request)
    own = actor.role == Role.COUNTY_STAFF and actor.organisation == filing.organisation
    return render(request, "worklist/filing.html", console_context(
        request, title=filing.title, crumbs=_crumbs(("实施方案备案", reverse("worklist_console:filings")), (filing.title, None)),
        filing=filing, steps=filing.steps(manager="unscoped").all(), editable=own and filing.status in supervision.EDITABLE,
        attachments=list(filing.attachments(manager="unscoped").all()), overdue=filing.is_overdue(timezone.localdate()),
        form=form or FilingForm(initial={"title": filing.title, "content": filing.content}),
        deciding=actor.role == Role.CITY_STAFF and filing.status == FilingStatus.SUBMITTED, decision=decision or DecisionForm(),
    ), status=status)  # fmt: skip


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def filing_view(request: HttpRequest, uid: str) -> HttpResponse:
    filing = _get(selectors.filings(actor=_actor(request)), uid)
    if request.method == "GET":
        return _filing_page(request, filing)
    form = FilingForm(request.POST, request.FILES)
    submit = bool(request.POST.get("submit"))
    if form.is_valid():
        try:
            supervision.filing_save(actor=_actor(request), plan=filing.plan, filing=filing, submit=submit, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, "已提交市科协备案" if submit else "已保存")
            return redirect(reverse("worklist_console:filing", args=[filing.uid]))
    return _filing_page(request, filing, form=form, status=400)


@for_roles(Role.CITY_STAFF)
@require_POST
def filing_decide_view(request: HttpRequest, uid: str) -> HttpResponse:
    filing = _get(selectors.filings(actor=_actor(request)), uid)
    decision = DecisionForm(request.POST)
    if decision.is_valid():
        accept = request.POST.get("decision") == "accept"
        try:
            supervision.filing_decide(actor=_actor(request), filing=filing, accept=accept, comment=decision.cleaned_data["comment"])
        except DomainError as exc:
            decision.add_domain_error(exc)
            return _filing_page(request, filing, decision=decision, status=400)
        messages.success(request, "已备案" if accept else "已退回，县科协将按意见修改后重新提交")
    return redirect(reverse("worklist_console:filing", args=[filing.uid]))


# --- progress reports ----------------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def report_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    today = timezone.localdate()
    reports = selectors.reports(actor=actor)
    if request.GET.get("overdue"):
        reports = reports.filter(submitted_at__isnull=True, due__lt=today)
    return render(request, "worklist/reports.html", console_context(
        request, title="进展报送", crumbs=_crumbs(("进展报送", None)), today=today, overdue_only=bool(request.GET.get("overdue")),
        soon=today + timedelta(days=reminders.days_before()), overdue=selectors.overdue_reports(today=today).count(),
        is_city=actor.role == Role.CITY_STAFF, **paginated(request, reports, per_page=30),
    ))  # fmt: skip


REPORT_COLUMNS = [
    Column("任务", lambda r: f"{r.action.task.code} {r.action.task.title}", 40), Column("负责单位", lambda r: r.action.organisation.name, 24),
    Column("报送期", lambda r: r.period, 10), Column("截止", lambda r: r.due, 12), Column("报送时间", lambda r: r.submitted_at, 18),
    Column("逾期", lambda r: r.is_overdue(timezone.localdate()), 8),
    Column("本期完成情况", lambda r: r.text if r.submitted_at else "", 60),
    Column("进度（%）", lambda r: r.progress if r.submitted_at else None, 10),
    Column("存在问题", lambda r: r.problems if r.submitted_at else "", 40), Column("下步计划", lambda r: r.next_steps if r.submitted_at else "", 40),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def report_export_view(request: HttpRequest) -> HttpResponse:
    rows = selectors.reports(actor=_actor(request)).iterator(chunk_size=2000)
    return export_response(filename="进展报送", sheet="进展报送", columns=REPORT_COLUMNS, rows=rows, object_type="worklist.progressreport")


def _report_page(request: HttpRequest, report: ProgressReport, *, form: ReportForm | None = None, status: int = 200) -> HttpResponse:
    actor = _actor(request)
    editable = report.submitted_at is None and supervision.may_report(actor, report)
    initial = {"text": report.text, "progress": report.action.progress if report.progress is None else report.progress,
               "problems": report.problems, "next_steps": report.next_steps}  # fmt: skip
    task = report.action.task
    return render(request, "worklist/report.html", console_context(
        request, title=f"{report.period} 期进展报送", crumbs=_crumbs(("进展报送", reverse("worklist_console:reports")), (report.period, None)),
        report=report, task=task, targets=list(task.targets.all()), editable=editable, today=timezone.localdate(),
        attachments=list(report.attachments(manager="unscoped").all()), form=form or ReportForm(initial=initial),
    ), status=status)  # fmt: skip


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def report_view(request: HttpRequest, uid: str) -> HttpResponse:
    report = _select(selectors.get_report, request, uid)
    if request.method == "GET":
        return _report_page(request, report)
    form = ReportForm(request.POST, request.FILES)
    submit = bool(request.POST.get("submit"))
    if form.is_valid():
        try:
            supervision.report_save(actor=_actor(request), report=report, submit=submit, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            if submit:
                messages.success(request, f"已报送 {report.period} 期进展")
                return redirect(reverse("worklist_console:reports"))
            messages.success(request, "已暂存，确认无误后请报送")
            return redirect(reverse("worklist_console:report", args=[report.uid]))
    return _report_page(request, report, form=form, status=400)


@for_roles(Role.CITY_STAFF)
@require_POST
def report_exemplary_view(request: HttpRequest, uid: str) -> HttpResponse:
    report = _get(selectors.reports(actor=_actor(request)), uid)
    try:
        supervision.report_mark_exemplary(actor=_actor(request), report=report, exemplary=request.POST.get("exemplary") != "0")
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已更新典型做法")
    return redirect(reverse("worklist_console:reports"))


@for_roles(*VIEWERS)
@require_GET
def exemplary_view(request: HttpRequest) -> HttpResponse:
    return render(request, "worklist/exemplary.html", console_context(
        request, title="典型做法", crumbs=_crumbs(("典型做法", None)), **paginated(request, selectors.exemplary_reports()),
    ))  # fmt: skip


# --- supervision notices -----------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def notice_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    is_city = actor.role == Role.CITY_STAFF
    form = NoticeForm(request.POST or None)
    if request.method == "POST":
        if not is_city:
            raise Http404
        if form.is_valid():
            typed = form.cleaned_data["organisation"].strip()
            org = Organisation.objects.filter(Q(code=typed) | Q(name=typed) | Q(short_name=typed), is_active=True).first()
            if org is None:
                form.add_error("organisation", "找不到这个单位，请填写全称或机构代码")
            else:
                try:
                    supervision.notice_issue(
                        actor=actor, organisation=org, text=form.cleaned_data["text"], answer_by=form.cleaned_data["answer_by"]
                    )
                except DomainError as exc:
                    form.add_domain_error(exc)
                else:
                    messages.success(request, f"已向{org.name}发出督办")
                    return redirect(reverse("worklist_console:notices"))
    return render(request, "worklist/notices.html", console_context(
        request, title="督办", crumbs=_crumbs(("督办", None)), form=form, is_city=is_city,
        today=timezone.localdate(), **paginated(request, selectors.notices(actor=actor).annotate(files=Count("attachments")).order_by("-created_at", "-id")),
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


def _notice_page(request: HttpRequest, notice: SupervisionNotice, *, form: AnswerForm | None = None, status: int = 200) -> HttpResponse:
    actor = _actor(request)
    is_city = actor.role == Role.CITY_STAFF
    return render(request, "worklist/notice.html", console_context(
        request, title="督办", crumbs=_crumbs(("督办", reverse("worklist_console:notices")), (notice.organisation.name, None)),
        notice=notice, is_city=is_city, answering=not is_city and notice.status == "open", form=form or AnswerForm(),
        attachments=list(notice.attachments(manager="unscoped").all()), today=timezone.localdate(),
    ), status=status)  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def notice_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _notice_page(request, _select(selectors.get_notice, request, uid))


@for_roles(*VIEWERS)
@require_POST
def notice_answer_view(request: HttpRequest, uid: str) -> HttpResponse:
    notice = _select(selectors.get_notice, request, uid)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            supervision.notice_answer(actor=_actor(request), notice=notice, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, "已回复督办")
            return redirect(reverse("worklist_console:notice", args=[notice.uid]))
    return _notice_page(request, notice, form=form, status=400)


@for_roles(Role.CITY_STAFF)
@require_POST
def notice_close_view(request: HttpRequest, uid: str) -> HttpResponse:
    notice = _get(selectors.notices(actor=_actor(request)), uid)
    try:
        supervision.notice_close(actor=_actor(request), notice=notice)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "督办已办结")
    return redirect(reverse("worklist_console:notices"))


# --- attachments ---------------------------------------------------------------------------------------------------


def _owner_url(attachment: Attachment) -> str:
    if attachment.filing_id is not None:
        return reverse("worklist_console:filing", args=[attachment.filing.uid])
    if attachment.report_id is not None:
        return reverse("worklist_console:report", args=[attachment.report.uid])
    return reverse("worklist_console:notice", args=[attachment.notice.uid])


@for_roles(*VIEWERS)
@require_GET
def attachment_view(request: HttpRequest, uid: str) -> HttpResponse:
    attachment = _select(selectors.get_attachment, request, uid)
    return file_response(attachment.file, content_type=attachment.content_type, filename=attachment.name,
                         as_attachment=not attachment.opens_inline)  # fmt: skip


@for_roles(*VIEWERS)
@require_POST
def attachment_delete_view(request: HttpRequest, uid: str) -> HttpResponse:
    attachment = _select(selectors.get_attachment, request, uid)
    try:
        supervision.attachment_remove(actor=_actor(request), attachment=attachment)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已删除附件“{attachment.name}”")
    return redirect(_owner_url(attachment))
