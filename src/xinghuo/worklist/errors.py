from enum import StrEnum


class WorklistError(StrEnum):
    INVALID = "worklist_invalid"
    NOT_ALLOWED = "worklist_not_allowed"
    ATTACHMENT_INVALID = "worklist_attachment_invalid"
