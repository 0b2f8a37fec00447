from enum import StrEnum


class IndicatorError(StrEnum):
    INVALID = "indicator_invalid"
    NOT_FOUND = "indicator_not_found"
    NOT_ALLOWED = "indicator_not_allowed"
