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
Every outcome is committed durably before the next email goes out (no asynchronous commit):
a crash of the database server must not forget that a message was sent."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.db.models import CharField, Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.formats import how_soon, short_date, short_datetime
from casework.models import Case, Deadline, DeadlineRule, Hearing, Reminder
from casework.workdays import Calendar
from clients.models import PermitKind, ResidencePermit, days_before
from clients.validators import is_plausible

log = logging.getLogger(__name__)

MORNING = time(9, 0)
DEFAULT_OFFSETS = [5, 2, 1, 0]


def _at(day, moment: time = MORNING) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _key(kind: str, subject: str, recipient_id: int, channel: str, when: datetime | str) -> str:
    moment = when if isinstance(when, str) else when.isoformat()
    return f"{kind}:{subject}:{recipient_id}:{channel}:{moment}"


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
    """One notice per reminder distance before the due date to the responsible lawyer
    (else the paralegal, else the office's coordinators), by email and in the app; the day
    after it, if still open, one notice that it was missed to them and the same escalation
    once to each of the office's coordinators. Rows are named by their distance, not their
    moment, so a replan (a later pass, an edited rule) finds the rows it made before. The
    sending pass drops "coming" notices that come too late (see `_superseded`)."""
    case = deadline.case
    recipient = case.responsible_lawyer or case.paralegal
    wanted: list[Reminder] = []
    # A date outside the plausible range (entered past the forms) gets no reminders rather
    # than an overflow that would stop the pass.
    if deadline.is_open and is_plausible(deadline.due_on):
        # The due date is part of the subject: a moved date plans anew.
        subject = f"deadline:{deadline.pk}:{deadline.due_on.isoformat()}"
        coordinators = list(coordinators_of(case.office_id))
        people = [recipient] if recipient else coordinators
        rule = deadline.rule
        offsets = rule.reminder_offsets if rule else DEFAULT_OFFSETS
        working = rule is not None and rule.day_kind == DeadlineRule.DayKind.WORKING
        calendar = Calendar(case.office.country.code)
        for offset in offsets:
            day = (
                calendar.add_working_days(deadline.due_on, -offset)
                if working
                else deadline.due_on - timedelta(days=offset)
            )
            remind_at, distance = _at(day), f"{offset}d"
            for person in people:
                for channel in Reminder.Channel.values:
                    wanted.append(
                        Reminder(
                            recipient=person,
                            channel=channel,
                            kind=Reminder.Kind.UPCOMING,
                            deadline=deadline,
                            remind_at=remind_at,
                            dedupe_key=_key("upcoming", subject, person.pk, channel, distance),
                        )
                    )
        overdue_at = _at(deadline.due_on + timedelta(days=1))
        for person in {person.pk: person for person in [*people, *coordinators]}.values():
            for channel in Reminder.Channel.values:
                wanted.append(
                    Reminder(
                        recipient=person,
                        channel=channel,
                        kind=Reminder.Kind.OVERDUE,
                        deadline=deadline,
                        remind_at=overdue_at,
                        dedupe_key=_key("overdue", subject, person.pk, channel, "missed"),
                    )
                )
    _replace_unsent({"deadline": deadline}, wanted)


def plan_hearing_reminders(hearing: Hearing) -> None:
    """The day before at nine and two hours before, to the responsible lawyer."""
    case = hearing.case
    recipient = case.responsible_lawyer or case.paralegal
    wanted: list[Reminder] = []
    pending = hearing.outcome == Hearing.Outcome.PENDING and hearing.archived_at is None
    if recipient and pending and is_plausible(hearing.starts_at):
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


def message_for(
    reminder: Reminder, *, language: str = "ru", calendar: Calendar | None = None
) -> tuple[str, str]:
    """Subject and body, in Russian unless told: reminders go out by email, often read on a
    phone; the notification list shows the subject in the reader's language. Given the
    office's `calendar`, a deadline's body says how its date was counted."""
    with translation.override(language):
        if reminder.deadline_id:
            deadline = reminder.deadline
            case = deadline.case
            if reminder.kind == Reminder.Kind.OVERDUE:
                # Counted to the day it was delivered, so the notice reads the same later.
                on = timezone.localdate(reminder.delivered_at or timezone.now())
                subject = _("Deadline missed %(date)s (%(overdue)s): %(title)s") % {
                    "date": short_date(deadline.due_on),
                    "overdue": how_soon(-max((on - deadline.due_on).days, 1)),
                    "title": deadline.title,
                }
            else:
                subject = _("Due %(date)s: %(title)s") % {
                    "date": short_date(deadline.due_on),
                    "title": deadline.title,
                }
        elif reminder.hearing_id:
            case = reminder.hearing.case
            subject = _("Hearing %(when)s") % {"when": short_datetime(reminder.hearing.starts_at)}
        else:
            permit = reminder.permit
            subject = _("Permit expires %(date)s: %(kind)s") % {
                "date": short_date(permit.valid_until),
                "kind": permit.kind.name,
            }
            body = _("A client's permit. Details: %(url)s") % {
                "url": f"{settings.SITE_URL}{link_for(reminder)}"
            }
            return subject, body
        # The case reference identifies the matter; the client's name stays in the app.
        body = _("Case %(reference)s. Details: %(url)s") % {
            "reference": case.reference,
            "url": f"{settings.SITE_URL}{case.get_absolute_url()}",
        }
        if reminder.deadline_id and calendar is not None:
            body = f"{reminder.deadline.explain(calendar=calendar)}\n{body}"
    return subject, body


def link_for(reminder: Reminder) -> str:
    """The page a reminder is about: the case, or the client's page for a permit."""
    if reminder.deadline_id:
        return reverse("casework:case_detail", args=[reminder.deadline.case_id])
    if reminder.hearing_id:
        return reverse("casework:case_detail", args=[reminder.hearing.case_id])
    return reverse("clients:client_detail", args=[reminder.permit.client_id])


def _still_wanted(reminder: Reminder, now: datetime | None = None) -> bool:
    if reminder.deadline_id:
        now = now or timezone.now()
        deadline = reminder.deadline
        # A "coming" notice sent after the date would say the wrong thing: the overdue
        # notice tells instead.
        if reminder.kind == Reminder.Kind.UPCOMING and deadline.due_on < timezone.localdate(now):
            return False
        return deadline.is_open
    if reminder.hearing_id:
        return reminder.hearing.outcome == Hearing.Outcome.PENDING
    if reminder.permit_id:
        return _permit_still_wanted(reminder)
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
        calendar = None
        if reminder.deadline_id:
            calendar = Calendar(reminder.deadline.case.office.country.code)
        subject, body = message_for(reminder, calendar=calendar)
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


def _superseded(reminders: list[Reminder], now: datetime) -> set[int]:
    """Claimed "coming" notices of a deadline made redundant by a nearer distance that is due
    too (same deadline, person and channel): after a pause of the pass, or for a deadline
    recorded late, the person gets the nearest distance only, not one notice per distance.
    One query for the chunk."""
    upcoming = [r for r in reminders if r.kind == Reminder.Kind.UPCOMING and r.deadline_id]
    if not upcoming:
        return set()
    latest = {
        (row["deadline_id"], row["recipient_id"], row["channel"]): row["last"]
        for row in Reminder.objects.filter(
            deadline_id__in={r.deadline_id for r in upcoming},
            kind=Reminder.Kind.UPCOMING,
            cancelled_at__isnull=True,
            remind_at__lte=now,
        )
        .values("deadline_id", "recipient_id", "channel")
        .annotate(last=Max("remind_at"))
        .order_by()
    }
    return {
        r.pk
        for r in upcoming
        if r.remind_at < latest.get((r.deadline_id, r.recipient_id, r.channel), r.remind_at)
    }


def _send_claimed(pks: list[int], now: datetime, counts: dict[str, int]) -> None:
    """Cancel what is no longer wanted and mark in-app reminders delivered, in bulk; send
    the emails over one mail connection, each recorded as soon as it is accepted."""
    reminders = (
        Reminder.objects.filter(pk__in=pks)
        .select_related(
            "recipient", "deadline__case__office__country", "deadline__rule", "hearing__case"
        )
        .select_related("permit__kind")
    )
    reminders = list(reminders.order_by("remind_at", "pk"))
    superseded = _superseded(reminders, now)
    unwanted, in_app, emails = [], [], []
    for reminder in reminders:
        if reminder.pk in superseded or not _still_wanted(reminder, now):
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


def send_due_reminders(now: datetime | None = None, batch_size: int = 100) -> dict[str, int]:
    """One pass: claim due reminders a chunk at a time, send them, record the outcomes."""
    now = now or timezone.now()
    try:
        plan_permit_reminders(now=now)
    except Exception:  # noqa: BLE001 - planning permits must not stop the sending of the rest
        log.exception("permit reminder planning failed; sending the reminders already planned")
    counts = {"sent": 0, "failed": 0, "cancelled": 0, "released": release_stale_claims(now)}
    while claimed := claim_due(now, batch_size):
        _send_claimed(claimed, now, counts)
    return counts


# Permit expiry: clients cannot import casework, so permits are planned here, in bulk, at
# the start of every pass, rather than when a permit is saved.

PERMIT_CHUNK = 1000
# A permit, client, case or kind changed within this is looked at again at every pass.
PERMIT_RECHECK = timedelta(days=1)
# At most this many permits per pass, nearest expiry first, so that planning a backlog (the
# first pass after an upgrade) never holds up the sending for long; the next pass goes on.
PERMIT_PASS_LIMIT = 5_000


def _permit_subject(permit_id: int, valid_until: date) -> str:
    # The expiry date is part of the key: a moved date plans new rows instead of
    # colliding with the old ones.
    return f"permit:{permit_id}:{valid_until.isoformat()}"


def _permit_still_wanted(reminder: Reminder) -> bool:
    permit = reminder.permit
    return (
        permit.status in ResidencePermit.ACTIVE_STATUSES
        and permit.archived_at is None
        and permit.valid_until is not None
        and f":{_permit_subject(permit.pk, permit.valid_until)}:" in reminder.dedupe_key
    )


def _active_permits():
    return ResidencePermit.objects.filter(
        status__in=ResidencePermit.ACTIVE_STATUSES,
        archived_at__isnull=True,
        client__archived_at__isnull=True,
    )


def _coordinators_by_office() -> dict[int, list[int]]:
    offices: dict[int, list[int]] = defaultdict(list)
    users = get_user_model().objects.filter(is_active=True, groups__name="coordinator")
    for pk, office_id in users.values_list("pk", "office_id").order_by("pk"):
        offices[office_id].append(pk)
    return offices


def _permit_recipients(chunk: list[dict], coordinators: dict[int, list[int]]) -> dict[int, list]:
    """Per client: the responsible lawyer (else the paralegal) of each open case, or the
    coordinators of the client's office when no one on an open case can be told."""
    people: dict[int, set[int]] = defaultdict(set)
    cases = Case.objects.filter(
        client_id__in={permit["client_id"] for permit in chunk},
        status=Case.Status.OPEN,
        archived_at__isnull=True,
    ).values_list(
        "client_id",
        "responsible_lawyer_id",
        "responsible_lawyer__is_active",
        "paralegal_id",
        "paralegal__is_active",
    )
    for client_id, lawyer, lawyer_active, paralegal, paralegal_active in cases:
        person = lawyer if lawyer_active else paralegal if paralegal_active else None
        if person:
            people[client_id].add(person)
    return {
        permit["client_id"]: sorted(people[permit["client_id"]])
        or coordinators.get(permit["client__office_id"], [])
        for permit in chunk
    }


def _permit_moments(valid_until: date, distances: list[int], now: datetime) -> list[tuple]:
    """(moment named in the key, moment to send) per distance. A distance more than a day
    past is not planned, except the latest such one, sent now unless another is due now: a
    permit recorded five days before it expires gets its seven-day reminder at once, not
    never."""
    moments = []
    missed = None
    if not is_plausible(valid_until):
        return moments
    for days in distances:  # largest first, so the last missed one is the latest
        moment = _at(valid_until - timedelta(days=days))
        if moment >= now - timedelta(days=1):
            moments.append((moment, moment))
        else:
            missed = moment
    # A distance due now already tells them; a second message would say the same.
    if missed is not None and not any(remind_at <= now for _, remind_at in moments):
        moments.append((missed, now))
    return moments


def _plan_permit_chunk(chunk: list[dict], coordinators: dict, now: datetime) -> int:
    recipients = _permit_recipients(chunk, coordinators)
    wanted: dict[str, Reminder] = {}
    for permit in chunk:
        subject = _permit_subject(permit["pk"], permit["valid_until"])
        distances = days_before(permit["kind__remind_days_before"])
        for moment, remind_at in _permit_moments(permit["valid_until"], distances, now):
            for person in recipients[permit["client_id"]]:
                for channel in Reminder.Channel.values:
                    key = _key("permit_expiry", subject, person, channel, moment)
                    wanted[key] = Reminder(
                        recipient_id=person,
                        channel=channel,
                        kind=Reminder.Kind.PERMIT_EXPIRY,
                        permit_id=permit["pk"],
                        remind_at=remind_at,
                        dedupe_key=key,
                    )
    existing = {
        key: (sent_at, cancelled_at)
        for key, sent_at, cancelled_at in Reminder.objects.filter(
            permit_id__in=[permit["pk"] for permit in chunk], kind=Reminder.Kind.PERMIT_EXPIRY
        ).values_list("dedupe_key", "sent_at", "cancelled_at")
    }
    stale = [key for key, state in existing.items() if state == (None, None) and key not in wanted]
    # Wanted again after a move and a move back: a cancelled row must not block it.
    revived = [
        key for key in wanted if key in existing and existing[key][0] is None and existing[key][1]
    ]
    unsent = Reminder.objects.filter(sent_at__isnull=True)
    if stale:
        unsent.filter(dedupe_key__in=stale).update(cancelled_at=now)
    if revived:
        unsent.filter(dedupe_key__in=revived).update(cancelled_at=None)
    new = [reminder for key, reminder in wanted.items() if key not in existing]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _needing_a_look(in_window, now: datetime) -> list:
    """The permits a pass must plan, as two sets walked one after the other: those without
    rows for their current expiry date (new, moved, or just come within reach), and those
    whose permit, client, cases or kind changed lately (a new lawyer, a closed case, other
    distances). The rest were planned already. Kept apart, each is one cheap set operation
    (an anti-join; plain filters) where one OR of both made PostgreSQL probe every permit."""
    # How _key("permit_expiry", _permit_subject(pk, valid_until), ...) starts.
    current_key = Concat(
        Value("permit_expiry:permit:"),
        Cast(OuterRef("pk"), CharField()),
        Value(":"),
        Cast(OuterRef("valid_until"), CharField()),
        Value(":"),
    )
    planned = Reminder.objects.filter(
        permit_id=OuterRef("pk"),
        kind=Reminder.Kind.PERMIT_EXPIRY,
        dedupe_key__startswith=current_key,
    )
    since = now - PERMIT_RECHECK
    changed_cases = Case.objects.filter(updated_at__gte=since).values("client_id")
    edited_kinds = PermitKind.history.filter(history_date__gte=since).values("id")
    changed = in_window.filter(
        Q(updated_at__gte=since)
        | Q(client__updated_at__gte=since)
        | Q(kind_id__in=edited_kinds)
        | Q(client_id__in=changed_cases)
    )
    return [in_window.filter(~Exists(planned)), changed]


def plan_permit_reminders(
    today: date | None = None,
    *,
    now: datetime | None = None,
    chunk_size: int = PERMIT_CHUNK,
    limit: int = PERMIT_PASS_LIMIT,
) -> int:
    """Plan reminders for the active permits expiring within the largest distance of any
    permit kind that need it, and cancel unsent ones that no longer fit (permit ended,
    archived or moved, another recipient). Streams the permits in chunks, nearest expiry
    first, at most `limit` a pass; returns the rows created."""
    now = now or (timezone.now() if today is None else _at(today))
    today = today or timezone.localdate(now)
    largest = max(
        (
            max(days_before(days), default=0)
            for days in PermitKind.objects.values_list("remind_days_before", flat=True)
        ),
        default=0,
    )
    in_window = _active_permits().filter(
        valid_until__gte=today, valid_until__lte=today + timedelta(days=largest)
    )
    Reminder.objects.filter(
        kind=Reminder.Kind.PERMIT_EXPIRY, sent_at__isnull=True, cancelled_at__isnull=True
    ).exclude(permit__in=in_window).update(cancelled_at=now)
    coordinators = _coordinators_by_office()
    created = looked_at = 0
    for permits in _needing_a_look(in_window, now):
        rows = permits.order_by("valid_until", "pk").values(
            "pk", "valid_until", "client_id", "client__office_id", "kind__remind_days_before"
        )
        after = Q()
        while looked_at < limit and (chunk := list(rows.filter(after)[:chunk_size])):
            created += _plan_permit_chunk(chunk, coordinators, now)
            looked_at += len(chunk)
            last = chunk[-1]
            after = Q(valid_until__gt=last["valid_until"]) | Q(
                valid_until=last["valid_until"], pk__gt=last["pk"]
            )
            if len(chunk) < chunk_size:
                break
    return created
