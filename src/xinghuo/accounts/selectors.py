"""Reads of accounts for the system admin's pages."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from xinghuo.accounts.models import APIToken, Membership, User
from xinghuo.core.lookup import get_by_uid


def user_list(*, q: str = "", kind: str = "", role: str = "") -> QuerySet[User]:
    qs = User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(is_active=True).select_related("organisation"))
    )
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if role:
        qs = qs.filter(memberships__role=role, memberships__is_active=True).distinct()
    return qs.order_by("kind", "username", "created_at")


def get_user(uid: object) -> User:
    return get_by_uid(User.objects.all(), uid)


def get_membership(uid: object) -> Membership:
    return get_by_uid(Membership.objects.select_related("user", "organisation"), uid)


def token_list() -> QuerySet[APIToken]:
    return APIToken.objects.select_related("membership__user", "membership__organisation").order_by("-created_at")


def get_token(uid: object) -> APIToken:
    return get_by_uid(token_list(), uid)
