"""The dashboard's lists of things to act on: deadlines, hearings, permits, documents held
and reminders that failed. Bounded on the page, complete in the exports."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from casework.dashboard.scope import (
    DEADLINE_DAYS,
    HEARING_DAYS,
    PAGE_ROWS,
    Cell,
    Row,
    Rows,
    Scope,
    bounded,
    case_url,
    client_url,
    staff_name,
)
from casework.models import Deadline, Hearing, Reminder
from clients.models import IdentityDocument, ResidencePermit


def deadlines(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Open deadlines that are overdue or due within the next 14 days, soonest first."""
    queryset = (
        Deadline.objects.open()
        .filter(case__in=scope.cases(), due_on__lte=scope.today + timedelta(days=DEADLINE_DAYS))
        .select_related("case__client", "case__responsible_lawyer")
        .order_by("due_on", "pk")
    )

    def row(d: Deadline) -> Row:
        overdue = d.due_on < scope.today
        return Row(
            (
                d.due_on,
                (d.due_on - scope.today).days,
                d.title,
                d.case.reference,
                d.case.client.full_name,
                staff_name(d.case.responsible_lawyer),
            ),
            case_url(d.case_id),
            overdue,
        )

    return bounded(queryset, limit, row)


def hearings(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Hearings not yet heard in the coming seven days."""
    now = timezone.now()
    queryset = (
        Hearing.objects.active()
        .filter(
            case__in=scope.cases(),
            outcome=Hearing.Outcome.PENDING,
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=HEARING_DAYS),
        )
        .select_related("case__client", "case__responsible_lawyer", "court")
        .order_by("starts_at", "pk")
    )

    def row(h: Hearing) -> Row:
        return Row(
            (
                timezone.localtime(h.starts_at),
                h.get_kind_display(),
                str(h.court) if h.court else "",
                h.case.reference,
                h.case.client.full_name,
                staff_name(h.case.responsible_lawyer),
            ),
            case_url(h.case_id),
        )

    return bounded(queryset, limit, row)


def _permits(scope: Scope, first_day: int, last_day: int, limit: int | None) -> Rows:
    queryset = (
        ResidencePermit.objects.active()
        .filter(
            scope.clients("client"),
            status__in=ResidencePermit.ACTIVE_STATUSES,
            valid_until__gte=scope.today + timedelta(days=first_day),
            valid_until__lte=scope.today + timedelta(days=last_day),
        )
        .select_related("client", "kind")
        .order_by("valid_until", "pk")
    )

    def row(p: ResidencePermit) -> Row:
        return Row(
            (
                p.valid_until,
                (p.valid_until - scope.today).days,
                p.client.full_name,
                p.kind.name,
                p.get_status_display(),
            ),
            client_url(p.client_id),
            p.status == ResidencePermit.Status.VALID,
        )

    return bounded(queryset, limit, row)


def permits_30(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Active permits that expire today or within 30 days."""
    return _permits(scope, 0, 30, limit)


def permits_60(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Active permits that expire in 31 to 60 days."""
    return _permits(scope, 31, 60, limit)


def passports(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Documents an authority has held for at least the threshold, longest held first."""
    queryset = (
        IdentityDocument.objects.active()
        .filter(
            scope.clients("client"),
            held_by__isnull=False,
            held_since__lte=scope.today - timedelta(days=scope.held_days),
        )
        .select_related("client", "held_by")
        .order_by("held_since", "pk")
    )

    def row(d: IdentityDocument) -> Row:
        return Row(
            (
                d.held_since,
                (scope.today - d.held_since).days,
                d.client.full_name,
                d.get_kind_display(),
                d.held_by.name,
            ),
            client_url(d.client_id),
        )

    return bounded(queryset, limit, row)


def failed_reminders(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Reminders that could not be sent and are neither delivered nor cancelled since."""
    cases = scope.cases()
    queryset = (
        Reminder.objects.filter(
            failed_at__isnull=False, delivered_at__isnull=True, cancelled_at__isnull=True
        )
        .filter(
            Q(deadline__case__in=cases)
            | Q(hearing__case__in=cases)
            | (Q(permit__isnull=False) & scope.clients("permit__client"))
        )
        .select_related(
            "recipient", "deadline__case", "hearing__case", "permit__client", "permit__kind"
        )
        .order_by("-failed_at", "pk")
    )

    def row(r: Reminder) -> Row:
        if r.deadline_id:
            subject, ref, url = r.deadline.title, r.deadline.case.reference, r.deadline.case_id
        elif r.hearing_id:
            subject, ref, url = str(r.hearing), r.hearing.case.reference, r.hearing.case_id
        else:
            subject, ref = str(r.permit), r.permit.client.full_name
            return Row(_reminder_cells(r, subject, ref), client_url(r.permit.client_id), True)
        return Row(_reminder_cells(r, subject, ref), case_url(url), True)

    return bounded(queryset, limit, row)


def _reminder_cells(r: Reminder, subject: str, ref: str) -> tuple[Cell, ...]:
    return (
        timezone.localtime(r.failed_at),
        r.get_kind_display(),
        subject,
        ref,
        r.recipient.display_name,
        r.get_channel_display(),
        r.failure_reason,
        r.attempts,
    )
