"""Deadlines, the rules that create them, and the reminders that announce them."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.formats import short_datetime
from clients.models import ArchivableQuerySet, Record, days_before, days_list_validator


class DeadlineRule(models.Model):
    """A legal period as data: which event starts the clock, how long it runs, and when to
    remind. Shipped rules are defaults the NGO must confirm."""

    class Trigger(models.TextChoices):
        DECISION_RECEIVED = "decision_received", _("Court decision received")
        FINE_DECISION_RECEIVED = "fine_decision_received", _("Fine decision received")
        PERMIT_EXPIRY = "permit_expiry", _("Permit expires")
        PASSPORT_HELD = "passport_held", _("Passport handed to an authority")
        APPLICATION_SENT = "application_sent", _("Application sent to a state body")
        COMPLAINT_SENT = "complaint_sent", _("Complaint sent to the prosecutor")
        STATE_BODY_ACTION = "state_body_action", _("Action of a state body learnt of")
        HEARING = "hearing", _("Hearing scheduled")

    class DayKind(models.TextChoices):
        CALENDAR = "calendar", _("calendar days")
        WORKING = "working", _("working days")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    trigger = models.CharField(_("starts with"), max_length=30, choices=Trigger.choices)
    case_kinds = models.CharField(
        _("case kinds"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated case kinds the rule applies to; empty for all."),
    )
    period = models.IntegerField(
        _("period"),
        help_text=_("Days after the event; negative for days before it (e.g. before expiry)."),
    )
    period_months = models.PositiveIntegerField(
        _("period, months"), default=0, help_text=_("Added before the days, for periods in months.")
    )
    day_kind = models.CharField(
        _("counted in"), max_length=10, choices=DayKind.choices, default="calendar"
    )
    remind_days_before = models.CharField(
        _("remind, days before"),
        max_length=100,
        default="5,2,1,0",
        validators=[days_list_validator],
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    country = models.ForeignKey(
        "clients.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    confirmed = models.BooleanField(
        _("confirmed by the NGO"),
        default=False,
        help_text=_("Shipped defaults must be checked against current law before relying on them."),
    )
    uncertain = models.BooleanField(
        _("period uncertain"),
        default=False,
        help_text=_("The shipped period is reported but not established; check it first."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["trigger", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(period=0) | Q(period_months__gt=0) | Q(trigger="hearing"),
                name="deadlinerule_has_period",
                violation_error_message=_("A rule needs a period."),
            ),
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if get_language() == "en" and self.name_en else self.name_ru

    def applies_to(self, case_kind: str) -> bool:
        kinds = [kind.strip() for kind in self.case_kinds.split(",") if kind.strip()]
        return not kinds or case_kind in kinds

    def covers(self, case) -> bool:
        """The rule counts for this case: its kind, and its office's country (or any)."""
        return self.applies_to(case.kind) and self.country_id in (None, case.office.country_id)

    def count_after(self, event_on: date, *, calendar):
        """The period for an event on `event_on`, counted with the office's `calendar`: the
        due date and what the counting passed over (see `Calendar.count`)."""
        return calendar.count(
            event_on,
            days=self.period,
            months=self.period_months,
            working=self.day_kind == self.DayKind.WORKING,
        )

    def due_after(self, event_on: date, *, calendar) -> date:
        """The due date for an event on `event_on`, counted with the office's `calendar`."""
        return self.count_after(event_on, calendar=calendar).due_on

    def describe_period(self) -> str:
        """ "10 рабочих дней", "1 месяц и 5 календарных дней", in the active language."""
        days = abs(self.period)
        parts = []
        if self.period_months:
            parts.append(
                ngettext("%(count)d month", "%(count)d months", self.period_months)
                % {"count": self.period_months}
            )
        if days or not parts:
            if self.day_kind == self.DayKind.WORKING:
                text = ngettext("%(count)d working day", "%(count)d working days", days)
            else:
                text = ngettext("%(count)d calendar day", "%(count)d calendar days", days)
            parts.append(text % {"count": days})
        if len(parts) > 1:
            return gettext("%(months)s and %(days)s") % {"months": parts[0], "days": parts[1]}
        return parts[0]

    @property
    def reminder_offsets(self) -> list[int]:
        return days_before(self.remind_days_before)


# What starts each rule's clock, as "from the day of ..." reads: "со дня получения ...".
EVENT_PHRASES = {
    DeadlineRule.Trigger.DECISION_RECEIVED: _("receipt of the court decision"),
    DeadlineRule.Trigger.FINE_DECISION_RECEIVED: _("receipt of the fine decision"),
    DeadlineRule.Trigger.PERMIT_EXPIRY: _("the permit's expiry"),
    DeadlineRule.Trigger.PASSPORT_HELD: _("handing the passport to an authority"),
    DeadlineRule.Trigger.APPLICATION_SENT: _("sending the application"),
    DeadlineRule.Trigger.COMPLAINT_SENT: _("sending the complaint"),
    DeadlineRule.Trigger.STATE_BODY_ACTION: _("learning of the state body's action"),
    DeadlineRule.Trigger.HEARING: _("the hearing"),
}


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _named_days(days, calendar) -> str:
    return "; ".join(
        f"{date_format(day, 'MONTH_DAY_FORMAT')} — {calendar.name_of(day)}" for day in days
    )


OPEN = Q(done_at__isnull=True, cancelled_at__isnull=True, archived_at__isnull=True)


class DeadlineQuerySet(ArchivableQuerySet):
    def open(self) -> DeadlineQuerySet:
        return self.filter(OPEN)

    def urgency(self, today: date) -> dict[str, int]:
        """How many of these are overdue, and how many fall due in the coming week (today
        included): the counts a phone shows before any list. One query."""
        week = Q(due_on__gte=today, due_on__lte=today + timedelta(days=7))
        return self.aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)), week=Count("pk", filter=week)
        )

    def started_by(self, source_keys) -> DeadlineQuerySet:
        """Open and settled (not cancelled) deadlines that these events of other apps
        started, soonest first: what a page shows next to the event."""
        return (
            self.active()
            .filter(source_key__in=list(source_keys), cancelled_at__isnull=True)
            .select_related("rule")
            .order_by("due_on", "pk")
        )


class Deadline(Record):
    """A date by which something must be done in a case, from a rule or set by hand."""

    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("case")
    )
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("rule")
    )
    title = models.CharField(_("what is due"), max_length=200)
    due_on = models.DateField(_("due on"))
    event_on = models.DateField(_("event date"), null=True, blank=True)
    hearing = models.ForeignKey(
        "casework.Hearing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("hearing"),
    )
    fine = models.ForeignKey(
        "casework.Fine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("fine"),
    )
    permit = models.ForeignKey(
        "clients.ResidencePermit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("permit"),
    )
    document = models.ForeignKey(
        "clients.IdentityDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity document"),
    )
    # Where an event of a later app (a letter sent) started the clock, e.g. "letter:42":
    # casework cannot point at documents, and the key lets a corrected date move this
    # deadline and no other.
    source_key = models.CharField(_("source"), max_length=100, blank=True, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    restoration_motion_on = models.DateField(
        _("motion to restore the period filed on"),
        null=True,
        blank=True,
        help_text=_("For a missed deadline that can be restored for a valid reason."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(done_at__isnull=True, cancelled_at__isnull=True),
                name="deadline_open_due_on",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="deadline_done_or_cancelled",
                violation_error_message=_("A deadline is either done or cancelled, not both."),
            ),
            # One open deadline per rule and source event, so that two passes (or a pass and
            # an opened case) racing for the same client cannot both create it.
            *(
                models.UniqueConstraint(
                    fields=["case", "rule", field],
                    condition=OPEN & condition,
                    name=f"deadline_one_open_per_{field}",
                )
                for field, condition in (
                    ("permit", Q(permit__isnull=False)),
                    ("document", Q(document__isnull=False)),
                    ("source_key", ~Q(source_key="")),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None

    def explain(self, *, calendar) -> str:
        """How the due date was counted, in the active language, from the very counting
        that dates the deadline (`DeadlineRule.count_after` with the office's `calendar`):
        the period, its event and date, the holidays and moved days off passed over, a move
        off a day off, or that the date was set by hand."""
        rule = self.rule
        if rule is None or self.event_on is None:
            return gettext("Set by hand.")
        count = rule.count_after(self.event_on, calendar=calendar)
        values = {
            "period": rule.describe_period(),
            "event": EVENT_PHRASES.get(rule.trigger, rule.get_trigger_display()),
            "date": _day(self.event_on),
        }
        before = rule.period < 0 or (rule.period == 0 and not rule.period_months)
        if before:
            parts = [gettext("%(period)s before the day of %(event)s (%(date)s)") % values]
        else:
            parts = [gettext("%(period)s from the day of %(event)s (%(date)s)") % values]
        if str(rule) != self.title:
            parts.insert(0, gettext("Rule: %(rule)s") % {"rule": rule})
        if count.worked:
            parts.append(
                ngettext(
                    "counted as a working day: %(days)s",
                    "counted as working days: %(days)s",
                    len(count.worked),
                )
                % {"days": _named_days(count.worked, calendar)}
            )
        if count.moved:
            parts.append(
                gettext(
                    "the period ended on %(end)s, a day off (%(name)s), and moves to the next "
                    "working day"
                )
                % {"end": _day(count.period_end), "name": calendar.name_of(count.period_end)}
            )
        # The day the period ended on is named above already.
        skipped = [day for day in count.skipped if day != count.period_end]
        if skipped:
            parts.append(
                ngettext("skipped %(days)s", "skipped %(days)s", len(skipped))
                % {"days": _named_days(skipped, calendar)}
            )
        if count.due_on != self.due_on:
            parts.append(
                gettext("date set by hand: by the rule it would be %(date)s")
                % {"date": _day(count.due_on)}
            )
        return "; ".join(parts) + "."

    def _settle(self, **fields) -> bool:
        """Mark the deadline done or cancelled, unless a colleague did either meanwhile:
        the row is locked and read again first, so closing a case while someone ticks its
        deadline done ends in one of the two, never in both (nor in an error)."""
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            for name in ("done_at", "done_by_id", "cancelled_at", "version"):
                setattr(self, name, getattr(current, name))
            if not self.is_open:
                return False
            for name, value in fields.items():
                setattr(self, name, value)
            self.version += 1
            self.save(update_fields=[*fields, "version", "updated_at"])
        return True

    def cancel(self) -> bool:
        return self._settle(cancelled_at=timezone.now())

    def move(self, *, due_on, event_on=None) -> None:
        self.due_on = due_on
        self.event_on = event_on
        self.version += 1
        self.save(update_fields=["due_on", "event_on", "version", "updated_at"])

    def mark_done(self, *, by) -> bool:
        """False when the deadline was closed or cancelled meanwhile."""
        return self._settle(done_at=timezone.now(), done_by=by)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def days_left(self) -> int:
        """Days from today to the due date; below zero once it has passed."""
        return (self.due_on - timezone.localdate()).days


class ReminderQuerySet(models.QuerySet):
    def due(self, now=None) -> ReminderQuerySet:
        now = now or timezone.now()
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True, remind_at__lte=now)

    def notifications_for(self, user) -> ReminderQuerySet:
        """The user's in-app reminders once delivered: what their notification list shows."""
        return self.filter(
            recipient_id=user.pk, channel=Reminder.Channel.IN_APP, delivered_at__isnull=False
        )

    def unread(self) -> ReminderQuerySet:
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        return self.unread().update(read_at=timezone.now())


class Reminder(models.Model):
    """One message to one person about a deadline, hearing or expiring permit.
    Claimed by setting `sent_at` with a conditional update, so it is never sent twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        IN_APP = "in_app", _("In the application")

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OVERDUE = "overdue", _("Deadline missed")
        PERMIT_EXPIRY = "permit_expiry", _("Permit expiring")
        HEARING = "hearing", _("Hearing")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    deadline = models.ForeignKey(
        Deadline, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders"
    )
    hearing = models.ForeignKey(
        "casework.Hearing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
    )
    permit = models.ForeignKey(
        "clients.ResidencePermit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    remind_at = models.DateTimeField(_("remind at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # One row per subject, recipient, channel, kind and moment, whichever subject it has:
    # a unique text key works the same on PostgreSQL and SQLite, where NULLs are distinct.
    dedupe_key = models.CharField(max_length=200, unique=True, editable=False)
    history = HistoricalRecords()

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["remind_at", "pk"]
        indexes = [
            models.Index(
                fields=["remind_at"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                name="reminder_unsent_remind_at",
            ),
            models.Index(
                fields=["recipient", "-delivered_at"],
                condition=Q(channel="in_app", delivered_at__isnull=False),
                name="reminder_inbox",
            ),
            # The unread badge counts these on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(channel="in_app", delivered_at__isnull=False, read_at__isnull=True),
                name="reminder_unread",
            ),
            # Claimed and not yet delivered: the few rows each pass checks for stale claims.
            models.Index(
                fields=["sent_at"],
                condition=Q(
                    sent_at__isnull=False, delivered_at__isnull=True, cancelled_at__isnull=True
                ),
                name="reminder_claimed_sent_at",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=False)
                | Q(hearing__isnull=False)
                | Q(permit__isnull=False),
                name="reminder_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} @ {short_datetime(self.remind_at)}"

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])
