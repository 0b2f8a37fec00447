from enum import StrEnum


class OfficerError(StrEnum):
    NOT_ALLOWED = "officer_not_allowed"
    INVALID = "officer_invalid"
    REGISTERED = "officer_registered"
    ACCOUNT = "officer_account"
    ACCOUNT_TAKEN = "officer_account_taken"
    ORGANISATION = "officer_organisation"
    DATE = "officer_date"
    PERSON = "officer_person"
    MONTH = "officer_month"
    FIGURE = "officer_figure"
    UNKNOWN_OFFICER = "officer_unknown"
    DUPLICATE_ROW = "officer_duplicate_row"
