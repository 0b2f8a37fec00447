"""Sign-ins, sign-outs, failed sign-ins and lockouts go into the audit trail.

A failed sign-in names the attempted login only masked (a phone number is personal data)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from xinghuo.core import audit
from xinghuo.core.masking import mask_phone
from xinghuo.core.models import AuditAction, AuditOutcome


def _masked_login(credentials: dict[str, Any]) -> str:
    ident = str(credentials.get("username") or "")
    return mask_phone(ident) if ident.isdigit() else ident[:50]


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
        object_repr=f"登录名 {_masked_login({'username': username})}",
        outcome=AuditOutcome.DENIED,
    )
