"""Letter templates, issued letters (never changed once issued) and uploaded files."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models import Case
from clients.models import ArchivableQuerySet, Client, Record

# How a page says which language a letter is written in.
WRITTEN_IN = {
    "ru": _("in Russian"),
    "kk": _("in Kazakh"),
    "en": _("in English"),
}


def reader_language() -> str:
    """The language of the page being rendered, as LetterTemplate.language spells it."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def letter_label(*, kind_label: str, language: str, title: str) -> str:
    """A letter or template as a page names it: its own title when that is written in the
    reader's language, else its kind in the reader's language and the language the letter
    is written in («Апелляционная жалоба на постановление о выдворении — на английском
    языке»). A Russian page never shows an English title nobody there typed."""
    if language == reader_language():
        return title or kind_label
    written_in = WRITTEN_IN.get(language, language)
    return gettext("%(kind)s — %(language)s") % {"kind": kind_label, "language": written_in}


class LetterTemplate(models.Model):
    """The text of one kind of letter in one language, with merge fields; versioned."""

    class Kind(models.TextChoices):
        EXPULSION_APPEAL = "expulsion_appeal", _("Appeal against an expulsion decision")
        FINE_COMPLAINT = "fine_complaint", _("Complaint against a fine")
        PROSECUTOR_COMPLAINT = "prosecutor_complaint", _("Complaint to the prosecutor")
        PERMIT_EXTENSION = "permit_extension", _("Request to extend a permit")
        PASSPORT_RETURN = "passport_return", _("Request to return a passport")
        FINE_PAID_CONFIRMATION = "fine_paid", _("Request to confirm a paid fine")
        INFORMATION_REQUEST = "information_request", _("Request for information")
        POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney")

    class Language(models.TextChoices):
        RUSSIAN = "ru", _("Russian")
        KAZAKH = "kk", _("Kazakh")
        ENGLISH = "en", _("English")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    case_kinds = models.CharField(
        _("offered for case kinds"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated case kinds; empty for all."),
    )
    body = models.TextField(
        _("body"), help_text=_("HTML with merge fields such as {{ client.full_name }}.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="lettertemplate_unique_version"
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=Q(is_active=True),
                name="lettertemplate_one_active_version",
                violation_error_message=_("Only one version of a template can be in use."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(title)s (%(language)s, version %(version)s)") % {
            "title": self.title,
            "language": self.get_language_display(),
            "version": self.version,
        }

    @property
    def label(self) -> str:
        """The template as a page names it; the admin shows its title as typed."""
        return letter_label(
            kind_label=self.get_kind_display(), language=self.language, title=self.title
        )


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user) -> LetterQuerySet:
        """Letters of cases the user may see, for holders of the view permission: a letter
        is as confidential as its case."""
        if not user.has_perm("documents.view_letter"):
            return self.none()
        return self.filter(case__in=Case.objects.visible_to(user))


class Letter(models.Model):
    """A letter as issued: the exact HTML and PDF sent, under a registry number. Never
    changed; a correction is a new letter that supersedes this one."""

    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="letters", verbose_name=_("case")
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="letters", verbose_name=_("template")
    )
    number = models.CharField(_("registry number"), max_length=40, unique=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    html = models.TextField(_("text as issued"))
    pdf = models.FileField(_("PDF"), upload_to="letters/%Y/%m/")
    checksum = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    batch_key = models.CharField(
        _("batch"),
        max_length=100,
        blank=True,
        help_text=_("Set for letters issued in one batch, so a rerun issues nothing twice."),
    )
    language = models.CharField(_("language"), max_length=5, default="ru")
    title = models.CharField(_("title"), max_length=200, default="")
    # What the user typed before issuing, so a correction starts from it.
    paragraphs = models.JSONField(_("edited paragraphs"), default=dict, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "batch_key"],
                condition=~Q(batch_key=""),
                name="letter_once_per_batch",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def label(self) -> str:
        """The letter as a page names it (see letter_label); needs its template loaded."""
        return letter_label(
            kind_label=self.template.get_kind_display(), language=self.language, title=self.title
        )


class LetterDispatch(models.Model):
    """A letter handed in, posted or filed electronically: when, how, and the number the
    authority gave it. Rows are only added: a corrected date is a newer row, and the newest
    row of a letter is how it was sent."""

    class Method(models.TextChoices):
        HAND = "hand", _("Handed in")
        POST = "post", _("By post")
        ELECTRONIC = "electronic", _("Electronically")

    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("letter")
    )
    sent_on = models.DateField(_("sent on"))
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    incoming_number = models.CharField(
        _("incoming number"),
        max_length=60,
        blank=True,
        help_text=_("The number the authority registered the letter under, if given."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter dispatch")
        verbose_name_plural = _("letter dispatches")
        ordering = ["letter", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.letter_id} · {self.sent_on}"


# The one order of a batch's clients: its page, its letters and its merged PDF.
PRINT_ORDER = ("client__last_name", "client__first_name", "client__pk")


class LetterBatchQuerySet(models.QuerySet):
    def claimable(self, now: datetime | None = None) -> LetterBatchQuerySet:
        """Batches a worker may start: queued, or running for longer than any live task may
        (its worker died)."""
        now = now or timezone.now()
        stale_run = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        return self.filter(
            Q(status=LetterBatch.Status.QUEUED)
            | Q(status=LetterBatch.Status.RUNNING, started_at__lt=stale_run)
        )

    def waiting(self, now: datetime | None = None) -> LetterBatchQuerySet:
        """Claimable batches the queue should have but may not: never handed to it (the
        broker was down), or handed long ago and never started (a Redis restart lost the
        message, or its worker died)."""
        now = now or timezone.now()
        handed_long_ago = now - LetterBatch.REQUEUE_AFTER
        not_handed = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=handed_long_ago)
        return self.claimable(now).filter(not_handed)


class LetterBatch(models.Model):
    """One letter template issued for every client of an incident, as one background job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(
        "casework.Incident",
        on_delete=models.PROTECT,
        related_name="letter_batches",
        verbose_name=_("incident"),
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("template")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="queued")
    total = models.PositiveIntegerField(_("clients"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    issued = models.ManyToManyField(Letter, related_name="+", blank=True)
    skipped = models.JSONField(_("skipped clients"), default=list, blank=True)
    merged_pdf = models.FileField(_("merged PDF"), upload_to="batches/%Y/%m/", blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    # Null while the queue has not accepted the batch (Redis was unreachable): the periodic
    # documents.tasks.resume_waiting_batches hands it over when the queue is back.
    enqueued_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started running at"), null=True, blank=True)

    objects = LetterBatchQuerySet.as_manager()

    # A batch handed to the queue this long ago and still queued is handed over again.
    REQUEUE_AFTER = timedelta(minutes=10)

    class Meta:
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed__lte=models.F("total")), name="letterbatch_progress_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.incident_id}"

    @property
    def percent(self) -> int:
        # Until the runner has counted the clients, the total is 0: nothing is done yet.
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.processed / self.total)

    def letters_for(self, user) -> LetterQuerySet:
        """The batch's letters this user may see, in the printed order."""
        return self.issued.visible_to(user).order_by(*(f"case__{f}" for f in PRINT_ORDER))

    def shows_every_letter_to(self, user) -> bool:
        """Whether no letter of the batch is hidden from the user: the merged PDF holds them
        all, so it is served only then."""
        return not self.issued.exclude(pk__in=self.issued.visible_to(user).values("pk")).exists()

    @property
    def batch_key(self) -> str:
        """Shared by every batch of this template version for this incident: a rerun, or a
        second batch, finds the letters already issued instead of issuing them again."""
        return f"incident:{self.incident_id}:template:{self.template_id}"


class AttachmentQuerySet(ArchivableQuerySet):
    def visible_to(self, user) -> AttachmentQuerySet:
        """Visible when what it belongs to is: every owner set, client and case, must be
        visible, so a file on a sensitive case never shows through its client. Needs the
        view permission."""
        if not user.has_perm("documents.view_attachment"):
            return self.none()
        return self.filter(
            (Q(client__isnull=True) | Q(client__in=Client.objects.visible_to(user)))
            & (Q(case__isnull=True) | Q(case__in=Case.objects.visible_to(user)))
        )


class Attachment(Record):
    """An uploaded scan or file (passport, permit, decision, receipt) of a client or case."""

    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport or ID")
        PERMIT = "permit", _("Permit")
        DECISION = "decision", _("Court or authority decision")
        RECEIPT = "receipt", _("Payment receipt")
        PROTOCOL = "protocol", _("Police protocol")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("client"),
    )
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default="other")
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False) | Q(case__isnull=False),
                name="attachment_belongs_somewhere",
                violation_error_message=_("An attachment belongs to a client or a case."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name


class Letterhead(models.Model):
    """The logo an office prints at the top of its letters, beside its name and address."""

    office = models.OneToOneField(
        "casework.Office",
        on_delete=models.PROTECT,
        related_name="letterhead",
        verbose_name=_("office"),
    )
    logo = models.FileField(_("logo"), upload_to="letterheads/")
    logo_sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Earlier logos stay on disk and in the history: an issued letter names its logo by
    # checksum (documents.pdf.image_url), so the one it printed can always be found.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        ordering = ["office__name"]

    def __str__(self) -> str:
        return str(self.office)

    def logo_bytes(self) -> bytes:
        with self.logo.open("rb") as stored:
            return stored.read()
