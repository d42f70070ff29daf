"""Workflows that span several records."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import islice

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    Case,
    CaseNote,
    Court,
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
from clients.models import Client, IdentityDocument, ResidencePermit

log = logging.getLogger(__name__)


def open_case(
    *, client: Client, office, kind: str, opened_by, reconcile: bool = True, **fields
) -> Case:
    """A new case with the next registry number of the office; the clocks the client's
    permits and withheld documents have already started apply to it at once. A caller
    opening many cases passes reconcile=False and reconciles all their clients once, in the
    same transaction."""
    with transaction.atomic():
        reference = RegistryCounter.next_number(office=office, series="C")
        case = Case.objects.create(
            reference=reference, client=client, office=office, kind=kind, **fields
        )
        if reconcile:
            reconcile_client_deadlines(client_ids=[client.pk])
    return case


def reopen_case(*, case: Case) -> None:
    """Reopen a closed case; the deadlines its client's permits and documents call for
    come back (the ones cancelled at closing stay cancelled, in the history)."""
    with transaction.atomic():
        case.reopen()
        reconcile_client_deadlines(client_ids=[case.client_id])


def save_case(*, form) -> Case:
    """Save the case's form (`CaseForm`); a new kind changes which rules apply to it, so the
    deadlines its client's permits and withheld documents call for follow at once. An edit
    conflict (`EditConflict`, raised by the form) saves nothing."""
    with transaction.atomic():
        case = form.save()
        if "kind" in form.changed_data:
            reconcile_client_deadlines(client_ids=[case.client_id])
    return case


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


def _replan_case_reminders(case: Case) -> None:
    """Unsent reminders of the case's deadlines and hearings go to whoever now works on it."""
    for deadline in case.deadlines.open().select_related("rule", "case__office__country"):
        plan_deadline_reminders(deadline)
    for hearing in case.hearings.active().select_related("case"):
        plan_hearing_reminders(hearing)


def assign_case(*, case: Case, lawyer, paralegal) -> None:
    """Give the case to other staff; their reminders follow them."""
    with transaction.atomic():
        case.assign(lawyer=lawyer, paralegal=paralegal)
        _replan_case_reminders(case)


class CaseChanged(Exception):
    """The case was saved by someone else after the user opened the form."""


def transfer_case(
    *, case: Case, office, lawyer, paralegal=None, by, expected_version: int | None
) -> CaseNote:
    """Move the case to another office with the lawyer (and paralegal) who take it there.
    The registry reference stays: it was handed out once and is on letters already sent.
    Open deadlines and unsent reminders follow the new staff, and the deadlines its client's
    permits and documents call for follow the new office's country and calendar; the history
    keeps the old office, and the case log says who moved it from where to where."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if expected_version is not None and locked.version != expected_version:
            raise CaseChanged
        previous = locked.office
        locked.office = office
        locked.responsible_lawyer = lawyer
        locked.paralegal = paralegal
        locked._bump(["office", "responsible_lawyer", "paralegal"])
        _replan_case_reminders(locked)
        if office.country_id != previous.country_id:
            reconcile_client_deadlines(client_ids=[locked.client_id])
        note = CaseNote.objects.create(
            case=locked,
            author=by,
            kind=CaseNote.Kind.NOTE,
            text=_(
                "%(who)s transferred the case from %(from)s to %(to)s; responsible lawyer: "
                "%(lawyer)s. The reference %(reference)s stays."
            )
            % {
                "who": by.display_name,
                "from": previous,
                "to": office,
                "lawyer": lawyer.display_name,
                "reference": locked.reference,
            },
        )
    case.refresh_from_db()
    return note


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
                    reconcile=False,
                )
            )
        if opened:
            reconcile_client_deadlines(client_ids=[case.client_id for case in opened])
    return opened


@dataclasses.dataclass(frozen=True)
class SittingCandidate:
    """A client of the incident on the sitting page: their open case from the incident that
    the user sees, or None when a case of kind expulsion will be opened for them."""

    link: IncidentClient
    case: Case | None


def sitting_candidates(*, incident: Incident, user) -> tuple[list[SittingCandidate], int]:
    """The incident's clients whose hearing `user` may record, and how many others are left
    out because a case of theirs from the incident is one the user may not see (a
    sensitive case of a colleague is never touched, nor shown)."""
    visible = {}
    for case in (
        Case.objects.visible_to(user)
        .filter(incident=incident)
        .exclude(status=Case.Status.CLOSED)
        .select_related("client", "office", "responsible_lawyer", "paralegal")
        .order_by("opened_on", "pk")
    ):
        # An expulsion case takes the hearing before any other case of the client.
        if case.client_id not in visible or (
            case.kind == Case.Kind.EXPULSION and visible[case.client_id].kind != case.kind
        ):
            visible[case.client_id] = case
    with_any_case = set(
        Case.objects.filter(incident=incident)
        .exclude(status=Case.Status.CLOSED)
        .values_list("client_id", flat=True)
    )
    links = (
        IncidentClient.objects.filter(
            incident=incident, client__in=Client.objects.visible_to(user).active()
        )
        .select_related("client__nationality")
        .order_by("client__last_name", "client__first_name", "client__pk")
    )
    rows, hidden = [], 0
    for link in links:
        case = visible.get(link.client_id)
        if case is None and link.client_id in with_any_case:
            hidden += 1
            continue
        rows.append(SittingCandidate(link, case))
    return rows, hidden


@dataclasses.dataclass(frozen=True)
class SittingEntry:
    """One person's part of a sitting: their own time, judge, decision and receipt date."""

    client_id: int
    starts_at: datetime
    judge: str
    outcome: str
    decision_received_on: date | None


@dataclasses.dataclass
class SittingResult:
    created: list[Hearing] = dataclasses.field(default_factory=list)
    updated: list[Hearing] = dataclasses.field(default_factory=list)
    opened: list[Case] = dataclasses.field(default_factory=list)


class SittingError(Exception):
    """The sitting cannot be recorded as asked; nothing was saved."""


def record_court_sitting(
    *,
    incident: Incident,
    court: Court,
    kind: str,
    entries: list[SittingEntry],
    recorded_by,
    lawyer=None,
) -> SittingResult:
    """One court sitting that decided many clients of an incident: a hearing on each one's
    own case (a case of kind expulsion is opened for a client who has none), each opening
    its own appeal deadline from that person's receipt date. All or nothing. A client who
    already has a hearing in this court on the sitting's day gets it updated, not a
    second one, so recording the same sitting again corrects it."""
    result = SittingResult()
    with transaction.atomic():
        candidates, _hidden = sitting_candidates(incident=incident, user=recorded_by)
        by_client = {candidate.link.client_id: candidate for candidate in candidates}
        unknown = [e.client_id for e in entries if e.client_id not in by_client]
        if unknown:
            raise SittingError(f"clients {unknown} are not in this incident for this user")
        cases = {}
        for entry in entries:
            case = by_client[entry.client_id].case
            if case is None:
                if not recorded_by.has_perm("casework.add_case"):
                    raise SittingError("opening cases needs casework.add_case")
                case = open_case(
                    client=by_client[entry.client_id].link.client,
                    office=incident.office,
                    kind=Case.Kind.EXPULSION,
                    opened_by=recorded_by,
                    incident=incident,
                    responsible_lawyer=lawyer,
                    summary=incident.title,
                    reconcile=False,
                )
                result.opened.append(case)
            cases[entry.client_id] = case
        if result.opened:  # once for all: client by client cost 0.1 s a person (100: 10 s)
            reconcile_client_deadlines(client_ids=[case.client_id for case in result.opened])
        # Two people saving the same sitting at once: the second waits here, then finds
        # the first one's hearings and updates them instead of adding its own.
        list(Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases.values()]))
        existing = {}
        days = {timezone.localtime(entry.starts_at).date() for entry in entries}
        for hearing in (
            Hearing.objects.active()
            .filter(case__in=cases.values(), court=court)
            .order_by("starts_at", "pk")
        ):
            day = timezone.localtime(hearing.starts_at).date()
            if day in days:
                existing.setdefault((hearing.case_id, day), hearing)
        for entry in entries:
            case = cases[entry.client_id]
            day = timezone.localtime(entry.starts_at).date()
            hearing = existing.get((case.pk, day))
            values = {
                "kind": kind,
                "starts_at": entry.starts_at,
                "judge": entry.judge,
                "outcome": entry.outcome,
                "decision_received_on": entry.decision_received_on,
            }
            if hearing is None:
                hearing = Hearing.objects.create(case=case, court=court, **values)
                result.created.append(hearing)
            else:
                for name, value in values.items():
                    setattr(hearing, name, value)
                hearing.version += 1
                hearing.save(update_fields=[*values, "version", "updated_at"])
                result.updated.append(hearing)
            hearing.case = case  # the deadlines read the case's office and staff
            sync_hearing_deadlines(hearing)
    return result


APPEALABLE_OUTCOMES = {
    Hearing.Outcome.EXPULSION_ORDERED,
    Hearing.Outcome.FINE_IMPOSED,
    Hearing.Outcome.APPEAL_REJECTED,
}
SETTLED_FINE_STATUSES = {Fine.Status.PAID, Fine.Status.ANNULLED, Fine.Status.REFUNDED}


def _rules_for(trigger: str, case: Case) -> list[DeadlineRule]:
    rules = DeadlineRule.objects.filter(trigger=trigger, is_active=True)
    return [rule for rule in rules if rule.covers(case)]


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
        due_on = rule.due_after(event_on, calendar=calendar)
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


def start_deadlines(
    *, case: Case, trigger: str, event_on: date | None, source_key: str, active: bool = True
) -> list[Deadline]:
    """The deadlines an event of another app starts (a letter sent starts the wait for an
    answer). `source_key` names the event, e.g. "letter:42": a corrected date moves these
    deadlines and no other event's; `active=False` or no date cancels them."""
    if not source_key:
        raise ValueError("an event needs a source key")
    with transaction.atomic():
        return _sync(
            case=case,
            trigger=trigger,
            event_on=event_on,
            source={"source_key": source_key},
            active=active and case.is_open,
        )


# Permits and identity documents belong to `clients`, which knows nothing of cases: casework
# reconciles the deadlines they call for, client by client, when `clients` announces a
# changed permit or document (see `casework.receivers`) and when casework itself changes
# which of them apply (a case opened, reopened, given another kind or office); and for every
# client with an open case when the rules themselves change.

CLIENT_TRIGGERS = (DeadlineRule.Trigger.PERMIT_EXPIRY, DeadlineRule.Trigger.PASSPORT_HELD)
RECONCILE_CHUNK = 500
# What decides which permit and passport deadlines exist, and when they are due.
RULE_SCOPE_FIELDS = {
    "trigger",
    "case_kinds",
    "country",
    "is_active",
    "period",
    "period_months",
    "day_kind",
}


def _client_rules() -> list[DeadlineRule]:
    return list(
        DeadlineRule.objects.filter(trigger__in=CLIENT_TRIGGERS, is_active=True).order_by("pk")
    )


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    ids = iter(ids)
    while chunk := list(islice(ids, size)):
        yield chunk


def _wanted_deadlines(client_ids: list[int], rules: list[DeadlineRule]) -> dict:
    """(case id, rule id, "permit"|"document", its id) -> (case, rule, event date) for every
    open case of these clients and every active permit and withheld document of theirs."""
    cases: dict[int, list[Case]] = {}
    for case in (
        Case.objects.active()
        .filter(client_id__in=client_ids)
        .exclude(status=Case.Status.CLOSED)
        .select_related("office__country", "responsible_lawyer", "paralegal")
    ):
        cases.setdefault(case.client_id, []).append(case)
    if not cases:
        return {}
    events = [
        ("permit", DeadlineRule.Trigger.PERMIT_EXPIRY, pk, client_id, day)
        for pk, client_id, day in ResidencePermit.objects.active()
        .filter(
            client_id__in=cases,
            status__in=ResidencePermit.ACTIVE_STATUSES,
            valid_until__isnull=False,
        )
        .values_list("pk", "client_id", "valid_until")
    ] + [
        ("document", DeadlineRule.Trigger.PASSPORT_HELD, pk, client_id, day)
        for pk, client_id, day in IdentityDocument.objects.active()
        .filter(client_id__in=cases, held_by__isnull=False, held_since__isnull=False)
        .values_list("pk", "client_id", "held_since")
    ]
    wanted = {}
    for field, trigger, pk, client_id, event_on in events:
        for case in cases[client_id]:
            for rule in rules:
                if rule.trigger == trigger and rule.covers(case):
                    wanted[(case.pk, rule.pk, field, pk)] = (case, rule, event_on)
    return wanted


def _existing_deadlines(client_ids: list[int]) -> dict:
    """Deadlines of these clients from permit and document rules that are open, or done for
    the event date they were made for (a done deadline is not made again)."""
    existing: dict = {}
    # Archived ones count as settled too; rules since put out of use are included, so that
    # their open deadlines get cancelled.
    rows = (
        Deadline.objects.filter(
            case__client_id__in=client_ids, rule__isnull=False, cancelled_at__isnull=True
        )
        .filter(Q(permit__isnull=False) | Q(document__isnull=False))
        .select_related("case__office__country", "case__responsible_lawyer", "case__paralegal")
        .select_related("rule")
        .order_by("pk")
    )
    for deadline in rows:
        field, pk = (
            ("permit", deadline.permit_id)
            if deadline.permit_id
            else ("document", deadline.document_id)
        )
        key = (deadline.case_id, deadline.rule_id, field, pk)
        existing.setdefault(key, []).append(deadline)
    return existing


def _is_open(deadline: Deadline) -> bool:
    return deadline.is_open and deadline.archived_at is None


class _Calendars(dict):
    def __missing__(self, code: str) -> Calendar:
        self[code] = Calendar(code)
        return self[code]


def _create_deadline(case: Case, rule: DeadlineRule, field: str, pk: int, event_on, calendars):
    due_on = rule.due_after(event_on, calendar=calendars[case.office.country.code])
    try:
        with transaction.atomic():  # a savepoint: a racing pass may have made it already
            deadline = Deadline.objects.create(
                case=case,
                rule=rule,
                title=str(rule),
                due_on=due_on,
                event_on=event_on,
                **{f"{field}_id": pk},
            )
    except IntegrityError:
        return None
    plan_deadline_reminders(deadline)
    return deadline


def reconcile_client_deadlines(
    *, client_ids: Iterable[int], rules: list[DeadlineRule] | None = None
) -> dict[str, int]:
    """Make the permit-expiry and passport-held deadlines of these clients' open cases match
    their permits and documents: create what is missing, move what an event date change
    moved, cancel what no longer applies (permit no longer active, passport returned, rule
    out of use). Done deadlines stay done for their event date. Idempotent; a handful of
    queries per chunk of clients, plus a few per deadline actually changed."""
    rules = _client_rules() if rules is None else rules
    counts = {"created": 0, "moved": 0, "cancelled": 0}
    calendars = _Calendars()
    for chunk in _chunks(client_ids, RECONCILE_CHUNK):
        with transaction.atomic():
            wanted = _wanted_deadlines(chunk, rules)
            existing = _existing_deadlines(chunk)
            for key, (case, rule, event_on) in wanted.items():
                found = existing.pop(key, [])
                current = [d for d in found if _is_open(d)]
                if any(d.event_on == event_on for d in found if not _is_open(d)):
                    pass  # already done for this date
                elif not current:
                    if _create_deadline(case, rule, key[2], key[3], event_on, calendars):
                        counts["created"] += 1
                elif current[0].event_on != event_on or _rule_moved_it(current[0], rule, calendars):
                    _move_deadline(current[0], rule, event_on, calendars)
                    counts["moved"] += 1
                for extra in current[1:]:
                    _cancel_deadline(extra)
                    counts["cancelled"] += 1
            for found in existing.values():
                for deadline in found:
                    if _is_open(deadline):
                        _cancel_deadline(deadline)
                        counts["cancelled"] += 1
    return counts


def _rule_moved_it(deadline: Deadline, rule: DeadlineRule, calendars) -> bool:
    """The rule's period changed since the deadline was computed, and no person has set its
    date since: a due date a lawyer corrected by hand stays while its event stays."""
    calendar = calendars[deadline.case.office.country.code]
    if rule.due_after(deadline.event_on, calendar=calendar) == deadline.due_on:
        return False
    last = deadline.history.order_by("-history_date", "-history_id").first()
    return last is not None and last.history_user_id is None


def _move_deadline(deadline: Deadline, rule: DeadlineRule, event_on, calendars) -> None:
    due_on = rule.due_after(event_on, calendar=calendars[deadline.case.office.country.code])
    deadline.move(due_on=due_on, event_on=event_on)
    plan_deadline_reminders(deadline)


def _cancel_deadline(deadline: Deadline) -> None:
    deadline.cancel()
    plan_deadline_reminders(deadline)


def reconcile_all_client_deadlines() -> dict[str, int]:
    """The one full pass, for a change of the rules (see `rule_change_reaches_clients`):
    reconcile every client with a case not closed, streamed in id order a chunk at a time."""
    client_ids = (
        Case.objects.exclude(status=Case.Status.CLOSED)
        .order_by("client_id")
        .values_list("client_id", flat=True)
        .distinct()
    )
    return reconcile_client_deadlines(client_ids=client_ids.iterator(chunk_size=2000))


def rule_change_reaches_clients(
    *, rule: DeadlineRule, previous: DeadlineRule | None, changed: Iterable[str]
) -> bool:
    """A new rule, or a change of `RULE_SCOPE_FIELDS`, of a rule started by permits or
    withheld passports (before or after the change): which deadlines exist for which
    cases may have changed for every client, so the full pass must run."""
    triggers = {rule.trigger, previous.trigger if previous else rule.trigger}
    if not triggers & set(CLIENT_TRIGGERS):
        return False
    return previous is None or bool(RULE_SCOPE_FIELDS & set(changed))


# What changes how an existing deadline of a rule is dated or reminded.
RULE_TIMING_FIELDS = {"period", "period_months", "day_kind", "remind_days_before"}


def replan_rule_deadlines(*, rule: DeadlineRule, previous: DeadlineRule | None = None) -> dict:
    """After an administrator changed a rule (`previous` is how it was): each open deadline
    of the rule gets reminders at the new distances, and one whose due date is still what
    the previous rule gave for its event moves to the new period; a date set by hand
    stays. Reminders already sent stay as they were."""
    counts = {"replanned": 0, "moved": 0}
    calendars = _Calendars()
    deadlines = (
        Deadline.objects.open()
        .filter(rule=rule)
        .select_related("case__office__country", "case__responsible_lawyer", "case__paralegal")
        .order_by("pk")
    )
    for deadline in deadlines.iterator(chunk_size=RECONCILE_CHUNK):
        deadline.rule = rule  # the edited rule, not a copy loaded before the save
        calendar = calendars[deadline.case.office.country.code]
        with transaction.atomic():
            if (
                previous is not None
                and deadline.event_on is not None
                and deadline.due_on == previous.due_after(deadline.event_on, calendar=calendar)
                and deadline.due_on != rule.due_after(deadline.event_on, calendar=calendar)
            ):
                _move_deadline(deadline, rule, deadline.event_on, calendars)
                counts["moved"] += 1
            else:
                plan_deadline_reminders(deadline)
            counts["replanned"] += 1
    return counts


def reset_second_factors(*, actor, user) -> int:
    """Remove every second factor of `user` (authenticator app, passkeys, recovery codes),
    as when they lost their phone: they add a new one at their next sign-in. Recorded in
    the administration's log and the user's history (who, whom, when; never a secret).
    Returns how many were removed."""
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.utils.translation import gettext
    from simple_history.utils import bulk_update_with_history

    reason = gettext("Second factors reset")
    with transaction.atomic():
        removed, _ = Authenticator.objects.filter(user=user).delete()
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=reason,
            single_object=True,
        )
        bulk_update_with_history(
            [user], type(user), ["is_active"], default_user=actor, default_change_reason=reason
        )
    return removed
