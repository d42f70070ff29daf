"""The coordinator's dashboard: one function per table, used by the page and by the exports.

Every table starts from `Case.objects.visible_to(user)` (or the client and incident
equivalents), narrowed to the chosen office: a coordinator sees every office, a lawyer only
their own, and a sensitive case only reaches its assigned staff. Lists are bounded on the
page (counted only when longer than a page) and complete
in the exports; figures are aggregated by the database.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.dashboard.figures import (
    caseload,
    fines,
    incident_nationalities,
    incidents,
    monthly,
    outcomes,
)
from casework.dashboard.lists import (
    deadlines,
    failed_reminders,
    hearings,
    passports,
    permits_30,
    permits_60,
)
from casework.dashboard.scope import (
    PAGE_ROWS,
    Row,
    Rows,
    Scope,
    Table,
    Tile,
    default_period,
    offices_for,
    passport_held_days,
)
from casework.models import Deadline

__all__ = [
    "PAGE_ROWS",
    "TABLES",
    "Row",
    "Rows",
    "Scope",
    "Table",
    "Tile",
    "chart_data",
    "default_period",
    "offices_for",
    "passport_held_days",
    "summary",
]


def _permit_table(name: str, title: Promise, fetch: Callable) -> Table:
    return Table(
        name,
        title,
        (_("valid until"), _("how soon"), _("client"), _("kind"), _("status")),
        fetch,
        link=2,
        days=(1,),
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
                _("how soon"),
                _("what is due"),
                _("case"),
                _("client"),
                _("responsible lawyer"),
            ),
            deadlines,
            link=3,
            days=(1,),
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
            month=0,
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
            money=(3, 1),
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
            (
                _("citizenship"),
                _("clients"),
                pgettext_lazy("count of people", "detained"),
                pgettext_lazy("count of people", "expelled"),
                _("expulsion ordered"),
                _("represented"),
                _("appealed"),
                _("appeal granted"),
                _("appeal rejected"),
            ),
            incident_nationalities,
            chart=(1, 2, 3, 5, 6),
            note=_(
                "Represented: has a case from the incident. Appealed: an appeal hearing is "
                "recorded, or the appeal deadline of a decision is marked done."
            ),
        ),
    ]
}


def summary(scope: Scope, totals: dict[str, int]) -> list[Tile]:
    """The counts shown above the lists (a phone shows only these until a list is opened);
    `totals` are the lists' row counts by table name."""
    deadlines = Deadline.objects.open().filter(case__in=scope.cases()).urgency(scope.today)
    return [
        Tile("t-deadlines", _("Overdue deadlines"), deadlines["overdue"], alert=True),
        Tile("t-deadlines", _("Deadlines in the next 7 days"), deadlines["week"]),
        Tile("t-hearings", _("Hearings in the next 7 days"), totals["hearings"]),
        Tile("t-permits-30", _("Permits expiring within 30 days"), totals["permits-30"]),
        Tile("t-passports", _("Documents held by an authority"), totals["passports"]),
        Tile("t-reminders", _("Reminders not sent"), totals["reminders"], alert=True),
    ]


def chart_data(table: Table, rows: Rows) -> dict:
    """Bars for a chart drawn by static/js/dashboard.js; the same numbers are in the table."""
    labels = [" ".join(table.shown(row)[: table.chart[0]]) for row in rows.rows]
    datasets = [
        {"label": str(table.columns[i]), "data": [row.cells[i] for row in rows.rows]}
        for i in table.chart
    ]
    return {"title": str(table.title), "labels": labels, "datasets": datasets}
