"""Reminders: planned as rows when their subject changes, sent by one periodic pass.

Each row is claimed with a conditional update before it is sent, so two passes running at
once, or a pass run twice, send it once. A row whose sender died after claiming it is
released after CLAIM_TIMEOUT and sent by a later pass, so nothing is skipped. A failed send
is recorded with the reason and retried later with a growing delay."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.models import Deadline, DeadlineRule, Hearing, Reminder
from casework.workdays import Calendar

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=15)
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


def deliver(reminder: Reminder) -> None:
    if reminder.channel == Reminder.Channel.EMAIL:
        if not reminder.recipient.email:
            raise ValueError("recipient has no email address")
        subject, body = message_for(reminder)
        send_mail(subject, body, None, [reminder.recipient.email])
    # In-app reminders are delivered by being listed; nothing leaves the database.


def release_stale_claims(now: datetime | None = None) -> int:
    """Claims whose sender died before recording the outcome go back to the queue."""
    now = now or timezone.now()
    return Reminder.objects.filter(
        sent_at__lt=now - CLAIM_TIMEOUT, delivered_at__isnull=True, cancelled_at__isnull=True
    ).update(sent_at=None)


def send_due_reminders(now: datetime | None = None, batch_size: int = 500) -> dict[str, int]:
    """One pass: claim each due reminder, send it, record the outcome."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "cancelled": 0, "released": release_stale_claims(now)}
    due_ids = Reminder.objects.due(now).order_by("remind_at", "pk").values_list("pk", flat=True)
    for pk in due_ids.iterator(chunk_size=batch_size):
        claimed = Reminder.objects.filter(
            Q(pk=pk), Q(sent_at__isnull=True), Q(cancelled_at__isnull=True)
        ).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
        if not claimed:
            continue  # another pass took it
        reminder = Reminder.objects.select_related(
            "recipient", "deadline__case", "hearing__case"
        ).get(pk=pk)
        if not _still_wanted(reminder):
            Reminder.objects.filter(pk=pk).update(cancelled_at=timezone.now())
            counts["cancelled"] += 1
            continue
        try:
            deliver(reminder)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            delay = timedelta(minutes=5 * 2 ** min(reminder.attempts, 6))
            Reminder.objects.filter(pk=pk).update(
                sent_at=None,
                failed_at=timezone.now(),
                remind_at=now + delay,
                failure_reason=f"{type(exc).__name__}: {exc}"[:500],
            )
            log.warning("reminder %s failed (%s), retry in %s", pk, type(exc).__name__, delay)
            counts["failed"] += 1
        else:
            with transaction.atomic():
                Reminder.objects.filter(pk=pk).update(delivered_at=timezone.now())
            counts["sent"] += 1
    return counts
