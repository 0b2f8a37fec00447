"""Bearer tokens for integrations (Authorization: Bearer xh_…): the token acts as its membership."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.accounts.models import APIToken


def authenticate_bearer(request: HttpRequest) -> Actor | None:
    key = request.headers.get("Authorization", "")[len("Bearer ") :].strip()
    if not key.startswith("xh_"):
        return None
    token = (
        APIToken.objects.select_related("membership__user", "membership__organisation__region__city")
        .filter(key_hash=APIToken.hash_key(key))
        .first()
    )
    if token is None or not token.usable or not token.membership.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=10):
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    user = token.membership.user
    request.user = user  # type: ignore[assignment]
    request.xh_token = token  # type: ignore[attr-defined]
    return Actor(user=user, membership=token.membership, memberships=(token.membership,))
