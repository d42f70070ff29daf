"""Letters from the case page: choose a template, preview, issue, download; and batches
for every client of an incident."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.access import get_case_for, get_hearing_for, get_incident_for
from casework.models import Case, Deadline, Hearing
from casework.services import sync_hearing_deadlines
from clients.access import refuse_if_erased
from clients.editing import save_or_conflict
from clients.models import Client
from documents.access import get_batch_for, get_letter_for, get_merged_pdf_for
from documents.forms import BatchForm, BatchHearingForm, LetterDispatchForm, LetterForm
from documents.letters import describe_missing, merge_context, missing_fields, missing_reasons
from documents.models import Letter, LetterBatch, LetterDispatch
from documents.sandbox import LetterTemplateError, render_body
from documents.services import (
    describe_skipped,
    explain_batch,
    issue_letter,
    letter_source_key,
    record_dispatch,
)
from documents.tasks import enqueue_batch

log = logging.getLogger(__name__)


def letters_context(case: Case, user, *, bound: LetterDispatchForm | None = None) -> dict:
    """The case's letters, each with how it was last sent, the deadlines its sending
    started and, for who may record sending, its form; three queries whatever the count."""
    dispatches = LetterDispatch.objects.select_related("recorded_by").order_by(
        "-recorded_at", "-pk"
    )
    letters = list(
        Letter.objects.visible_to(user)
        .filter(case=case)
        .select_related("issued_by", "superseded_by", "template")
        .prefetch_related(Prefetch("dispatches", queryset=dispatches))
        .order_by("-issued_at", "-pk")
    )
    started: dict[str, list] = {}
    keys = [letter_source_key(letter.pk) for letter in letters]
    for deadline in Deadline.objects.started_by(keys):
        started.setdefault(deadline.source_key, []).append(deadline)
    can_record = user.has_perm("documents.add_letterdispatch")
    for letter in letters:
        letter.dispatch = next(iter(letter.dispatches.all()), None)
        letter.started_deadlines = started.get(letter_source_key(letter.pk), [])
        if bound is not None and bound.letter.pk == letter.pk:
            letter.dispatch_form = bound
        elif can_record:
            sent = letter.dispatch
            initial = {"method": LetterDispatch.Method.HAND}
            if sent is not None:
                initial = {f: getattr(sent, f) for f in ("sent_on", "method", "incoming_number")}
            letter.dispatch_form = LetterDispatchForm(letter=letter, initial=initial)
    return {"case": case, "letters": letters}


def _letters_response(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = "documents/letter_list.html"
    name = f"{template}#letters" if request.htmx else template
    return render(request, name, context, status=status)


@require_GET
def letter_list(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk)
    return _letters_response(request, letters_context(case, request.user))


@require_POST
def letter_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    """Record when and how a letter went out, or correct it; the wait for an answer starts."""
    letter = get_letter_for(request.user, pk)
    if not request.user.has_perm("documents.add_letterdispatch"):
        raise PermissionDenied
    form = LetterDispatchForm(request.POST, letter=letter)
    if not form.is_valid():
        context = letters_context(letter.case, request.user, bound=form)
        return _letters_response(request, context, status=400)
    record_dispatch(letter=letter, recorded_by=request.user, **form.cleaned_data)
    if request.htmx:
        return _letters_response(request, letters_context(letter.case, request.user))
    messages.success(
        request, _("Sending of letter %(number)s recorded.") % {"number": letter.number}
    )
    return redirect("documents:letter_list", case_pk=letter.case_id)


def _check_can_issue(request: HttpRequest, case: Case | None = None) -> None:
    if not request.user.has_perm("documents.add_letter"):
        raise PermissionDenied
    if case is not None:
        refuse_if_erased(case.client)


def _letter_form_response(request, *, case, form, supersedes=None) -> HttpResponse:
    """Preview (GET with a template chosen, or POST without 'issue'), or issue the letter."""
    preview = missing = None
    status = 200
    if form.is_bound and form.is_valid():
        template = form.cleaned_data["template"]
        paragraphs = form.paragraphs()
        try:
            context = merge_context(
                case,
                kind=template.kind,
                paragraphs=paragraphs,
                addressee_title=form.cleaned_data["addressee_title"],
                preview=True,
            )
            preview = render_body(template.body, context)
            missing = describe_missing(
                missing_reasons(missing_fields(template.body, context), context)
            )
        except LetterTemplateError as exc:
            form.add_error("template", str(exc))
            status = 400
        else:
            wants_issue = request.method == "POST" and "issue" in request.POST
            if wants_issue and missing and not form.cleaned_data["issue_with_missing"]:
                form.add_error(
                    "issue_with_missing",
                    _(
                        "Some merge fields are empty. Fill them in the case, or confirm that "
                        "the letter may go out without them."
                    ),
                )
                status = 400
            elif wants_issue:
                letter = issue_letter(
                    case=case,
                    template=template,
                    issued_by=request.user,
                    paragraphs=paragraphs,
                    addressee_title=form.cleaned_data["addressee_title"],
                    supersedes=supersedes,
                )
                messages.success(
                    request, _("Letter %(number)s issued.") % {"number": letter.number}
                )
                return redirect(f"{case.get_absolute_url()}#letters")
    elif form.is_bound:
        status = 400
    context = {
        "case": case,
        "form": form,
        "preview": preview,
        "missing": missing,
        "supersedes": supersedes,
    }
    return render(request, "documents/letter_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def letter_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk)
    _check_can_issue(request, case)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = LetterForm(data, case=case)
    return _letter_form_response(request, case=case, form=form)


@require_http_methods(["GET", "POST"])
def letter_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction is a new letter that points to the one it corrects; that one stays."""
    letter = get_letter_for(request.user, pk)
    _check_can_issue(request, letter.case)
    if Letter.objects.filter(supersedes=letter).exists():
        messages.info(request, _("This letter was already corrected; correct the newest version."))
        return redirect(f"{letter.case.get_absolute_url()}#letters")
    initial = {"template": letter.template_id, **letter.paragraphs}
    data = request.POST if request.method == "POST" else None
    form = LetterForm(data, case=letter.case, initial=initial)
    return _letter_form_response(request, case=letter.case, form=form, supersedes=letter)


@require_GET
def letter_pdf(request: HttpRequest, pk: int) -> FileResponse:
    letter = get_letter_for(request.user, pk)
    if not letter.pdf:  # removed with its client's personal data
        raise Http404
    return FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("download") == "1",
        filename=f"{letter.number}.pdf",
    )


def _batch_rows(request: HttpRequest, incident, template, client_ids=None) -> list:
    """The batch page's rows, each incomplete one with its form to fill what the letter
    lacks from the hearing, when the user may record it."""
    rows = explain_batch(
        incident=incident, template=template, user=request.user, client_ids=client_ids
    )
    may_change = request.user.has_perm("casework.change_hearing")
    may_add = request.user.has_perm("casework.add_hearing")
    for row in rows:
        row.fix_form = None
        if row.case is None or row.ready or not (may_change if row.hearing else may_add):
            continue
        if "template" in row.missing:  # nothing on the hearing can make the letter work
            continue
        form = BatchHearingForm(
            instance=row.hearing or Hearing(case=row.case),
            missing=row.missing,
            prefix=f"fix-{row.case.pk}",
        )
        row.fix_form = form if form.has_fixes else None
    return rows


def _batch_context(request: HttpRequest, incident, template, rows: list) -> dict:
    ready = sum(row.ready for row in rows)
    return {
        "incident": incident,
        "choose_url": reverse("documents:batch_create", args=[incident.pk]),
        "template": template,
        "rows": rows,
        "ready_count": ready,
        "all_ready": bool(rows) and ready == len(rows),
    }


@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest, incident_pk: int) -> HttpResponse:
    """Choose a template and see, per client, what their letter still lacks; then issue it
    for the clients whose letter is complete, the others listed as skipped with the reason."""
    incident = get_incident_for(request.user, incident_pk)
    _check_can_issue(request)
    form = BatchForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        batch = LetterBatch.objects.create(
            incident=incident, template=form.cleaned_data["template"], created_by=request.user
        )
        # With Redis down the batch stays queued and the periodic resume hands it over.
        transaction.on_commit(lambda: enqueue_batch(batch.pk))
        return redirect("documents:batch_detail", batch_id=batch.pk)
    context = {
        "incident": incident,
        "form": form,
        "rows": None,
        "choose_url": reverse("documents:batch_create", args=[incident.pk]),
    }
    if form.is_valid():
        template = form.cleaned_data["template"]
        rows = _batch_rows(request, incident, template)
        context |= _batch_context(request, incident, template, rows)
    context["batches"] = LetterBatch.objects.filter(incident=incident).select_related("template")[
        :10
    ]
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/batch_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def batch_fix(request: HttpRequest, incident_pk: int, case_pk: int) -> HttpResponse:
    """Fill, from the batch page, what one client's letter lacks from their hearing: inline
    with htmx (the row is swapped, other rows keep what was typed in them), or on a page of
    its own without JavaScript."""
    incident = get_incident_for(request.user, incident_pk)
    _check_can_issue(request)
    choice = BatchForm(request.GET)
    case = get_case_for(request.user, case_pk)
    if not choice.is_valid() or case.incident_id != incident.pk:
        raise Http404
    template = choice.cleaned_data["template"]
    back = f"{reverse('documents:batch_create', args=[incident.pk])}?template={template.pk}"
    rows = explain_batch(
        incident=incident, template=template, user=request.user, client_ids=[case.client_id]
    )
    row = next((r for r in rows if r.case is not None and r.case.pk == case.pk), None)
    if row is None:
        raise Http404
    if row.hearing is not None:
        hearing = get_hearing_for(request.user, row.hearing.pk, write=True)
    elif request.user.has_perm("casework.add_hearing"):
        hearing = Hearing(case=case)
    else:
        raise PermissionDenied
    form = BatchHearingForm(
        request.POST or None, instance=hearing, missing=row.missing, prefix=f"fix-{case.pk}"
    )
    if not form.has_fixes:
        return redirect(f"{back}#client-{case.client_id}")
    if request.method == "POST" and form.is_valid():
        title = _("Hearing of %(client)s") % {"client": case.client.full_name}
        conflict = save_or_conflict(request, form, title=title, cancel_url=back)
        if conflict:
            return conflict
        sync_hearing_deadlines(form.instance)
        if not request.htmx:
            messages.success(request, _("Saved: %(client)s.") % {"client": case.client.full_name})
            return redirect(f"{back}#client-{case.client_id}")
        return _fixed_row_response(request, incident, template, case.client_id)
    status = 400 if request.method == "POST" else 200
    row.fix_form = form
    context = {"incident": incident, "template": template, "row": row, "back": back}
    name = "documents/batch_form.html#row" if request.htmx else "documents/batch_fix.html"
    return render(request, name, context, status=status)


def _fixed_row_response(request: HttpRequest, incident, template, client_id: int) -> HttpResponse:
    """The fixed row, and the count of complete letters with its button swapped out of band."""
    rows = _batch_rows(request, incident, template)
    context = _batch_context(request, incident, template, rows)
    row = next(r for r in rows if r.client.pk == client_id)
    html = render_to_string("documents/batch_form.html#row", context | {"row": row}, request)
    html += render_to_string("documents/batch_form.html#go", context | {"oob": True}, request)
    return HttpResponse(html)


@require_GET
def batch_detail(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = get_batch_for(request.user, batch_id)
    done = batch.status == LetterBatch.Status.DONE
    letters = list(batch.letters_for(request.user).select_related("case__client")) if done else []
    shown = set()
    if batch.skipped:
        skipped_ids = [row.get("client_id") for row in batch.skipped]
        visible = Client.objects.visible_to(request.user).filter(pk__in=skipped_ids)
        shown = set(visible.values_list("pk", flat=True))
    skipped = [row for row in batch.skipped if row.get("client_id") in shown]
    context = {
        "batch": batch,
        "letters": letters,
        # The merged PDF holds every letter: offered only to who may see them all.
        "merged_pdf": done and bool(batch.merged_pdf) and batch.shows_every_letter_to(request.user),
        "skipped": describe_skipped(skipped) if done else [],
        "running": batch.status in (LetterBatch.Status.QUEUED, LetterBatch.Status.RUNNING),
        "waiting": batch.status == LetterBatch.Status.QUEUED and batch.enqueued_at is None,
        "poll_url": reverse("documents:batch_detail", args=[batch.pk]),
    }
    template = "documents/batch_detail.html"
    return render(request, f"{template}#progress" if request.htmx else template, context)


@require_GET
def batch_pdf(request: HttpRequest, batch_id: str) -> FileResponse:
    batch = get_merged_pdf_for(request.user, batch_id)
    return FileResponse(
        batch.merged_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"batch-{batch.pk}.pdf",
        as_attachment=request.GET.get("download") == "1",
    )
