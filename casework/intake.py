"""The quick intake after a raid: each typed row is checked against the people on record,
then all rows are saved together, each as a new client or as a link to the person the
paralegal recognised. Nothing is saved while a row is invalid or undecided.

Cost: checking runs one query per filled row (the same duplicate check as the single intake
form) plus three for the whole table; saving runs at most eight per row, and once it has
committed, each passport recorded is announced and its person's deadlines re-planned (three
queries for a person with no open case)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from casework.forms import QuickClientForm
from casework.models import Incident, IncidentClient
from clients.models import Client, IdentityDocument
from clients.services import record_document

# As many look-alikes as the single intake form shows.
CANDIDATES = 10


def offer_people_on_record(*, rows: list[QuickClientForm], user, incident: Incident) -> None:
    """Give every filled row the people on record it may be, among those the user may see,
    and refuse passport numbers that are already recorded or typed twice."""
    visible = Client.objects.visible_to(user).active().select_related("nationality")
    found = {row.prefix: list(visible.similar_to(**row.similar_to())[:CANDIDATES]) for row in rows}
    everyone = [client for candidates in found.values() for client in candidates]
    prefetch_related_objects(
        everyone,
        Prefetch(
            "documents",
            queryset=IdentityDocument.objects.active().order_by("pk"),
            to_attr="active_documents",
        ),
    )
    linked = set(
        IncidentClient.objects.filter(
            incident=incident, client__in=[client.pk for client in everyone]
        ).values_list("client_id", flat=True)
    )
    for client in everyone:
        client.linked_here = client.pk in linked
    for row in rows:
        row.offer(found[row.prefix])
    _check_passport_numbers(rows)


def _passport_to_record(row: QuickClientForm) -> tuple[int, str] | None:
    """(country, number) of the passport this row would add, if it adds one."""
    data = row.cleaned_data
    number = data.get("passport_number")
    if not number or "match" in row.errors or not data.get("nationality"):
        return None
    same = row.chosen()
    if same is not None:
        held = {document.number.casefold() for document in same.active_documents}
        if not data["update_existing"] or number.casefold() in held:
            return None
    return (data["nationality"].pk, number)


def _check_passport_numbers(rows: list[QuickClientForm]) -> None:
    wanted: dict[tuple[int, str], QuickClientForm] = {}
    for row in rows:
        key = _passport_to_record(row)
        if key is None:
            continue
        if key in wanted:
            row.add_error(
                "passport_number",
                _("The same passport is typed in row %(number)s.") % {"number": wanted[key].number},
            )
            continue
        wanted[key] = row
    if not wanted:
        return
    taken = set(
        IdentityDocument.objects.active()
        .filter(kind=IdentityDocument.Kind.PASSPORT, number__in=[number for _, number in wanted])
        .values_list("issuing_country_id", "number")
    )
    for key in taken & wanted.keys():
        wanted[key].add_error(
            "passport_number",
            _(
                "A passport with this number is already recorded. If it belongs to one of "
                "the people shown, choose them."
            ),
        )


@dataclass
class IntakeRow:
    """One typed person: the row's values, and the person on record it was recognised as."""

    data: dict
    same_as: Client | None = None
    update_existing: bool = False

    @classmethod
    def from_form(cls, row: QuickClientForm) -> IntakeRow:
        return cls(row.cleaned_data, row.chosen(), row.cleaned_data["update_existing"])


@dataclass
class IntakeResult:
    registered: list[Client] = field(default_factory=list)
    linked: list[Client] = field(default_factory=list)
    already_linked: list[Client] = field(default_factory=list)


def register_incident_clients(
    *, incident: Incident, rows: list[IntakeRow], registered_by
) -> IntakeResult:
    """New clients for new people and links for the recognised ones, all or nothing. A
    person already linked to the incident is reported, not linked twice."""
    result = IntakeResult()
    with transaction.atomic():
        for row in rows:
            data = row.data
            marks = {"detained": data["detained"], "expelled": data["expelled"]}
            client = row.same_as
            if client is None:
                client = _register(data, office_id=incident.office_id, registered_by=registered_by)
                IncidentClient.objects.create(incident=incident, client=client, **marks)
                result.registered.append(client)
                continue
            if row.update_existing:
                _add_what_was_typed(client, data)
            _link, created = IncidentClient.objects.get_or_create(
                incident=incident, client=client, defaults=marks
            )
            (result.linked if created else result.already_linked).append(client)
    return result


def _register(data: dict, *, office_id: int, registered_by) -> Client:
    client = Client.objects.create(
        last_name=data["last_name"],
        first_name=data["first_name"],
        last_name_latin=data["last_name_latin"],
        first_name_latin=data["first_name_latin"],
        nationality=data["nationality"],
        date_of_birth=data["date_of_birth"],
        sex=data["sex"] or Client.Sex.OTHER,
        phone=data["phone"],
        languages=data["languages"],
        office_id=office_id,
        created_by=registered_by,
    )
    if data["passport_number"]:
        record_document(
            client=client, number=data["passport_number"], issuing_country=data["nationality"]
        )
    return client


def _add_what_was_typed(client: Client, data: dict) -> None:
    """The spelling and passport number as typed, where the record lacks them."""
    client.add_other_spellings(
        " ".join(p for p in (data["last_name"], data["first_name"]) if p),
        " ".join(p for p in (data["last_name_latin"], data["first_name_latin"]) if p),
    )
    number = data["passport_number"]
    if number and not client.documents.active().filter(number__iexact=number).exists():
        record_document(client=client, number=number, issuing_country=data["nationality"])
