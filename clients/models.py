"""The people Casework helps, their documents, permits and registrations, and the
reference data those need (countries, permit kinds, authorities).

`clients` is the bottom of the app stack: it imports neither `casework` nor `documents`.
Offices and users live in `casework`; they are referenced here by name only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.search import normalise, search_key

# "60,30,14,7": how many days before a date to remind, for permit kinds and deadline rules.
days_list_validator = RegexValidator(r"^\d+(,\d+)*$", _("Whole numbers separated by commas."))


def days_before(text: str) -> list[int]:
    """The distinct distances of a validated days list, largest first."""
    return sorted({int(day) for day in text.split(",") if day.strip()}, reverse=True)


class ArchivableQuerySet(models.QuerySet):
    def active(self) -> ArchivableQuerySet:
        return self.filter(archived_at__isnull=True)


class Record(models.Model):
    """Fields every editable domain record shares: archive instead of delete, and a
    version number so a concurrent edit is detected instead of overwritten."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    def archive(self) -> None:
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at", "updated_at"])


class NamedReference(models.Model):
    """Reference data with a Russian and an English name, shown in the user's language."""

    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_ru


class Country(NamedReference):
    """A country: of citizenship, of a document's issue, or where an office works."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    eaeu_member = models.BooleanField(
        _("Eurasian Economic Union member"),
        default=False,
        help_text=_("Citizens of EAEU states need no work permit in other member states."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_ru"]


class Authority(NamedReference):
    """A state body: migration police unit, migration service, prosecutor's office, akimat."""

    class Kind(models.TextChoices):
        MIGRATION_POLICE = "migration_police", _("Migration police")
        MIGRATION_SERVICE = "migration_service", _("Migration service")
        PROSECUTOR = "prosecutor", _("Prosecutor's office")
        BORDER = "border", _("Border service")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        EMBASSY = "embassy", _("Embassy or consulate")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    # The grammatical forms a Russian letter needs, entered once: a template never glues a
    # title to the name in the nominative ("Начальнику управления Управление ...").
    head_title = models.CharField(
        _("to whom (addressee line)"),
        max_length=300,
        blank=True,
        help_text=_(
            "The addressee line as a letter prints it, in the dative: the head's title with "
            "the body's name, e.g. «Начальнику Управления миграционной полиции ДП г. Алматы» "
            "or «Прокурору г. Алматы». Empty: letters print the body's name as it is."
        ),
    )
    name_genitive = models.CharField(
        _("name, of whom (genitive)"),
        max_length=300,
        blank=True,
        help_text=_(
            "For sentences such as “officers of …”, e.g. «Управления миграционной полиции "
            "ДП г. Алматы», «Прокуратуры г. Алматы»."
        ),
    )
    name_dative = models.CharField(
        _("name, to whom (dative)"),
        max_length=300,
        blank=True,
        help_text=_(
            "For sentences such as “sent to …”, e.g. «Управлению миграционной полиции "
            "ДП г. Алматы», «Прокуратуре г. Алматы»."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name_ru"]

    @property
    def addressee_line(self) -> str:
        """Whom a letter goes to: the entered dative line, else the body's own name in the
        nominative, which is how a letter to an organisation (not a person) is addressed."""
        return self.head_title or self.name_ru

    @property
    def of_whom(self) -> str:
        """The name in the genitive; without it, a generic genitive noun with the name as
        it is in brackets, which reads right whatever the name's gender."""
        return self.name_genitive or f"органа ({self.name_ru})"


class PermitKind(NamedReference):
    """A kind of residence or stay status in one country, with its usual term."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    code = models.SlugField(_("code"), max_length=50)
    max_months = models.PositiveIntegerField(_("longest term, months"), null=True, blank=True)
    allows_work = models.BooleanField(_("allows work"), default=False)
    remind_days_before = models.CharField(
        _("remind, days before expiry"),
        max_length=100,
        default="60,30,14,7",
        validators=[days_list_validator],
        help_text=_("Whole numbers separated by commas, e.g. 60,30,14,7."),
    )
    notes = models.TextField(_("notes"), blank=True)
    confirmed = models.BooleanField(
        _("confirmed by the NGO"),
        default=False,
        help_text=_("Shipped defaults must be checked against current law before relying on them."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permit kind")
        verbose_name_plural = _("permit kinds")
        ordering = ["country__code", "name_ru"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="permitkind_unique_code"),
        ]

    @property
    def reminder_offsets(self) -> list[int]:
        return days_before(self.remind_days_before)


def name_matches(query: str, path: str = "search_key") -> Q:
    """Every folded token of the query occurs in the folded key at `path`: the one rule for
    finding a person by any spelling (a trigram index answers it on PostgreSQL)."""
    condition = Q()
    for token in normalise(query).split():
        condition &= Q(**{f"{path}__contains": token})
    return condition


def client_visibility(user, path: str = "") -> Q | None:
    """Which clients a user may see, as a condition on clients (`path=""`) or on rows that
    belong to a client (`path="client"`, `"permit__client"`): the clients of their office and
    those with a case there; every client for holders of `view_all_clients`. None: no client.

    On a client's rows this joins the client, where `client__in=visible_to(user)` makes
    PostgreSQL build the whole set of visible clients first: a dashboard list of permits took
    230 ms that way and 40 ms joined, at 100,000 clients."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not user.has_perm("clients.view_client"):
        return None
    if user.has_perm("clients.view_all_clients"):
        return Q()
    if not user.office_id:
        return None
    prefix = f"{path}__" if path else ""
    # A subquery, not a join to cases: no duplicate rows, so no DISTINCT over a large table.
    with_case_here = Client.objects.filter(cases__office_id=user.office_id).values("pk")
    return Q(**{f"{prefix}office_id": user.office_id}) | Q(**{f"{prefix}pk__in": with_case_here})


class ClientQuerySet(ArchivableQuerySet):
    def visible_to(self, user) -> ClientQuerySet:
        """Clients of the user's office, or with a case there; coordinators see all."""
        condition = client_visibility(user)
        return self.none() if condition is None else self.filter(condition)

    def similar_to(
        self,
        *,
        last_name: str = "",
        first_name: str = "",
        last_name_latin: str = "",
        first_name_latin: str = "",
        document_number: str = "",
    ) -> ClientQuerySet:
        """The duplicate check of every intake: people whose last and first name fold to the
        same key in either script, or who hold a document with the same number."""
        names = [last_name or last_name_latin, first_name or first_name_latin]
        condition = Q(pk__in=[])
        # Last and first name are enough to warn; more words would miss a shorter record.
        first_two = " ".join(normalise(" ".join(n for n in names if n)).split()[:2])
        if first_two:
            condition |= name_matches(first_two)
        if document_number.strip():
            condition |= Q(documents__number__iexact=document_number.strip())
        return self.filter(condition).distinct()


class Client(Record):
    """A person the NGO helps: a migrant worker, long-term resident, refugee or asylum seeker."""

    class Sex(models.TextChoices):
        FEMALE = "f", _("female")
        MALE = "m", _("male")
        OTHER = "x", _("other or not stated")

    last_name = models.CharField(_("last name (Cyrillic)"), max_length=100, blank=True)
    first_name = models.CharField(_("first name (Cyrillic)"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic (Cyrillic)"), max_length=100, blank=True)
    last_name_latin = models.CharField(
        _("last name (Latin, as in passport)"), max_length=100, blank=True
    )
    first_name_latin = models.CharField(
        _("first name (Latin, as in passport)"), max_length=100, blank=True
    )
    other_spellings = models.CharField(
        _("other spellings"), max_length=300, blank=True, help_text=_("Separate with commas.")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.OTHER)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("citizenship"),
        related_name="+",
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("e.g. Russian, Uzbek")
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("current address"), blank=True)
    community = models.CharField(_("community or association"), max_length=200, blank=True)
    is_minor_in_family = models.BooleanField(_("has minor children here"), default=False)
    is_detained = models.BooleanField(_("currently detained"), default=False)
    has_health_needs = models.BooleanField(_("health or disability needs"), default=False)
    is_trafficking_victim = models.BooleanField(_("possible victim of trafficking"), default=False)
    vulnerability_notes = models.TextField(_("vulnerability notes"), blank=True)
    consent_given_on = models.DateField(
        _("consent to data processing given on"), null=True, blank=True
    )
    office = models.ForeignKey(
        "casework.Office",
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("office"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    search_key = models.TextField(_("search key"), editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["search_key"])

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("view_all_clients", _("Can see clients of every office")),
            ("export_client", _("Can export client data")),
            ("erase_client", _("Can erase a client's personal data")),
        ]
        # The client list's default order: a page by name reads 25 index entries, not a
        # sort of every client.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="client_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(last_name="", last_name_latin=""),
                name="client_has_a_last_name",
                violation_error_message=_("Enter the last name in Cyrillic or Latin."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        # The key is derived data, kept next to the names so it can never go stale.
        self.search_key = self.compute_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("clients:client_detail", args=[self.pk])

    @property
    def is_erased(self) -> bool:
        """Whether the person's data was erased: the row is an anonymous placeholder."""
        return hasattr(self, "erasure")

    @property
    def full_name(self) -> str:
        cyrillic = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        latin = " ".join(p for p in (self.last_name_latin, self.first_name_latin) if p)
        if cyrillic and latin:
            return f"{cyrillic} ({latin})"
        return cyrillic or latin

    def add_other_spellings(self, *spellings: str) -> list[str]:
        """Keep spellings the record does not have yet among its other spellings, so the
        next search by them finds the person; the ones added (those that fit)."""
        known = {
            " ".join(p for p in (self.last_name, self.first_name) if p).casefold(),
            " ".join(p for p in (self.last_name_latin, self.first_name_latin) if p).casefold(),
            *(s.strip().casefold() for s in self.other_spellings.split(",")),
        }
        limit = self._meta.get_field("other_spellings").max_length
        added = []
        value = self.other_spellings.strip()
        for spelling in spellings:
            spelling = " ".join(spelling.replace(",", " ").split())
            longer = f"{value}, {spelling}" if value else spelling
            if spelling and spelling.casefold() not in known and len(longer) <= limit:
                value = longer
                known.add(spelling.casefold())
                added.append(spelling)
        if added:
            self.other_spellings = value
            self.version += 1
            self.save(update_fields=["other_spellings", "version", "updated_at"])
        return added

    def compute_search_key(self) -> str:
        return search_key(
            self.last_name,
            self.first_name,
            self.patronymic,
            self.last_name_latin,
            self.first_name_latin,
            *self.other_spellings.split(","),
        )


class IdentityDocument(Record):
    """A passport or other identity document, and who holds it if it was taken away."""

    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        NATIONAL_ID = "national_id", _("National identity card")
        RESIDENCE_CARD = "residence_card", _("Residence card")
        REFUGEE_CERTIFICATE = "refugee_certificate", _("Refugee certificate")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        TRAVEL_DOCUMENT = "travel_document", _("Travel document")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="documents", verbose_name=_("client")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.PASSPORT)
    number = models.CharField(_("number"), max_length=50)
    issuing_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, verbose_name=_("issued by country"), related_name="+"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    held_by = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by authority"),
    )
    held_since = models.DateField(_("held since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["client", "-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=models.F("issued_on")),
                name="identitydocument_expires_after_issue",
                violation_error_message=_("A document must expire after it is issued."),
            ),
            models.CheckConstraint(
                condition=Q(held_by__isnull=True) | Q(held_since__isnull=False),
                name="identitydocument_held_since_known",
                violation_error_message=_("Say since when the authority holds the document."),
            ),
            models.UniqueConstraint(
                fields=["kind", "issuing_country", "number"],
                condition=Q(archived_at__isnull=True),
                name="identitydocument_unique_active_number",
                violation_error_message=_("A document with this number is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def held_days(self) -> int | None:
        if self.held_since is None:
            return None
        return (timezone.localdate() - self.held_since).days


class ResidencePermit(Record):
    """A residence or stay permit, from a short stay to permanent residence."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        RENEWAL_PENDING = "renewal_pending", _("Renewal pending")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        REFUSED = "refused", _("Refused")

    ACTIVE_STATUSES = (Status.VALID, Status.RENEWAL_PENDING)

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="permits", verbose_name=_("client")
    )
    kind = models.ForeignKey(PermitKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_by = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALID
    )
    renewal_applied_on = models.DateField(_("renewal applied on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("residence permit")
        verbose_name_plural = _("residence permits")
        ordering = ["client", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="residencepermit_ends_after_start",
                violation_error_message=_("A permit must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="renewal_pending") | Q(renewal_applied_on__isnull=False),
                name="residencepermit_renewal_has_date",
                violation_error_message=_("Say when the renewal was applied for."),
            ),
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=Q(archived_at__isnull=True, status__in=["valid", "renewal_pending"])
                & ~Q(number=""),
                name="residencepermit_unique_active_number",
                violation_error_message=_("An active permit of this kind has this number already."),
            ),
        ]
        indexes = [
            # Casework's permit reminder planner asks which permits changed lately.
            models.Index(fields=["updated_at"], name="residencepermit_updated_at"),
            # The reminder planner walks active permits in order of expiry.
            models.Index(
                fields=["valid_until", "id"],
                condition=Q(archived_at__isnull=True, status__in=["valid", "renewal_pending"]),
                name="permit_active_valid_until",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}".strip()

    @property
    def days_to_expiry(self) -> int | None:
        if self.valid_until is None:
            return None
        return (self.valid_until - timezone.localdate()).days


class Registration(Record):
    """Where a person is registered to live, and who hosts them."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("client")
    )
    address = models.TextField(_("address"))
    city = models.CharField(_("city"), max_length=100)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    registered_from = models.DateField(_("registered from"))
    registered_until = models.DateField(_("registered until"), null=True, blank=True)
    host_name = models.CharField(_("host"), max_length=200, blank=True)
    host_notified_on = models.DateField(_("host notified the authority on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["client", "-registered_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_until__isnull=True)
                | Q(registered_until__gte=models.F("registered_from")),
                name="registration_ends_after_start",
                violation_error_message=_("A registration cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city}, {self.address}"


class Erasure(models.Model):
    """The erasure of one client's personal data: who did it, when and why, and how many
    records and files it touched. Never what was erased."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("The client asked for it")
        RETENTION = "retention", _("The retention period has passed")
        OTHER = "other", _("Another ground (see the note)")

    client = models.OneToOneField(
        Client, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("client")
    )
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erased by"),
    )
    reason = models.CharField(_("ground"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Counts by kind of record, e.g. {"cases": 2, "files": 5}: what was anonymised.
    summary = models.JSONField(_("what was anonymised"), default=dict, blank=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.client_id} {self.erased_at:%Y-%m-%d %H:%M}"
