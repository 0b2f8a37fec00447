"""Writes to the portal's news: create, edit, publish, withdraw."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.core.validation import validate
from xinghuo.portal.models import News, NewsStatus


def news_create(*, actor: Actor, title: str, body: str, category: str, summary: str = "") -> News:
    if actor.organisation is None:
        raise DomainError(ErrorCode.FORBIDDEN, "当前身份不能发布新闻")
    news = News(
        title=(title or "").strip(), body=(body or "").strip(), category=category, summary=(summary or "").strip(),
        organisation=actor.organisation, region=actor.organisation.region, author=actor.user,
    )  # fmt: skip
    validate(news)
    with transaction.atomic():
        news.save()
    return news


def news_update(*, news: News, title: str, body: str, category: str, summary: str = "") -> News:
    with transaction.atomic():
        news = News.unscoped.select_for_update().get(pk=news.pk)
        news.title, news.body, news.category, news.summary = title.strip(), body.strip(), category, summary.strip()
        validate(news)
        news.save()
    return news


def news_publish(*, news: News) -> News:
    with transaction.atomic():
        news = News.unscoped.select_for_update().get(pk=news.pk)
        if news.status == NewsStatus.PUBLISHED:
            raise DomainError(ErrorCode.CONFLICT, "该新闻已发布")
        news.status = NewsStatus.PUBLISHED
        news.published_at = news.published_at or timezone.now()
        news.save(update_fields=["status", "published_at", "updated_at"])
    return news


def news_withdraw(*, news: News) -> News:
    with transaction.atomic():
        news = News.unscoped.select_for_update().get(pk=news.pk)
        if news.status != NewsStatus.PUBLISHED:
            raise DomainError(ErrorCode.CONFLICT, "只有已发布的新闻可以撤回")
        news.status = NewsStatus.WITHDRAWN
        news.save(update_fields=["status", "updated_at"])
    return news
