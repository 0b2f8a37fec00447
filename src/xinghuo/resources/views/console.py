"""Console pages of the resource library: the list and its export, filing and revising with the media, the detail
page with the record and the form of the actor's turn (assign, first review, second review, withdraw, notice,
pin), an expert's queue, the expert pool and the red-line lexicon.

Every page fetches in the actor's scope — an expert, only what is assigned to them — and another county's
resource answers 404 like a missing one."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.models import User
from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.files import file_response, ranged_file_response
from xinghuo.organisations.models import Organisation
from xinghuo.resources import permissions, selectors, services
from xinghuo.resources.forms import (
    AssignForm,
    FirstReviewForm,
    MediaForm,
    NoticeForm,
    ResourceFilterForm,
    ResourceForm,
    ReviewerForm,
    SecondReviewForm,
    TermForm,
    WithdrawForm,
)
from xinghuo.resources.media import STREAMED
from xinghuo.resources.models import RedLineTerm, Resource, ResourceStatus, Reviewer
from xinghuo.resources.views.common import actor_of, crumbs, run_step

ROLES = permissions.CONSOLE_ROLES
CONTRIBUTORS = permissions.CONTRIBUTOR_ROLES


def _resource(request: HttpRequest, uid: str) -> Resource:
    try:
        return selectors.get_resource_for_actor(actor_of(request), uid)
    except NotFound as exc:
        raise Http404 from exc


def _detail_url(resource: Resource) -> str:
    return reverse("resources_console:detail", args=[resource.uid])


# --- list and export ------------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[ResourceFilterForm, selectors.ResourceFilters]:
    form = ResourceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.ResourceFilters(
        q=data.get("q", ""), status=data.get("status", ""), kind=data.get("kind", ""), field=data.get("field", ""),
        emergency=bool(data.get("emergency")), todo=bool(data.get("todo")),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
@require_GET
def resource_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    actor = actor_of(request)
    return render(request, "resources/list.html", console_context(
        request, title="科普资源", crumbs=[("科普资源", None)], form=form, can_contribute=permissions.can_contribute(actor),
        is_city=permissions.is_city(actor), **paginated(request, selectors.resource_list(actor=actor, filters=filters)),
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("标题", lambda r: r.title, 36), Column("类型", lambda r: r.get_kind_display(), 10), Column("学科领域", lambda r: r.get_field_display(), 18),
    Column("作者或主讲人", lambda r: r.author, 24), Column("供稿单位", lambda r: r.organisation.name, 28),
    Column("面向人群", lambda r: "、".join(r.audience_labels()), 24), Column("主题", lambda r: "、".join(r.topic_labels()), 30),
    Column("应急科普", lambda r: r.is_emergency, 10), Column("授权方式", lambda r: r.get_licence_display(), 24),
    Column("状态", lambda r: r.get_status_display(), 10), Column("初审专家", lambda r: r.reviewer.name if r.reviewer else "", 12),
    Column("发布时间", lambda r: r.published_at, 18), Column("复审日期", lambda r: r.review_due, 12),
]  # fmt: skip


@for_roles(Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER)
@require_GET
def resource_export_view(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    rows = selectors.resource_list(actor=actor_of(request), filters=filters).iterator(chunk_size=2000)
    return export_response(filename="科普资源", sheet="科普资源", columns=EXPORT_COLUMNS, rows=rows, object_type="resources.resource",
                           filters=filters.__dict__)  # fmt: skip


# --- filing and revising --------------------------------------------------------------------------------------


def _form(request: HttpRequest, *, resource: Resource | None = None, **kwargs: Any) -> ResourceForm:
    organisations = list(Organisation.objects.filter(is_active=True).order_by("path"))
    if resource is not None and resource.organisation not in organisations:
        organisations.append(resource.organisation)
    return ResourceForm(request.POST if request.method == "POST" else None, organisations=organisations, **kwargs)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in ("title", "kind", "field", "organisation", "author", "summary", "body", "external_url",
                                       "audiences", "topics", "is_emergency", "licence")}  # fmt: skip


def _form_page(
    request: HttpRequest, form: ResourceForm, media_form: MediaForm, *, resource: Resource | None, status: int = 200
) -> HttpResponse:
    title = f"修改：{resource.title}" if resource else "提交科普资源"
    here = [(resource.title, _detail_url(resource)), ("修改", None)] if resource else [("提交资源", None)]
    return render(request, "resources/form.html", console_context(
        request, title=title, crumbs=crumbs(*here), form=form, media_form=media_form, resource=resource,
    ), status=status)  # fmt: skip


def _save_media(request: HttpRequest, resource: Resource, media_form: MediaForm) -> None:
    files = media_form.cleaned_data
    if files.get("media") or files.get("cover"):
        services.resource_set_media(actor=actor_of(request), resource=resource, media=files.get("media"), cover=files.get("cover"))


@for_roles(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def resource_create_view(request: HttpRequest) -> HttpResponse:
    organisation = actor_of(request).organisation
    form = _form(request, initial={"organisation": str(organisation.uid) if organisation else "", "audiences": ["public"]})
    media_form = MediaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and media_form.is_valid():
        data = _values(form.cleaned_data)
        try:
            resource = services.resource_create(actor=actor_of(request), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            try:
                _save_media(request, resource, media_form)
            except DomainError as exc:  # the draft is kept; the file is asked for again beside its field
                messages.warning(request, "资源草稿已保存，但文件未上传：" + exc.message)
                return redirect(reverse("resources_console:edit", args=[resource.uid]))
            messages.success(request, "资源草稿已保存")
            return redirect(_detail_url(resource))
    return _form_page(request, form, media_form, resource=None, status=400 if request.method == "POST" else 200)


@for_roles(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def resource_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _resource(request, uid)
    if not resource.is_editable:
        messages.error(request, f"资源当前为“{resource.get_status_display()}”，不能修改")
        return redirect(_detail_url(resource))
    initial = {**{k: getattr(resource, k) for k in ("title", "kind", "field", "author", "summary", "body", "external_url",
                                                   "is_emergency", "licence")},
               "organisation": str(resource.organisation.uid), "audiences": resource.audiences, "topics": resource.topics}  # fmt: skip
    form = _form(request, resource=resource, initial=initial)
    media_form = MediaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and media_form.is_valid():
        try:
            with transaction.atomic():  # the text and the file together, or neither: a refused file keeps the old text
                updated = services.resource_update(actor=actor_of(request), resource=resource, **_values(form.cleaned_data))
                _save_media(request, updated, media_form)
        except DomainError as exc:
            resource.refresh_from_db()  # as stored: the page's title and steps show what is saved
            if exc.status == 404 or exc.code == "resource_status":
                messages.error(request, exc.message)
                return redirect(_detail_url(resource))
            (media_form if exc.field in ("media", "cover") else form).add_domain_error(exc)
        else:
            messages.success(request, "资源已保存")
            return redirect(_detail_url(updated))
    return _form_page(request, form, media_form, resource=resource, status=400 if request.method == "POST" else 200)


# --- the detail page and its steps ----------------------------------------------------------------------------


def _detail(request: HttpRequest, resource: Resource, *, status: int = 200, **forms: Any) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    turns = {
        "editable": resource.is_editable and permissions.can_contribute(actor),
        "assign_turn": resource.status in (ResourceStatus.SUBMITTED, ResourceStatus.FIRST_REVIEW) and permissions.can_assign(actor),
        "first_turn": permissions.is_reviewer(actor) and resource.reviewer_id == actor.user.pk and (
            resource.status == ResourceStatus.FIRST_REVIEW
            or (resource.status == ResourceStatus.PUBLISHED and resource.review_due is not None and resource.review_due <= today)
        ),
        "second_turn": resource.status == ResourceStatus.SECOND_REVIEW and permissions.is_city(actor),
        "published_turn": resource.status == ResourceStatus.PUBLISHED and permissions.is_city(actor),
    }  # fmt: skip
    if turns["assign_turn"]:
        forms.setdefault("assign_form", AssignForm(candidates=services.reviewer_candidates(resource)))
    if turns["first_turn"]:
        forms.setdefault("first_form", FirstReviewForm())
    if turns["second_turn"]:
        forms.setdefault("second_form", SecondReviewForm())
    if turns["published_turn"]:
        forms.setdefault("withdraw_form", WithdrawForm())
        forms.setdefault("notice_form", NoticeForm())
    return render(request, "resources/detail.html", console_context(
        request, title=resource.title, crumbs=crumbs((resource.title, None)) if not permissions.is_reviewer(actor)
        else [("我的审核", reverse("resources_console:queue")), (resource.title, None)],
        resource=resource, **selectors.resource_record(resource), **turns, **forms,
        streamed=resource.media_type in STREAMED, re_review=resource.status == ResourceStatus.PUBLISHED,
    ), status=status)  # fmt: skip


@for_roles(*ROLES)
@require_GET
def resource_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _detail(request, _resource(request, uid))


@for_roles(*CONTRIBUTORS)
@require_POST
def submit_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _resource(request, uid)
    try:
        services.resource_submit(actor=actor_of(request), resource=resource)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提交审核，等待分配初审专家")
    return redirect(_detail_url(resource))


@for_roles(*permissions.ASSIGNER_ROLES)
@require_POST
def assign_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _resource(request, uid)
    candidates = services.reviewer_candidates(resource)
    return run_step(
        request, AssignForm(request.POST, candidates=candidates),
        lambda data: services.resource_assign(actor=actor_of(request), resource=resource, reviewer=data["reviewer"]),
        back=_detail_url(resource), success=lambda r: f"已分配给 {r.reviewer.name} 初审",
        page=lambda form: _detail(request, resource, status=400, assign_form=form),
    )  # fmt: skip


@for_roles(Role.REVIEWER)
@require_POST
def first_review_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _resource(request, uid)
    re_review = resource.status == ResourceStatus.PUBLISHED

    def success(r: Resource) -> str:
        if re_review:
            return "复审通过，已更新复审日期" if r.status == ResourceStatus.PUBLISHED else "复审未通过，资源已撤回"
        return "初审通过，已送市科协复核" if r.status == ResourceStatus.SECOND_REVIEW else "已退回修改"

    return run_step(
        request, FirstReviewForm(request.POST),
        lambda data: services.resource_first_review(
            actor=actor_of(request), resource=resource, approve=data["decision"] == "pass", evidence=data["evidence"],
            reason=data["reason"], re_review_on=data["re_review_on"],
        ),
        back=reverse("resources_console:queue"), success=success,
        page=lambda form: _detail(request, resource, status=400, first_form=form),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def second_review_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _resource(request, uid)
    return run_step(
        request, SecondReviewForm(request.POST),
        lambda data: services.resource_second_review(
            actor=actor_of(request), resource=resource, approve=data["decision"] == "pass", reason=data["reason"]
        ),
        back=_detail_url(resource),
        success=lambda r: "复核通过，资源已发布" if r.status == ResourceStatus.PUBLISHED else "已退回修改",
        page=lambda form: _detail(request, resource, status=400, second_form=form),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def withdraw_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _resource(request, uid)
    return run_step(
        request, WithdrawForm(request.POST),
        lambda data: services.resource_withdraw(actor=actor_of(request), resource=resource, reason=data["reason"]),
        back=_detail_url(resource), success=lambda _: "资源已撤回，页面显示撤回说明",
        page=lambda form: _detail(request, resource, status=400, withdraw_form=form),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def notice_view(request: HttpRequest, uid: str) -> HttpResponse:
    resource = _resource(request, uid)
    return run_step(
        request, NoticeForm(request.POST),
        lambda data: services.resource_notice(actor=actor_of(request), resource=resource, kind=data["kind"], text=data["text"]),
        back=_detail_url(resource), success=lambda n: f"{n.get_kind_display()}说明已发布在资源页面",
        page=lambda form: _detail(request, resource, status=400, notice_form=form),
    )  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def pin_view(request: HttpRequest, uid: str) -> HttpResponse:
    """Pin for a number of days (1–30), or unpin (days=0)."""
    resource = _resource(request, uid)
    try:
        days = int(request.POST.get("days", ""))
        if not 0 <= days <= 30:
            raise ValueError
    except ValueError:
        messages.error(request, "置顶天数应为 0–30 的整数")
        return redirect(_detail_url(resource))
    until = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(23, 59))) if days else None
    try:
        services.resource_pin(actor=actor_of(request), resource=resource, until=until)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已置顶至 {timezone.localtime(until):%Y-%m-%d}" if until else "已取消置顶")
    return redirect(_detail_url(resource))


@for_roles(*ROLES)
@require_GET
def media_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The media file for the staff and the expert who may see the resource (seekable for video and audio)."""
    resource = _resource(request, uid)
    if resource.media_type in STREAMED:
        return ranged_file_response(request, resource.media, content_type=resource.media_type)
    return file_response(resource.media, content_type=resource.media_type or "application/octet-stream",
                         filename=f"{resource.title}.{resource.media.name.rsplit('.', 1)[-1]}")  # fmt: skip


@for_roles(*ROLES)
@require_GET
def cover_view(request: HttpRequest, uid: str) -> HttpResponse:
    return file_response(_resource(request, uid).cover, content_type="image/jpeg")


# --- the expert's queue ---------------------------------------------------------------------------------------


@for_roles(Role.REVIEWER)
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    """An expert's own queue: the first reviews assigned to them and the re-reviews that have come due."""
    rows = selectors.review_queue(actor_of(request).user)
    return render(request, "resources/queue.html", console_context(
        request, title="我的审核", crumbs=[("我的审核", None)], **paginated(request, rows), today=timezone.localdate(),
    ))  # fmt: skip


# --- the expert pool and the lexicon --------------------------------------------------------------------------


@for_roles(Role.CITY_STAFF)
@require_http_methods(["GET", "POST"])
def reviewers_view(request: HttpRequest) -> HttpResponse:
    form = ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        login = data["user"].strip()
        user = User.objects.filter(Q(username=login) | Q(phone=login)).first()
        if user is None:
            form.add_error("user", "找不到该账号")
        else:
            try:
                services.reviewer_set(actor=actor_of(request), user=user, fields=data["areas"], title=data["title"],
                                      is_active=data["is_active"])  # fmt: skip
            except DomainError as exc:
                form.add_error({"fields": "areas"}.get(exc.field or "", exc.field) if exc.field in ("fields", "user", "title") else None,
                               exc.message)  # fmt: skip
            else:
                messages.success(request, f"已将 {user.name} 列入审核专家库" if data["is_active"] else f"已将 {user.name} 移出审核专家库")
                return redirect(reverse("resources_console:reviewers"))
    reviewers = Reviewer.objects.select_related("user").order_by("-is_active", "user__name")
    return render(request, "resources/reviewers.html", console_context(
        request, title="审核专家库", crumbs=crumbs(("审核专家库", None)), form=form, reviewers=reviewers,
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_http_methods(["GET", "POST"])
def lexicon_view(request: HttpRequest) -> HttpResponse:
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.red_line_term_set(actor=actor_of(request), term=data["term"], category=data["category"], note=data["note"],
                                              is_active=data["is_active"])  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"红线词“{term.term}”已{'启用' if term.is_active else '停用'}")
            return redirect(reverse("resources_console:lexicon"))
    return render(request, "resources/lexicon.html", console_context(
        request, title="红线词库", crumbs=crumbs(("红线词库", None)), form=form, terms=RedLineTerm.objects.all(),
    ), status=400 if form.errors else 200)  # fmt: skip
