from enum import StrEnum


class VolunteerError(StrEnum):
    INVALID = "volunteer_invalid"
    NOT_ALLOWED = "volunteer_not_allowed"
    NOT_VOLUNTEER = "volunteer_not_volunteer"
    UNKNOWN_PERSON = "volunteer_unknown_person"
    TEAM_LIMIT = "volunteer_team_limit"
    ALREADY_MEMBER = "volunteer_already_member"
    TEAM_DUPLICATE = "volunteer_team_duplicate"
    HOURS = "volunteer_hours"
    DAY_LIMIT = "volunteer_day_limit"
    NOT_RECORDER = "volunteer_not_recorder"
    STATUS = "volunteer_status"
    ACTIVITY = "volunteer_activity"
    NOTICE_OPEN = "volunteer_notice_open"
    OBJECTION_INVALID = "volunteer_objection_invalid"
    CERTIFICATE = "volunteer_certificate"
