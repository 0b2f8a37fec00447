from enum import StrEnum


class TourError(StrEnum):
    INVALID = "tour_invalid"
    INVALID_STOPS = "tour_invalid_stops"
    NOT_PUBLIC_VENUE = "tour_venue_not_public"
    STATUS = "tour_status"
    NOT_BOOKABLE = "tour_not_bookable"
    DAY_FULL = "tour_day_full"
    BOOKING_INVALID = "tour_booking_invalid"
    BOOKING_STATUS = "tour_booking_status"
    DUPLICATE = "tour_booking_duplicate"
    POINT_INVALID = "tai_point_invalid"
