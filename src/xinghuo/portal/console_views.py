"""Console pages for the association's news: city and county staff write, publish and withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.portal import selectors, services
from xinghuo.portal.forms import NewsFilterForm, NewsForm
from xinghuo.portal.models import News

EDITORS = (Role.CITY_STAFF, Role.COUNTY_STAFF)


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("科协动态", reverse("portal_console:news_list")), *extra]


def _filtered(request: HttpRequest) -> tuple[NewsFilterForm, dict]:
    form = NewsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {"q": data.get("q", ""), "status": data.get("status", "")}


@for_roles(*EDITORS)
@require_GET
def news_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    return render(request, "portal/console/news_list.html", console_context(
        request, title="科协动态", crumbs=[("科协动态", None)], form=form, **paginated(request, selectors.news_list(**filters)),
    ))  # fmt: skip


@for_roles(*EDITORS)
@require_GET
def news_export_view(request: HttpRequest) -> HttpResponse:
    _, filters = _filtered(request)
    columns = [
        Column("标题", lambda n: n.title, 40), Column("栏目", lambda n: n.get_category_display()),
        Column("状态", lambda n: n.get_status_display()), Column("发布单位", lambda n: n.organisation.name, 24),
        Column("发布时间", lambda n: n.published_at, 18), Column("创建时间", lambda n: n.created_at, 18),
    ]  # fmt: skip
    return export_response(
        filename="科协动态",
        sheet="科协动态",
        columns=columns,
        rows=selectors.news_list(**filters).iterator(),
        object_type="portal.news",
        filters=filters,
    )


def _get(uid: str) -> News:
    try:
        return selectors.get_news_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def news_create_view(request: HttpRequest) -> HttpResponse:
    form = NewsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            news = services.news_create(actor=request.xh_actor, **form.cleaned_data)  # type: ignore[attr-defined]
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存为草稿")
            return redirect("portal_console:news_detail", uid=news.uid)
    return render(request, "portal/console/news_form.html", console_context(
        request, title="撰写动态", crumbs=_crumbs(("撰写", None)), form=form,
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(*EDITORS)
@require_GET
def news_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    news = _get(uid)
    return render(
        request,
        "portal/console/news_detail.html",
        console_context(request, title=news.title, crumbs=_crumbs((news.title, None)), news=news),
    )


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def news_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    news = _get(uid)
    form = NewsForm(
        request.POST if request.method == "POST" else None,
        initial={"title": news.title, "category": news.category, "summary": news.summary, "body": news.body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(news=news, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect("portal_console:news_detail", uid=news.uid)
    return render(request, "portal/console/news_form.html", console_context(
        request, title=f"编辑：{news.title}", crumbs=_crumbs((news.title, reverse("portal_console:news_detail", args=[news.uid])), ("编辑", None)),
        form=form, news=news,
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(*EDITORS)
@require_POST
def news_publish_view(request: HttpRequest, uid: str) -> HttpResponse:
    news = _get(uid)
    try:
        services.news_publish(news=news)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已发布到门户")
    return redirect("portal_console:news_detail", uid=news.uid)


@for_roles(*EDITORS)
@require_POST
def news_withdraw_view(request: HttpRequest, uid: str) -> HttpResponse:
    news = _get(uid)
    try:
        services.news_withdraw(news=news)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已从门户撤回")
    return redirect("portal_console:news_detail", uid=news.uid)
