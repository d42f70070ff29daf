"""Notices people can trust: one per deadline and distance, an overdue deadline said to be
missed (never "coming") and escalated once, the in-app notice naming the client and case."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline, Reminder, User
from casework.reminders import plan_deadline_reminders, send_due_reminders

pytestmark = pytest.mark.django_db
RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def inbox(user):
    return Reminder.objects.notifications_for(user)


@pytest.fixture
def overdue(case, lawyer, coordinator):
    """Due three days ago and never planned: what a late recording or the demo data gives."""
    lawyer.email = "lawyer@example.org"
    lawyer.save()
    due = timezone.localdate() - timedelta(days=3)
    return Deadline.objects.create(case=case, title="Подать апелляцию", due_on=due)


def test_an_overdue_deadline_gives_one_missed_notice_and_one_escalation(
    overdue, lawyer, coordinator
):
    plan_deadline_reminders(overdue)
    send_due_reminders()
    plan_deadline_reminders(overdue)  # a replan and more passes add nothing
    send_due_reminders()
    send_due_reminders(timezone.now() + timedelta(days=2))
    [notice] = inbox(lawyer)
    [escalation] = inbox(coordinator)
    assert notice.kind == escalation.kind == Reminder.Kind.OVERDUE
    # Not one per channel either: one email each besides.
    assert Reminder.objects.filter(delivered_at__isnull=False, channel="email").count() == 2
    assert not Reminder.objects.filter(kind="upcoming", delivered_at__isnull=False).exists()


def test_the_missed_notice_says_so_in_the_list_and_names_the_client_and_case(
    client, overdue, lawyer, case
):
    plan_deadline_reminders(overdue)
    send_due_reminders()
    client.force_login(lawyer)
    page = client.get(reverse("casework:notification_list"), **RU).content.decode()
    assert "Срок пропущен" in page
    assert "просрочено на 3 дня" in page
    assert "Приближается срок" not in page
    assert case.client.full_name in page
    assert f"дело {case.reference}" in page
    # The email names the case, never the client.
    [email] = [m for m in mail.outbox if m.to == [lawyer.email]]
    assert "Срок пропущен" in email.subject
    assert case.reference in email.body
    assert case.client.last_name not in email.subject + email.body


def test_distances_that_all_fell_due_give_one_notice(case, lawyer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    deadline = Deadline.objects.create(case=case, title="Ответ", due_on=tomorrow)
    plan_deadline_reminders(deadline)  # 5, 2 and 1 days before are due, 0 is tomorrow
    now = max(timezone.now(), at(timezone.localdate(), 10))
    send_due_reminders(now)
    send_due_reminders(now)
    [notice] = inbox(lawyer)
    assert notice.kind == Reminder.Kind.UPCOMING
    assert notice.dedupe_key.endswith(":1d")


def test_a_replan_after_sending_sends_no_distance_twice(case, lawyer):
    due = date(2030, 3, 10)
    deadline = Deadline.objects.create(case=case, title="Ответ", due_on=due)
    plan_deadline_reminders(deadline)
    send_due_reminders(at(due - timedelta(days=5), 10))
    plan_deadline_reminders(deadline)
    send_due_reminders(at(due - timedelta(days=5), 11))
    send_due_reminders(at(due - timedelta(days=2), 10))
    plan_deadline_reminders(deadline)
    send_due_reminders(at(due - timedelta(days=2), 11))
    keys = list(inbox(lawyer).values_list("dedupe_key", flat=True))
    assert sorted(key.rsplit(":", 1)[1] for key in keys) == ["2d", "5d"]


def test_a_coming_notice_that_comes_after_the_date_is_dropped(case, lawyer):
    due = date(2030, 3, 10)
    deadline = Deadline.objects.create(case=case, title="Ответ", due_on=due)
    plan_deadline_reminders(deadline)
    # The pass was down until the day after: only the missed notice goes.
    counts = send_due_reminders(at(due + timedelta(days=1), 10))
    assert counts["sent"] == 2
    [notice] = inbox(lawyer)
    assert notice.kind == Reminder.Kind.OVERDUE


def test_a_lawyers_first_sign_in_on_the_demo_shows_no_duplicate_notice(settings):
    call_command("seed_demo", stdout=StringIO())
    send_due_reminders()
    send_due_reminders()
    lawyer = User.objects.get(username="lawyer")
    notices = list(inbox(lawyer).unread())
    subjects = [
        (n.kind, n.deadline_id, n.hearing_id, n.permit_id, n.dedupe_key.rsplit(":", 1)[1])
        for n in notices
    ]
    assert len(subjects) == len(set(subjects))
    per_deadline = [(n.deadline_id, n.kind) for n in notices if n.deadline_id]
    assert len(per_deadline) == len(set(per_deadline))
    overdue = [n for n in notices if n.deadline_id and n.deadline.due_on < timezone.localdate()]
    assert overdue and all(n.kind == Reminder.Kind.OVERDUE for n in overdue)
    assert len(notices) <= 20


def test_the_email_says_how_the_date_was_counted_and_still_not_whose_it_is(case, lawyer):
    from casework.services import sync_hearing_deadlines
    from tests.factories import HearingFactory

    lawyer.email = "lawyer@example.org"
    lawyer.save()
    received = timezone.localdate()
    hearing = HearingFactory(
        case=case,
        outcome="fine_imposed",
        decision_received_on=received,
        starts_at=timezone.make_aware(datetime.combine(received, time(10))),
    )
    [deadline] = sync_hearing_deadlines(hearing)
    send_due_reminders(at(deadline.due_on, 10))
    [email] = [m for m in mail.outbox if m.to == [lawyer.email]]
    assert f"10 календарных дней со дня получения постановления суда ({received:%d.%m.%Y})" in (
        email.body
    )
    assert case.client.last_name not in email.subject + email.body
