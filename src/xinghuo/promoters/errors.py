from enum import StrEnum


class PromoterError(StrEnum):
    NOT_ALLOWED = "promoter_not_allowed"
    NOT_PROMOTER = "promoter_not_promoter"
    VILLAGE = "promoter_village"
    ASSIGNED = "promoter_assigned"
    DATE = "promoter_date"
