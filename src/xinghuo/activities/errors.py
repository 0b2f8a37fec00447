from enum import StrEnum


class ActivityError(StrEnum):
    INVALID = "activity_invalid"
    STATUS = "activity_status"
    NOT_ALLOWED = "activity_not_allowed"
    REASON_REQUIRED = "activity_reason_required"
    TOO_EARLY = "activity_too_early"
    TOO_LATE = "activity_too_late"
    REPORT_INVALID = "activity_report_invalid"
    PHOTO_INVALID = "activity_photo_invalid"
