"""Legal matters: a case for one client, its fines, hearings and log, and group incidents."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.formats import short_date, short_datetime
from casework.models.deadlines import Deadline
from casework.money import format_money
from clients.models import ArchivableQuerySet, Record


class RegistryCounter(models.Model):
    """The last number handed out in one office's registry for one year and series."""

    office = models.ForeignKey("casework.Office", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registry counter")
        verbose_name_plural = _("registry counters")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "series", "year"], name="registrycounter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.series}/{self.year}: {self.last}"

    @classmethod
    def next_number(cls, *, office, series: str, year: int | None = None) -> str:
        """A new registry number such as ALA-C-2026-00042; never handed out twice."""
        year = year or timezone.localdate().year
        with transaction.atomic():
            counter, _created = cls.objects.select_for_update().get_or_create(
                office=office, series=series, year=year
            )
            counter.last += 1
            counter.save(update_fields=["last"])
        return f"{office.registry_prefix}-{series}-{year}-{counter.last:05d}"


class CaseQuerySet(ArchivableQuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """Cases of the user's office; sensitive ones only to their assigned staff.
        Holders of `view_all_cases` (coordinators) see every case. Reading needs the view
        permission as writing needs the change one: office membership alone shows nothing."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.has_perm("casework.view_case"):
            return self.none()
        if user.has_perm("casework.view_all_cases"):
            return self.all()
        if not user.office_id:
            return self.none()
        return self.filter(office_id=user.office_id).filter(
            Q(sensitivity=Case.Sensitivity.NORMAL) | Q(responsible_lawyer=user) | Q(paralegal=user)
        )

    def past_retention(self, today=None) -> CaseQuerySet:
        """Closed cases that closed longer than CLOSED_CASE_RETENTION_DAYS ago, of clients not
        erased yet, each marked whether its client has a case still kept (open, or closed
        within the period). Listed for review only: nothing removes them by itself."""
        today = today or timezone.localdate()
        cutoff = today - timedelta(days=settings.CLOSED_CASE_RETENTION_DAYS)
        kept = Case.objects.filter(client=OuterRef("client_id")).filter(
            ~Q(status=Case.Status.CLOSED) | Q(closed_on__gte=cutoff)
        )
        return self.filter(
            status=Case.Status.CLOSED, closed_on__lt=cutoff, client__erasure__isnull=True
        ).annotate(client_has_kept_case=Exists(kept))


class Case(Record):
    """A legal matter for one client: an expulsion, a fine, a permit, a complaint."""

    class Kind(models.TextChoices):
        EXPULSION = "expulsion", _("Expulsion or deportation")
        DETENTION = "detention", _("Detention")
        FINE = "fine", _("Administrative fine")
        PERMIT = "permit", _("Residence permit")
        REGISTRATION = "registration", _("Registration")
        DOCUMENTS = "documents", _("Withheld or lost documents")
        COMPLAINT = "complaint", _("Complaint about officials")
        ASYLUM = "asylum", _("Asylum or refugee status")
        LABOUR = "labour", _("Labour dispute")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("Not yet known")
        WON = "won", _("Won")
        PARTLY_WON = "partly_won", _("Partly won")
        LOST = "lost", _("Lost")
        SETTLED = "settled", _("Resolved without court")
        WITHDRAWN = "withdrawn", _("Client withdrew")
        REFERRED = "referred", _("Referred elsewhere")
        LOST_CONTACT = "lost_contact", _("Lost contact with client")

    class Sensitivity(models.TextChoices):
        NORMAL = "normal", _("Normal")
        SENSITIVE = "sensitive", _("Sensitive: assigned staff and coordinators only")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    office = models.ForeignKey(
        "casework.Office", on_delete=models.PROTECT, related_name="cases", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default="", blank=True
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=10, choices=Sensitivity.choices, default="normal"
    )
    responsible_lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_lawyer",
        verbose_name=_("responsible lawyer"),
    )
    paralegal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_paralegal",
        verbose_name=_("paralegal"),
    )
    incident = models.ForeignKey(
        "casework.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("incident"),
    )
    summary = models.TextField(_("summary"), blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        permissions = [
            ("view_all_cases", _("Can see cases of every office")),
            ("close_case", _("Can close and reopen cases and set outcomes")),
            ("assign_case", _("Can assign cases to staff")),
            ("view_dashboard", _("Can see the team dashboard")),
            ("transfer_case", _("Can transfer cases to another office")),
        ]
        indexes = [
            models.Index(fields=["office", "status"], name="case_office_status"),
            # The permit reminder planner asks which cases changed lately.
            models.Index(fields=["updated_at"], name="case_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=_("A case cannot close before it opened."),
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_on__isnull=False) & ~Q(outcome=""))
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="case_closed_has_date_and_outcome",
                violation_error_message=_("A closed case needs a closing date and an outcome."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("casework:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def _bump(self, fields: list[str]) -> None:
        self.version += 1
        self.save(update_fields=[*fields, "version", "updated_at"])

    def close(self, *, outcome: str, closed_on=None) -> None:
        """Close with an outcome; open deadlines of the case are cancelled with it."""
        self.status = self.Status.CLOSED
        self.outcome = outcome
        self.closed_on = closed_on or timezone.localdate()
        self._bump(["status", "outcome", "closed_on"])
        for deadline in self.deadlines.open():  # one by one, so each keeps its history
            deadline.cancel()

    def reopen(self) -> None:
        self.status = self.Status.OPEN
        self.outcome = self.Outcome.NONE
        self.closed_on = None
        self._bump(["status", "outcome", "closed_on"])

    def assign(self, *, lawyer, paralegal) -> None:
        self.responsible_lawyer = lawyer
        self.paralegal = paralegal
        self._bump(["responsible_lawyer", "paralegal"])


class Fine(Record):
    """An administrative fine imposed on the client, and its dispute."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        CONTESTED = "contested", _("Contested")
        PAID = "paid", _("Paid")
        PAID_DISPUTED = "paid_disputed", _("Paid, but the authority has no record")
        ANNULLED = "annulled", _("Annulled")
        REFUNDED = "refunded", _("Refunded")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="fines", verbose_name=_("case")
    )
    article = models.ForeignKey(
        "casework.LegalArticle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("legal basis"),
    )
    mci_count = models.DecimalField(
        _("amount in MCI"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    mci_year = models.PositiveIntegerField(_("MCI year"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        "clients.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    officer = models.CharField(_("officer"), max_length=200, blank=True)
    protocol_number = models.CharField(_("protocol number"), max_length=50, blank=True)
    decision_received_on = models.DateField(_("decision received on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="issued")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fine")
        verbose_name_plural = _("fines")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fine_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(mci_count__isnull=True) | Q(mci_count__gte=0),
                name="fine_mci_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["paid", "paid_disputed", "refunded"])
                | Q(paid_on__isnull=False),
                name="fine_paid_has_date",
                violation_error_message=_("A paid fine needs the date it was paid."),
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=models.F("issued_on")),
                name="fine_paid_after_issue",
                violation_error_message=_("A fine cannot be paid before it was issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{format_money(self.amount, self.currency)} ({short_date(self.issued_on)})"


class Hearing(Record):
    """A court hearing in a case, and the decision it gave."""

    class Kind(models.TextChoices):
        EXPULSION = "expulsion", _("Expulsion")
        ADMINISTRATIVE = "administrative", _("Administrative offence")
        DETENTION = "detention", _("Detention review")
        APPEAL = "appeal", _("Appeal")
        CIVIL = "civil", _("Claim against a state body")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet heard")
        POSTPONED = "postponed", _("Postponed")
        EXPULSION_ORDERED = "expulsion_ordered", _("Expulsion ordered")
        FINE_IMPOSED = "fine_imposed", _("Fine imposed")
        DISMISSED = "dismissed", _("Case dismissed")
        APPEAL_GRANTED = "appeal_granted", _("Appeal granted")
        APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
        OTHER = "other", _("Other decision")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("case")
    )
    court = models.ForeignKey(
        "casework.Court", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("court")
    )
    judge = models.CharField(_("judge"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default="pending"
    )
    decision_received_on = models.DateField(
        _("decision received on"),
        null=True,
        blank=True,
        help_text=_("The appeal period runs from the day the client received the decision."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="hearing_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_received_on__isnull=True)
                | ~Q(outcome__in=["pending", "postponed"]),
                name="hearing_decision_needs_outcome",
                violation_error_message=_("Record the decision before the day it was received."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {short_datetime(self.starts_at)}"


class CaseNote(Record):
    """One entry in a case's log: a call, a visit, a step taken, and the time it took."""

    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        MEETING = "meeting", _("Meeting with client")
        VISIT = "visit", _("Visit (detention centre, authority)")
        COURT = "court", _("Court")
        LETTER = "letter", _("Letter or application")
        NOTE = "note", _("Note")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default="note")
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    text = models.TextField(_("what happened"))
    minutes_spent = models.PositiveIntegerField(_("time spent, minutes"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case log entry")
        verbose_name_plural = _("case log entries")
        ordering = ["-happened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_spent__lte=24 * 60),
                name="casenote_minutes_within_a_day",
                violation_error_message=_("One entry cannot take more than 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {short_date(timezone.localtime(self.happened_at))}"


class IncidentQuerySet(ArchivableQuerySet):
    def visible_to(self, user) -> IncidentQuerySet:
        """Incidents recorded by the user's office; coordinators see all. Needs the view
        permission, as cases do."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.has_perm("casework.view_incident"):
            return self.none()
        if user.has_perm("casework.view_all_cases"):
            return self.all()
        if not user.office_id:
            return self.none()
        return self.filter(office_id=user.office_id)


class Incident(Record):
    """One event that hits many people at once, such as a police raid on a market."""

    class Kind(models.TextChoices):
        RAID = "raid", _("Raid or sweep")
        MASS_DETENTION = "mass_detention", _("Mass detention")
        MASS_EXPULSION = "mass_expulsion", _("Mass expulsion")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default="raid")
    office = models.ForeignKey(
        "casework.Office",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("office"),
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    authority = models.ForeignKey(
        "clients.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authority"),
    )
    detained_count = models.PositiveIntegerField(_("people detained (reported)"), default=0)
    expelled_count = models.PositiveIntegerField(_("people expelled (reported)"), default=0)
    description = models.TextField(_("description"), blank=True)
    clients = models.ManyToManyField(
        "clients.Client",
        through="IncidentClient",
        related_name="incidents",
        verbose_name=_("clients"),
    )
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="incident_ends_after_start",
                violation_error_message=_("An incident cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=Q(expelled_count__lte=models.F("detained_count")),
                name="incident_expelled_within_detained",
                violation_error_message=_("More people expelled than detained."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.started_on})"

    def get_absolute_url(self) -> str:
        return reverse("casework:incident_detail", args=[self.pk])


class IncidentClientQuerySet(models.QuerySet):
    def figures_by_nationality(self, cases: models.QuerySet) -> list[dict]:
        """Per citizenship, in one query: linked clients, detained, expelled (as recorded on
        the link), and from their cases of the same incident among `cases` (the ones the
        reader may see): expulsion ordered, represented (has a case), appealed (an appeal
        hearing, or the appeal deadline of a decision marked done) and the appeal outcomes.
        A client linked to several of the incidents counts once per column."""
        mine = Q(case__incident=OuterRef("incident_id"), case__client=OuterRef("client_id"))
        mine &= Q(case__in=cases)
        hearings = Hearing.objects.active().filter(mine)
        appeals = hearings.filter(kind=Hearing.Kind.APPEAL)
        appeal_done = Deadline.objects.filter(mine, hearing__isnull=False, done_at__isnull=False)
        represented = cases.filter(incident=OuterRef("incident_id"), client=OuterRef("client_id"))
        ordered = hearings.filter(outcome=Hearing.Outcome.EXPULSION_ORDERED)
        granted = appeals.filter(outcome=Hearing.Outcome.APPEAL_GRANTED)
        rejected = appeals.filter(outcome=Hearing.Outcome.APPEAL_REJECTED)

        def count(condition) -> Count:
            return Count("client", distinct=True, filter=condition)

        rows = list(
            self.values(
                "client__nationality",
                "client__nationality__name_ru",
                "client__nationality__name_en",
            )
            .annotate(
                clients=Count("client", distinct=True),
                detained=count(Q(detained=True)),
                expelled=count(Q(expelled=True)),
                expulsion_ordered=count(Exists(ordered)),
                represented=count(Exists(represented)),
                appealed=count(Exists(appeals) | Exists(appeal_done)),
                appeal_granted=count(Exists(granted)),
                appeal_rejected=count(Exists(rejected)),
            )
            .order_by("-clients", "client__nationality__name_ru")
        )
        english = get_language() == "en"
        for row in rows:
            row["nationality_id"] = row.pop("client__nationality")
            ru, en = (
                row.pop("client__nationality__name_ru"),
                row.pop("client__nationality__name_en"),
            )
            row["nationality"] = (en if english and en else ru) or str(_("Not recorded"))
        return rows


class IncidentClient(models.Model):
    """A client affected by an incident, and what happened to them in it."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="links")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    detained = models.BooleanField(_("detained"), default=True)
    expelled = models.BooleanField(_("expelled"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = IncidentClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("affected client")
        verbose_name_plural = _("affected clients")
        constraints = [
            models.UniqueConstraint(fields=["incident", "client"], name="incidentclient_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.client_id}"


class IncidentFigure(models.Model):
    """Reported numbers of an incident by nationality, including people who are not clients."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="figures")
    nationality = models.ForeignKey(
        "clients.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("nationality")
    )
    detained = models.PositiveIntegerField(_("detained"), default=0)
    expelled = models.PositiveIntegerField(_("expelled"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("figure by nationality")
        verbose_name_plural = _("figures by nationality")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "nationality"], name="incidentfigure_unique"
            ),
            models.CheckConstraint(
                condition=Q(expelled__lte=models.F("detained")),
                name="incidentfigure_expelled_within_detained",
                violation_error_message=_("More people expelled than detained."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nationality}: {self.detained}/{self.expelled}"
