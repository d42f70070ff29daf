"""Permits are reminded at their kind's distances before expiry, once, to the right people,
and follow the permit when its date or status changes."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Case, Reminder
from casework.reminders import (
    _still_wanted,
    message_for,
    plan_permit_reminders,
    send_due_reminders,
)
from clients.models import PermitKind
from tests.factories import CaseFactory, ClientFactory, PermitFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


NOW = at(date(2026, 3, 1), 10)
EXPIRY = date(2026, 5, 1)  # 61 days after NOW: inside the 60-day distance from tomorrow
START = date(2025, 5, 1)
CLOSED = {
    "status": Case.Status.CLOSED,
    "outcome": Case.Outcome.WON,
    "closed_on": timezone.localdate(),
}


@pytest.fixture
def permit(case, client_record):
    return PermitFactory(client=client_record, valid_from=START, valid_until=EXPIRY)


def live(**filters):
    return Reminder.objects.filter(
        kind=Reminder.Kind.PERMIT_EXPIRY, cancelled_at__isnull=True, **filters
    )


def test_a_permit_is_reminded_at_each_distance_of_its_kind(permit, lawyer):
    plan_permit_reminders(now=NOW)
    emails = live(recipient=lawyer, channel="email", permit=permit)
    assert sorted(r.remind_at for r in emails) == [
        at(date(2026, 3, 2)),
        at(date(2026, 4, 1)),
        at(date(2026, 4, 17)),
        at(date(2026, 4, 24)),
    ]
    assert live(recipient=lawyer, channel="in_app", permit=permit).count() == 4
    assert live().count() == 8


def test_a_short_stay_is_reminded_at_its_own_shorter_distances(case, client_record, lawyer):
    visa_free = PermitKind.objects.get(code="visa-free")
    assert visa_free.remind_days_before == "14,7,3,1"
    PermitFactory(
        client=client_record, kind=visa_free, valid_from=date(2026, 2, 1), valid_until=EXPIRY
    )
    plan_permit_reminders(now=at(date(2026, 4, 1)))
    emails = live(recipient=lawyer, channel="email")
    assert sorted(r.remind_at.date() for r in emails) == [
        date(2026, 4, 17),
        date(2026, 4, 24),
        date(2026, 4, 28),
        date(2026, 4, 30),
    ]


def test_a_permit_beyond_the_largest_distance_of_any_kind_is_not_planned_yet(permit):
    # Permanent residence reminds 120 days ahead: no permit is looked at before that.
    plan_permit_reminders(now=at(date(2025, 12, 31)))
    assert not live().exists()


def test_planning_twice_adds_nothing(permit):
    assert plan_permit_reminders(now=NOW) == 8
    assert plan_permit_reminders(now=NOW) == 0
    assert plan_permit_reminders(now=NOW + timedelta(hours=5)) == 0
    assert Reminder.objects.count() == 8


def test_a_moved_expiry_cancels_the_old_unsent_rows_and_plans_new_ones(permit, lawyer):
    plan_permit_reminders(now=NOW)
    permit.valid_until = date(2026, 4, 20)
    permit.save()
    plan_permit_reminders(now=NOW)
    emails = live(recipient=lawyer, channel="email")
    # The 60-day distance (19 February) has passed: it is caught up now.
    assert sorted(r.remind_at for r in emails) == [
        NOW,
        at(date(2026, 3, 21)),
        at(date(2026, 4, 6)),
        at(date(2026, 4, 13)),
    ]
    assert Reminder.objects.filter(cancelled_at__isnull=False).count() == 8
    assert all("2026-04-20" in r.dedupe_key for r in live())


def test_moving_the_expiry_back_revives_the_rows_cancelled_by_the_move(permit):
    plan_permit_reminders(now=NOW)
    permit.valid_until = date(2026, 4, 20)
    permit.save()
    plan_permit_reminders(now=NOW)
    permit.valid_until = EXPIRY
    permit.save()
    plan_permit_reminders(now=NOW)
    assert live().filter(dedupe_key__contains="2026-05-01").count() == 8
    assert live().filter(dedupe_key__contains="2026-04-20").count() == 0


@pytest.mark.parametrize("status", ["expired", "revoked", "refused"])
def test_a_permit_that_is_no_longer_active_gets_none(permit, status):
    plan_permit_reminders(now=NOW)
    permit.status = status
    permit.save()
    plan_permit_reminders(now=NOW)
    assert not live().exists()
    assert Reminder.objects.filter(cancelled_at__isnull=False).count() == 8


def test_an_archived_permit_gets_none(permit):
    permit.archive()
    plan_permit_reminders(now=NOW)
    assert not Reminder.objects.exists()


def test_an_expiry_that_has_passed_gets_none(permit):
    plan_permit_reminders(now=at(date(2026, 5, 2)))
    assert not Reminder.objects.exists()


def test_a_distance_already_passed_gives_one_reminder_now_not_none(permit, lawyer):
    five_days_before = at(date(2026, 4, 26), 15)
    plan_permit_reminders(now=five_days_before)
    emails = live(recipient=lawyer, channel="email")
    # The 7-day distance (24 April) passed two days ago: it is sent now, the rest not at all.
    assert [r.remind_at for r in emails] == [five_days_before]
    assert "2026-04-24T09:00" in emails.get().dedupe_key
    plan_permit_reminders(now=five_days_before + timedelta(days=1))
    assert live(recipient=lawyer, channel="email").count() == 1


def test_a_distance_passed_less_than_a_day_ago_keeps_its_moment_and_needs_no_catch_up(
    permit, lawyer
):
    plan_permit_reminders(now=at(date(2026, 4, 24), 18))
    email = live(recipient=lawyer, channel="email").get()
    assert email.remind_at == at(date(2026, 4, 24))


def test_recipients_are_the_distinct_lawyers_or_paralegals_of_open_cases(
    office, client_record, lawyer, paralegal, coordinator
):
    other_lawyer = UserFactory(office=office, groups=["lawyer"])
    CaseFactory(client=client_record, responsible_lawyer=lawyer)
    CaseFactory(client=client_record, responsible_lawyer=lawyer, kind=Case.Kind.FINE)
    CaseFactory(client=client_record, paralegal=paralegal, kind=Case.Kind.PERMIT)
    CaseFactory(client=client_record, responsible_lawyer=other_lawyer, **CLOSED)
    PermitFactory(client=client_record, valid_from=START, valid_until=EXPIRY)
    plan_permit_reminders(now=at(date(2026, 4, 20)))
    people = set(live(channel="email").values_list("recipient__username", flat=True))
    assert people == {lawyer.username, paralegal.username}
    assert live(recipient=lawyer, channel="email").count() == 2


def test_a_client_without_an_open_case_is_watched_by_the_office_coordinators(
    office, lawyer, coordinator, other_office
):
    UserFactory(office=other_office, groups=["coordinator"])
    client_record = ClientFactory(office=office)
    CaseFactory(client=client_record, responsible_lawyer=lawyer, **CLOSED)
    PermitFactory(client=client_record, valid_from=START, valid_until=EXPIRY)
    plan_permit_reminders(now=at(date(2026, 4, 20)))
    people = set(live().values_list("recipient__username", flat=True))
    assert people == {coordinator.username}


def test_a_pass_sends_each_permit_reminder_once(permit, lawyer, client_record):
    day = at(date(2026, 4, 24), 9, 5)
    first = send_due_reminders(day)
    second = send_due_reminders(day + timedelta(minutes=5))
    assert first["sent"] == 2  # the 7-day one is due now: the missed ones are not caught up
    assert second["sent"] == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[-1]
    assert message.to == [lawyer.email]
    assert "01.05.2026" in message.subject
    assert "Разрешение трудовому иммигранту" in message.subject
    assert f"/clients/{client_record.pk}/" in message.body
    assert client_record.last_name not in message.subject + message.body
    assert live(delivered_at__isnull=False, channel="in_app").count() == 1


def test_the_email_names_the_kind_and_date_but_never_the_client(permit, client_record):
    plan_permit_reminders(now=NOW)
    subject, body = message_for(live(channel="email").first())
    assert subject == "Срок разрешения истекает 01.05.2026: Разрешение трудовому иммигранту"
    assert client_record.last_name not in subject + body
    assert client_record.first_name not in subject + body
    assert permit.number not in subject + body


def test_a_claimed_reminder_of_a_moved_or_ended_permit_is_not_wanted(permit):
    plan_permit_reminders(now=NOW)
    reminder = live().select_related("permit").first()
    assert _still_wanted(reminder)
    reminder.permit.valid_until = date(2026, 6, 1)
    assert not _still_wanted(reminder)
    reminder.permit.valid_until = EXPIRY
    reminder.permit.status = "revoked"
    assert not _still_wanted(reminder)


def test_a_permit_revoked_before_its_reminder_is_due_is_never_sent(permit):
    plan_permit_reminders(now=NOW)
    permit.status = "revoked"
    permit.save()
    counts = send_due_reminders(at(date(2026, 4, 24), 10))
    assert counts["sent"] == 0
    assert mail.outbox == []


def test_the_planner_runs_the_same_queries_for_1_and_for_20_permits(office, lawyer):
    def add_permits(n: int) -> None:
        for _ in range(n):
            client_record = ClientFactory(office=office)
            CaseFactory(client=client_record, responsible_lawyer=lawyer)
            PermitFactory(client=client_record, valid_from=START, valid_until=EXPIRY)

    add_permits(1)
    with CaptureQueriesContext(connection) as one:
        plan_permit_reminders(now=NOW)
    add_permits(20)
    with CaptureQueriesContext(connection) as many:
        plan_permit_reminders(now=NOW)
    assert len(many.captured_queries) == len(one.captured_queries)
    assert live().count() == 21 * 8


def test_the_planner_works_through_permits_in_chunks(office, lawyer):
    for _ in range(5):
        client_record = ClientFactory(office=office)
        CaseFactory(client=client_record, responsible_lawyer=lawyer)
        PermitFactory(client=client_record, valid_from=START, valid_until=EXPIRY)
    assert plan_permit_reminders(now=NOW, chunk_size=2) == 5 * 8
    assert plan_permit_reminders(now=NOW, chunk_size=2) == 0


@pytest.mark.parametrize("value", ["7,x", "", "7;3", "-1"])
def test_the_distances_must_be_whole_numbers_separated_by_commas(value):
    kind = PermitKind.objects.get(code="trp-work")
    kind.remind_days_before = value
    with pytest.raises(ValidationError):
        kind.full_clean()


def test_a_broken_permit_kind_does_not_stop_the_other_reminders(permit, case, lawyer, caplog):
    from casework.models import Deadline
    from casework.reminders import plan_deadline_reminders

    PermitKind.objects.filter(pk=permit.kind_id).update(remind_days_before="7,x")
    deadline = Deadline.objects.create(case=case, title="Подать жалобу", due_on=date(2026, 3, 10))
    plan_deadline_reminders(deadline)
    counts = send_due_reminders(at(date(2026, 3, 10), 10))
    assert counts["sent"] > 0
    assert "permit reminder planning failed" in caplog.text


def make_old(*records) -> None:
    """As if last edited long ago: the steady state of a running system."""
    then = NOW - timedelta(days=30)
    for record in records:
        type(record).objects.filter(pk=record.pk).update(updated_at=then)


def test_a_planned_unchanged_permit_is_not_read_again(permit, case, client_record):
    from casework.reminders import _active_permits, _needing_a_look

    plan_permit_reminders(now=NOW)
    make_old(permit, case, client_record)
    assert not any(permits.exists() for permits in _needing_a_look(_active_permits(), NOW))


def test_a_case_given_to_another_lawyer_moves_the_permit_reminders(
    permit, case, client_record, lawyer, office
):
    plan_permit_reminders(now=NOW)
    make_old(permit, case, client_record)
    successor = UserFactory(office=office, groups=["lawyer"])
    case.assign(lawyer=successor, paralegal=None)
    plan_permit_reminders(now=NOW + timedelta(minutes=5))
    assert set(live().values_list("recipient_id", flat=True)) == {successor.pk}


def test_an_expiry_moved_without_a_trace_is_still_planned_again(permit, case, client_record):
    plan_permit_reminders(now=NOW)
    make_old(permit, case, client_record)
    type(permit).objects.filter(pk=permit.pk).update(valid_until=date(2026, 4, 20))
    plan_permit_reminders(now=NOW)
    assert live().count() == 8
    assert all("2026-04-20" in r.dedupe_key for r in live())


def test_new_distances_of_a_kind_apply_to_permits_planned_already(permit, case, client_record):
    plan_permit_reminders(now=NOW)
    make_old(permit, case, client_record)
    kind = permit.kind
    kind.remind_days_before = "10"
    kind.save()
    plan_permit_reminders(now=NOW)
    assert [r.remind_at for r in live(channel="email")] == [at(date(2026, 4, 21))]


def test_a_pass_plans_at_most_its_limit_nearest_expiry_first(office, lawyer):
    for days in range(5):
        client_record = ClientFactory(office=office)
        CaseFactory(client=client_record, responsible_lawyer=lawyer)
        PermitFactory(client=client_record, valid_from=START, valid_until=EXPIRY - timedelta(days))
    plan_permit_reminders(now=NOW, chunk_size=2, limit=2)
    assert set(live().values_list("permit__valid_until", flat=True)) == {
        EXPIRY - timedelta(4),
        EXPIRY - timedelta(3),
    }
    plan_permit_reminders(now=NOW, chunk_size=2, limit=10)
    assert live().values("permit").distinct().count() == 5
