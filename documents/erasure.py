"""Erasing a person on request, or when the retention period has passed.

In one transaction every personal field of the client and of the records about them is
emptied or replaced by a placeholder, in the live rows and in every row of their edit
history; searches that found them lose their terms in the access record; the batch PDFs
that printed their letters are merged again without them; and the erasure is recorded
(who, when, on what ground, how many records: never what was erased). Their files leave
the storage once the transaction has committed.

No row is deleted: cases, fines, hearings, deadlines, case log entries, letters and files
stay as anonymous rows, so the dashboard's figures do not change. What they keep is what
the figures count: the client's sex, citizenship, office and vulnerability flags; a case's
kind, office, staff, dates, status, outcome and incident; a fine's amount, article, dates
and status; a hearing's court, judge, kind, date and outcome; a deadline's rule and dates;
how long each case log entry took; a letter's registry number, template and dates; a
file's kind and size; whether the person was detained or expelled in an incident.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    AccessRecord,
    Case,
    CaseNote,
    Deadline,
    DeadlineRule,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
    Reminder,
)
from clients.models import Client, Erasure, IdentityDocument, Registration, ResidencePermit
from clients.search import normalise, search_key
from documents.models import PRINT_ORDER, Attachment, Letter, LetterBatch, LetterDispatch
from documents.pdf import merge_pdfs
from documents.services import read_pdf

log = logging.getLogger(__name__)

# Stored data, not interface text: the same whoever erases and in whatever language.
PLACEHOLDER = "Удалённый клиент #{pk}"
REMOVED = "[удалено]"
HAND_SET_DEADLINE = "Срок (текст удалён вместе с данными клиента)"

# What each kind of record loses; every other field stays.
CLIENT_FIELDS = {
    "first_name": "",
    "patronymic": "",
    "last_name_latin": "",
    "first_name_latin": "",
    "other_spellings": "",
    "date_of_birth": None,
    "languages": "",
    "phone": "",
    "email": "",
    "address": "",
    "community": "",
    "vulnerability_notes": "",
    "consent_given_on": None,
}
ERASED = {
    IdentityDocument: {"number": "", "issued_on": None, "expires_on": None, "notes": ""},
    ResidencePermit: {"number": "", "notes": ""},
    Registration: {"address": "", "city": "", "host_name": "", "notes": ""},
    Case: {"summary": ""},
    Fine: {"officer": "", "protocol_number": "", "receipt_number": "", "notes": ""},
    Hearing: {"notes": ""},
    Deadline: {"notes": ""},
    CaseNote: {"text": REMOVED},
    IncidentClient: {"notes": ""},
    Attachment: {"title": "", "original_name": REMOVED, "file": "", "sha256": ""},
    LetterDispatch: {"incoming_number": ""},
}
# An incident's text, written about many people: only the person's names are cut out of it.
INCIDENT_TEXT = ("title", "place", "description")
# Rows that leave every list: the person's own records and their files.
ARCHIVED = (IdentityDocument, ResidencePermit, Registration, Attachment)


class ErasureRefused(Exception):
    """The client cannot be erased now; the message says why, in the reader's language."""


@dataclass
class Traces:
    """How the person shows in free text: every name, number, phone and e-mail they were
    ever recorded with (earlier versions included)."""

    key: str = ""  # folded tokens of every spelling, as the search key holds them
    numbers: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)  # the last ten digits
    strings: list[str] = field(default_factory=list)  # longest first
    names: list[str] = field(default_factory=list)  # the name parts among the strings

    def _is_name(self, word: str, *, part: bool) -> bool:
        """A folded word is one of the person's names, declined too (Жумагуловой: every
        name of four letters or more matches by its stem); with `part`, also a piece of one,
        as a search may type."""
        tokens = self.key.split()
        if word in tokens or (part and word in self.key):
            return True
        return any(word.startswith(token[:-1]) for token in tokens if len(token) >= 4)

    def found_by(self, query: str) -> bool:
        """Whether a search for `query` listed the person: every folded word of it occurs in
        their key (the rule of `clients.models.name_matches`), or it is one of their
        document numbers or phones."""
        query = query.strip()
        if query.casefold() in self.numbers:
            return True
        # The last ten digits: +7 701 ... and 8 701 ... are the same Kazakh number.
        digits = re.sub(r"\D", "", query)[-10:]
        if len(digits) >= 5 and any(digits in phone for phone in self.phones):
            return True
        words = normalise(query).split()
        return bool(words) and all(self._is_name(word, part=True) for word in words)

    def named_in(self, text: str) -> bool:
        """Whether the text names the person: a name in any spelling, a number or phone."""
        if any(self._is_name(word, part=False) for word in normalise(text).split()):
            return True
        numbers = [s for s in self.strings if any(c.isdigit() for c in s)]
        return any(number.casefold() in text.casefold() for number in numbers)

    def redact(self, text: str) -> str:
        """The text with every name (declined forms too), number and phone cut out."""
        for string in self.strings:
            pattern = re.escape(string)
            if string in self.names and len(string) >= 5:
                pattern = re.escape(string[:-1]) + r"\w*"  # Жумагулов-а, -ой, -у
            text = re.sub(rf"(?<!\w){pattern}", REMOVED, text, flags=re.IGNORECASE)
        return text


def traces_of(client: Client) -> Traces:
    names = ("last_name", "first_name", "patronymic", "last_name_latin", "first_name_latin")
    fields = (*names, "other_spellings", "phone", "email")
    # The live row too: a row written by a bulk update has no history version.
    versions = [*client.history.values(*fields), {f: getattr(client, f) for f in fields}]
    parts, contacts = [], []
    for version in versions:
        parts += [version[n] for n in names] + version["other_spellings"].split(",")
        contacts += [version["phone"], version["email"]]
    numbers = set()
    for model in (IdentityDocument, ResidencePermit):
        numbers |= set(model.objects.filter(client=client).values_list("number", flat=True))
        numbers |= set(model.history.filter(client_id=client.pk).values_list("number", flat=True))
    phones = {re.sub(r"\D", "", version["phone"])[-10:] for version in versions}
    strings = {s.strip() for s in [*parts, *numbers, *contacts] if len(s.strip()) >= 3}
    return Traces(
        key=search_key(*parts),
        numbers={n.casefold() for n in numbers if n},
        phones={p for p in phones if len(p) >= 5},
        strings=sorted(strings, key=len, reverse=True),
        names=[part.strip() for part in parts if part.strip()],
    )


def _anonymise(model, pks: list[int], values: dict, now) -> int:
    """Write `values` over the live rows and every history row of them; the history rows
    anonymised. Live records get a new version, so an edit form opened before the erasure
    cannot write the old data back."""
    if not pks:
        return 0
    live = dict(values)
    if "version" in {f.name for f in model._meta.concrete_fields}:
        live |= {"version": F("version") + 1, "updated_at": now}
    if model in ARCHIVED or model is Client:
        live["archived_at"] = Coalesce("archived_at", Value(now))
    model.objects.filter(pk__in=pks).update(**live)
    return model.history.filter(id__in=pks).update(**values)


def _files_of(model, pks: list[int], name: str) -> set[str]:
    """Every stored file the records and their history rows name."""
    live = model.objects.filter(pk__in=pks).values_list(name, flat=True)
    names = set(live)
    if hasattr(model, "history"):
        names |= set(model.history.filter(id__in=pks).values_list(name, flat=True))
    return {n for n in names if n}


def _redact_incidents(incident_ids: list[int], traces: Traces) -> None:
    """An incident is many people's: only the person's names and numbers leave its text."""
    for rows in (
        Incident.objects.filter(pk__in=incident_ids),
        Incident.history.filter(id__in=incident_ids),
    ):
        for row in rows.values("pk", *INCIDENT_TEXT):
            new = {name: traces.redact(row[name]) for name in INCIDENT_TEXT}
            if any(new[name] != row[name] for name in INCIDENT_TEXT):
                rows.model.objects.filter(pk=row["pk"]).update(**new)


def _scrub_searches(traces: Traces) -> int:
    """The access record keeps who searched and when; the terms that found the person go."""
    searches = AccessRecord.objects.filter(kind=AccessRecord.Kind.SEARCH).exclude(detail="")
    found = [
        pk
        for pk, detail in searches.values_list("pk", "detail").iterator(chunk_size=2000)
        if traces.found_by(detail)
    ]
    return AccessRecord.objects.filter(pk__in=found).update(detail=REMOVED)


def _remerge_batches(client: Client, letter_ids: list[int], traces: Traces) -> set[str]:
    """Batches that printed the person's letter are merged again from the other letters;
    their list of skipped clients names the placeholder. The replaced PDFs' names."""
    replaced = set()
    batches = LetterBatch.objects.filter(
        Q(issued__in=letter_ids) | Q(incident__links__client=client)
    ).distinct()
    for batch in batches:
        fields = ["skipped"]
        batch.skipped = [
            row | {"client": client.full_name} if _names(row, client, traces) else row
            for row in batch.skipped
        ]
        if batch.merged_pdf and batch.issued.filter(pk__in=letter_ids).exists():
            replaced.add(batch.merged_pdf.name)
            others = (
                batch.issued.exclude(pk__in=letter_ids)
                .exclude(pdf="")
                .order_by(*(f"case__{f}" for f in PRINT_ORDER))
            )
            pdfs = [read_pdf(letter) for letter in others]
            batch.merged_pdf = ""
            if pdfs:
                batch.merged_pdf.save(f"batch-{batch.pk}.pdf", ContentFile(merge_pdfs(pdfs)), False)
            fields.append("merged_pdf")
        batch.save(update_fields=fields)
    return replaced


def _names(skipped: dict, client: Client, traces: Traces) -> bool:
    """Whether a batch's skipped row is the person's (rows of older batches have no id)."""
    if "client_id" in skipped:
        return skipped["client_id"] == client.pk
    return traces.found_by(skipped.get("client", ""))


def _scrub_admin_log(records: dict, placeholder: str) -> None:
    """The administration's log names each record it changed (a document by its number)."""
    for model, pks in records.items():
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
        entries.update(object_repr=placeholder if model is Client else REMOVED, change_message="")


def _delete_files(names: set[str]) -> None:
    for name in sorted(names):
        try:
            default_storage.delete(name)
        except OSError:
            # The stored name is ours (a random name or a registry number): safe to log.
            log.exception("erasure: could not delete stored file %s", name)


def _records_of(client: Client) -> dict:
    """The primary keys of every record about the client, by model (Letter included)."""
    cases = list(Case.objects.filter(client=client).values_list("pk", flat=True))
    of_cases = Q(case__in=cases)
    letters = list(Letter.objects.filter(of_cases).values_list("pk", flat=True))
    records = {
        IdentityDocument: IdentityDocument.objects.filter(client=client),
        ResidencePermit: ResidencePermit.objects.filter(client=client),
        Registration: Registration.objects.filter(client=client),
        Fine: Fine.objects.filter(of_cases),
        Hearing: Hearing.objects.filter(of_cases),
        Deadline: Deadline.objects.filter(of_cases),
        CaseNote: CaseNote.objects.filter(of_cases),
        IncidentClient: IncidentClient.objects.filter(client=client),
        Attachment: Attachment.objects.filter(Q(client=client) | of_cases),
        LetterDispatch: LetterDispatch.objects.filter(letter__in=letters),
    }
    pks = {model: list(rows.values_list("pk", flat=True)) for model, rows in records.items()}
    return {Client: [client.pk], Case: cases, Letter: letters, **pks}


def _erase_records(client: Client, records: dict, now) -> int:
    """Every personal field of the client and their records emptied, live and in the
    history; the number of history rows anonymised."""
    history_rows = sum(
        _anonymise(model, records[model], values, now) for model, values in ERASED.items()
    )
    rule_name = Subquery(DeadlineRule.objects.filter(pk=OuterRef("rule_id")).values("name_ru"))
    title = Coalesce(rule_name, Value(HAND_SET_DEADLINE))
    Deadline.objects.filter(pk__in=records[Deadline]).update(title=title)
    Deadline.history.filter(id__in=records[Deadline]).update(title=title)
    Letter.objects.filter(pk__in=records[Letter]).update(
        html="", pdf="", checksum="", paragraphs={}
    )
    client.last_name = PLACEHOLDER.format(pk=client.pk)
    for name, value in CLIENT_FIELDS.items():
        setattr(client, name, value)
    erased = {"last_name": client.last_name, **CLIENT_FIELDS}
    history_rows += _anonymise(Client, [client.pk], erased, now)
    Client.objects.filter(pk=client.pk).update(search_key=client.compute_search_key())
    return history_rows


def erase_client(*, client_id: int, by, reason: str, note: str = "") -> Erasure:
    """Erase the client's personal data everywhere (see the module's docstring). Refused
    while a case of theirs is not closed, and for a client erased already."""
    now = timezone.now()
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client_id)
        if Erasure.objects.filter(client=client).exists():
            raise ErasureRefused(_("This client's data were erased already."))
        if Case.objects.filter(client=client).exclude(status=Case.Status.CLOSED).exists():
            raise ErasureRefused(
                _("The client has cases that are not closed. Close them first, with an outcome.")
            )
        traces = traces_of(client)  # before the names go
        records = _records_of(client)
        files = _files_of(Attachment, records[Attachment], "file")
        files |= _files_of(Letter, records[Letter], "pdf")
        summary = {model._meta.model_name: len(pks) for model, pks in records.items() if pks}
        summary["history_rows"] = _erase_records(client, records, now)

        incidents = IncidentClient.objects.filter(pk__in=records[IncidentClient])
        _redact_incidents(list(incidents.values_list("incident_id", flat=True)), traces)
        summary["searches"] = _scrub_searches(traces)
        files |= _remerge_batches(client, records[Letter], traces)
        _scrub_admin_log(records, client.last_name)
        Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).filter(
            Q(deadline__case__in=records[Case])
            | Q(hearing__case__in=records[Case])
            | Q(permit__client=client)
        ).update(cancelled_at=now)
        summary["files"] = len(files)
        erasure = Erasure.objects.create(
            client=client, erased_at=now, erased_by=by, reason=reason, note=note, summary=summary
        )
        transaction.on_commit(lambda: _delete_files(files))
    return erasure


def erasure_note_names_the_person(note: str, client: Client) -> bool:
    """Whether a note for the erasure record would keep a trace of the person."""
    return traces_of(client).named_in(note)
