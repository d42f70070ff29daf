"""Issuing letters, one at a time and in batches for an incident."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Case, Deadline, DeadlineRule, IncidentClient, RegistryCounter
from casework.services import start_deadlines
from documents.letters import (
    LetterTemplateError,
    merge_context,
    missing_fields,
    render_body,
    render_document,
)
from documents.models import Letter, LetterBatch, LetterDispatch, LetterTemplate
from documents.pdf import merge_pdfs, render_pdf

log = logging.getLogger(__name__)


def issue_letter(
    *,
    case: Case,
    template: LetterTemplate,
    issued_by,
    paragraphs: dict,
    addressee_title: str = "",
    supersedes: Letter | None = None,
    batch_key: str = "",
) -> Letter:
    """Number, render and store a letter exactly as issued: HTML, PDF and its checksum."""
    with transaction.atomic():
        number = RegistryCounter.next_number(office=case.office, series="L")
        context = merge_context(
            case,
            kind=template.kind,
            paragraphs=paragraphs,
            number=number,
            addressee_title=addressee_title,
        )
        body = render_body(template.body, context)
        printable = render_document(
            body_html=body,
            case=case,
            number=number,
            language=template.language,
            title=template.title,
        )
        pdf = render_pdf(printable.html, images=printable.images)
        letter = Letter(
            case=case,
            template=template,
            number=number,
            html=printable.html,
            issued_by=issued_by,
            checksum=hashlib.sha256(pdf).hexdigest(),
            supersedes=supersedes,
            batch_key=batch_key,
            language=template.language,
            title=template.title,
            paragraphs=paragraphs | {"addressee_title": addressee_title},
        )
        letter.pdf.save(f"{number}.pdf", ContentFile(pdf), save=False)
        letter.save()
    return letter


# Which clock a sent letter starts, by its kind: the one place this is decided. Appeals and
# fine complaints are answered by a court or official decision, whose own deadlines start
# when that decision is received; a power of attorney expects no answer.
LETTER_TRIGGERS = {
    LetterTemplate.Kind.PROSECUTOR_COMPLAINT: DeadlineRule.Trigger.COMPLAINT_SENT,
    LetterTemplate.Kind.PERMIT_EXTENSION: DeadlineRule.Trigger.APPLICATION_SENT,
    LetterTemplate.Kind.PASSPORT_RETURN: DeadlineRule.Trigger.APPLICATION_SENT,
    LetterTemplate.Kind.FINE_PAID_CONFIRMATION: DeadlineRule.Trigger.APPLICATION_SENT,
    LetterTemplate.Kind.INFORMATION_REQUEST: DeadlineRule.Trigger.APPLICATION_SENT,
}


def letter_source_key(letter_id: int) -> str:
    """How a deadline names the letter whose sending started it."""
    return f"letter:{letter_id}"


def record_dispatch(
    *, letter: Letter, sent_on, method: str, incoming_number: str, recorded_by
) -> tuple[LetterDispatch, list[Deadline]]:
    """Record that the letter went out (or correct when): the wait for the authority's answer
    starts on that day, and a corrected day moves the same deadline."""
    with transaction.atomic():
        dispatch = LetterDispatch.objects.create(
            letter=letter,
            sent_on=sent_on,
            method=method,
            incoming_number=incoming_number,
            recorded_by=recorded_by,
        )
        trigger = LETTER_TRIGGERS.get(letter.template.kind)
        deadlines = []
        if trigger is not None:
            deadlines = start_deadlines(
                case=letter.case,
                trigger=trigger,
                event_on=sent_on,
                source_key=letter_source_key(letter.pk),
            )
    return dispatch, deadlines


def read_pdf(letter: Letter) -> bytes:
    with letter.pdf.open("rb") as stored:
        return stored.read()


def batch_candidates(batch: LetterBatch) -> list[tuple[IncidentClient, Case | None]]:
    """Every client linked to the incident, with their case from it that the starter sees."""
    cases = {
        case.client_id: case
        for case in Case.objects.visible_to(batch.created_by)
        .filter(incident=batch.incident)
        .exclude(status=Case.Status.CLOSED)
        .select_related("client", "office", "responsible_lawyer", "incident")
        .order_by("opened_on", "pk")
    }
    links = (
        IncidentClient.objects.filter(incident=batch.incident)
        .select_related("client")
        .order_by("client__last_name", "client__pk")
    )
    return [(link, cases.get(link.client_id)) for link in links]


def claim_batch(batch_id) -> bool:
    """Mark a queued batch running, in one conditional update, so a batch handed to the
    queue twice runs once. A batch running for longer than the task time limit lost its
    worker and may be claimed again."""
    now = timezone.now()
    return bool(
        LetterBatch.objects.claimable(now)
        .filter(pk=batch_id)
        .update(
            status=LetterBatch.Status.RUNNING, started_at=now, processed=0, skipped=[], error=""
        )
    )


def run_batch(batch_id) -> LetterBatch:
    """Issue the batch's letter for every client of the incident, then merge them for the
    printer. Safe to run again: a batch already running or done is left alone, a client whose
    letter of this batch key exists is not issued twice, and a client who cannot get one is
    listed as skipped with the reason."""
    if not claim_batch(batch_id):
        log.info("letter batch %s is already running or finished: not run again", batch_id)
        return LetterBatch.objects.get(pk=batch_id)
    batch = LetterBatch.objects.select_related("incident", "template", "created_by").get(
        pk=batch_id
    )
    candidates = batch_candidates(batch)
    LetterBatch.objects.filter(pk=batch.pk).update(total=len(candidates))
    skipped, letters = [], []
    for link, case in candidates:
        reason = None
        letter = None
        if case is None:
            reason = _("No open case from this incident: open the cases first.")
        else:
            letter = Letter.objects.filter(case=case, batch_key=batch.batch_key).first()
            if letter is None:
                context = merge_context(case, kind=batch.template.kind, paragraphs={})
                missing = missing_fields(batch.template.body, context)
                if missing:
                    reason = _("Missing: %(fields)s") % {"fields": ", ".join(missing)}
                else:
                    try:
                        letter = issue_letter(
                            case=case,
                            template=batch.template,
                            issued_by=batch.created_by,
                            paragraphs={},
                            batch_key=batch.batch_key,
                        )
                    except LetterTemplateError as exc:
                        reason = str(exc)
        if letter is not None:
            letters.append(letter)
        else:
            skipped.append(
                {"client": link.client.full_name, "client_id": link.client_id, "reason": reason}
            )
        LetterBatch.objects.filter(pk=batch.pk).update(processed=F("processed") + 1)
    batch.refresh_from_db()
    batch.issued.set(letters)
    batch.skipped = skipped
    if letters:
        merged = merge_pdfs([read_pdf(letter) for letter in letters])
        batch.merged_pdf.save(f"batch-{batch.pk}.pdf", ContentFile(merged), save=False)
    batch.status = LetterBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["skipped", "merged_pdf", "status", "finished_at"])
    log.info(
        "letter batch %s: %d issued or reused, %d skipped", batch.pk, len(letters), len(skipped)
    )
    return batch
