from enum import StrEnum


class ExpertError(StrEnum):
    NOT_ALLOWED = "experts_not_allowed"
    INVALID = "experts_invalid"
    ROLE = "experts_role"
    NO_INFLUENCER_PROFILE = "experts_no_influencer_profile"
    SELECTION_EXISTS = "experts_selection_exists"
    STATUS = "experts_status"
    DUPLICATE = "experts_duplicate_nomination"
    REASON_REQUIRED = "experts_reason_required"
    PENDING_REVIEW = "experts_pending_review"
    NO_CANDIDATES = "experts_no_candidates"
    NOTICE_OPEN = "experts_notice_open"
    NOTICE_CLOSED = "experts_notice_closed"
    OBJECTIONS_PENDING = "experts_objections_pending"
    OBJECTION_INVALID = "experts_objection_invalid"
    STUDIO = "experts_studio"
