"""The coordinator's dashboard: one function per table, used by the page and by the exports.

Every table starts from `Case.objects.visible_to(user)` (or the client and incident
equivalents), narrowed to the chosen office: a coordinator sees every office, a lawyer only
their own, and a sensitive case only reaches its assigned staff. Lists are bounded on the
page (counted only when longer than a page) and complete
in the exports; figures are aggregated by the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Case,
    Deadline,
    DeadlineRule,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
    Office,
    Reminder,
)
from clients.models import Client, IdentityDocument, ResidencePermit

PAGE_ROWS = 50
DEFAULT_HELD_DAYS = 30
DEADLINE_DAYS = 14
HEARING_DAYS = 7

Cell = str | int | Decimal | date | datetime | None


@dataclass(frozen=True)
class Scope:
    """Whose dashboard, for which office and period: the one input of every table."""

    user: object
    office: Office | None
    start: date
    end: date
    held_days: int
    today: date = field(default_factory=timezone.localdate)

    def cases(self) -> QuerySet:
        cases = Case.objects.visible_to(self.user).active()
        return cases.filter(office=self.office) if self.office else cases

    def clients(self) -> QuerySet:
        clients = Client.objects.visible_to(self.user).active()
        if self.office is None:
            return clients
        with_case_here = Case.objects.filter(office=self.office).values("client_id")
        return clients.filter(Q(office=self.office) | Q(pk__in=with_case_here))

    def incidents(self) -> QuerySet:
        incidents = Incident.objects.visible_to(self.user).active()
        incidents = incidents.filter(started_on__gte=self.start, started_on__lte=self.end)
        return incidents.filter(office=self.office) if self.office else incidents


@dataclass(frozen=True)
class Row:
    """One table row: its cells in column order, the record it links to, and a warning."""

    cells: tuple[Cell, ...]
    url: str = ""
    alert: bool = False


@dataclass(frozen=True)
class Rows:
    """The rows shown (all of them, or the first `PAGE_ROWS`) and how many there are."""

    rows: list[Row]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class Table:
    """A dashboard table: its name in URLs, its heading, columns and how to fetch rows.
    `chart` names the numeric columns drawn as bars against the first column."""

    name: str
    title: Promise
    columns: tuple[Promise, ...]
    fetch: Callable[[Scope, int | None], Rows]
    chart: tuple[int, ...] = ()
    note: Promise | str = ""
    link: int = 0


def offices_for(user) -> QuerySet:
    """Offices whose figures the user may choose: every office for a coordinator."""
    if user.has_perm("casework.view_all_cases"):
        return Office.objects.all()
    return Office.objects.filter(pk=user.office_id)


def passport_held_days() -> tuple[int, str]:
    """The follow-up period of the shipped `passport-held` rule, or 30 days without it;
    and which of the two it is ("rule" or "default")."""
    period = (
        DeadlineRule.objects.filter(code="passport-held", is_active=True, period__gt=0)
        .values_list("period", flat=True)
        .first()
    )
    return (period, "rule") if period else (DEFAULT_HELD_DAYS, "default")


def default_period(today: date) -> tuple[date, date]:
    """The last twelve calendar months, this one included."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1), today


def _bounded(queryset: QuerySet, limit: int | None, to_row: Callable) -> Rows:
    """The first `limit` rows, and a count only when there are more: a window count would
    make the database join every matching row before it can stop at the first page."""
    if limit is None:
        rows = [to_row(obj) for obj in queryset]
        return Rows(rows, len(rows))
    page = list(queryset[: limit + 1])
    total = queryset.count() if len(page) > limit else len(page)
    return Rows([to_row(obj) for obj in page[:limit]], total)


def _case_url(case_id: int) -> str:
    return reverse("casework:case_detail", args=[case_id])


def _client_url(client_id: int) -> str:
    return reverse("clients:client_detail", args=[client_id])


def _name(user) -> str:
    return user.display_name if user else str(_("nobody"))


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
                _name(d.case.responsible_lawyer),
            ),
            _case_url(d.case_id),
            overdue,
        )

    return _bounded(queryset, limit, row)


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
                _name(h.case.responsible_lawyer),
            ),
            _case_url(h.case_id),
        )

    return _bounded(queryset, limit, row)


def _permits(scope: Scope, first_day: int, last_day: int, limit: int | None) -> Rows:
    queryset = (
        ResidencePermit.objects.active()
        .filter(
            client__in=scope.clients(),
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
            _client_url(p.client_id),
            p.status == ResidencePermit.Status.VALID,
        )

    return _bounded(queryset, limit, row)


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
            client__in=scope.clients(),
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
            _client_url(d.client_id),
        )

    return _bounded(queryset, limit, row)


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
            | Q(permit__client__in=scope.clients())
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
            return Row(_reminder_cells(r, subject, ref), _client_url(r.permit.client_id), True)
        return Row(_reminder_cells(r, subject, ref), _case_url(url), True)

    return _bounded(queryset, limit, row)


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
        Row((month.strftime("%Y-%m"), opened.get(month, 0), closed.get(month, 0)))
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

    return _bounded(queryset, limit, row)


def incident_nationalities(scope: Scope, limit: int | None = None) -> Rows:
    """Clients linked to the period's incidents, by citizenship."""
    counts = (
        IncidentClient.objects.filter(incident__in=scope.incidents())
        .values("client__nationality__name_ru", "client__nationality__name_en")
        .annotate(
            clients=Count("client", distinct=True),
            detained=Count("client", distinct=True, filter=Q(detained=True)),
            expelled=Count("client", distinct=True, filter=Q(expelled=True)),
        )
        .order_by("-clients", "client__nationality__name_ru")
    )
    english = get_language() == "en"

    def label(c: dict) -> str:
        ru, en = c["client__nationality__name_ru"], c["client__nationality__name_en"]
        if ru is None:
            return str(_("Not recorded"))
        return en if english and en else ru

    rows = [Row((label(c), c["clients"], c["detained"], c["expelled"])) for c in counts]
    return Rows(rows, len(rows))


def _permit_table(name: str, title: Promise, fetch: Callable) -> Table:
    return Table(
        name,
        title,
        (_("valid until"), _("days left"), _("client"), _("kind"), _("status")),
        fetch,
        link=2,
        note=_("Valid or renewal pending. Highlighted: no renewal applied for yet."),
    )


TABLES: dict[str, Table] = {
    table.name: table
    for table in [
        Table(
            "deadlines",
            _("Overdue deadlines and deadlines in the next 14 days"),
            (
                _("due on"),
                _("days left"),
                _("what is due"),
                _("case"),
                _("client"),
                _("responsible lawyer"),
            ),
            deadlines,
            link=3,
        ),
        Table(
            "hearings",
            _("Hearings in the next 7 days"),
            (
                _("date and time"),
                _("kind"),
                _("court"),
                _("case"),
                _("client"),
                _("responsible lawyer"),
            ),
            hearings,
            link=3,
        ),
        _permit_table("permits-30", _("Residence permits expiring within 30 days"), permits_30),
        _permit_table("permits-60", _("Residence permits expiring in 31 to 60 days"), permits_60),
        Table(
            "passports",
            _("Documents held by an authority"),
            (_("held since"), _("days held"), _("client"), _("document"), _("held by")),
            passports,
            link=2,
        ),
        Table(
            "reminders",
            _("Reminders that could not be sent"),
            (
                _("failed at"),
                _("kind"),
                _("about"),
                _("case or client"),
                _("recipient"),
                _("channel"),
                _("reason"),
                _("attempts"),
            ),
            failed_reminders,
            link=3,
        ),
        Table(
            "caseload",
            _("Caseload per lawyer"),
            (_("responsible lawyer"), _("open"), _("on hold"), _("closed in the period")),
            caseload,
            chart=(1, 2, 3),
            note=_("Open and on hold: today. Closed: within the period."),
        ),
        Table(
            "monthly",
            _("Cases opened and closed by month"),
            (_("month"), _("opened"), _("closed")),
            monthly,
            chart=(1, 2),
        ),
        Table(
            "outcomes",
            _("Outcomes of cases closed in the period"),
            (_("outcome"), _("cases")),
            outcomes,
            chart=(1,),
        ),
        Table(
            "fines",
            _("Fines contested and annulled"),
            (_("status"), _("currency"), _("fines"), _("amount")),
            fines,
            chart=(2,),
            note=_("Fines issued in the period, by their status today."),
        ),
        Table(
            "incidents",
            _("Incidents in the period"),
            (
                _("started on"),
                _("title"),
                _("city"),
                _("office"),
                _("detained (reported)"),
                _("expelled (reported)"),
                _("clients linked"),
            ),
            incidents,
            link=1,
        ),
        Table(
            "incident-nationalities",
            _("Clients linked to these incidents, by citizenship"),
            (_("citizenship"), _("clients"), _("detained"), _("expelled")),
            incident_nationalities,
            chart=(1, 2, 3),
        ),
    ]
}


def chart_data(table: Table, rows: Rows) -> dict:
    """Bars for a chart drawn by static/js/dashboard.js; the same numbers are in the table."""
    labels = [" ".join(str(c) for c in row.cells[: table.chart[0]]) for row in rows.rows]
    datasets = [
        {"label": str(table.columns[i]), "data": [row.cells[i] for row in rows.rows]}
        for i in table.chart
    ]
    return {"title": str(table.title), "labels": labels, "datasets": datasets}
