"""Platform-wide views: health check, language and large-text switches, error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from xinghuo.core.access import public

LARGE_TEXT_COOKIE = "xh_large"


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe, and the benchmark's floor: a trivial view through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@public
@require_POST
def toggle_large_text(request: HttpRequest) -> HttpResponse:
    """适老化: a larger type size on every page, remembered for a year in a cookie."""
    response = redirect(_back(request))
    on = request.POST.get("on", "1" if request.COOKIES.get(LARGE_TEXT_COOKIE) != "1" else "0") == "1"
    if on:
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE)
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "detail": "您要找的记录不存在或无权查看。"}, status=404)
    return TemplateResponse(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "server_error", "detail": "服务器出错了，请稍后再试；如反复出现请联系管理员。"}, status=500)
    return TemplateResponse(request, "core/500.html", status=500).render()


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "csrf_failed", "detail": "请求校验失败，请刷新页面后重试。"}, status=403)
    return TemplateResponse(request, "core/403_csrf.html", status=403).render()
