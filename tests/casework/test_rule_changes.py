"""An administrator changes a rule: its open deadlines follow at once, reminders at the new
distances and, where no person dated them by hand, due dates by the new period."""

from datetime import date, datetime, time

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from casework.models import DeadlineRule, Reminder
from casework.services import replan_rule_deadlines, sync_hearing_deadlines
from tests.factories import HearingFactory, UserFactory

pytestmark = pytest.mark.django_db


def appeal_deadline(case, received_on: date = date(2026, 2, 26)):
    hearing = HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        decision_received_on=received_on,
        starts_at=timezone.make_aware(datetime.combine(received_on, time(10))),
    )
    [deadline] = sync_hearing_deadlines(hearing)
    return deadline


def planned_days(deadline) -> set[int]:
    """Days before the due date of the deadline's unsent upcoming reminders."""
    reminders = Reminder.objects.filter(
        deadline=deadline, kind="upcoming", sent_at__isnull=True, cancelled_at__isnull=True
    )
    return {(deadline.due_on - timezone.localtime(r.remind_at).date()).days for r in reminders}


def test_new_reminder_days_reach_an_open_deadline(case):
    deadline = appeal_deadline(case)
    assert planned_days(deadline) == set(deadline.rule.reminder_offsets)
    rule, previous = changed(deadline.rule, remind_days_before="7,3,0")

    counts = replan_rule_deadlines(rule=rule, previous=previous)

    deadline.refresh_from_db()
    assert counts == {"replanned": 1, "moved": 0}
    assert planned_days(deadline) == {7, 3, 0}


def changed(rule: DeadlineRule, **fields) -> tuple[DeadlineRule, DeadlineRule]:
    """The rule saved with new values, and how it was before."""
    previous = DeadlineRule.objects.get(pk=rule.pk)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule, previous


@pytest.mark.parametrize("saved_by_a_person", [False, True])
def test_a_new_period_moves_a_deadline_that_follows_the_rule(case, lawyer, saved_by_a_person):
    deadline = appeal_deadline(case)  # 26 Feb + 10 days: due Tuesday 10 March
    if saved_by_a_person:  # recorded from a hearing form: the history names the lawyer
        deadline._history_user = lawyer
        deadline.save()
    rule, previous = changed(deadline.rule, period=15)

    counts = replan_rule_deadlines(rule=rule, previous=previous)

    deadline.refresh_from_db()
    assert counts["moved"] == 1
    assert deadline.due_on == date(2026, 3, 13)
    assert planned_days(deadline) == set(rule.reminder_offsets)


def test_a_date_set_by_hand_stays_but_gets_the_new_reminders(client, case, lawyer):
    deadline = appeal_deadline(case)
    deadline.refresh_from_db()
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:deadline_edit", args=[deadline.pk]),
        {
            "title": deadline.title,
            "due_on": "2026-03-06",
            "notes": "",
            "expected_version": deadline.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    rule, previous = changed(deadline.rule, period=15, remind_days_before="4,0")

    replan_rule_deadlines(rule=rule, previous=previous)

    deadline.refresh_from_db()
    assert deadline.due_on == date(2026, 3, 6)
    assert planned_days(deadline) == {4, 0}


def test_a_done_deadline_is_left_alone(case, lawyer):
    deadline = appeal_deadline(case)
    deadline.mark_done(by=lawyer)
    rule, previous = changed(deadline.rule, period=15)

    assert replan_rule_deadlines(rule=rule, previous=previous) == {"replanned": 0, "moved": 0}
    deadline.refresh_from_db()
    assert deadline.due_on == date(2026, 3, 10)


def test_saving_the_rule_in_the_admin_replans_its_deadlines(client, case, office):
    deadline = appeal_deadline(case)
    admin = UserFactory(username="t-admin", office=office, is_staff=True, is_superuser=True)
    client.force_login(admin)
    rule = deadline.rule
    data = {
        key: ("" if value is None else value)
        for key, value in model_to_dict(rule).items()
        if key not in ("id",)
    }
    data["remind_days_before"] = "2,0"
    data["period"] = 15

    response = client.post(
        reverse("admin:casework_deadlinerule_change", args=[rule.pk]),
        data,
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert DeadlineRule.objects.get(pk=rule.pk).remind_days_before == "2,0"
    deadline.refresh_from_db()
    assert deadline.due_on == date(2026, 3, 13)
    assert planned_days(deadline) == {2, 0}
    assert "1 re-planned, 1 of them moved" in response.content.decode()
