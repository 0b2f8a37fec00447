"""The public portal: home, news, and the citizen's own page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinghuo.core.access import public, signed_in
from xinghuo.core.errors import NotFound
from xinghuo.core.masking import mask_phone
from xinghuo.core.scoping import public_reads
from xinghuo.portal import selectors
from xinghuo.portal.entrances import ENTRANCES
from xinghuo.portal.models import NewsCategory
from xinghuo.resources import selectors as resource_selectors


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    with public_reads():
        pinned = list(resource_selectors.pinned(now=timezone.now()))
    return render(request, "portal/home.html", {
        "entrances": [(e, e.url) for e in ENTRANCES],
        "news": selectors.public_news(limit=6),
        "pinned": pinned,
    })  # fmt: skip


@public
@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    if category not in NewsCategory.values:
        category = ""
    page = Paginator(selectors.public_news_page(category=category), 15).get_page(request.GET.get("page"))
    return render(request, "portal/news_list.html", {
        "page_obj": page, "category": category, "categories": NewsCategory.choices,
        "querystring_page": f"category={category}&" if category else "",
    })  # fmt: skip


@public
@require_GET
def news_detail(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        news = selectors.get_public_news(uid)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "portal/news_detail.html", {"news": news})


@signed_in
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "portal/me.html", {"masked_phone": mask_phone(user.phone)})  # type: ignore[union-attr]
