"""One person with every kind of record Casework can hold about them, in the database and in
the upload folder, for the export and erasure tests: names in both scripts and an earlier
spelling, a passport, a permit, a registration, a case with a fine, a hearing, deadlines and
log entries, issued letters (PDFs rendered) in a letter batch with another client's, uploaded
scans, an incident, searches, notifications and an entry in the administration's log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseNote, Deadline, Incident, IncidentClient, Reminder
from casework.services import close_case, open_case
from clients.models import Client, Registration
from documents.defaults import install_default_templates
from documents.models import Attachment, Letter, LetterBatch, LetterTemplate
from documents.pdf import merge_pdfs
from documents.services import issue_letter, read_pdf, record_dispatch
from tests.factories import DocumentFactory, FineFactory, HearingFactory, PermitFactory, country

LAST_NAME = "Жумагулова"
EARLIER_LAST_NAME = "Джумагулова"
FIRST_NAME = "Айнагуль"
PATRONYMIC = "Бекзатовна"
LAST_NAME_LATIN = "Zhumagulova"
FIRST_NAME_LATIN = "Ainagul"
OTHER_SPELLING = "Jumagulova Ajnagul"
PASSPORT = "N98765432"
PERMIT = "RVP-0042-77"
PHONE = "+7 701 555 44 33"
EMAIL = "ainagul.zh@example.org"
ADDRESS = "ул. Розыбакиева, 17, кв. 9"
PROTOCOL = "ПР-771199"

# What must be gone everywhere after the erasure.
TRACES = [
    LAST_NAME,
    EARLIER_LAST_NAME,
    FIRST_NAME,
    PATRONYMIC,
    LAST_NAME_LATIN,
    FIRST_NAME_LATIN,
    "Jumagulova",
    PASSPORT,
    PERMIT,
    PHONE,
    EMAIL,
    "Розыбакиева",
    PROTOCOL,
]


def pdf_with_text(text: str) -> bytes:
    """A small PDF whose content stream holds `text` as plain bytes (not compressed)."""
    stream = f"BT /F1 12 Tf 10 10 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 50]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(stream)}>>stream\n".encode()
        + stream
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


@dataclass
class Person:
    client: Client
    case: object
    other: Client
    other_letter: Letter
    letters: list[Letter]
    attachments: list[Attachment]
    batch: LetterBatch
    incident: Incident


def make_person(*, office, lawyer, browser=None) -> Person:
    """Everything above; `browser` is a signed-in Django test client used for the uploads
    and the searches, so they go through the views as a person's would."""
    install_default_templates()
    client = Client.objects.create(
        last_name=EARLIER_LAST_NAME,
        first_name=FIRST_NAME,
        last_name_latin=LAST_NAME_LATIN,
        first_name_latin=FIRST_NAME_LATIN,
        nationality=country("UZ"),
        office=office,
        created_by=lawyer,
    )
    # A corrected spelling and the contact details: the earlier version stays in the history.
    client.last_name = LAST_NAME
    client.patronymic = PATRONYMIC
    client.other_spellings = OTHER_SPELLING
    client.phone = PHONE
    client.email = EMAIL
    client.address = ADDRESS
    client.date_of_birth = date(1991, 3, 14)
    client.vulnerability_notes = f"{FIRST_NAME} боится обращаться в полицию."
    client.sex = Client.Sex.FEMALE
    client.is_detained = True
    client.save()
    DocumentFactory(client=client, number=PASSPORT, notes=f"Паспорт {LAST_NAME}")
    PermitFactory(client=client, number=PERMIT)
    Registration.objects.create(
        client=client,
        address=ADDRESS,
        city="Алматы",
        country=country("KZ"),
        registered_from=timezone.localdate() - timedelta(days=30),
        host_name="Сейткали Нурлан",
    )
    case = open_case(
        client=client,
        office=office,
        kind="expulsion",
        opened_by=lawyer,
        responsible_lawyer=lawyer,
        summary=f"{LAST_NAME} {FIRST_NAME}, задержана на рынке; телефон {PHONE}.",
    )
    FineFactory(case=case, protocol_number=PROTOCOL, notes=f"Протокол на {LAST_NAME}")
    hearing = HearingFactory(case=case, notes=f"{LAST_NAME} была с переводчиком")
    deadline = Deadline.objects.create(
        case=case, title=f"Забрать паспорт {PASSPORT}", due_on=timezone.localdate()
    )
    CaseNote.objects.create(
        case=case, author=lawyer, kind="call", text=f"Звонила {LAST_NAME}, {PHONE}"
    )
    templates = {t.kind: t for t in LetterTemplate.objects.filter(language="ru", is_active=True)}
    letters = [
        issue_letter(
            case=case,
            template=templates["expulsion_appeal"],
            issued_by=lawyer,
            paragraphs={"grounds": f"{LAST_NAME} проживает по адресу {ADDRESS}."},
        ),
        issue_letter(
            case=case, template=templates["passport_return"], issued_by=lawyer, paragraphs={}
        ),
    ]
    record_dispatch(
        letter=letters[1],
        sent_on=timezone.localdate(),
        method="hand",
        incoming_number="ВХ-555",
        recorded_by=lawyer,
    )
    incident = Incident.objects.create(
        title="Рейд на рынке",
        office=office,
        started_on=timezone.localdate(),
        place="Рынок",
        city="Алматы",
        description=f"Задержаны, среди прочих, {LAST_NAME} {FIRST_NAME} и другие.",
    )
    IncidentClient.objects.create(
        incident=incident, client=client, notes=f"{FIRST_NAME} задержана у входа"
    )
    other = Client.objects.create(last_name="Рахимов", first_name="Ботир", office=office)
    other_case = open_case(client=other, office=office, kind="fine", opened_by=lawyer)
    other_letter = issue_letter(
        case=other_case, template=templates["passport_return"], issued_by=lawyer, paragraphs={}
    )
    batch = LetterBatch.objects.create(
        incident=incident,
        template=templates["passport_return"],
        created_by=lawyer,
        status="done",
        total=3,
        skipped=[{"client": f"{LAST_NAME} {FIRST_NAME}", "client_id": client.pk, "missing": []}],
    )
    batch.issued.set([letters[1], other_letter])
    merged = merge_pdfs([read_pdf(letters[1]), read_pdf(other_letter)])
    batch.merged_pdf.save("batch.pdf", ContentFile(merged), save=True)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Client),
        object_id=str(client.pk),
        object_repr=str(client),
        action_flag=CHANGE,
        change_message=f'[{{"added": {{"name": "identity document", "object": "{PASSPORT}"}}}}]',
        user=lawyer,
    )
    Reminder.objects.create(
        recipient=lawyer,
        channel="in_app",
        kind="upcoming",
        deadline=deadline,
        remind_at=timezone.now(),
        sent_at=timezone.now(),
        delivered_at=timezone.now(),
        dedupe_key=f"person-{client.pk}-in-app",
    )
    Reminder.objects.create(
        recipient=lawyer,
        channel="email",
        kind="hearing",
        hearing=hearing,
        remind_at=timezone.now() + timedelta(days=1),
        dedupe_key=f"person-{client.pk}-email",
    )
    attachments = []
    if browser is not None:
        for url, name in (
            (reverse("documents:client_attachments", args=[client.pk]), f"паспорт {LAST_NAME}.pdf"),
            (reverse("documents:case_attachments", args=[case.pk]), f"{LAST_NAME_LATIN}.pdf"),
        ):
            scan = SimpleUploadedFile(name, pdf_with_text(f"{LAST_NAME_LATIN} {PASSPORT}"))
            response = browser.post(url, {"kind": "passport", "title": LAST_NAME, "file": scan})
            assert response.status_code == 302, response.status_code
        attachments = list(
            Attachment.objects.filter(client=client) | Attachment.objects.filter(case=case)
        )
        for query in (LAST_NAME, PASSPORT, "Рахимов"):
            assert browser.get(reverse("clients:client_list"), {"q": query}).status_code == 200
        browser.get(reverse("casework:case_list"), {"q": LAST_NAME_LATIN, "status": "any"})
    close_case(case=case, outcome="withdrawn")
    return Person(
        client=client,
        case=case,
        other=other,
        other_letter=other_letter,
        letters=letters,
        attachments=attachments,
        batch=batch,
        incident=incident,
    )
