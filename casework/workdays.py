"""Counting legal periods: calendar or working days, per country, with the NGO's corrections.

The `holidays` package knows each country's public holidays and the days off that move when
a holiday falls on a weekend. Governments also move days off by decree (a Saturday made a
working day, a bridge day made a day off); those are rows of WorkingDayCorrection that the
NGO keeps each year. The starting day of a period is never counted."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from casework.models import WorkingDayCorrection


@lru_cache(maxsize=64)
def _public_holidays(country_code: str, year: int) -> frozenset[date]:
    # A country the package does not know has weekends only, plus the NGO's corrections.
    if country_code not in holidays.list_supported_countries():
        return frozenset()
    return frozenset(holidays.country_holidays(country_code, years=[year]).keys())


class Calendar:
    """Working days of one country, corrections loaded once for the span asked about."""

    def __init__(self, country_code: str, corrections: dict[date, bool] | None = None) -> None:
        self.country_code = country_code.upper()
        self._corrections = corrections

    @property
    def corrections(self) -> dict[date, bool]:
        if self._corrections is None:
            self._corrections = dict(
                WorkingDayCorrection.objects.filter(country__code=self.country_code).values_list(
                    "date", "is_working_day"
                )
            )
        return self._corrections

    def is_working_day(self, day: date) -> bool:
        if day in self.corrections:
            return self.corrections[day]
        if day.weekday() >= 5:
            return False
        return day not in _public_holidays(self.country_code, day.year)

    def add_working_days(self, start: date, count: int) -> date:
        """The day `count` working days after `start` (backwards for a negative count)."""
        step = 1 if count >= 0 else -1
        day, left = start, abs(count)
        while left:
            day += timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day

    def next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def due_date(
        self, event_on: date, *, days: int, months: int = 0, working: bool = False
    ) -> date:
        """When a period that starts on `event_on` ends.

        Months are added first (a period of one month ends on the same date of the next
        month). Working days are counted one by one; a period in calendar days that ends on
        a day off moves to the next working day, as procedural codes usually provide."""
        start = event_on + relativedelta(months=months)
        if working:
            return self.add_working_days(start, days)
        due = start + timedelta(days=days)
        if days >= 0 and (days or months):
            return self.next_working_day(due)
        return due
