"""Model validation that turns Django's ValidationError into our DomainError with Chinese messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from xinghuo.core.errors import DomainError, ErrorCode
from xinghuo.core.scoping import scopes_disabled


def validate(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """full_clean() with uniqueness checked platform-wide (not only within the actor's scope)."""
    try:
        with scopes_disabled():
            obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise invalid_from(exc) from exc


def invalid_from(exc: ValidationError) -> DomainError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = "；".join(str(m) for e in errors for m in e.messages)
        label = field
        return DomainError(ErrorCode.INVALID, message, field=None if field == "__all__" else label)
    return DomainError(ErrorCode.INVALID, "；".join(exc.messages))
