"""Working days (工作日), for periods the rules count in them — a star's public notice of at least 5 working days.

Monday to Friday, less the public holidays and plus the weekend days worked in their place (调休上班日) that the
State Council announces each year: settings XINGHUO_HOLIDAYS and XINGHUO_MAKEUP_WORKDAYS, so that the operator adds
next year's notice to the environment without a release. Without them, every weekday counts."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings


def is_working_day(day: date) -> bool:
    if day in settings.XINGHUO_MAKEUP_WORKDAYS:
        return True
    return day.weekday() < 5 and day not in settings.XINGHUO_HOLIDAYS


def nth_working_day(start: date, n: int) -> date:
    """The n-th working day counted from `start` (itself the first when it is one): a notice opened on `start` for
    n working days runs to the end of this day."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == n:
                return day
        day += timedelta(days=1)


def working_days_between(first: date, last: date) -> int:
    """How many working days from `first` to `last`, both included (0 when last is before first)."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count
