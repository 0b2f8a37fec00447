"""The security admin's page: the policy in force, the login names locked out now, and unlocking.

Locked login names are stored by django-axes only as keyed hashes (see accounts.lockout)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context
from xinghuo.core import audit
from xinghuo.core.access import for_roles
from xinghuo.core.models import AuditAction


def locked_attempts():
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since).order_by(
        "-attempt_time"
    )


@for_roles(Role.SECURITY_ADMIN)
@require_GET
def security_overview_view(request: HttpRequest) -> HttpResponse:
    policy = settings.XINGHUO_PASSWORD_POLICY
    rules = [
        (
            "工作人员密码",
            f"至少 {policy['staff_min_length']} 位，含 4 类字符中的 {policy['staff_min_classes']} 类，不得为常见密码，{policy['staff_max_age_days']} 天须更换",
        ),
        ("公众密码", f"至少 {policy['citizen_min_length']} 位，不得为常见密码"),
        ("登录失败锁定", f"连续失败 {settings.AXES_FAILURE_LIMIT} 次锁定 {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟"),
        (
            "工作人员会话",
            f"空闲 {settings.XINGHUO_STAFF_IDLE_SECONDS // 60} 分钟或登录满 {settings.XINGHUO_STAFF_ABSOLUTE_SECONDS // 3600} 小时后失效",
        ),
        ("双因素认证", "工作人员与管理员必须使用动态口令" if settings.XINGHUO_OTP_REQUIRED else "演示环境已临时关闭（生产环境不可关闭）"),
        ("审计日志保存", f"不少于 {settings.XINGHUO_AUDIT_RETENTION_DAYS} 天，只可追加，哈希链防篡改"),
    ]
    return render(request, "core/console/security.html", console_context(
        request, title="安全策略与锁定", crumbs=[("安全策略与锁定", None)], rules=rules, locked=locked_attempts(),
    ))  # fmt: skip


@for_roles(Role.SECURITY_ADMIN)
@require_POST
def security_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = locked_attempts().filter(pk=pk).first()
    if attempt is None:
        messages.error(request, "该锁定记录不存在或已解除")
        return redirect("security:overview")
    audit.record(
        AuditAction.UNLOCK,
        object_type="axes.accessattempt",
        object_id=str(attempt.pk),
        object_repr=f"登录名（摘要）{attempt.username[:12]}…",
    )
    attempt.delete()
    messages.success(request, "已解除锁定")
    return redirect("security:overview")
