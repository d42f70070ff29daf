"""Cases: lists, the case page, and its status actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.access import get_case_for
from casework.dashboard.scope import covers_offices, offices_for
from casework.forms import (
    AssignCaseForm,
    CaseForm,
    CloseCaseForm,
    NewCaseForm,
    TransferCaseForm,
)
from casework.models import Case, CaseNote, Deadline, Fine, Hearing
from casework.services import (
    CaseChanged,
    assign_case,
    close_case,
    open_case,
    reopen_case,
    save_case,
    transfer_case,
)
from casework.workdays import Calendar
from clients.access import get_client_to_add_to
from clients.editing import form_response, save_or_conflict
from clients.models import name_matches
from clients.sorting import Sorting

PAGE_SIZE = 25
CASE_COLUMNS = {
    "reference": ("reference",),
    "client": ("client__last_name", "client__first_name"),
    "kind": ("kind",),
    "opened": ("opened_on",),
    "due": ("next_due", "opened_on"),
    "status": ("status", "opened_on"),
}
CASE_SORTING = Sorting(CASE_COLUMNS, default="-opened", nullable=frozenset({"next_due"}))
# The queue's point is urgency: the soonest deadline first, cases without one last.
QUEUE_SORTING = Sorting(CASE_COLUMNS, default="due", nullable=frozenset({"next_due"}))


def listed_cases(user):
    """Cases the user may see, with what a list row shows, in one query."""
    return (
        Case.objects.visible_to(user)
        .active()
        .select_related("client", "responsible_lawyer", "paralegal", "office")
        .annotate(
            next_due=Min(
                "deadlines__due_on",
                filter=Q(deadlines__done_at__isnull=True, deadlines__cancelled_at__isnull=True),
            )
        )
    )


@require_GET
@permission_required("casework.view_case", raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    cases = listed_cases(user)
    # A coordinator's own cases are few or none: they land on the team's open cases.
    scope = request.GET.get("scope") or ("all" if covers_offices(user) else "mine")
    if scope == "mine":
        cases = cases.filter(Q(responsible_lawyer=user) | Q(paralegal=user))
    status = request.GET.get("status", "open")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Case.Kind.values:
        cases = cases.filter(kind=kind)
    q = request.GET.get("q", "").strip()
    if q:
        cases = cases.filter(Q(reference__icontains=q) | name_matches(q, "client__search_key"))
    sort = CASE_SORTING.choose(request.GET.get("sort"))
    page = Paginator(cases.order_by(*sort.ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sort": sort,
        "scope": scope,
        "status": status,
        "kind": kind,
        "q": q,
        "kinds": Case.Kind.choices,
        "statuses": Case.Status.choices,
        "title": _("My cases") if scope == "mine" else _("Cases"),
        "today": timezone.localdate(),
    }
    return render(request, "casework/case_list.html", context)


@require_GET
@permission_required("casework.view_case", raise_exception=True)
def case_queue(request: HttpRequest) -> HttpResponse:
    """The paralegal's work: open cases assigned to them or to no paralegal, soonest due first."""
    user = request.user
    cases = (
        listed_cases(user)
        .filter(status=Case.Status.OPEN)
        .filter(Q(paralegal=user) | Q(paralegal__isnull=True, office_id=user.office_id))
    )
    sort = QUEUE_SORTING.choose(request.GET.get("sort"))
    page = Paginator(cases.order_by(*sort.ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "sort": sort, "today": timezone.localdate()}
    return render(request, "casework/case_queue.html", context)


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_to_add_to(request.user, client_pk, Case)
    office = request.user.office or client.office
    form = NewCaseForm(request.POST or None, office=office, opener=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        case = open_case(client=client, office=office, opened_by=request.user, **fields)
        messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
        return redirect("casework:case_detail", pk=case.pk)
    title = _("New case for %(name)s") % {"name": client.full_name}
    status = 400 if request.method == "POST" else 200
    return form_response(
        request, form=form, title=title, cancel_url=client.get_absolute_url(), status=status
    )


def _explained(case: Case, deadlines) -> list[Deadline]:
    """The case's deadlines, each with how its date was counted (office's calendar)."""
    deadlines = list(deadlines.select_related("rule"))
    calendar = Calendar(case.office.country.code)
    for deadline in deadlines:
        deadline.explanation = deadline.explain(calendar=calendar)
    return deadlines


def case_context(case: Case, user) -> dict:
    """Everything the case page shows, each list loaded in one query."""
    return {
        "case": case,
        "fines": Fine.objects.active().filter(case=case).select_related("article", "issued_by"),
        "hearings": Hearing.objects.active().filter(case=case).select_related("court"),
        "deadlines": _explained(case, Deadline.objects.active().filter(case=case)),
        "notes": CaseNote.objects.active().filter(case=case).select_related("author"),
        "close_form": CloseCaseForm(case=case),
        "assign_form": AssignCaseForm(
            offices=offices_for(user),
            initial={
                "responsible_lawyer": case.responsible_lawyer_id,
                "paralegal": case.paralegal_id,
            },
        ),
        "can_edit": user.has_perm("casework.change_case"),
        "can_close": user.has_perm("casework.close_case"),
        "can_assign": user.has_perm("casework.assign_case"),
        "can_transfer": user.has_perm("casework.transfer_case") and case.is_open,
    }


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    return render(request, "casework/case_detail.html", case_context(case, request.user))


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    form = CaseForm(request.POST or None, instance=case)
    title = _("Edit case %(reference)s") % {"reference": case.reference}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(
            request, form, title=title, cancel_url=case.get_absolute_url(), save=save_case
        )
        if conflict:
            return conflict
        messages.success(request, _("Case saved."))
        return redirect(case)
    status = 400 if request.method == "POST" else 200
    return form_response(
        request, form=form, title=title, cancel_url=case.get_absolute_url(), status=status
    )


@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    if not request.user.has_perm("casework.close_case"):
        raise PermissionDenied
    form = CloseCaseForm(request.POST, case=case)
    if not case.is_open:
        messages.info(request, _("The case is already closed."))
    elif form.is_valid():
        close_case(
            case=case,
            outcome=form.cleaned_data["outcome"],
            closed_on=form.cleaned_data["closed_on"],
        )
        messages.success(request, _("Case closed."))
    else:
        context = case_context(case, request.user) | {"close_form": form}
        return render(request, "casework/case_detail.html", context, status=400)
    return redirect("casework:case_detail", pk=case.pk)


@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    if not request.user.has_perm("casework.close_case"):
        raise PermissionDenied
    if not case.is_open:
        reopen_case(case=case)
        messages.success(request, _("Case reopened."))
    return redirect("casework:case_detail", pk=case.pk)


@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    if not request.user.has_perm("casework.assign_case"):
        raise PermissionDenied
    form = AssignCaseForm(request.POST, offices=offices_for(request.user))
    if not form.is_valid():
        context = case_context(case, request.user) | {"assign_form": form}
        return render(request, "casework/case_detail.html", context, status=400)
    assign_case(
        case=case,
        lawyer=form.cleaned_data["responsible_lawyer"],
        paralegal=form.cleaned_data["paralegal"],
    )
    messages.success(request, _("Case assigned."))
    return redirect("casework:case_detail", pk=case.pk)


@require_http_methods(["GET", "POST"])
def case_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator moves an open case to another office they cover."""
    case = get_case_for(request.user, pk, write=True)
    if not request.user.has_perm("casework.transfer_case"):
        raise PermissionDenied
    if not case.is_open:
        messages.info(request, _("A closed case is not transferred; reopen it first."))
        return redirect(case)
    offices = offices_for(request.user)
    form = TransferCaseForm(request.POST or None, case=case, offices=offices)
    context = {"case": case, "form": form, "conflict": False}
    if request.method == "POST" and form.is_valid():
        try:
            transfer_case(
                case=case,
                office=form.cleaned_data["office"],
                lawyer=form.cleaned_data["responsible_lawyer"],
                paralegal=form.cleaned_data["paralegal"],
                by=request.user,
                expected_version=form.cleaned_data["expected_version"],
            )
        except CaseChanged:
            case.refresh_from_db()
            data = request.POST.copy()
            data["expected_version"] = case.version
            form = TransferCaseForm(data, case=case, offices=offices)
            form.is_valid()
            context |= {"case": case, "form": form, "conflict": True}
            return render(request, "casework/case_transfer.html", context, status=409)
        messages.success(
            request,
            _("Case %(reference)s transferred to %(office)s.")
            % {"reference": case.reference, "office": case.office},
        )
        return redirect(case)
    status = 400 if request.method == "POST" else 200
    return render(request, "casework/case_transfer.html", context, status=status)
