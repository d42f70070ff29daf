"""Working days in Kazakhstan over a real year, with weekend holidays and NGO corrections."""

from datetime import date, timedelta

import pytest

from casework.models import WorkingDayCorrection
from casework.workdays import Calendar
from tests.factories import country

pytestmark = pytest.mark.django_db

KZ_2026_DAYS_OFF_ON_WEEKDAYS = [
    date(2026, 1, 1),
    date(2026, 1, 2),  # New Year
    date(2026, 1, 7),  # Orthodox Christmas
    date(2026, 3, 9),  # 8 March fell on a Sunday: moved to Monday
    date(2026, 3, 23),
    date(2026, 3, 24),
    date(2026, 3, 25),  # Nauryz, two days moved
    date(2026, 5, 1),
    date(2026, 5, 7),
    date(2026, 5, 11),  # Victory Day fell on a Saturday: moved to Monday
    date(2026, 5, 27),  # Kurban Ait, first day (lunar)
    date(2026, 7, 6),
    date(2026, 10, 26),
    date(2026, 12, 16),
]


def days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.fixture
def kz():
    return Calendar("KZ")


@pytest.mark.parametrize("day", KZ_2026_DAYS_OFF_ON_WEEKDAYS, ids=str)
def test_public_holidays_and_their_moved_days_are_days_off(kz, day):
    assert day.weekday() < 5
    assert not kz.is_working_day(day)


def test_2026_has_the_expected_number_of_working_days(kz):
    working = [day for day in days_of(2026) if kz.is_working_day(day)]
    weekdays = [day for day in days_of(2026) if day.weekday() < 5]
    assert len(working) == len(weekdays) - len(KZ_2026_DAYS_OFF_ON_WEEKDAYS)


def test_starting_day_is_not_counted_and_holidays_are_skipped(kz):
    # Decision received Friday 20 March 2026: Nauryz and its moved days are off until the 25th.
    assert kz.due_date(date(2026, 3, 20), days=3, working=True) == date(2026, 3, 30)
    assert kz.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)


@pytest.mark.parametrize("period", [1, 3, 10, 15])
def test_a_working_day_period_ends_on_a_working_day_every_day_of_the_year(kz, period):
    for start in days_of(2026):
        due = kz.due_date(start, days=period, working=True)
        assert kz.is_working_day(due), (start, due)
        counted = sum(
            kz.is_working_day(start + timedelta(days=i)) for i in range(1, (due - start).days + 1)
        )
        assert counted == period, (start, due)


def test_a_calendar_period_ending_on_a_day_off_moves_to_the_next_working_day(kz):
    # 26 Feb + 10 days = Sunday 8 March; Monday 9 March is the moved holiday.
    assert kz.due_date(date(2026, 2, 26), days=10) == date(2026, 3, 10)
    assert kz.due_date(date(2026, 5, 29), days=10) == date(2026, 6, 8)


def test_a_period_in_months_ends_on_the_same_date(kz):
    assert kz.due_date(date(2026, 9, 15), days=0, months=1) == date(2026, 10, 15)


def test_a_reminder_before_expiry_is_not_moved(kz):
    assert kz.due_date(date(2026, 3, 31), days=-30) == date(2026, 3, 1)


def test_the_ngos_corrections_override_the_package():
    kz_country = country("KZ")
    # A Saturday made a working day and a decreed bridge day off.
    WorkingDayCorrection.objects.create(
        country=kz_country, date=date(2026, 1, 3), is_working_day=True
    )
    WorkingDayCorrection.objects.create(
        country=kz_country, date=date(2026, 1, 5), is_working_day=False
    )
    calendar = Calendar("KZ")
    assert calendar.is_working_day(date(2026, 1, 3))
    assert not calendar.is_working_day(date(2026, 1, 5))
    # From 31 Dec: 1-2 Jan holidays, Sat 3 works, Sun 4 off, Mon 5 decreed off, Tue 6 works.
    assert calendar.due_date(date(2025, 12, 31), days=2, working=True) == date(2026, 1, 6)


def test_a_country_the_package_does_not_know_has_weekends_only():
    calendar = Calendar("XX")
    assert calendar.is_working_day(date(2026, 1, 1))  # a Thursday
    assert not calendar.is_working_day(date(2026, 1, 3))  # a Saturday
