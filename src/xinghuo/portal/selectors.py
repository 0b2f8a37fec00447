"""Reads of news: the public sees published items only; the console sees its scope."""

from __future__ import annotations

from django.db.models import QuerySet

from xinghuo.core.lookup import get_by_uid
from xinghuo.core.scoping import public_reads
from xinghuo.portal.models import News, NewsStatus


def public_news(*, limit: int | None = None, category: str = "") -> list[News]:
    with public_reads():
        qs = News.objects.filter(status=NewsStatus.PUBLISHED).select_related("organisation").order_by("-published_at")
        if category:
            qs = qs.filter(category=category)
        return list(qs[:limit] if limit else qs)


def public_news_page(*, category: str = "") -> QuerySet[News]:
    with public_reads():
        qs = News.objects.filter(status=NewsStatus.PUBLISHED).select_related("organisation").order_by("-published_at")
        if category:
            qs = qs.filter(category=category)
        return qs


def get_public_news(uid: object) -> News:
    with public_reads():
        return get_by_uid(News.objects.filter(status=NewsStatus.PUBLISHED).select_related("organisation"), uid)


def news_list(*, status: str = "", q: str = "") -> QuerySet[News]:
    qs = News.objects.select_related("organisation", "author")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-created_at")


def get_news_for_actor(uid: object) -> News:
    return get_by_uid(News.objects.select_related("organisation", "author"), uid)
