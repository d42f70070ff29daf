"""Workflows that span several records."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.models import (
    Case,
    Deadline,
    DeadlineRule,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
    RegistryCounter,
    Reminder,
)
from casework.reminders import plan_deadline_reminders, plan_hearing_reminders
from casework.workdays import Calendar
from clients.models import Client


def open_case(*, client: Client, office, kind: str, opened_by, **fields) -> Case:
    """A new case with the next registry number of the office."""
    with transaction.atomic():
        reference = RegistryCounter.next_number(office=office, series="C")
        return Case.objects.create(
            reference=reference, client=client, office=office, kind=kind, **fields
        )


def close_case(*, case: Case, outcome: str, closed_on=None) -> None:
    """Close the case; its open deadlines are cancelled and their reminders with them."""
    with transaction.atomic():
        case.close(outcome=outcome, closed_on=closed_on)
        for deadline in case.deadlines.all():
            plan_deadline_reminders(deadline)
        for hearing in case.hearings.all():
            Reminder.objects.filter(
                hearing=hearing, sent_at__isnull=True, cancelled_at__isnull=True
            ).update(cancelled_at=timezone.now())


def open_cases_for_incident(*, incident: Incident, kind: str, opened_by, lawyer=None) -> list[Case]:
    """One case of `kind` for every linked client who has no open case of it from this
    incident yet; running it again opens nothing twice."""
    opened = []
    with transaction.atomic():
        already = set(
            Case.objects.filter(incident=incident, kind=kind)
            .exclude(status=Case.Status.CLOSED)
            .values_list("client_id", flat=True)
        )
        links = (
            IncidentClient.objects.filter(incident=incident)
            .exclude(client_id__in=already)
            .select_related("client")
            .order_by("pk")
        )
        for link in links:
            opened.append(
                open_case(
                    client=link.client,
                    office=incident.office,
                    kind=kind,
                    opened_by=opened_by,
                    incident=incident,
                    responsible_lawyer=lawyer,
                    summary=incident.title,
                )
            )
    return opened


APPEALABLE_OUTCOMES = {
    Hearing.Outcome.EXPULSION_ORDERED,
    Hearing.Outcome.FINE_IMPOSED,
    Hearing.Outcome.APPEAL_REJECTED,
}
SETTLED_FINE_STATUSES = {Fine.Status.PAID, Fine.Status.ANNULLED, Fine.Status.REFUNDED}


def _rules_for(trigger: str, case: Case) -> list[DeadlineRule]:
    rules = DeadlineRule.objects.filter(trigger=trigger, is_active=True).filter(
        Q(country__isnull=True) | Q(country_id=case.office.country_id)
    )
    return [rule for rule in rules if rule.applies_to(case.kind)]


def _sync(*, case: Case, trigger: str, event_on, source: dict, active: bool) -> list[Deadline]:
    """Create, move or cancel the deadlines that `trigger` rules derive from one event."""
    calendar = Calendar(case.office.country.code)
    touched = []
    for rule in _rules_for(trigger, case):
        deadline = Deadline.objects.open().filter(case=case, rule=rule, **source).first()
        if not active or event_on is None:
            if deadline is not None:
                deadline.cancel()
                plan_deadline_reminders(deadline)
            continue
        due_on = calendar.due_date(
            event_on,
            days=rule.period,
            months=rule.period_months,
            working=rule.day_kind == DeadlineRule.DayKind.WORKING,
        )
        if deadline is None:
            deadline = Deadline.objects.create(
                case=case, rule=rule, title=str(rule), due_on=due_on, event_on=event_on, **source
            )
        elif (deadline.due_on, deadline.event_on) != (due_on, event_on):
            deadline.move(due_on=due_on, event_on=event_on)
        plan_deadline_reminders(deadline)
        touched.append(deadline)
    return touched


def sync_hearing_deadlines(hearing: Hearing) -> list[Deadline]:
    """An appealable decision starts the appeal clock on the day the client received it;
    a rescheduled hearing moves its reminders."""
    with transaction.atomic():
        plan_hearing_reminders(hearing)
        return _sync(
            case=hearing.case,
            trigger=DeadlineRule.Trigger.DECISION_RECEIVED,
            event_on=hearing.decision_received_on,
            source={"hearing": hearing},
            active=hearing.outcome in APPEALABLE_OUTCOMES and hearing.archived_at is None,
        )


def sync_fine_deadlines(fine: Fine) -> list[Deadline]:
    """A fine decision starts the complaint clock; a paid or annulled fine stops it."""
    with transaction.atomic():
        return _sync(
            case=fine.case,
            trigger=DeadlineRule.Trigger.FINE_DECISION_RECEIVED,
            event_on=fine.decision_received_on,
            source={"fine": fine},
            active=fine.status not in SETTLED_FINE_STATUSES and fine.archived_at is None,
        )
