"""Session limits: staff sessions end after 30 idle minutes and after 12 hours in all."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

SEEN_WRITE_INTERVAL = 30  # seconds: do not rewrite the session on every request


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "xh_login_at" in request.session:
            now = timezone.now().timestamp()
            if getattr(user, "kind", "") == "staff":
                login_at = float(request.session.get("xh_login_at", 0))
                seen_at = float(request.session.get("xh_seen_at", login_at))
                if now - seen_at > settings.XINGHUO_STAFF_IDLE_SECONDS:
                    logout(request)
                    messages.info(request, _("您已超过 30 分钟未操作，为保护账号安全已自动退出，请重新登录"))
                elif now - login_at > settings.XINGHUO_STAFF_ABSOLUTE_SECONDS:
                    logout(request)
                    messages.info(request, _("登录已满 12 小时，为保护账号安全请重新登录"))
                elif now - seen_at > SEEN_WRITE_INTERVAL:
                    request.session["xh_seen_at"] = now
        return self.get_response(request)
