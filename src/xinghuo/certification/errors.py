from enum import StrEnum


class CertificationError(StrEnum):
    NO_STANDARD = "cert_no_standard"
    STANDARD_INVALID = "cert_standard_invalid"
    STANDARD_IN_USE = "cert_standard_in_use"
    VENUE_STATUS = "cert_venue_status"
    ALREADY_OPEN = "cert_application_open"
    STATUS = "cert_status"
    NOT_ALLOWED = "cert_not_allowed"
    SCORE_INVALID = "cert_score_invalid"
    INCOMPLETE = "cert_incomplete"
    REASON_REQUIRED = "cert_reason_required"
    EVIDENCE_INVALID = "cert_evidence_invalid"
    NOTICE_OPEN = "cert_notice_open"
    NOTICE_CLOSED = "cert_notice_closed"
    OBJECTIONS_PENDING = "cert_objections_pending"
    OBJECTION_UPHELD = "cert_objection_upheld"
    OBJECTION_INVALID = "cert_objection_invalid"
    REVIEW_STATUS = "cert_review_status"
    REVIEW_INVALID = "cert_review_invalid"
