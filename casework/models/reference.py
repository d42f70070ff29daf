"""Reference data an administrator edits: courts, legal articles, the monthly index,
and the NGO's corrections to the working-day calendar."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import NamedReference


class Court(NamedReference):
    """A court that hears expulsion, fine and appeal cases."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Specialised administrative court")
        DISTRICT = "district", _("District court")
        APPEAL = "appeal", _("Regional (appeal) court")
        SUPREME = "supreme", _("Supreme court")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        "clients.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.TextField(_("address"), blank=True)
    addressee = models.CharField(
        _("to whom (addressee line)"),
        max_length=300,
        blank=True,
        help_text=_(
            "The addressee line as a letter prints it, e.g. «В Алматинский городской суд». "
            "Empty: «В» and the court's name."
        ),
    )
    name_genitive = models.CharField(
        _("name, of whom (genitive)"),
        max_length=300,
        blank=True,
        help_text=_(
            "For “the ruling of …”, e.g. «Специализированного межрайонного "
            "административного суда г. Алматы»."
        ),
    )
    appeal_court = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appeals go to"),
        help_text=_(
            "The higher court that hears appeals against this court's rulings; an appeal is "
            "addressed to it and handed in through this court."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("court")
        verbose_name_plural = _("courts")
        ordering = ["city", "name_ru"]

    @property
    def addressee_line(self) -> str:
        """Whom an appeal goes to; a court's name is masculine ("суд"), so "В" and the
        nominative is the accusative a letter needs."""
        return self.addressee or f"В {self.name_ru}"

    @property
    def of_whom(self) -> str:
        """The name in the genitive, else "суда" with the name as it is in brackets."""
        return self.name_genitive or f"суда ({self.name_ru})"


class LegalArticle(models.Model):
    """An article of a code (e.g. the administrative offences code) that fines cite."""

    country = models.ForeignKey(
        "clients.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    code = models.CharField(_("code"), max_length=50, help_text=_("e.g. KoAP"))
    article = models.CharField(_("article"), max_length=20)
    part = models.CharField(_("part"), max_length=20, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    min_mci = models.DecimalField(
        _("least fine, MCI"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_mci = models.DecimalField(
        _("largest fine, MCI"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    may_lead_to_expulsion = models.BooleanField(_("may lead to expulsion"), default=False)
    confirmed = models.BooleanField(
        _("confirmed by the NGO"),
        default=False,
        help_text=_("Shipped defaults must be checked against current law before relying on them."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal article")
        verbose_name_plural = _("legal articles")
        ordering = ["country", "code", "article", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "code", "article", "part"], name="legalarticle_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_mci__isnull=True)
                | Q(max_mci__isnull=True)
                | Q(max_mci__gte=models.F("min_mci")),
                name="legalarticle_range_ordered",
                violation_error_message=_("The largest fine cannot be below the least."),
            ),
        ]

    def __str__(self) -> str:
        part = f" ч. {self.part}" if self.part else ""
        return f"{self.code} ст. {self.article}{part}"


class MonthlyIndex(models.Model):
    """The value of one monthly calculation index (MCI) in a country for a year."""

    country = models.ForeignKey(
        "clients.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    year = models.PositiveIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    confirmed = models.BooleanField(_("confirmed by the NGO"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly calculation index")
        verbose_name_plural = _("monthly calculation indices")
        ordering = ["country", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="monthlyindex_unique_year"),
            models.CheckConstraint(condition=Q(value__gt=0), name="monthlyindex_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value} {self.currency}"

    def amount(self, count: Decimal) -> Decimal:
        return (self.value * count).quantize(Decimal("0.01"))


class WorkingDayCorrection(models.Model):
    """The NGO's own correction to a country's calendar: a working Saturday or a decreed day off."""

    country = models.ForeignKey(
        "clients.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day. Unticked: a day off.")
    )
    note = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working-day correction")
        verbose_name_plural = _("working-day corrections")
        ordering = ["country", "date"]
        constraints = [
            models.UniqueConstraint(fields=["country", "date"], name="workingday_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {_('working day') if self.is_working_day else _('day off')}"
