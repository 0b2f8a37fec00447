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


class RegistrationError(StrEnum):
    INVALID = "registration_invalid"
    NO_REGISTRATION = "registration_not_needed"
    NOT_OPEN = "registration_not_open"
    CLOSED = "registration_closed"
    STARTED = "registration_started"
    DUPLICATE = "registration_duplicate"
    GUARDIAN_REQUIRED = "registration_guardian_required"
    STATUS = "registration_status"
    NOT_ALLOWED = "registration_not_allowed"
    UNKNOWN_CODE = "registration_unknown_code"
    CHECKIN_CLOSED = "registration_checkin_closed"
    ALREADY_CHECKED_IN = "registration_already_checked_in"
