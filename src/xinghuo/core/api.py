"""API plumbing shared by every module: authentication (session or bearer token, both resolved by the
access middleware into an actor), role checks, pagination and the single error shape."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from ninja.security import APIKeyCookie, HttpBearer

from xinghuo.core.access import needs_second_factor
from xinghuo.core.errors import NotFound

MAX_PAGE_SIZE = 1000


class SessionActorAuth(APIKeyCookie):
    """The browser's session (CSRF-checked on unsafe methods); staff must have passed the second factor."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        actor = getattr(request, "xh_actor", None)
        if actor is None or getattr(request, "xh_token", None) is not None:
            return None
        user = actor.user
        if needs_second_factor(user):
            return None
        if user.password_expired(settings.XINGHUO_PASSWORD_POLICY["staff_max_age_days"]):
            return None
        return actor


class BearerActorAuth(HttpBearer):
    """Authorization: Bearer xh_… — an integration acting as the membership its token was issued to."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if getattr(request, "xh_token", None) is None:
            return None
        return request.xh_actor  # type: ignore[attr-defined]


def require_role(request: HttpRequest, *roles: str) -> Any:
    """The actor of an authenticated request, if its role may use the operation; else 404 (as if missing)."""
    actor = request.auth  # type: ignore[attr-defined]
    if actor is None or actor.role not in roles:
        raise NotFound()
    return actor


class PagePagination(PaginationBase):
    """?page=1&page_size=20 → {"count": N, "items": [...]}."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="页码，从 1 开始")
        page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1–{MAX_PAGE_SIZE}")

    class Output(Schema):
        count: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Input, **params: Any) -> dict[str, Any]:
        offset = (pagination.page - 1) * pagination.page_size
        return {"count": queryset.count(), "items": list(queryset[offset : offset + pagination.page_size])}


class ErrorOut(Schema):
    code: str
    detail: str
