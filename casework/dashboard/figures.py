"""The dashboard's figures for a period, aggregated by the database: caseload, cases by
month, outcomes, fines, incidents."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from casework.dashboard.scope import PAGE_ROWS, Row, Rows, Scope, bounded
from casework.models import Case, Fine, Incident, IncidentClient


def caseload(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Per responsible lawyer: open and on-hold cases now, cases closed in the period."""
    closed_in_period = Q(status=Case.Status.CLOSED, closed_on__range=(scope.start, scope.end))
    queryset = (
        scope.cases()
        .values(
            "responsible_lawyer",
            "responsible_lawyer__last_name",
            "responsible_lawyer__first_name",
            "responsible_lawyer__username",
        )
        .annotate(
            open=Count("pk", filter=Q(status=Case.Status.OPEN)),
            on_hold=Count("pk", filter=Q(status=Case.Status.ON_HOLD)),
            closed=Count("pk", filter=closed_in_period),
        )
        .filter(Q(open__gt=0) | Q(on_hold__gt=0) | Q(closed__gt=0))
        .order_by(
            "responsible_lawyer__last_name",
            "responsible_lawyer__first_name",
            "responsible_lawyer__username",
        )
    )

    def row(v: dict) -> Row:
        if v["responsible_lawyer"] is None:
            name = str(_("No responsible lawyer"))
        else:
            parts = (v["responsible_lawyer__last_name"], v["responsible_lawyer__first_name"])
            name = " ".join(p for p in parts if p) or v["responsible_lawyer__username"]
        return Row((name, v["open"], v["on_hold"], v["closed"]))

    # One row per lawyer: staff numbers bound the list, so it is counted in Python.
    rows = [row(v) for v in queryset]
    return Rows(rows[:limit] if limit else rows, len(rows))


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _by_month(queryset: QuerySet, field_name: str) -> dict[date, int]:
    counts = (
        queryset.annotate(month=TruncMonth(field_name))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return {_as_date(c["month"]): c["n"] for c in counts}


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def monthly(scope: Scope, limit: int | None = None) -> Rows:
    """Cases opened and closed in each month of the period, empty months included."""
    cases = scope.cases()
    opened = _by_month(cases.filter(opened_on__range=(scope.start, scope.end)), "opened_on")
    closed = _by_month(
        cases.filter(status=Case.Status.CLOSED, closed_on__range=(scope.start, scope.end)),
        "closed_on",
    )
    rows = [
        Row((month, opened.get(month, 0), closed.get(month, 0)))
        for month in _months(scope.start, scope.end)
    ]
    return Rows(rows, len(rows))


def outcomes(scope: Scope, limit: int | None = None) -> Rows:
    """Cases closed in the period, by outcome."""
    counts = (
        scope.cases()
        .filter(status=Case.Status.CLOSED, closed_on__range=(scope.start, scope.end))
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by("-n", "outcome")
    )
    labels = dict(Case.Outcome.choices)
    rows = [Row((str(labels.get(c["outcome"], c["outcome"])), c["n"])) for c in counts]
    return Rows(rows, len(rows))


def fines(scope: Scope, limit: int | None = None) -> Rows:
    """Fines issued in the period that are contested or annulled now, per currency."""
    sums = (
        Fine.objects.active()
        .filter(
            case__in=scope.cases(),
            issued_on__range=(scope.start, scope.end),
            status__in=[Fine.Status.CONTESTED, Fine.Status.ANNULLED],
        )
        .values("status", "currency")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("status", "currency")
    )
    labels = dict(Fine.Status.choices)
    rows = [Row((str(labels[s["status"]]), s["currency"], s["n"], s["total"])) for s in sums]
    return Rows(rows, len(rows))


def incidents(scope: Scope, limit: int | None = PAGE_ROWS) -> Rows:
    """Incidents that started in the period, with their reported and linked numbers."""
    queryset = (
        scope.incidents()
        .annotate(linked=Count("links"))
        .select_related("office")
        .order_by("-started_on", "-pk")
    )

    def row(i: Incident) -> Row:
        return Row(
            (
                i.started_on,
                i.title,
                i.city,
                i.office.name,
                i.detained_count,
                i.expelled_count,
                i.linked,
            ),
            i.get_absolute_url(),
        )

    return bounded(queryset, limit, row)


def incident_nationalities(scope: Scope, limit: int | None = None) -> Rows:
    """Clients linked to the period's incidents, by citizenship: what happened to them and
    what the NGO did, counted from their cases of those incidents that the user may see."""
    counts = IncidentClient.objects.filter(incident__in=scope.incidents()).figures_by_nationality(
        scope.cases()
    )
    rows = [Row((c["nationality"], *(c[name] for name in INCIDENT_FIGURES))) for c in counts]
    return Rows(rows, len(rows))


INCIDENT_FIGURES = (
    "clients",
    "detained",
    "expelled",
    "expulsion_ordered",
    "represented",
    "appealed",
    "appeal_granted",
    "appeal_rejected",
)
