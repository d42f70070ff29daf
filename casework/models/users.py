"""Offices and the people who work in them."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Office(models.Model):
    """An office of the NGO: its staff, its clients, its letterhead."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    letterhead_name = models.CharField(
        _("name on the letterhead"),
        max_length=300,
        blank=True,
        help_text=_("The organisation's full legal name as printed on letters."),
    )
    country = models.ForeignKey(
        "clients.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.TextField(_("address"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    registry_prefix = models.CharField(
        _("registry prefix"),
        max_length=10,
        help_text=_("Starts case and letter numbers, e.g. ALA."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["registry_prefix"], name="office_unique_prefix"),
        ]

    def __str__(self) -> str:
        return self.name


# Roles are groups named by these codes (casework/migrations/0003_roles.py); how to call them.
ROLE_LABELS = {
    "lawyer": _("lawyer"),
    "paralegal": _("paralegal"),
    "coordinator": _("coordinator"),
    "administrator": _("administrator"),
    "observer": _("observer (read only)"),
}


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """A member of staff: lawyer, paralegal, coordinator or administrator (by group)."""

    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("office"),
    )
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    calendar_token = models.CharField(
        _("calendar feed token"),
        max_length=64,
        unique=True,
        default=new_calendar_token,
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["last_login", "password", "calendar_token"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    def renew_calendar_token(self) -> None:
        """Revoke the calendar feed link: the old URL stops working at once."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])

    @property
    def display_name(self) -> str:
        full = " ".join(p for p in (self.last_name, self.first_name) if p)
        return full or self.username
