"""How Casework writes dates, numbers and "how soon" on its pages, in the reader's language.

One rule: tables, lists and forms show 02.12.2026 and 02.12.2026 14:30; running text shows
"2 декабря 2026"; a month is "Декабрь 2026"; counts group thousands ("1 234"). The Russian
formats are in casework/formats/ru/formats.py (FORMAT_MODULE_PATH); English keeps Django's.
Exports do not use these: they keep real dates and plain numbers (casework.views.dashboard).
Identifiers, years, passport numbers and form values are never grouped: use `grouped` only
on counts.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext


def short_date(value: date | None) -> str:
    """02.12.2026 (12/02/2026 in English); empty for no date."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def short_datetime(value: datetime | None) -> str:
    """02.12.2026 14:30, in the office's time zone; empty for no moment."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATETIME_FORMAT")


def month_name(value: date) -> str:
    """The month of `value` by name: "Декабрь 2026"."""
    return date_format(value, "YEAR_MONTH_FORMAT")


def grouped(value: int) -> str:
    """A count with its thousands grouped: "12 345" (a non-breaking space in Russian)."""
    return number_format(value, force_grouping=True)


def how_soon(days: int) -> str:
    """A date's distance from today, as a person says it: "просрочено на 5 дней",
    "сегодня", "через 3 дня"."""
    if days < 0:
        return ngettext("overdue by %(n)s day", "overdue by %(n)s days", -days) % {
            "n": grouped(-days)
        }
    if days == 0:
        return gettext("today")
    return ngettext("in %(n)s day", "in %(n)s days", days) % {"n": grouped(days)}
