"""One family of domain errors: a code that tests assert on and a Chinese message users read."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes shared by every app; apps add their own enums of the same shape."""

    NOT_FOUND = "not_found"
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    BUSY = "busy"
    AUTH_REQUIRED = "auth_required"
    RATE_LIMITED = "rate_limited"


class DomainError(Exception):
    """Raised by services and selectors; views show `message`, the API answers {code, detail}."""

    status = 400

    def __init__(self, code: StrEnum | str, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """Missing and forbidden look the same to the caller."""

    status = 404

    def __init__(self, message: str = "您要找的记录不存在或无权查看。"):
        super().__init__(ErrorCode.NOT_FOUND, message)
