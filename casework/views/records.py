"""Fines, hearings, deadlines and log entries, added and edited in place on the case page
(htmx) or on their own form page (without JavaScript)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from casework.access import (
    get_case_for,
    get_deadline_for,
    get_fine_for,
    get_hearing_for,
    get_note_for,
)
from casework.forms import CaseNoteForm, DeadlineForm, FineForm, HearingForm
from casework.models import Case, CaseNote, Deadline, Fine, Hearing
from casework.reminders import plan_deadline_reminders
from casework.services import sync_fine_deadlines, sync_hearing_deadlines
from casework.views.cases import case_context
from clients.editing import form_response, save_or_conflict


def _section_response(request: HttpRequest, case: Case, section: str) -> HttpResponse:
    """After a save: the refreshed section for htmx, else back to the case page. A fine or
    hearing can move deadlines, so their section comes along, swapped out of band."""
    if request.htmx:
        context = case_context(case, request.user)
        html = render_to_string(f"casework/case_detail.html#{section}", context, request)
        if section != "deadlines":
            html += render_to_string(
                "casework/case_detail.html#deadlines", context | {"oob": True}, request
            )
        return retarget(reswap(HttpResponse(html), "outerHTML"), f"#{section}")
    return redirect(f"{case.get_absolute_url()}#{section}")


def _record_form(
    request: HttpRequest, *, case: Case, form, title: str, section: str, then=None
) -> HttpResponse:
    """Show or save a record's form; `then` runs on the saved record (its deadlines)."""
    cancel_url = f"{case.get_absolute_url()}#{section}"
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(request, form, title=title, cancel_url=cancel_url)
        if conflict:
            return conflict
        if then is not None:
            then(form.instance)
        return _section_response(request, case, section)
    status = 400 if request.method == "POST" else 200
    return form_response(request, form=form, title=title, cancel_url=cancel_url, status=status)


def _case_for_new(request: HttpRequest, case_pk: int, model) -> Case:
    case = get_case_for(request.user, case_pk)
    if not request.user.has_perm(f"casework.add_{model._meta.model_name}"):
        raise PermissionDenied
    return case


@require_http_methods(["GET", "POST"])
def fine_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case_for_new(request, case_pk, Fine)
    form = FineForm(request.POST or None, instance=Fine(case=case))
    return _record_form(
        request,
        case=case,
        form=form,
        title=_("New fine"),
        section="fines",
        then=sync_fine_deadlines,
    )


@require_http_methods(["GET", "POST"])
def fine_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fine = get_fine_for(request.user, pk, write=True)
    form = FineForm(request.POST or None, instance=fine)
    return _record_form(
        request,
        case=fine.case,
        form=form,
        title=_("Edit fine"),
        section="fines",
        then=sync_fine_deadlines,
    )


@require_http_methods(["GET", "POST"])
def hearing_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case_for_new(request, case_pk, Hearing)
    form = HearingForm(request.POST or None, instance=Hearing(case=case))
    return _record_form(
        request,
        case=case,
        form=form,
        title=_("New hearing"),
        section="hearings",
        then=sync_hearing_deadlines,
    )


@require_http_methods(["GET", "POST"])
def hearing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_hearing_for(request.user, pk, write=True)
    form = HearingForm(request.POST or None, instance=hearing)
    return _record_form(
        request,
        case=hearing.case,
        form=form,
        title=_("Edit hearing"),
        section="hearings",
        then=sync_hearing_deadlines,
    )


@require_http_methods(["GET", "POST"])
def deadline_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case_for_new(request, case_pk, Deadline)
    form = DeadlineForm(request.POST or None, instance=Deadline(case=case))
    return _record_form(
        request,
        case=case,
        form=form,
        title=_("New deadline"),
        section="deadlines",
        then=plan_deadline_reminders,
    )


@require_http_methods(["GET", "POST"])
def deadline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_deadline_for(request.user, pk, write=True)
    form = DeadlineForm(request.POST or None, instance=deadline)
    return _record_form(
        request,
        case=deadline.case,
        form=form,
        title=_("Edit deadline"),
        section="deadlines",
        then=plan_deadline_reminders,
    )


@require_POST
def deadline_done(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_deadline_for(request.user, pk, write=True)
    # Closed or cancelled by a colleague meanwhile: the section shows what happened.
    if deadline.is_open and deadline.mark_done(by=request.user):
        plan_deadline_reminders(deadline)
    return _section_response(request, deadline.case, "deadlines")


@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case_for_new(request, case_pk, CaseNote)
    note = CaseNote(case=case, author=request.user, happened_at=timezone.now())
    form = CaseNoteForm(request.POST or None, instance=note)
    return _record_form(request, case=case, form=form, title=_("New log entry"), section="notes")


@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_note_for(request.user, pk, write=True)
    form = CaseNoteForm(request.POST or None, instance=note)
    return _record_form(
        request, case=note.case, form=form, title=_("Edit log entry"), section="notes"
    )
