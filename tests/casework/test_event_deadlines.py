"""Permits and withheld passports start clocks on the client's open cases: deadlines are
created, moved and cancelled with the records they come from, client by client (how a
saved permit or document reaches this is in test_client_announcements.py)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline, DeadlineRule, Reminder
from casework.services import (
    close_case,
    open_case,
    reconcile_all_client_deadlines,
    reconcile_client_deadlines,
)
from clients.models import Authority
from tests.factories import CaseFactory, ClientFactory, DocumentFactory, PermitFactory

pytestmark = pytest.mark.django_db

EXPIRES = date(2027, 6, 15)


@pytest.fixture
def permit_case(client_record, lawyer):
    return CaseFactory(client=client_record, kind="permit", responsible_lawyer=lawyer)


def permit_for(client, valid_until: date = EXPIRES, **fields):
    return PermitFactory(
        client=client,
        valid_from=valid_until - timedelta(days=365),
        valid_until=valid_until,
        **fields,
    )


def reconcile(client) -> dict[str, int]:
    return reconcile_client_deadlines(client_ids=[client.pk])


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def unsent(deadline):
    return Reminder.objects.filter(deadline=deadline, sent_at=None, cancelled_at=None)


def test_a_permit_starts_the_renewal_deadline_on_an_open_permit_case(
    permit_case, client_record, lawyer
):
    permit = permit_for(client_record)
    assert reconcile(client_record) == {"created": 1, "moved": 0, "cancelled": 0}
    deadline = Deadline.objects.get(permit=permit)
    assert deadline.case == permit_case
    assert deadline.rule.code == "permit-renewal"
    assert deadline.event_on == EXPIRES
    assert deadline.due_on == date(2027, 5, 16)  # 30 calendar days before expiry
    # Reminders to the lawyer 60, 30, 14, 7 and 0 days before, by email and in the app.
    assert sorted(
        r.remind_at
        for r in unsent(deadline).filter(recipient=lawyer, channel="email", kind="upcoming")
    ) == [at(date(2027, 5, 16) - timedelta(days=n)) for n in (60, 30, 14, 7, 0)]


def test_a_moved_expiry_moves_the_deadline_and_its_reminders(permit_case, client_record):
    permit = permit_for(client_record)
    reconcile(client_record)
    deadline = Deadline.objects.get(permit=permit)
    before = set(unsent(deadline).values_list("remind_at", flat=True))
    permit.valid_until = date(2027, 9, 1)
    permit.save()
    assert reconcile(client_record)["moved"] == 1
    deadline.refresh_from_db()
    assert Deadline.objects.filter(permit=permit).count() == 1  # moved, not duplicated
    assert (deadline.event_on, deadline.due_on) == (date(2027, 9, 1), date(2027, 8, 2))
    after = set(unsent(deadline).values_list("remind_at", flat=True))
    assert at(date(2027, 8, 2)) in after
    assert not before & after  # the old reminders were cancelled


@pytest.mark.parametrize("status", ["revoked", "expired", "refused"])
def test_a_permit_no_longer_active_cancels_its_deadline(permit_case, client_record, status):
    permit = permit_for(client_record)
    reconcile(client_record)
    permit.status = status
    permit.save()
    assert reconcile(client_record)["cancelled"] == 1
    deadline = Deadline.objects.get(permit=permit)
    assert deadline.cancelled_at is not None
    assert not unsent(deadline).exists()


def test_renewal_pending_keeps_the_deadline(permit_case, client_record):
    permit = permit_for(client_record)
    reconcile(client_record)
    permit.status = "renewal_pending"
    permit.renewal_applied_on = date(2027, 5, 1)
    permit.save()
    assert reconcile(client_record) == {"created": 0, "moved": 0, "cancelled": 0}
    assert Deadline.objects.open().filter(permit=permit).exists()


def test_no_open_case_of_a_matching_kind_means_no_deadline(case, client_record, lawyer):
    # `case` is an expulsion case: the permit rule does not apply to it.
    permit_for(client_record)
    closed = CaseFactory(client=client_record, kind="permit", responsible_lawyer=lawyer)
    close_case(case=closed, outcome="won")
    assert reconcile(client_record)["created"] == 0
    assert not Deadline.objects.exists()


def test_reconciling_twice_creates_nothing_more(permit_case, client_record):
    permit = permit_for(client_record)
    DocumentFactory(client=client_record)  # not held: no clock
    reconcile(client_record)
    reminders = Reminder.objects.count()
    assert reconcile(client_record) == {"created": 0, "moved": 0, "cancelled": 0}
    assert Deadline.objects.count() == 1
    assert Deadline.objects.get(permit=permit).history.count() == 1
    assert Reminder.objects.count() == reminders


def test_a_deadline_marked_done_is_not_made_again(permit_case, client_record, lawyer):
    permit = permit_for(client_record)
    reconcile(client_record)
    Deadline.objects.get(permit=permit).mark_done(by=lawyer)
    assert reconcile(client_record)["created"] == 0
    # A new expiry date is a new clock.
    permit.valid_until = date(2028, 6, 15)
    permit.save()
    assert reconcile(client_record)["created"] == 1
    assert Deadline.objects.open().get(permit=permit).event_on == date(2028, 6, 15)


def test_a_changed_period_moves_the_deadline_unless_a_lawyer_set_its_date(
    client, permit_case, client_record, lawyer
):
    kept, followed = permit_for(client_record), permit_for(client_record, date(2027, 8, 2))
    reconcile(client_record)
    mine = Deadline.objects.get(permit=kept)
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:deadline_edit", args=[mine.pk]),
        {"title": mine.title, "due_on": "2027-04-01", "expected_version": mine.version},
    )
    assert response.status_code == 302
    DeadlineRule.objects.filter(code="permit-renewal").update(period=-60)
    reconcile_all_client_deadlines()  # what a changed rule runs
    assert Deadline.objects.get(permit=kept).due_on == date(2027, 4, 1)
    assert Deadline.objects.get(permit=followed).due_on == date(2027, 6, 3)  # 60 days before


def test_a_held_passport_needs_a_follow_up_and_its_return_cancels_it(client_record, lawyer):
    CaseFactory(client=client_record, kind="documents", responsible_lawyer=lawyer)
    passport = DocumentFactory(
        client=client_record,
        held_by=Authority.objects.filter(kind="migration_police").first(),
        held_since=date(2027, 3, 2),
    )
    assert reconcile(client_record)["created"] == 1
    deadline = Deadline.objects.get(document=passport)
    assert deadline.rule.code == "passport-held"
    assert deadline.due_on == date(2027, 4, 1)  # held_since + 30, a Thursday
    passport.held_by = None
    passport.held_since = None
    passport.save()
    assert reconcile(client_record)["cancelled"] == 1
    deadline.refresh_from_db()
    assert deadline.cancelled_at is not None


def test_opening_a_case_applies_the_clients_permits_at_once(client_record, office, lawyer):
    permit = permit_for(client_record)
    case = open_case(
        client=client_record,
        office=office,
        kind="permit",
        opened_by=lawyer,
        responsible_lawyer=lawyer,
    )
    assert Deadline.objects.open().get(permit=permit).case == case


def test_closing_cancels_and_reopening_brings_the_deadline_back(
    client, permit_case, client_record, lawyer
):
    permit = permit_for(client_record)
    reconcile(client_record)
    close_case(case=permit_case, outcome="won")
    assert not Deadline.objects.open().filter(permit=permit).exists()
    client.force_login(lawyer)
    response = client.post(reverse("casework:case_reopen", args=[permit_case.pk]))
    assert response.status_code == 302
    assert Deadline.objects.open().get(permit=permit).due_on == date(2027, 5, 16)
    assert Deadline.objects.filter(permit=permit).count() == 2  # the cancelled one stays


def test_the_shipped_rules_point_at_the_case_kinds_they_concern():
    kinds = dict(DeadlineRule.objects.values_list("code", "case_kinds"))
    assert kinds["permit-renewal"] == "permit,registration"
    assert kinds["passport-held"] == "documents,permit"
    assert kinds["prosecutor-answer"] == ""


@pytest.mark.parametrize("clients", [1, 25])
def test_the_full_pass_with_nothing_to_do_costs_the_same_few_queries_however_many_clients(
    office, lawyer, clients, django_assert_num_queries
):
    for _ in range(clients):
        person = ClientFactory(office=office)
        CaseFactory(client=person, kind="permit", responsible_lawyer=lawyer)
        permit_for(person)
    assert reconcile_all_client_deadlines()["created"] == clients
    # rules, client ids, then per chunk of clients: savepoint, cases, permits, documents,
    # deadlines, release
    with django_assert_num_queries(8):
        counts = reconcile_all_client_deadlines()
    assert counts == {"created": 0, "moved": 0, "cancelled": 0}


def test_the_rules_admin_flags_unconfirmed_and_uncertain_rules(admin_client):
    response = admin_client.get(reverse("admin:casework_deadlinerule_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "⚠" in page
    rule = DeadlineRule.objects.get(code="prosecutor-answer")
    response = admin_client.get(reverse("admin:casework_deadlinerule_change", args=[rule.pk]))
    page = response.content.decode()
    assert "not yet confirmed by the NGO" in page or "не подтверждено" in page
    assert "responsible lawyer" in page or "ответственн" in page


def test_one_client_can_be_reconciled_on_demand(permit_case, client_record):
    from io import StringIO

    from django.core.management import call_command

    permit = permit_for(client_record)
    out = StringIO()
    call_command("reconcile_deadlines", "--client", str(client_record.pk), stdout=out)
    assert "created: 1" in out.getvalue()
    assert Deadline.objects.open().filter(permit=permit).exists()


def test_every_client_with_an_open_case_can_be_reconciled_on_demand(permit_case, client_record):
    from io import StringIO

    from django.core.management import call_command

    permit = permit_for(client_record)
    other = permit_for(CaseFactory(kind="permit").client)
    out = StringIO()
    call_command("reconcile_deadlines", stdout=out)
    assert "created: 2" in out.getvalue()
    assert Deadline.objects.open().filter(permit__in=[permit, other]).count() == 2
