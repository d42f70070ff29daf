"""Issuing letters, one at a time and in batches for an incident."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from casework.models import (
    Case,
    Deadline,
    DeadlineRule,
    Hearing,
    Incident,
    IncidentClient,
    RegistryCounter,
)
from casework.services import start_deadlines
from clients.models import Client
from documents.letters import (
    case_records,
    describe_missing,
    merge_context,
    missing_fields,
    missing_reasons,
    render_document,
)
from documents.models import PRINT_ORDER, Letter, LetterBatch, LetterDispatch, LetterTemplate
from documents.pdf import merge_pdfs, render_pdf
from documents.sandbox import LetterTemplateError, compile_body, render_body

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


# One order for the list on the batch page, the letters issued and the merged PDF.


@dataclass
class BatchRow:
    """One client of an incident and what their letter of a batch still lacks."""

    link: IncidentClient
    case: Case | None
    hearing: Hearing | None
    missing: list[str]  # documents.letters.MISSING_LABELS codes

    @property
    def client(self):
        return self.link.client

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def reasons(self) -> list[str]:
        return describe_missing(self.missing)


def explain_batch(
    *, incident: Incident, template: LetterTemplate, user, client_ids=None
) -> list[BatchRow]:
    """For every client of the incident the user may see, in print order: their open case
    from it (one the user may see), and what the template's letter would lack there. The
    same number of queries for 1 client or 100."""
    clients = Client.objects.visible_to(user)
    links = IncidentClient.objects.filter(incident=incident, client__in=clients)
    if client_ids is not None:
        links = links.filter(client_id__in=client_ids)
    links = list(links.select_related("client").order_by(*PRINT_ORDER))
    cases: dict[int, Case] = {}
    for case in (
        Case.objects.visible_to(user)
        .filter(incident=incident, client_id__in=[link.client_id for link in links])
        .exclude(status=Case.Status.CLOSED)
        .select_related(
            "client__nationality", "office", "responsible_lawyer", "incident__authority"
        )
        .order_by("opened_on", "pk")
    ):
        cases.setdefault(case.client_id, case)
    records = case_records(list(cases.values()))
    cache: dict = {}
    try:
        compile_body(template.body)
        unusable = False
    except LetterTemplateError:
        # Saved before the sandbox refused what it holds: no client's letter can be issued.
        unusable = True
    rows = []
    for link in links:
        case = cases.get(link.client_id)
        if case is None:
            rows.append(BatchRow(link=link, case=None, hearing=None, missing=["no_case"]))
            continue
        if unusable:
            hearing = records[case.pk].hearing
            rows.append(BatchRow(link=link, case=case, hearing=hearing, missing=["template"]))
            continue
        context = merge_context(
            case, kind=template.kind, paragraphs={}, records=records[case.pk], cache=cache
        )
        missing = missing_reasons(missing_fields(template.body, context), context)
        rows.append(
            BatchRow(link=link, case=case, hearing=records[case.pk].hearing, missing=missing)
        )
    return rows


def describe_skipped(skipped: list[dict]) -> list[dict]:
    """A finished batch's skipped clients, each with its reasons in the reader's language."""
    return [
        {
            "client": row["client"],
            "client_id": row.get("client_id"),
            "reasons": describe_missing(row.get("missing", []))
            + ([row["reason"]] if row.get("reason") else []),
        }
        for row in skipped
    ]


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
    rows = explain_batch(incident=batch.incident, template=batch.template, user=batch.created_by)
    LetterBatch.objects.filter(pk=batch.pk).update(total=len(rows))
    skipped, letters = [], []
    for row in rows:
        letter = reason = None
        if row.case is not None:
            letter = Letter.objects.filter(case=row.case, batch_key=batch.batch_key).first()
        if letter is None and row.ready:
            try:
                letter = issue_letter(
                    case=row.case,
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
            # Codes, not words: the page says them in the reader's language.
            skipped.append(
                {"client": row.client.full_name, "client_id": row.client.pk, "missing": row.missing}
                | ({"reason": reason} if reason else {})
            )
        # Progress per letter: the batch page polls this.
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
