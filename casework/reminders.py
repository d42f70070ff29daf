"""Reminders: planned as rows when their subject changes, sent by one periodic pass.

The pass claims due rows in chunks by setting `sent_at` in one conditional statement (on
PostgreSQL `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING id`), so two
passes running at once, or a pass run twice, never claim the same row. A row whose sender
died after claiming it is released after REMINDER_CLAIM_TIMEOUT seconds and sent by a later
pass, so nothing is skipped. A failed send is recorded with the reason and retried later
with a growing delay.

Each email is marked delivered in its own statement right after the mail server accepted
it. One window cannot be closed: a sender killed after the server accepted a message and
before that statement committed leaves the row claimed but undelivered, and it is sent again
after the claim timeout. The copy carries the same `Message-ID` (`<reminder-<pk>@casework>`),
so the recipient's mail system, or a person, can recognise it as the same reminder. Other
rows of a killed sender's chunk wait for the claim timeout before a later pass sends them.
On PostgreSQL the pass's commits do not wait for the disk (synchronous_commit off, for the
pass only): a crash of the database server itself, not of a worker, widens that window by
the last fraction of a second of outcomes."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.models import Deadline, DeadlineRule, Hearing, Reminder
from casework.workdays import Calendar

log = logging.getLogger(__name__)

MORNING = time(9, 0)
DEFAULT_OFFSETS = [5, 2, 1, 0]


def _at(day, moment: time = MORNING) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _key(kind: str, subject: str, recipient_id: int, channel: str, remind_at: datetime) -> str:
    return f"{kind}:{subject}:{recipient_id}:{channel}:{remind_at.isoformat()}"


def _replace_unsent(subject: dict, wanted: list[Reminder]) -> None:
    """Cancel unsent reminders of a subject that are no longer wanted; add the new ones."""
    keys = {reminder.dedupe_key for reminder in wanted}
    Reminder.objects.filter(**subject, sent_at__isnull=True, cancelled_at__isnull=True).exclude(
        dedupe_key__in=keys
    ).update(cancelled_at=timezone.now())
    Reminder.objects.bulk_create(wanted, ignore_conflicts=True)


def coordinators_of(office_id: int):
    return get_user_model().objects.filter(
        is_active=True, office_id=office_id, groups__name="coordinator"
    )


def plan_deadline_reminders(deadline: Deadline) -> None:
    """Before the due date to the responsible lawyer (email and in the app), and the day
    after it, if still open, to the office's coordinators."""
    case = deadline.case
    recipient = case.responsible_lawyer or case.paralegal
    wanted: list[Reminder] = []
    if deadline.is_open:
        rule = deadline.rule
        offsets = rule.reminder_offsets if rule else DEFAULT_OFFSETS
        working = rule is not None and rule.day_kind == DeadlineRule.DayKind.WORKING
        calendar = Calendar(case.office.country.code)
        subject = f"deadline:{deadline.pk}"
        people = [recipient] if recipient else list(coordinators_of(case.office_id))
        for offset in offsets:
            day = (
                calendar.add_working_days(deadline.due_on, -offset)
                if working
                else deadline.due_on - timedelta(days=offset)
            )
            for person in people:
                for channel in Reminder.Channel.values:
                    remind_at = _at(day)
                    wanted.append(
                        Reminder(
                            recipient=person,
                            channel=channel,
                            kind=Reminder.Kind.UPCOMING,
                            deadline=deadline,
                            remind_at=remind_at,
                            dedupe_key=_key("upcoming", subject, person.pk, channel, remind_at),
                        )
                    )
        overdue_at = _at(deadline.due_on + timedelta(days=1))
        for person in coordinators_of(case.office_id):
            for channel in Reminder.Channel.values:
                wanted.append(
                    Reminder(
                        recipient=person,
                        channel=channel,
                        kind=Reminder.Kind.OVERDUE,
                        deadline=deadline,
                        remind_at=overdue_at,
                        dedupe_key=_key("overdue", subject, person.pk, channel, overdue_at),
                    )
                )
    _replace_unsent({"deadline": deadline}, wanted)


def plan_hearing_reminders(hearing: Hearing) -> None:
    """The day before at nine and two hours before, to the responsible lawyer."""
    case = hearing.case
    recipient = case.responsible_lawyer or case.paralegal
    wanted: list[Reminder] = []
    if recipient and hearing.outcome == Hearing.Outcome.PENDING and hearing.archived_at is None:
        start = timezone.localtime(hearing.starts_at)
        for remind_at in (_at(start.date() - timedelta(days=1)), start - timedelta(hours=2)):
            for channel in Reminder.Channel.values:
                wanted.append(
                    Reminder(
                        recipient=recipient,
                        channel=channel,
                        kind=Reminder.Kind.HEARING,
                        hearing=hearing,
                        remind_at=remind_at,
                        dedupe_key=_key(
                            "hearing", f"hearing:{hearing.pk}", recipient.pk, channel, remind_at
                        ),
                    )
                )
    _replace_unsent({"hearing": hearing}, wanted)


def message_for(reminder: Reminder) -> tuple[str, str]:
    """Subject and body, in Russian: reminders go out by email, often read on a phone."""
    with translation.override("ru"):
        if reminder.deadline_id:
            deadline = reminder.deadline
            case = deadline.case
            if reminder.kind == Reminder.Kind.OVERDUE:
                subject = _("Overdue: %(title)s") % {"title": deadline.title}
            else:
                subject = _("Due %(date)s: %(title)s") % {
                    "date": deadline.due_on.strftime("%d.%m.%Y"),
                    "title": deadline.title,
                }
        elif reminder.hearing_id:
            case = reminder.hearing.case
            subject = _("Hearing %(when)s") % {
                "when": timezone.localtime(reminder.hearing.starts_at).strftime("%d.%m.%Y %H:%M")
            }
        else:
            return _("Permit expiring"), ""
        # The case reference identifies the matter; the client's name stays in the app.
        body = _("Case %(reference)s. Details: %(url)s") % {
            "reference": case.reference,
            "url": f"{settings.SITE_URL}{case.get_absolute_url()}",
        }
    return subject, body


def _still_wanted(reminder: Reminder) -> bool:
    if reminder.deadline_id:
        return reminder.deadline.is_open
    if reminder.hearing_id:
        return reminder.hearing.outcome == Hearing.Outcome.PENDING
    return True


def claim_timeout() -> timedelta:
    """How long a claimed, undelivered reminder belongs to its sender (a setting)."""
    return timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)


def message_id(reminder: Reminder) -> str:
    """The same for every copy of one reminder, so a duplicate is recognisable."""
    return f"<reminder-{reminder.pk}@casework>"


def deliver(reminder: Reminder, mailer: BaseEmailBackend | None = None) -> None:
    if reminder.channel == Reminder.Channel.EMAIL:
        if not reminder.recipient.email:
            raise ValueError("recipient has no email address")
        subject, body = message_for(reminder)
        email = EmailMessage(
            subject,
            body,
            to=[reminder.recipient.email],
            headers={"Message-ID": message_id(reminder)},
        )
        mailer = mailer or mailers.default
        mailer.open()
        mailer.send_messages([email])
    # In-app reminders are delivered by being listed; nothing leaves the database.


def release_stale_claims(now: datetime | None = None) -> int:
    """Claims whose sender died before recording the outcome go back to the queue."""
    now = now or timezone.now()
    return Reminder.objects.filter(
        sent_at__lt=now - claim_timeout(), delivered_at__isnull=True, cancelled_at__isnull=True
    ).update(sent_at=None)


_CLAIM_SQL = """
UPDATE {table} SET {sent_at} = %s, {attempts} = {attempts} + 1
WHERE {id} IN (
    SELECT {id} FROM {table}
    WHERE {sent_at} IS NULL AND {cancelled_at} IS NULL AND {remind_at} <= %s
    ORDER BY {remind_at}, {id} LIMIT %s
    FOR UPDATE SKIP LOCKED
) AND {sent_at} IS NULL
RETURNING {id}
"""


def claim_due(now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due reminders and return their ids; rows another pass holds or
    took meanwhile are not returned. One statement on PostgreSQL; elsewhere (SQLite, whose
    writers are serialised) one conditional update per row."""
    claimed_at = timezone.now()
    if connection.vendor == "postgresql":
        names = ("id", "sent_at", "attempts", "cancelled_at", "remind_at")
        sql = _CLAIM_SQL.format(
            table=connection.ops.quote_name(Reminder._meta.db_table),
            **{name: connection.ops.quote_name(name) for name in names},
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [claimed_at, now, limit])
            return [row[0] for row in cursor.fetchall()]
    due = Reminder.objects.due(now).order_by("remind_at", "pk").values_list("pk", flat=True)
    return [
        pk
        for pk in list(due[:limit])
        if Reminder.objects.due(now)
        .filter(pk=pk)
        .update(sent_at=claimed_at, attempts=F("attempts") + 1)
    ]


def _record_failure(reminder: Reminder, exc: Exception, now: datetime) -> None:
    delay = timedelta(minutes=5 * 2 ** min(reminder.attempts, 6))
    Reminder.objects.filter(pk=reminder.pk).update(
        sent_at=None,
        failed_at=timezone.now(),
        remind_at=now + delay,
        failure_reason=f"{type(exc).__name__}: {exc}"[:500],
    )
    log.warning("reminder %s failed (%s), retry in %s", reminder.pk, type(exc).__name__, delay)


def _send_claimed(pks: list[int], now: datetime, counts: dict[str, int]) -> None:
    """Cancel what is no longer wanted and mark in-app reminders delivered, in bulk; send
    the emails over one mail connection, each recorded as soon as it is accepted."""
    reminders = Reminder.objects.filter(pk__in=pks).select_related(
        "recipient", "deadline__case", "hearing__case"
    )
    unwanted, in_app, emails = [], [], []
    for reminder in reminders.order_by("remind_at", "pk"):
        if not _still_wanted(reminder):
            unwanted.append(reminder.pk)
        elif reminder.channel == Reminder.Channel.EMAIL:
            emails.append(reminder)
        else:
            in_app.append(reminder.pk)
    if unwanted:
        counts["cancelled"] += Reminder.objects.filter(pk__in=unwanted).update(
            cancelled_at=timezone.now()
        )
    if in_app:
        counts["sent"] += Reminder.objects.filter(pk__in=in_app).update(delivered_at=timezone.now())
    mailer = mailers.default
    try:
        for reminder in emails:
            try:
                deliver(reminder, mailer)
            except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
                _record_failure(reminder, exc, now)
                counts["failed"] += 1
                mailer.close()  # a broken connection is not reused
            else:
                Reminder.objects.filter(pk=reminder.pk).update(delivered_at=timezone.now())
                counts["sent"] += 1
    finally:
        mailer.close()


@contextmanager
def _commits_without_waiting_for_disk():
    """On PostgreSQL, the pass's many small commits (one per email) do not each wait for the
    WAL to reach the disk: locks and visibility are unchanged, so concurrent passes still
    claim each row once; only a crash of the database server itself (not of a worker) can
    forget the last fraction of a second of outcomes, whose rows are then sent again."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def send_due_reminders(now: datetime | None = None, batch_size: int = 100) -> dict[str, int]:
    """One pass: claim due reminders a chunk at a time, send them, record the outcomes."""
    now = now or timezone.now()
    with _commits_without_waiting_for_disk():
        counts = {"sent": 0, "failed": 0, "cancelled": 0, "released": release_stale_claims(now)}
        while claimed := claim_due(now, batch_size):
            _send_claimed(claimed, now, counts)
    return counts
