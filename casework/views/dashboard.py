"""The team dashboard and its exports: deadlines, hearings, permits and documents to act
on, and the figures of the chosen period."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework import dashboard as board
from casework.forms import DashboardFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope_for(request: HttpRequest) -> tuple[DashboardFilterForm, board.Scope | None, str]:
    """The filter form, and the scope it gives when valid; also says where the passport
    threshold came from."""
    if not request.user.has_perm("casework.view_dashboard"):
        raise PermissionDenied
    today = timezone.localdate()
    start, end = board.default_period(today)
    offices = board.offices_for(request.user)
    form = DashboardFilterForm(request.GET, offices=offices, start=start, end=end)
    if not form.is_valid():
        return form, None, ""
    held_days, source = form.cleaned_data["held_days"], "filter"
    if not held_days:
        held_days, source = board.passport_held_days()
    scope = board.Scope(
        user=request.user,
        office=form.cleaned_data["office"],
        start=form.cleaned_data["from"],
        end=form.cleaned_data["to"],
        held_days=held_days,
        today=today,
    )
    return form, scope, source


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every table of the dashboard, the first rows of each list, and the charts' data."""
    form, scope, held_source = _scope_for(request)
    sections = []
    if scope is not None:
        for table in board.TABLES.values():
            rows = table.fetch(scope, board.PAGE_ROWS)
            chart = board.chart_data(table, rows) if table.chart and rows.rows else None
            chart_id = f"chart-{table.name}"
            shown = [(row, table.shown(row)) for row in rows.rows]
            sections.append(
                {
                    "table": table,
                    "rows": rows,
                    "shown": shown,
                    "headers": table.headers(),
                    "chart": chart,
                    "chart_id": chart_id,
                }
            )
    totals = {section["table"].name: section["rows"].total for section in sections}
    context = {
        "form": form,
        "scope": scope,
        "held_source": held_source,
        "summary": board.summary(scope, totals) if scope else [],
        "sections": sections,
        "query": request.GET.urlencode(),
        "offices": list(form.fields["office"].queryset),
    }
    return render(request, "casework/dashboard.html", context, status=200 if scope else 400)


@require_GET
def dashboard_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """One table in full as CSV (UTF-8 with a byte-order mark, for Excel) or XLSX."""
    if table not in board.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    form, scope, _source = _scope_for(request)
    if scope is None:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    spec = board.TABLES[table]
    rows = spec.fetch(scope, None)
    if fmt == "csv":
        response = HttpResponse(_csv(spec, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(_xlsx(spec, rows), content_type=XLSX)
    filename = f"{table}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# A text cell starting with one of these is taken for a formula by Excel and LibreOffice:
# a client named "=HYPERLINK(...)" must not become a link or a command in a coordinator's
# spreadsheet. Numbers are left alone: a negative number is data, not a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula (OWASP's CSV injection advice)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# Exports are for spreadsheets and scripts, so they keep machine-readable values where the
# page shows words: numbers stay numbers (days left below zero when overdue). CSV writes
# dates in ISO 8601 (2026-12-02), the one form every spreadsheet and script reads the same
# whatever its locale; XLSX writes real date cells, shown as 02.12.2026.
XLSX_DATE = "dd.mm.yyyy"
XLSX_DATETIME = "dd.mm.yyyy hh:mm"
XLSX_MONTH = "mmmm yyyy"


def _plain(value, *, month: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m" if month else "%Y-%m-%d")
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralised(str(value))


def _csv(spec: board.Table, rows: board.Rows) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(spec.headers(export=True))
    for row in rows.rows:
        writer.writerow([_plain(c, month=i == spec.month) for i, c in enumerate(row.cells)])
    return out.getvalue()


def _xlsx(spec: board.Table, rows: board.Rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(str(spec.title)))
    sheet.append(spec.headers(export=True))
    for row in rows.rows:
        sheet.append(
            [_xlsx_value(sheet, c, month=i == spec.month) for i, c in enumerate(row.cells)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(sheet, value, *, month: bool = False):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime):
        # Excel keeps no time zones: local wall-clock time is what the office reads.
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = XLSX_DATETIME
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_MONTH if month else XLSX_DATE
        return cell
    if isinstance(value, str | Promise):
        # Stored as text, so openpyxl never writes it as a formula; marked as text, so the
        # spreadsheet shows it as typed.
        cell = WriteOnlyCell(sheet, value=neutralised(str(value)))
        cell.data_type = "s"
        return cell
    return value


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31].strip() or _("Dashboard")
