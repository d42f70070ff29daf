"""A client's cases and the timeline of everything that happened to them. The client page
(in `clients`, which cannot import casework) loads this fragment; without JavaScript it is
its own page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework.models import Case, CaseNote, Fine, Hearing
from clients.access import get_client_for, may_add_to
from clients.models import IdentityDocument, ResidencePermit


@dataclass
class Event:
    on: date
    label: str
    text: str
    url: str = ""


def as_date(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def timeline(client, cases) -> list[Event]:
    """Every dated fact about the client, newest first; one query per kind of record."""
    events = [Event(as_date(client.created_at), _("Registered"), client.office.name)]
    for doc in IdentityDocument.objects.filter(client=client).select_related("held_by"):
        if doc.held_since:
            events.append(Event(doc.held_since, _("Document taken"), f"{doc} · {doc.held_by}"))
    for permit in ResidencePermit.objects.filter(client=client).select_related("kind"):
        events.append(Event(permit.valid_from, _("Permit from"), str(permit)))
        if permit.renewal_applied_on:
            events.append(Event(permit.renewal_applied_on, _("Renewal applied for"), str(permit)))
        if permit.valid_until:
            events.append(Event(permit.valid_until, _("Permit until"), str(permit)))
    by_case = {case.pk: case for case in cases}
    for case in cases:
        url = case.get_absolute_url()
        events.append(Event(case.opened_on, _("Case opened"), str(case), url))
        if case.closed_on:
            events.append(
                Event(
                    case.closed_on, _("Case closed"), f"{case} · {case.get_outcome_display()}", url
                )
            )
    for fine in Fine.objects.filter(case__in=cases).select_related("article"):
        url = by_case[fine.case_id].get_absolute_url()
        events.append(
            Event(fine.issued_on, _("Fine"), f"{fine} · {fine.get_status_display()}", url)
        )
        if fine.paid_on:
            events.append(Event(fine.paid_on, _("Fine paid"), str(fine), url))
    for hearing in Hearing.objects.filter(case__in=cases).select_related("court"):
        url = by_case[hearing.case_id].get_absolute_url()
        events.append(
            Event(
                as_date(hearing.starts_at),
                _("Hearing"),
                f"{hearing} · {hearing.get_outcome_display()}",
                url,
            )
        )
        if hearing.decision_received_on:
            events.append(
                Event(hearing.decision_received_on, _("Decision received"), str(hearing), url)
            )
    for note in CaseNote.objects.filter(case__in=cases).only(
        "case_id", "happened_at", "kind", "text"
    ):
        url = by_case[note.case_id].get_absolute_url()
        events.append(
            Event(as_date(note.happened_at), note.get_kind_display(), note.text[:140], url)
        )
    return sorted(events, key=lambda e: e.on, reverse=True)


@require_GET
def client_activity(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for(request.user, client_pk)
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(client=client)
        .select_related("responsible_lawyer")
        .order_by("-opened_on")
    )
    context = {
        "client": client,
        "cases": cases,
        "events": timeline(client, cases)[:200],
        "can_open_case": may_add_to(request.user, client, Case),
    }
    template = "casework/client_activity.html"
    return render(request, f"{template}#activity" if request.htmx else template, context)
