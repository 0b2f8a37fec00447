from enum import StrEnum


class VenueError(StrEnum):
    INVALID_HOURS = "venue_invalid_hours"
    INVALID_AUDIENCE = "venue_invalid_audience"
    INVALID_SUBTYPE = "venue_invalid_subtype"
    INVALID_LOCATION = "venue_invalid_location"
    INVALID_REGION = "venue_invalid_region"
    INVALID_FILTER = "venue_invalid_filter"
    NOT_PUBLIC = "venue_not_public"
