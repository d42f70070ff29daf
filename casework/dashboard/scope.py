"""What every dashboard table works from: the scope (user, office, period), rows, and
bounded fetching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from casework.formats import grouped, how_soon, month_name, short_date, short_datetime
from casework.models import Case, DeadlineRule, Incident, Office
from casework.money import format_money
from clients.models import client_visibility

# An exported column of days left, where the page says "через 3 дня" or "просрочено на 5 дней".
DAYS_EXPORT_HEADER = _("days left (below zero: overdue)")

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

    def clients(self, path: str) -> Q:
        """The visible, unarchived clients of the chosen office, as a condition on the rows
        of a client at `path` (joined: see clients.models.client_visibility)."""
        visible = client_visibility(self.user, path)
        if visible is None:
            return Q(pk__in=[])
        condition = visible & Q(**{f"{path}__archived_at__isnull": True})
        if self.office is not None:
            with_case_here = Case.objects.filter(office=self.office).values("client_id")
            condition &= Q(**{f"{path}__office": self.office}) | Q(
                **{f"{path}__in": with_case_here}
            )
        return condition

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
class Tile:
    """One count of the summary a page shows first (templates/includes/summary.html), a
    link to its list; `alert` marks a count that asks for action whenever it is not zero."""

    anchor: str
    label: Promise | str
    count: int
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
    # (amount column, currency column): shown as "43 250,00 ₸", exported as numbers.
    money: tuple[int, int] | None = None
    # Columns of days from today (below zero: past), shown as "через 3 дня" and exported
    # as numbers under the header DAYS_EXPORT_HEADER.
    days: tuple[int, ...] = ()
    # The column of months (each the first day of its month), shown by name.
    month: int | None = None

    def shown(self, row: Row) -> tuple[str, ...]:
        """The row's cells as the page shows them (casework.formats): 02.12.2026,
        "просрочено на 5 дней", "Декабрь 2026", counts with grouped thousands."""
        return tuple(self._shown(i, cell, row.cells) for i, cell in enumerate(row.cells))

    def _shown(self, i: int, cell: Cell, cells: tuple[Cell, ...]) -> str:
        if cell is None:
            return ""
        if self.money is not None and i == self.money[0]:
            return format_money(cell, str(cells[self.money[1]] or ""))
        if i in self.days:
            return how_soon(cell)
        if i == self.month:
            return month_name(cell)
        if isinstance(cell, datetime):
            return short_datetime(cell)
        if isinstance(cell, date):
            return short_date(cell)
        if isinstance(cell, int):
            return grouped(cell)
        return str(cell)

    def headers(self, *, export: bool = False) -> list[str]:
        """The column headers, capitalised as every label is; an export says what its
        numbers of days mean."""
        return [
            str(capfirst(DAYS_EXPORT_HEADER if export and i in self.days else column))
            for i, column in enumerate(self.columns)
        ]


def covers_offices(user) -> bool:
    """Whether the user watches the work of offices rather than their own cases only:
    coordinators, who see every office."""
    return user.has_perm("casework.view_all_cases")


def offices_for(user) -> QuerySet:
    """The offices the user covers: every office for a coordinator, else their own."""
    if covers_offices(user):
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


def bounded(queryset: QuerySet, limit: int | None, to_row: Callable) -> Rows:
    """The first `limit` rows, and a count only when there are more: a window count would
    make the database join every matching row before it can stop at the first page."""
    if limit is None:
        rows = [to_row(obj) for obj in queryset]
        return Rows(rows, len(rows))
    page = list(queryset[: limit + 1])
    total = queryset.count() if len(page) > limit else len(page)
    return Rows([to_row(obj) for obj in page[:limit]], total)


def case_url(case_id: int) -> str:
    return reverse("casework:case_detail", args=[case_id])


def client_url(client_id: int) -> str:
    return reverse("clients:client_detail", args=[client_id])


def staff_name(user) -> str:
    return user.display_name if user else str(_("nobody"))
