"""A court sitting that decided many clients of an incident, recorded once for all of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from casework.access import get_incident_for
from casework.forms import CourtSitting
from casework.services import SittingError, record_court_sitting, sitting_candidates


@require_http_methods(["GET", "POST"])
def incident_sitting(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk)
    if not request.user.has_perm("casework.add_hearing"):
        raise PermissionDenied
    candidates, hidden = sitting_candidates(incident=incident, user=request.user)
    can_open = request.user.has_perm("casework.add_case")
    sitting = CourtSitting(
        request.POST or None, candidates=candidates, office=incident.office, can_open=can_open
    )
    if request.method == "POST" and sitting.is_valid():
        data = sitting.form.cleaned_data
        try:
            result = record_court_sitting(
                incident=incident,
                court=data["court"],
                kind=data["kind"],
                entries=sitting.entries(),
                recorded_by=request.user,
                lawyer=data["responsible_lawyer"],
            )
        except SittingError:
            sitting.errors.append(
                _("The list of clients changed meanwhile. Check it and save again.")
            )
        else:
            messages.success(request, _summary(result))
            return redirect(incident)
    context = {"incident": incident, "sitting": sitting, "hidden": hidden, "can_open": can_open}
    status = 400 if request.method == "POST" else 200
    return render(request, "casework/incident_sitting.html", context, status=status)


def _summary(result) -> str:
    parts = []
    if result.created or not result.updated:
        parts.append(
            ngettext("%(n)d hearing recorded", "%(n)d hearings recorded", len(result.created))
            % {"n": len(result.created)}
        )
    if result.updated:
        parts.append(
            ngettext(
                "%(n)d already recorded for this day and court, updated",
                "%(n)d already recorded for this day and court, updated",
                len(result.updated),
            )
            % {"n": len(result.updated)}
        )
    if result.opened:
        parts.append(
            ngettext("%(n)d case opened", "%(n)d cases opened", len(result.opened))
            % {"n": len(result.opened)}
        )
    return capfirst("; ".join(parts)) + "."
