from enum import StrEnum


class ResourceError(StrEnum):
    INVALID = "resource_invalid"
    STATUS = "resource_status"
    NOT_ALLOWED = "resource_not_allowed"
    REASON_REQUIRED = "resource_reason_required"
    REVIEWER = "resource_reviewer"
    MEDIA_INVALID = "resource_media_invalid"
