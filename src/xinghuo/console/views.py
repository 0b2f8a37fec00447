"""The console's home: what the actor's role can see and do, at a glance."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinghuo.accounts.models import APIToken, Membership, User
from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context
from xinghuo.core.access import signed_in
from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.organisations.models import Organisation
from xinghuo.portal.models import News, NewsStatus
from xinghuo.worklist.selectors import unread_reminders


def _cards(actor) -> list[dict]:
    role = actor.role
    if role in (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER):
        by_kind = Organisation.objects.filter(is_active=True).values("kind").annotate(n=Count("id")).order_by("-n")
        kinds = dict(Organisation._meta.get_field("kind").choices)
        cards = [
            {
                "label": f"{kinds.get(row['kind'], row['kind'])}",
                "value": row["n"],
                "url": reverse("organisations:list") + f"?kind={row['kind']}",
            }
            for row in by_kind
        ]
        unread = unread_reminders(actor=actor).count()
        cards.insert(
            0, {"label": "未读提醒", "value": unread, "url": reverse("worklist_console:reminders") + ("?unread=1" if unread else "")}
        )
        if role != Role.ORGANISER:
            drafts = News.objects.filter(status=NewsStatus.DRAFT).count()
            cards.append({"label": "待发布的动态", "value": drafts, "url": reverse("portal_console:news_list") + "?status=draft"})
        return cards
    if role == Role.SYSTEM_ADMIN:
        return [
            {
                "label": "工作人员账号",
                "value": User.objects.filter(kind="staff", is_active=True).count(),
                "url": reverse("accounts_console:user_list") + "?kind=staff",
            },
            {
                "label": "公众账号",
                "value": User.objects.filter(kind="citizen", is_active=True).count(),
                "url": reverse("accounts_console:user_list") + "?kind=citizen",
            },
            {"label": "有效角色授权", "value": Membership.objects.filter(is_active=True).count(), "url": None},
            {
                "label": "有效接口令牌",
                "value": APIToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).count(),
                "url": reverse("accounts_console:token_list"),
            },
        ]
    if role == Role.SECURITY_ADMIN:
        from axes.models import AccessAttempt

        since = timezone.now() - timedelta(hours=24)
        return [
            {
                "label": "当前锁定的登录名",
                "value": AccessAttempt.objects.filter(failures_since_start__gte=5).count(),
                "url": reverse("security:overview"),
            },
            {
                "label": "24 小时登录失败",
                "value": AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, at__gte=since).count(),
                "url": None,
            },
        ]
    if role == Role.AUDIT_ADMIN:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return [
            {"label": "今日审计记录", "value": AuditEvent.objects.filter(at__gte=today).count(), "url": reverse("audit:list")},
            {
                "label": "今日导出",
                "value": AuditEvent.objects.filter(at__gte=today, action=AuditAction.EXPORT).count(),
                "url": reverse("audit:list") + "?action=export",
            },
            {
                "label": "今日查看个人信息明文",
                "value": AuditEvent.objects.filter(at__gte=today, action=AuditAction.VIEW_PERSONAL).count(),
                "url": reverse("audit:list") + "?action=view_personal",
            },
        ]
    return []


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = request.xh_actor  # type: ignore[attr-defined]
    if actor.is_citizen:
        return redirect("portal:me")
    return render(request, "console/home.html", console_context(request, title="工作台", cards=_cards(actor)))
