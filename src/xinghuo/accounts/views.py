"""Sign-in (staff by username, citizens by mobile number), the staff second factor, sign-out, password
change, citizen registration and switching the acting role."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinghuo.accounts import services
from xinghuo.accounts.actor import SESSION_KEY, active_memberships
from xinghuo.accounts.forms import LoginForm, OTPForm, PasswordChangeForm, RegisterForm
from xinghuo.accounts.models import User, UserKind
from xinghuo.core import audit
from xinghuo.core.access import public, signed_in
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditAction, AuditOutcome

GENERIC_FAILURE = _("用户名（手机号）或密码不正确")
LOCKED_MESSAGE = _("连续登录失败次数过多，该账号已锁定 30 分钟，请稍后再试")
CONSENT_VERSION = "2026-01"


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _home_for(user: User) -> str:
    return reverse("console:home") if user.kind == UserKind.STAFF else reverse("portal:me")


def start_session(request: HttpRequest, user: User) -> None:
    """Sign in with a fresh session key, and record when (for the staff session limits)."""
    login(request, user, backend="xinghuo.accounts.backends.UsernameOrPhoneBackend")
    now = timezone.now().timestamp()
    request.session["xh_login_at"] = now
    request.session["xh_seen_at"] = now
    if user.kind == UserKind.CITIZEN:
        request.session.set_expiry(settings.XINGHUO_CITIZEN_SESSION_SECONDS)
    else:
        request.session.set_expiry(settings.XINGHUO_STAFF_ABSOLUTE_SECONDS)


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None, None)
        if user is None:
            error = GENERIC_FAILURE
        else:
            start_session(request, user)
            return redirect(_next_url(request, _home_for(user)))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": _next_url(request, "")}, status=status)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The same answer for a locked account and for a login name that does not exist."""
    form = LoginForm(request.POST if request.method == "POST" else None)
    return render(request, "accounts/login.html", {"form": form, "error": LOCKED_MESSAGE, "next": ""}, status=429)


@signed_in(allow_unverified=True, allow_expired_password=True)
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("您已安全退出"))
    return redirect("portal:home")


def _qr_data_uri(text: str) -> str:
    svg = segno.make(text, error="m").svg_inline(scale=5, dark="#111")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@signed_in(allow_unverified=True, allow_expired_password=True)
@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    """Verify the staff second factor; enrol a TOTP device first if the user has none."""
    user = request.user
    next_url = _next_url(request, _home_for(user))  # type: ignore[arg-type]
    if user.kind != UserKind.STAFF or (hasattr(user, "is_verified") and user.is_verified()):
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or services.otp_device_create(user=user)  # type: ignore[arg-type]
    form = OTPForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if enrolling:
                services.otp_device_confirm(device=device, token=form.cleaned_data["token"])
            elif not device.verify_token(form.cleaned_data["token"]):
                raise DomainError("otp_invalid", "动态口令不正确或已过期，请输入手机上当前显示的 6 位数字", field="token")
        except DomainError as exc:
            audit.record(AuditAction.OTP_FAILED, obj=user, user=user, outcome=AuditOutcome.FAILURE)  # type: ignore[arg-type]
            form.add_error("token", exc.message)
        else:
            otp_login(request, device)
            request.session.cycle_key()  # a new session key once the second factor is passed, too
            return redirect(next_url)
    ctx: dict[str, Any] = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        ctx["qr"] = _qr_data_uri(device.config_url)
        ctx["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/otp.html", ctx, status=400 if form.errors else 200)


@signed_in(allow_expired_password=True)
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, "密码已修改")
            return redirect(_home_for(request.user))  # type: ignore[arg-type]
    expired = request.GET.get("expired") == "1"
    return render(request, "accounts/password_change.html", {"form": form, "expired": expired}, status=400 if form.errors else 200)


@public
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register_citizen(
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
                consent_version=CONSENT_VERSION,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            start_session(request, user)
            messages.success(request, "注册成功，欢迎使用星火科普")
            return redirect(_next_url(request, reverse("portal:me")))
    return render(request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200)


@signed_in
@require_POST
def switch_role_view(request: HttpRequest) -> HttpResponse:
    uid = request.POST.get("membership", "")
    memberships = active_memberships(request.user)  # type: ignore[arg-type]
    chosen = next((m for m in memberships if str(m.uid) == uid), None)
    if chosen is None:
        messages.error(request, "该身份不存在或已失效")
        return redirect("console:home")
    request.session[SESSION_KEY] = str(chosen.uid)
    audit.record(AuditAction.ROLE_SWITCH, obj=chosen, changes={"role": [None, f"{chosen.role}@{chosen.organisation.code}"]})
    messages.success(request, f"已切换为：{chosen.get_role_display()}（{chosen.organisation}）")
    return redirect("console:home")
