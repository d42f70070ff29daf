"""Input checks shared by the forms of every app."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Dates outside these are typing slips (0001, 9999): no permit, hearing or deadline falls
# there, and counting reminders or working days from them overflows Python's dates.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def is_plausible(day: date | datetime) -> bool:
    day = day.date() if isinstance(day, datetime) else day
    return EARLIEST <= day <= LATEST


def validate_plausible_date(value: date | datetime) -> None:
    if not is_plausible(value):
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="implausible_date",
            params={
                "first": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
                "last": date_format(LATEST, "SHORT_DATE_FORMAT"),
            },
        )


class PlausibleDates:
    """Form mixin: every date and date-time field refuses a date outside EARLIEST..LATEST,
    with a message, and the browser's date picker offers only those."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(validate_plausible_date)
                if isinstance(field, forms.DateTimeField):
                    bounds = {"min": f"{EARLIEST}T00:00", "max": f"{LATEST}T23:59"}
                else:
                    bounds = {"min": EARLIEST.isoformat(), "max": LATEST.isoformat()}
                for key, value in bounds.items():
                    field.widget.attrs.setdefault(key, value)
