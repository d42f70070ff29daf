"""Counting legal periods: calendar or working days, per country, with the NGO's corrections.

The `holidays` package knows each country's public holidays and the days off that move when
a holiday falls on a weekend. Governments also move days off by decree (a Saturday made a
working day, a bridge day made a day off); those are rows of WorkingDayCorrection that the
NGO keeps each year. The starting day of a period is never counted.

`Calendar.count` is the one place a period is counted: it returns the due date together
with what the counting passed over (holidays, decreed days off, a move off a day off), so
that the explanation a deadline shows is the counting itself, not a second account of it."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.formats import short_date
from casework.models import WorkingDayCorrection

# The package's English names, in the interface's language (gettext picks them up here).
HOLIDAY_NAMES = {
    "Capital Day": gettext_lazy("Capital Day"),
    "Constitution Day": gettext_lazy("Constitution Day"),
    "Defender of the Fatherland Day": gettext_lazy("Defender of the Fatherland Day"),
    "Eid al-Adha": gettext_lazy("Eid al-Adha"),
    "First President Day": gettext_lazy("First President Day"),
    "Independence Day": gettext_lazy("Independence Day"),
    "International Women's Day": gettext_lazy("International Women's Day"),
    "Kazakhstan's People Solidarity Holiday": gettext_lazy(
        "Kazakhstan's People Solidarity Holiday"
    ),
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Nowruz Holiday": gettext_lazy("Nowruz Holiday"),
    "Orthodox Christmas": gettext_lazy("Orthodox Christmas"),
    "Republic Day": gettext_lazy("Republic Day"),
    "Victory Day": gettext_lazy("Victory Day"),
}
SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")


@lru_cache(maxsize=64)
def _holiday_names(country_code: str, year: int) -> dict[date, str]:
    # A country the package does not know has weekends only, plus the NGO's corrections.
    if country_code not in holidays.list_supported_countries():
        return {}
    entity = holidays.country_holidays(country_code, years=[year])
    language = "en_US" if "en_US" in entity.supported_languages else None
    return dict(holidays.country_holidays(country_code, years=[year], language=language))


def _public_holidays(country_code: str, year: int) -> frozenset[date]:
    return frozenset(_holiday_names(country_code, year))


def _translated(name: str) -> str:
    """One of the package's English names in the active language; a name the table does not
    know (another country's) reads as a public holiday rather than in English."""
    parts = []
    for part in name.split("; "):
        if match := SUBSTITUTED.match(part):
            month, day, year = (int(n) for n in match.groups())
            moved_from = short_date(date(year, month, day))
            parts.append(_("day off moved from %(date)s") % {"date": moved_from})
            continue
        observed = part.endswith(" (observed)")
        base = part.removesuffix(" (observed)").removesuffix(" (estimated)")
        label = str(HOLIDAY_NAMES.get(base, _("public holiday")))
        parts.append(_("%(name)s (moved day off)") % {"name": label} if observed else label)
    return "; ".join(dict.fromkeys(parts))


@dataclasses.dataclass(frozen=True)
class Count:
    """A counted period: its due date, the day the period itself ended (before a move off a
    day off), the days off on weekdays the counting passed over, and weekend days that the
    NGO's corrections made working days and that were counted."""

    due_on: date
    period_end: date
    skipped: tuple[date, ...] = ()
    worked: tuple[date, ...] = ()

    @property
    def moved(self) -> bool:
        return self.due_on != self.period_end


class Calendar:
    """Working days of one country, corrections loaded once for the span asked about."""

    def __init__(self, country_code: str, corrections: dict[date, bool] | None = None) -> None:
        self.country_code = country_code.upper()
        self._corrections = corrections
        self._notes: dict[date, str] = {}

    @property
    def corrections(self) -> dict[date, bool]:
        if self._corrections is None:
            rows = WorkingDayCorrection.objects.filter(country__code=self.country_code).values_list(
                "date", "is_working_day", "note"
            )
            self._corrections = {}
            for day, is_working_day, note in rows:
                self._corrections[day] = is_working_day
                self._notes[day] = note
        return self._corrections

    def is_working_day(self, day: date) -> bool:
        if day in self.corrections:
            return self.corrections[day]
        if day.weekday() >= 5:
            return False
        return day not in _public_holidays(self.country_code, day.year)

    def name_of(self, day: date) -> str:
        """Why `day` is a day off or a working day, in the active language."""
        if day in self.corrections:
            if self._notes.get(day):
                return self._notes[day]
            return _("working day by decree") if self.corrections[day] else _("day off by decree")
        name = _holiday_names(self.country_code, day.year).get(day)
        if name:
            return _translated(name)
        return _("weekend") if day.weekday() >= 5 else _("working day")

    def _is_special(self, day: date) -> bool:
        """A day off that is not a plain weekend: worth naming when it was passed over."""
        return day.weekday() < 5 and not self.is_working_day(day)

    def _walk(self, start: date, count: int) -> Count:
        step = 1 if count >= 0 else -1
        day, left = start, abs(count)
        skipped, worked = [], []
        while left:
            day += timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
                if day.weekday() >= 5:
                    worked.append(day)
            elif self._is_special(day):
                skipped.append(day)
        return Count(day, day, tuple(skipped), tuple(worked))

    def add_working_days(self, start: date, count: int) -> date:
        """The day `count` working days after `start` (backwards for a negative count)."""
        return self._walk(start, count).due_on

    def next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def count(self, event_on: date, *, days: int, months: int = 0, working: bool = False) -> Count:
        """A period that starts on `event_on`, counted.

        Months are added first (a period of one month ends on the same date of the next
        month). Working days are counted one by one; a period in calendar days that ends on
        a day off moves to the next working day, as procedural codes usually provide."""
        start = event_on + relativedelta(months=months)
        if working:
            return self._walk(start, days)
        end = start + timedelta(days=days)
        if days < 0 or not (days or months):
            return Count(end, end)
        due = self.next_working_day(end)
        skipped = tuple(
            end + timedelta(days=n)
            for n in range((due - end).days)
            if self._is_special(end + timedelta(days=n))
        )
        return Count(due, end, skipped)

    def due_date(
        self, event_on: date, *, days: int, months: int = 0, working: bool = False
    ) -> date:
        """When a period that starts on `event_on` ends (see `count`)."""
        return self.count(event_on, days=days, months=months, working=working).due_on
