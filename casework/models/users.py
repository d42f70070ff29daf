"""Offices and the people who work in them."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser, Permission
from django.db import models
from django.db.models import Q
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
    # The team feed (coordinators: every office they cover) has its own link, revoked apart.
    team_calendar_token = models.CharField(
        _("team calendar feed token"),
        max_length=64,
        unique=True,
        default=new_calendar_token,
        editable=False,
    )
    calendar_shows_sensitive = models.BooleanField(
        _("sensitive cases in my calendar feed"),
        default=False,
        help_text=_("Off by default: the feed leaves Casework for Google, Outlook or a phone."),
    )
    history = HistoricalRecords(
        excluded_fields=["last_login", "password", "calendar_token", "team_calendar_token"]
    )

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

    def renew_team_calendar_token(self) -> None:
        """Revoke the team calendar link; the personal one keeps working."""
        self.team_calendar_token = new_calendar_token()
        self.save(update_fields=["team_calendar_token"])

    def held_permissions(self) -> set[str]:
        """Every permission granted to this account, directly or through its groups, whether
        or not it is active now (`get_all_permissions` says nothing of inactive accounts,
        and reactivating one must not hand its powers to whoever does it)."""
        granted = Permission.objects.filter(Q(user=self) | Q(group__user=self))
        return {
            f"{app}.{codename}"
            for app, codename in granted.values_list("content_type__app_label", "codename")
        }

    def may_grant(self, permissions: set[str]) -> bool:
        """Whether this user may hand these permissions to anyone: only what they hold."""
        return self.is_superuser or permissions <= self.get_all_permissions()

    def may_manage(self, other: User) -> bool:
        """Whether this user may change `other` in the administration (their details, roles,
        status or password). Only a superuser manages a superuser; anyone else manages only
        accounts that hold nothing they do not hold themselves, so that setting a password or
        reactivating an account never hands them more power than they have."""
        if self.is_superuser:
            return True
        if other.is_superuser:
            return False
        return self.is_active and self.may_grant(other.held_permissions())

    @property
    def display_name(self) -> str:
        full = " ".join(p for p in (self.last_name, self.first_name) if p)
        return full or self.username
