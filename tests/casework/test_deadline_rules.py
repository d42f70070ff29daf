"""Deadlines follow the events they come from: created, moved and cancelled with them."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline
from casework.services import sync_fine_deadlines, sync_hearing_deadlines
from tests.factories import FineFactory, HearingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def decided_hearing(case, received_on: date):
    return HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        decision_received_on=received_on,
        starts_at=timezone.make_aware(datetime.combine(received_on, time(10))),
    )


def test_an_expulsion_decision_opens_the_appeal_deadline_from_the_day_it_was_received(case):
    hearing = decided_hearing(case, date(2026, 2, 26))
    [deadline] = sync_hearing_deadlines(hearing)
    assert deadline.rule.code == "appeal-expulsion"
    assert deadline.event_on == date(2026, 2, 26)
    # 10 calendar days end on Sunday 8 March; Monday 9 March is a moved holiday.
    assert deadline.due_on == date(2026, 3, 10)


def test_a_corrected_receipt_date_moves_the_deadline_instead_of_adding_one(case):
    hearing = decided_hearing(case, date(2026, 2, 26))
    sync_hearing_deadlines(hearing)
    hearing.decision_received_on = date(2026, 4, 1)
    hearing.save()
    sync_hearing_deadlines(hearing)
    deadline = Deadline.objects.open().get(hearing=hearing)
    assert deadline.due_on == date(2026, 4, 13)  # 11 April is a Saturday
    assert deadline.history.count() == 2


def test_a_pending_hearing_has_no_appeal_deadline(case):
    assert sync_hearing_deadlines(HearingFactory(case=case)) == []


def test_a_fine_decision_opens_the_complaint_deadline_and_payment_closes_it(case):
    fine = FineFactory(
        case=case,
        issued_on=date(2026, 5, 28),
        decision_received_on=date(2026, 5, 29),
        status="contested",
    )
    [deadline] = sync_fine_deadlines(fine)
    assert deadline.due_on == date(2026, 6, 8)
    fine.status, fine.paid_on = "paid", date(2026, 6, 1)
    fine.save()
    sync_fine_deadlines(fine)
    deadline.refresh_from_db()
    assert deadline.cancelled_at is not None


def test_recording_the_decision_in_the_browser_creates_the_deadline(client, lawyer, case):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:hearing_create", args=[case.pk]),
        {
            "starts_at": "2026-02-25T10:00",
            "kind": "expulsion",
            "outcome": "expulsion_ordered",
            "decision_received_on": "2026-02-26",
        },
        **HTMX,
    )
    page = response.content.decode()
    assert Deadline.objects.get(case=case).due_on == date(2026, 3, 10)
    assert 'id="deadlines"' in page and 'hx-swap-oob="true"' in page
    assert "10.03.2026" in page


def test_closing_the_case_cancels_the_appeal_deadline(case):
    sync_hearing_deadlines(decided_hearing(case, date(2026, 2, 26)))
    case.close(outcome="won")
    assert not Deadline.objects.open().filter(case=case).exists()
