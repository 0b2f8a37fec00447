"""Every route declares who may use it, or is on the explicit public list. Deny by default.

    @public                      anyone, signed in or not (portal pages, login)
    @signed_in                   any signed-in user, citizen or staff (my account, sign-out)
    @for_roles(Role.CITY_STAFF, Role.COUNTY_STAFF)   console pages, by the actor's current role

A view without a declaration answers 404 (and raises in DEBUG); `tests/test_routes.py` walks the URL
resolver and fails on such a route. The Django admin is the system admin's; the API declares per
operation (ninja's `auth`), and public operations say so with `PUBLIC_API`.

The middleware also opens the actor's scope (core.scoping) around the whole request, enforces the staff
second factor and password age, and answers 404 — the same as for a missing record — when the actor's
role may not use the route.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_scopes import scope

from xinghuo.core import context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: frozenset[str] | None = None  # None: any signed-in user
    allow_unverified: bool = False  # reachable before the second factor (the OTP pages themselves)
    allow_expired_password: bool = False  # reachable with an expired password (change it, sign out)
    api: bool = False  # ninja decides per operation

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.api:
            return "api"
        return "signed-in" if self.roles is None else "roles:" + ",".join(sorted(self.roles))


PUBLIC = Access(public=True)
API = Access(api=True)
#: ninja operation keyword arguments for a public API operation (the route walker accepts these).
PUBLIC_API: dict[str, Any] = {"auth": None, "openapi_extra": {"x-xinghuo-public": True}}


def _declare(view: Callable, access: Access) -> Callable:
    view.xh_access = access  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    return _declare(view, PUBLIC)


def signed_in(view: Callable | None = None, *, allow_unverified: bool = False, allow_expired_password: bool = False) -> Any:
    access = Access(allow_unverified=allow_unverified, allow_expired_password=allow_expired_password)
    if view is None:
        return lambda v: _declare(v, access)
    return _declare(view, access)


def for_roles(*roles: str) -> Callable[[Callable], Callable]:
    if not roles:
        raise ImproperlyConfigured("for_roles() needs at least one role")
    access = Access(roles=frozenset(str(r) for r in roles))
    return lambda view: _declare(view, access)


def access_of(view_func: Callable, namespace: str = "") -> Access | None:
    declared = getattr(view_func, "xh_access", None)
    if declared is not None:
        return declared
    if namespace == "admin" or namespace.startswith("admin:"):
        from xinghuo.accounts.roles import Role

        return Access(roles=frozenset({Role.SYSTEM_ADMIN}))
    if namespace == "api-1" or _is_ninja_view(view_func):
        return API
    return None


def _is_ninja_view(view_func: Callable) -> bool:
    owner = getattr(view_func, "__self__", None)
    return type(owner).__module__.startswith("ninja.") if owner is not None else False


def not_found(request: HttpRequest) -> HttpResponse:
    """The same answer as for a missing page (core.views.page_not_found): forbidden looks like missing."""
    from xinghuo.core.views import page_not_found  # core.views uses this module's decorators

    return page_not_found(request)


def _login_redirect(request: HttpRequest) -> HttpResponse:
    target = request.get_full_path()
    login = reverse("accounts:login")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(f"{login}?{urlencode({'next': target})}")
    return redirect(login)


def needs_second_factor(user: Any) -> bool:
    """Staff (and the admins, who are staff) must pass the TOTP second factor before anything else."""
    if user.kind != "staff" or not settings.XINGHUO_OTP_REQUIRED:
        return False
    return not (hasattr(user, "is_verified") and user.is_verified())


class AccessMiddleware:
    """Opens the actor's scope around the request and enforces each route's declaration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from xinghuo.accounts.actor import SESSION_KEY, actor_for
        from xinghuo.accounts.tokens import authenticate_bearer

        actor = None
        if request.headers.get("Authorization", "").startswith("Bearer "):
            actor = authenticate_bearer(request)
        elif request.user.is_authenticated:
            actor = actor_for(request.user, request.session.get(SESSION_KEY))
        request.xh_actor = actor  # type: ignore[attr-defined]
        if actor is None:
            return self.get_response(request)
        context.update(user_id=actor.user.pk, user_label=actor.user.audit_label(), role_label=actor.role_code)
        with scope(**actor.scope_kwargs()):
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        access = access_of(view_func, match.namespace if match else "")
        if access is None:
            name = getattr(match, "view_name", request.path)
            if settings.DEBUG:
                raise ImproperlyConfigured(f"Route {name} declares no access (use @public, @signed_in or @for_roles)")
            log.error("route %s declares no access; denied", name)
            return not_found(request)
        request.xh_access = access  # type: ignore[attr-defined]
        if access.public or access.api:
            return None
        actor = getattr(request, "xh_actor", None)
        if actor is None:
            return _login_redirect(request)
        user = actor.user
        if not access.allow_unverified and needs_second_factor(user):
            return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}")
        if not access.allow_expired_password and user.password_expired(settings.XINGHUO_PASSWORD_POLICY["staff_max_age_days"]):
            return redirect(f"{reverse('accounts:password_change')}?expired=1")
        if access.roles is not None and actor.role not in access.roles:
            return not_found(request)
        return None
