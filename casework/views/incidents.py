"""Incidents: a raid or other group event, its affected clients, and cases opened in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.access import get_incident_for
from casework.forms import IncidentForm, LinkClientsForm, OpenCasesForm, quick_intake_formset
from casework.intake import IntakeRow, offer_people_on_record, register_incident_clients
from casework.models import Case, Incident, IncidentClient
from casework.services import open_cases_for_incident
from clients.editing import form_response, save_or_conflict
from clients.models import Client
from clients.sorting import Sorting
from clients.views import search_clients

INCIDENT_SORTING = Sorting(columns={"date": ("started_on",), "title": ("title",)}, default="-date")


@require_GET
@permission_required("casework.view_incident", raise_exception=True)
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = (
        Incident.objects.visible_to(request.user)
        .active()
        .select_related("office")
        .annotate(linked=Count("links"))
    )
    sort = INCIDENT_SORTING.choose(request.GET.get("sort"))
    page = Paginator(incidents.order_by(*sort.ordering), 25).get_page(request.GET.get("page"))
    return render(request, "casework/incident_list.html", {"page": page, "sort": sort})


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("casework.add_incident") or request.user.office_id is None:
        raise PermissionDenied
    incident = Incident(office_id=request.user.office_id, started_on=timezone.localdate())
    form = IncidentForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        incident = form.save()
        messages.success(request, _("Incident recorded. Now link the affected clients."))
        return redirect(incident)
    status = 400 if request.method == "POST" else 200
    return form_response(
        request,
        form=form,
        title=_("New incident"),
        cancel_url=reverse("casework:incident_list"),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk, write=True)
    form = IncidentForm(request.POST or None, instance=incident)
    title = _("Edit incident")
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(
            request, form, title=title, cancel_url=incident.get_absolute_url()
        )
        if conflict:
            return conflict
        messages.success(request, _("Saved."))
        return redirect(incident)
    status = 400 if request.method == "POST" else 200
    return form_response(
        request, form=form, title=title, cancel_url=incident.get_absolute_url(), status=status
    )


def _detail_context(request: HttpRequest, incident: Incident, **forms) -> dict:
    links = (
        IncidentClient.objects.filter(incident=incident)
        .select_related("client__nationality")
        .order_by("client__last_name", "client__pk")
    )
    cases = {
        case.client_id: case
        for case in Case.objects.visible_to(request.user)
        .filter(incident=incident)
        .only("pk", "client_id", "reference", "kind", "status")
    }
    q = request.GET.get("q", "").strip()
    found = []
    if q:
        visible = Client.objects.visible_to(request.user).active().exclude(incidents=incident)
        found = search_clients(visible, q).select_related("nationality")[:20]
    rows = [(link, cases.get(link.client_id)) for link in links]
    return {
        "incident": incident,
        "rows": rows,
        "without_case": sum(case is None for _link, case in rows),
        "figures": _figures(request, incident),
        "q": q,
        "found": found,
        "intake": forms.get("intake") or quick_intake_formset(),
        "open_form": forms.get("open_form") or OpenCasesForm(office=incident.office),
        "can_change": request.user.has_perm("casework.change_incident"),
        "can_open": request.user.has_perm("casework.add_case"),
        "can_record_sitting": request.user.has_perm("casework.add_hearing"),
    }


def _figures(request: HttpRequest, incident: Incident) -> list[dict]:
    """Per citizenship: the figures counted from the linked clients and the cases the user
    may see, beside the reported ones (which also count people who are not clients)."""
    counted = IncidentClient.objects.filter(incident=incident).figures_by_nationality(
        Case.objects.visible_to(request.user)
    )
    reported = {f.nationality_id: f for f in incident.figures.select_related("nationality")}
    rows = [
        {
            "name": c["nationality"],
            "counted": c,
            "reported": reported.pop(c["nationality_id"], None),
        }
        for c in counted
    ]
    rows += [
        {"name": f.nationality.name, "counted": None, "reported": f} for f in reported.values()
    ]
    return rows


@require_GET
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk)
    return render(request, "casework/incident_detail.html", _detail_context(request, incident))


@require_POST
def incident_link(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk, write=True)
    form = LinkClientsForm(request.POST, visible_clients=Client.objects.visible_to(request.user))
    if form.is_valid():
        with transaction.atomic():
            for client in form.cleaned_data["clients"]:
                IncidentClient.objects.get_or_create(incident=incident, client=client)
        count = len(form.cleaned_data["clients"])
        messages.success(
            request,
            ngettext("%(count)d client linked.", "%(count)d clients linked.", count)
            % {"count": count},
        )
    else:
        messages.error(request, _("Choose at least one client to link."))
    return redirect(incident)


INTAKE_PROBLEMS = {
    400: gettext_lazy("Some rows have errors; nothing was saved. Everything typed is kept."),
    409: gettext_lazy(
        "Some people may already be on record: for each marked row, say whether it is the "
        "same person or someone else. Nothing was saved yet; everything typed is kept."
    ),
}


@require_POST
def incident_intake(request: HttpRequest, pk: int) -> HttpResponse:
    """Several people at once, each new or recognised among those on record; all or nothing."""
    incident = get_incident_for(request.user, pk, write=True)
    if not request.user.has_perm("clients.add_client"):
        raise PermissionDenied
    formset = quick_intake_formset(request.POST)
    rows = [] if formset.non_form_errors() else formset.filled()
    offer_people_on_record(rows=rows, user=request.user, incident=incident)
    if not formset.is_valid():
        only_choices = all(r.needs_choice_only for r in formset if r.errors)
        status = 409 if only_choices and not formset.non_form_errors() else 400
        messages.error(request, INTAKE_PROBLEMS[status])
        context = _detail_context(request, incident, intake=formset)
        return render(request, "casework/incident_detail.html", context, status=status)
    result = register_incident_clients(
        incident=incident, rows=[IntakeRow.from_form(r) for r in rows], registered_by=request.user
    )
    messages.success(
        request,
        _("New clients registered: %(new)d. Linked as people already on record: %(linked)d.")
        % {"new": len(result.registered), "linked": len(result.linked)},
    )
    if result.already_linked:
        names = ", ".join(client.full_name for client in result.already_linked)
        messages.info(request, _("Already linked to this incident, not linked again: %s") % names)
    return redirect(incident)


@require_POST
def incident_open_cases(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk, write=True)
    if not request.user.has_perm("casework.add_case"):
        raise PermissionDenied
    form = OpenCasesForm(request.POST, office=incident.office)
    if not form.is_valid():
        context = _detail_context(request, incident, open_form=form)
        return render(request, "casework/incident_detail.html", context, status=400)
    opened = open_cases_for_incident(
        incident=incident,
        kind=form.cleaned_data["kind"],
        opened_by=request.user,
        lawyer=form.cleaned_data["responsible_lawyer"],
    )
    messages.success(
        request,
        ngettext("%(count)d case opened.", "%(count)d cases opened.", len(opened))
        % {"count": len(opened)},
    )
    return redirect(incident)
