"""Reminders are sent exactly once, never silently skipped, and follow their subject."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from casework.models import Deadline, Reminder
from casework.reminders import (
    claim_timeout,
    plan_deadline_reminders,
    plan_hearing_reminders,
    send_due_reminders,
)
from tests.factories import HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadline(case):
    return Deadline.objects.create(case=case, title="Подать апелляцию", due_on=date(2026, 3, 10))


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_a_deadline_plans_reminders_before_it_and_an_escalation_after(
    deadline, lawyer, coordinator
):
    plan_deadline_reminders(deadline)
    upcoming = Reminder.objects.filter(kind="upcoming", recipient=lawyer, channel="email")
    assert sorted(r.remind_at for r in upcoming) == [
        at(date(2026, 3, 5)),
        at(date(2026, 3, 8)),
        at(date(2026, 3, 9)),
        at(date(2026, 3, 10)),
    ]
    assert (
        Reminder.objects.filter(
            kind="overdue", recipient=coordinator, remind_at=at(date(2026, 3, 11))
        ).count()
        == 2
    )


def test_planning_twice_adds_nothing(deadline):
    plan_deadline_reminders(deadline)
    count = Reminder.objects.count()
    plan_deadline_reminders(deadline)
    assert Reminder.objects.count() == count


def test_moving_a_deadline_moves_its_unsent_reminders(deadline):
    plan_deadline_reminders(deadline)
    deadline.move(due_on=date(2026, 4, 10))
    plan_deadline_reminders(deadline)
    live = Reminder.objects.filter(cancelled_at__isnull=True, kind="upcoming")
    assert min(r.remind_at for r in live) == at(date(2026, 4, 5))
    assert Reminder.objects.filter(
        cancelled_at__isnull=False, remind_at=at(date(2026, 3, 5))
    ).exists()


def test_a_rescheduled_hearing_moves_its_reminders(case):
    hearing = HearingFactory(case=case, starts_at=at(date(2026, 6, 2), 11))
    plan_hearing_reminders(hearing)
    hearing.starts_at = at(date(2026, 6, 9), 11)
    hearing.save()
    plan_hearing_reminders(hearing)
    live = Reminder.objects.filter(hearing=hearing, cancelled_at__isnull=True)
    assert sorted({r.remind_at for r in live}) == [at(date(2026, 6, 8)), at(date(2026, 6, 9))]


def test_due_reminders_are_sent_once_however_often_the_pass_runs(deadline, lawyer):
    lawyer.email = "lawyer@example.org"
    lawyer.save()
    plan_deadline_reminders(deadline)
    now = at(date(2026, 3, 9), 10)
    first = send_due_reminders(now)
    second = send_due_reminders(now)
    # 5, 2 and 1 days before are all due: only the nearest goes, by email and in the app.
    assert (first["sent"], first["cancelled"]) == (2, 4)
    assert second["sent"] == 0
    assert len(mail.outbox) == 1
    assert "Подать апелляцию" in mail.outbox[0].subject
    assert deadline.case.client.last_name not in mail.outbox[0].body


def test_a_mail_failure_is_recorded_and_a_later_pass_sends_it(deadline, lawyer, settings):
    plan_deadline_reminders(deadline)
    settings.MAILERS = {"default": {"BACKEND": "tests.casework.failing_mail.EmailBackend"}}
    now = at(date(2026, 3, 5), 10)
    counts = send_due_reminders(now)
    failed = Reminder.objects.get(channel="email", failed_at__isnull=False)
    assert counts["failed"] == 1
    assert "SMTP" in failed.failure_reason
    assert failed.sent_at is None and failed.remind_at > now
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    later = send_due_reminders(failed.remind_at + timedelta(seconds=1))
    failed.refresh_from_db()
    assert later["sent"] >= 1
    assert failed.delivered_at is not None
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_killed_worker_is_released_and_sent_once(deadline):
    plan_deadline_reminders(deadline)
    now = at(date(2026, 3, 5), 10)
    victim = Reminder.objects.filter(channel="email").order_by("remind_at").first()
    # A worker claimed it and died before sending.
    Reminder.objects.filter(pk=victim.pk).update(
        sent_at=now - claim_timeout() - timedelta(minutes=1)
    )
    counts = send_due_reminders(now)
    victim.refresh_from_db()
    assert counts["released"] == 1
    assert victim.delivered_at is not None
    assert len(mail.outbox) == 1


def test_a_reminder_for_a_deadline_done_meanwhile_is_cancelled_not_sent(deadline, lawyer):
    plan_deadline_reminders(deadline)
    deadline.mark_done(by=lawyer)
    counts = send_due_reminders(at(date(2026, 3, 9), 10))
    assert counts["sent"] == 0
    assert mail.outbox == []


def test_closing_the_case_cancels_open_reminders(case, deadline):
    from casework.services import close_case

    plan_deadline_reminders(deadline)
    close_case(case=case, outcome="won")
    assert not Reminder.objects.filter(cancelled_at__isnull=True, sent_at__isnull=True).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row-level concurrency")
@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_send_each_reminder_once(reference_data, case, deadline, lawyer):
    lawyer.email = "lawyer@example.org"
    lawyer.save()
    for offset in range(40):
        Deadline.objects.create(case=case, title=f"d{offset}", due_on=date(2026, 3, 10))
    for each in Deadline.objects.all():
        plan_deadline_reminders(each)
    now = at(date(2026, 3, 12), 10)

    def run():
        try:
            return send_due_reminders(now)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: run(), range(2)))
    total_sent = sum(r["sent"] for r in results)
    delivered = Reminder.objects.filter(delivered_at__isnull=False).count()
    assert total_sent == delivered
    assert delivered == Reminder.objects.filter(remind_at__lte=now, cancelled_at=None).count()
    emails = [m.subject for m in mail.outbox]
    assert (
        len(emails)
        == Reminder.objects.filter(
            channel="email", delivered_at__isnull=False, recipient=lawyer
        ).count()
    )


def test_each_email_carries_a_message_id_derived_from_its_reminder(deadline, lawyer):
    lawyer.email = "lawyer@example.org"
    lawyer.save()
    plan_deadline_reminders(deadline)
    send_due_reminders(at(date(2026, 3, 5), 10))
    sent = Reminder.objects.get(channel="email", delivered_at__isnull=False)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<reminder-{sent.pk}@casework>"
    ]


def test_a_pass_over_more_than_one_chunk_sends_everything_once(case, lawyer):
    lawyer.email = "lawyer@example.org"
    lawyer.save()
    for offset in range(12):
        plan_deadline_reminders(
            Deadline.objects.create(case=case, title=f"d{offset}", due_on=date(2026, 3, 10))
        )
    now = at(date(2026, 3, 9), 10)
    due = Reminder.objects.due(now).count()
    counts = send_due_reminders(now, batch_size=5)
    # Per deadline the nearest due distance (1 day before) goes, by email and in the app.
    assert due == 12 * 6
    assert (counts["sent"], counts["cancelled"]) == (12 * 2, 12 * 4)
    assert Reminder.objects.due(now).count() == 0
    assert len(mail.outbox) == 12
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 12


def test_a_claim_younger_than_the_timeout_is_left_to_its_sender(deadline, settings):
    settings.REMINDER_CLAIM_TIMEOUT = 60
    plan_deadline_reminders(deadline)
    now = at(date(2026, 3, 5), 10)
    victim = Reminder.objects.filter(channel="email").order_by("remind_at").first()
    Reminder.objects.filter(pk=victim.pk).update(sent_at=now - timedelta(seconds=30))
    assert send_due_reminders(now)["released"] == 0
    assert mail.outbox == []
    assert send_due_reminders(now + timedelta(seconds=31))["released"] == 1
    assert len(mail.outbox) == 1
