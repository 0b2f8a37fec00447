"""Sign-ins, sign-outs, failed sign-ins and lockouts go into the audit trail.

A failed sign-in names the attempted login only masked (a phone number is personal data)."""

from __future__ import annotations

import re
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from xinghuo.core import audit
from xinghuo.core.masking import mask_phone
from xinghuo.core.models import AuditAction, AuditOutcome

PHONE_LIKE = re.compile(r"^[\d\s()+\-]+$")


def _masked_login(credentials: dict[str, Any]) -> str:
    """A login name for the trail: anything that looks like a phone number (spaces, dashes, +86 and all) is
    reduced to its digits and masked; a username stays as typed."""
    ident = str(credentials.get("username") or "").strip()
    if PHONE_LIKE.match(ident):
        digits = re.sub(r"\D", "", ident)
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        return mask_phone(digits)
    return ident[:50]


def _typed_login(request: Any) -> str:
    post = getattr(request, "POST", None)
    return str(post.get("username", "")) if post is not None else ""


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(AuditAction.LOGIN, obj=user, user=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(AuditAction.LOGOUT, obj=user, user=user)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if getattr(request, "_xh_locked_out", False):
        return  # the lockout record stands for this attempt
    audit.record(
        AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=f"登录名 {_masked_login(credentials)}",
        outcome=AuditOutcome.FAILURE,
    )


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any) -> None:
    if request is not None:
        request._xh_locked_out = True
    audit.record(
        AuditAction.LOCKOUT,
        object_type="accounts.user",
        # axes hands over its keyed hash of the login name; the form holds the name the user typed.
        object_repr=f"登录名 {_masked_login({'username': _typed_login(request) or username})}",
        outcome=AuditOutcome.DENIED,
    )
