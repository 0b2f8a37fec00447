"""Working days: weekends do not count, announced holidays do not count, and a weekend worked in their place does."""

from __future__ import annotations

from datetime import date

from xinghuo.core.workdays import is_working_day, nth_working_day, working_days_between

# 2026-10-01 is a Thursday


def test_five_working_days_from_a_monday_end_on_its_friday():
    assert nth_working_day(date(2026, 11, 2), 5) == date(2026, 11, 6)


def test_a_notice_opened_on_a_thursday_runs_over_the_weekend_to_the_wednesday():
    assert nth_working_day(date(2026, 11, 5), 5) == date(2026, 11, 11)


def test_a_notice_opened_on_a_saturday_starts_counting_on_the_monday():
    assert nth_working_day(date(2026, 11, 7), 1) == date(2026, 11, 9)


def test_announced_holidays_are_skipped_and_a_makeup_saturday_counts(settings):
    # given the National Day week off and the Saturday after it worked in its place
    settings.XINGHUO_HOLIDAYS = frozenset(date(2026, 10, d) for d in range(1, 8))
    settings.XINGHUO_MAKEUP_WORKDAYS = frozenset({date(2026, 10, 10)})

    # then a notice opened on 30 September counts it, then the 8th, 9th, 10th (Saturday) and 12th
    assert not is_working_day(date(2026, 10, 5))
    assert is_working_day(date(2026, 10, 10))
    assert nth_working_day(date(2026, 9, 30), 5) == date(2026, 10, 12)
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 11)) == 6
