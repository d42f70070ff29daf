"""Everything Casework holds about one person, gathered for that person: a readable PDF, and a
ZIP with the same records as JSON plus the files themselves (scans and issued letters).

Records are walked by their model's fields, so a field added later is exported without
touching this module. Only what the exporting user may see is gathered; the cases left out
are counted and the count is said in both files."""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.db import models
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from casework.models import (
    AccessRecord,
    Case,
    CaseNote,
    Deadline,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
)
from clients.models import Client, IdentityDocument, Registration, ResidencePermit
from documents.models import Attachment, Letter, LetterDispatch
from documents.pdf import render_pdf
from documents.uploads import download_name

FORMAT = "casework.person-export/1"
# Derived from other fields (the search key), bookkeeping, or in the ZIP as a file (a
# letter's HTML is its PDF).
SKIPPED = {"id", "search_key", "version", "html"}
# The person's own records, whose earlier values are data held about them too.
WITH_HISTORY = (Client, IdentityDocument, ResidencePermit, Registration)


@dataclass
class Value:
    """One field of a record: its name (JSON), label (PDF), value for JSON and text to read."""

    name: str
    label: str
    data: Any
    text: str


@dataclass
class Item:
    """One record, with the records that belong to it (a case's fines), and its file."""

    title: str
    values: list[Value]
    pk: int | None = None
    children: list[Section] = field(default_factory=list)
    file: models.fields.files.FieldFile | None = None
    file_path: str = ""  # where the file is in the ZIP

    def as_json(self) -> dict:
        data = {"id": self.pk, **{v.name: v.data for v in self.values}}
        if self.file_path:
            data["file_in_archive"] = self.file_path
        for section in self.children:
            data[section.key] = [child.as_json() for child in section.items]
        return data

    def section(self, key: str, title: str) -> Section:
        """The child section `key`, added when it is not there yet."""
        found = next((s for s in self.children if s.key == key), None)
        if found is None:
            found = Section(key, title, [])
            self.children.append(found)
        return found


@dataclass
class Section:
    key: str
    title: str
    items: list[Item]


@dataclass
class PersonalData:
    """What is held about one client, as far as the exporting user may see it."""

    client: Client
    card: Item
    sections: list[Section]
    hidden_cases: int
    generated_at: datetime
    generated_by: str

    def as_json(self) -> dict:
        return {
            "format": FORMAT,
            "generated_at": self.generated_at.isoformat(),
            "generated_by": self.generated_by,
            "cases_not_shown_to_the_exporter": self.hidden_cases,
            "client": self.card.as_json(),
            **{s.key: [item.as_json() for item in s.items] for s in self.sections},
        }

    def files(self) -> list[Item]:
        """Every item with a file, at any depth."""
        found, stack = [], [*self.sections]
        while stack:
            section = stack.pop()
            for item in section.items:
                if item.file:
                    found.append(item)
                stack.extend(item.children)
        return found


def readable(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, date):
        return date_format(value, "d.m.Y")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


def jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def values_of(obj: models.Model, skip: tuple[str, ...] = ()) -> list[Value]:
    """Every stored field of a record (history rows included), as JSON data and as text."""
    result = []
    for f in obj._meta.concrete_fields:
        if f.name in SKIPPED or f.name in skip or f.name.startswith("history_"):
            continue
        raw = getattr(obj, f.attname)
        if f.is_relation:
            related = getattr(obj, f.name) if raw is not None else None
            data = None if related is None else {"id": raw, "name": str(related)}
            text = "" if related is None else str(related)
        elif isinstance(f, models.FileField):
            data, text = (raw.name if raw else ""), ""  # the file itself is in the ZIP
        elif f.choices:
            data = raw
            text = str(dict(f.flatchoices).get(raw, raw)) if raw != "" else ""
        else:
            data, text = jsonable(raw), readable(raw)
        result.append(Value(f.name, str(f.verbose_name), data, text))
    return result


def with_related(queryset: QuerySet) -> QuerySet:
    """Load every record a field points to in the same query (no query per row)."""
    names = [
        f.name
        for f in queryset.model._meta.concrete_fields
        if f.is_relation and f.name not in ("client", "case", "history_user")
    ]
    return queryset.select_related(*names)


def item(obj: models.Model, title: str = "", skip=("client", "case"), **extra) -> Item:
    return Item(title=title or str(obj), values=values_of(obj, skip), pk=obj.pk, **extra)


def history_of(model, pks: list[int]) -> list[Item]:
    """Each version of the person's own records: who changed what, and to what."""
    rows = with_related(model.history.filter(id__in=pks)).select_related("history_user")
    previous: dict[int, dict[str, Value]] = {}
    items = []
    for row in rows.order_by("history_date", "history_id"):
        values = {v.name: v for v in values_of(row, skip=("client", "updated_at"))}
        before = previous.get(row.id, {})
        changed = [v for name, v in values.items() if before.get(name, None) != v]
        previous[row.id] = values
        who = str(row.history_user or _("the system"))
        version = [
            Value("record", _("record"), model._meta.label, str(model._meta.verbose_name)),
            Value("record_id", _("record number"), row.id, str(row.id)),
            Value("changed_at", _("changed at"), jsonable(row.history_date), ""),
            Value("changed_by", _("changed by"), who, ""),
        ]
        title = _("%(record)s № %(id)s, %(when)s, %(who)s") % {
            "record": capfirst(model._meta.verbose_name),
            "id": row.id,
            "when": readable(row.history_date),
            "who": who,
        }
        items.append(Item(title=title, values=version + changed, pk=row.history_id))
    return items


def _by_case(queryset: QuerySet, cases: dict[int, Item], key: str, title: str) -> None:
    for obj in with_related(queryset):
        cases[obj.case_id].section(key, title).items.append(item(obj))


def _letters(cases: dict[int, Item], user) -> None:
    """Each case's letters (the PDFs go into the ZIP) and how each was sent."""
    letters = Letter.objects.visible_to(user).filter(case__in=list(cases))
    dispatches: dict[int, list[Item]] = {}
    for dispatch in with_related(LetterDispatch.objects.filter(letter__in=letters)):
        dispatches.setdefault(dispatch.letter_id, []).append(item(dispatch, skip=("letter",)))
    for letter in with_related(letters).order_by("issued_at", "pk"):
        entry = item(letter, f"№ {letter.number} · {letter.title}")
        if letter.pdf:
            entry.file, entry.file_path = letter.pdf, f"files/letters/{letter.number}.pdf"
        entry.section("dispatches", _("Sent")).items.extend(dispatches.get(letter.pk, []))
        cases[letter.case_id].section("letters", _("Letters")).items.append(entry)


def _attachments(client: Client, cases: dict[int, Item], user) -> list[Item]:
    """Files of the client's cases go under their case; the client's own ones are returned."""
    files = Attachment.objects.visible_to(user).filter(Q(client=client) | Q(case__in=list(cases)))
    own = []
    for attachment in with_related(files).order_by("created_at", "pk"):
        entry = item(attachment, skip=("client", "case", "file"))
        if attachment.file:
            name = download_name(attachment.original_name, attachment.content_type)
            entry.file = attachment.file
            entry.file_path = f"files/attachments/{attachment.pk}-{name}"
        if attachment.case_id in cases:
            cases[attachment.case_id].section("attachments", _("Files")).items.append(entry)
        else:
            own.append(entry)
    return own


def _incidents(client: Client, user) -> list[Item]:
    links = IncidentClient.objects.filter(
        client=client, incident__in=Incident.objects.visible_to(user)
    ).select_related("incident__office", "incident__authority")
    return [
        Item(
            title=str(link.incident),
            values=values_of(link.incident) + values_of(link, skip=("incident", "client")),
            pk=link.incident_id,
        )
        for link in links.order_by("incident__started_on", "pk")
    ]


def gather(client: Client, user) -> PersonalData:
    """Everything held about the client that the user may see, one query per kind of record."""
    visible_cases = with_related(Case.objects.visible_to(user).filter(client=client))
    cases = {
        case.pk: item(case, f"{case.reference} · {case.get_kind_display()}")
        for case in visible_cases.order_by("opened_on", "pk")
    }
    on_cases = Q(case__in=list(cases))
    _by_case(Fine.objects.filter(on_cases), cases, "fines", _("Fines"))
    _by_case(Hearing.objects.filter(on_cases), cases, "hearings", _("Hearings"))
    _by_case(Deadline.objects.filter(on_cases), cases, "deadlines", _("Deadlines"))
    _by_case(
        CaseNote.objects.filter(on_cases).order_by("happened_at", "pk"),
        cases,
        "log",
        _("Case log: calls, meetings, visits, steps taken"),
    )
    _letters(cases, user)
    client_files = _attachments(client, cases, user)
    sections, own = [], {Client: [client.pk]}
    for model, key, title in (
        (IdentityDocument, "documents", _("Identity documents")),
        (ResidencePermit, "permits", _("Permits")),
        (Registration, "registrations", _("Registrations")),
    ):
        rows = list(with_related(model.objects.filter(client=client)).order_by("pk"))
        own[model] = [row.pk for row in rows]
        sections.append(Section(key, title, [item(row) for row in rows]))
    reads = AccessRecord.objects.filter(client=client).select_related("user").order_by("at", "pk")
    sections += [
        Section("cases", _("Cases"), list(cases.values())),
        Section("attachments", _("Files of the client"), client_files),
        Section("incidents", _("Incidents"), _incidents(client, user)),
        Section(
            "history",
            _("Earlier versions of the client's records"),
            [entry for model in WITH_HISTORY for entry in history_of(model, own[model])],
        ),
        Section(
            "access_record",
            _("Who opened the client's data"),
            [item(read, readable(read.at), skip=("client", "address")) for read in reads],
        ),
    ]
    return PersonalData(
        client=client,
        card=item(client, client.full_name, skip=()),
        sections=sections,
        hidden_cases=Case.objects.filter(client=client).count() - len(cases),
        generated_at=timezone.now(),
        generated_by=str(user),
    )


def export_pdf(data: PersonalData) -> bytes:
    """The readable report: every record, field by field, in the reader's language."""
    html = render_to_string("documents/person_export.html", {"data": data})
    return render_pdf(html)


def export_zip(data: PersonalData) -> IO[bytes]:
    """A ZIP of data.json and the files, in a temporary file (scans can be large): the
    caller streams and closes it."""
    archive = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        content = data.as_json()
        for entry in data.files():
            try:
                with entry.file.open("rb") as stored:
                    bundle.writestr(entry.file_path, stored.read())
            except FileNotFoundError:
                content.setdefault("files_missing_from_storage", []).append(entry.file_path)
        bundle.writestr("data.json", json.dumps(content, ensure_ascii=False, indent=2, default=str))
    archive.seek(0)
    return archive
