"""Request context for the audit trail: a request id, the client's address and user agent."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from xinghuo.core import context

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{8,64}$")


def client_ip(request: HttpRequest) -> str:
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        ctx = context.ActorContext(
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:200],
            source="api" if request.path.startswith("/api/") else "web",
            **({"request_id": incoming} if REQUEST_ID_RE.match(incoming) else {}),
        )
        with context.acting(ctx):
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response
