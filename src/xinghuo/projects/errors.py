from enum import StrEnum


class ProjectError(StrEnum):
    INVALID = "project_invalid"
    NOT_ALLOWED = "project_not_allowed"
    WRONG_STATUS = "project_wrong_status"
    BUDGET_EXCEEDED = "project_budget_exceeded"
    CALL_CLOSED = "project_call_closed"
    DOCUMENT_INVALID = "project_document_invalid"
    DOCUMENTS_MISSING = "project_documents_missing"
