"""Erasing a person: after it, no table, history row or file holds their name, document number
or phone (the whole database is dumped and the upload folder walked); what the statistics
count stays; the erasure is recorded; only who may erase can, and only a client whose cases
are closed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from casework.models import AccessRecord, Case, CaseNote, Fine, Reminder
from clients.models import Client, Erasure, IdentityDocument
from documents.models import Attachment, Letter
from documents.pdf import pdf_text
from tests.documents.person import (
    LAST_NAME,
    LAST_NAME_LATIN,
    PASSPORT,
    PHONE,
    TRACES,
    make_person,
)
from tests.factories import CaseFactory, ClientFactory, UserFactory

ERASE = {"reason": "request", "note": "Заявление от 02.02.2026 № 14", "confirm": LAST_NAME}


pytestmark = pytest.mark.usefixtures("uploads_dir")


@pytest.fixture
def person(client, reference_data, office, lawyer):
    """The person of tests/documents/person.py, made as the lawyer (uploads and searches
    through the views), committed to the database so that pg_dump sees it."""
    client.force_login(lawyer)
    return make_person(office=office, lawyer=lawyer, browser=client)


def erase(client, coordinator, person) -> None:
    client.force_login(coordinator)
    response = client.post(reverse("documents:client_erase", args=[person.client.pk]), ERASE)
    assert response.status_code == 302


def database_dump() -> str:
    """The whole database as text: pg_dump on PostgreSQL, the SQLite dump otherwise."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = ["pg_dump", "--no-owner", "--encoding=UTF8", "-d", db["NAME"]]
    for option, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    return subprocess.run(command, env=env, capture_output=True, check=True).stdout.decode()


def files_in(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def found_in(text: str) -> list[str]:
    folded = text.casefold()
    return [trace for trace in TRACES if trace.casefold() in folded]


@pytest.mark.django_db(transaction=True)
def test_after_erasing_no_table_history_row_or_file_holds_the_person(
    client, person, coordinator, uploads_dir
):
    before = files_in(uploads_dir)
    personal_files = {
        uploads_dir / item.name
        for item in [*(a.file for a in person.attachments), *(x.pdf for x in person.letters)]
    }
    batch_pdf = uploads_dir / person.batch.merged_pdf.name
    assert personal_files <= before.keys() and len(personal_files) == 4
    assert set(found_in(database_dump())) == set(TRACES)  # the dump does see the data
    assert LAST_NAME in pdf_text(before[batch_pdf])

    erase(client, coordinator, person)

    assert found_in(database_dump()) == []
    after = files_in(uploads_dir)
    assert not personal_files & after.keys()  # the scans and the letters' PDFs are gone
    for path, content in after.items():
        for trace in TRACES:
            assert trace.encode() not in content, (path.name, trace)
        if content.startswith(b"%PDF"):
            assert found_in(pdf_text(content)) == [], path.name
    # The batch's PDF was merged again from the other client's letter alone.
    person.batch.refresh_from_db()
    merged = (uploads_dir / person.batch.merged_pdf.name).read_bytes()
    assert "Рахимов" in pdf_text(merged) and LAST_NAME not in pdf_text(merged)
    assert batch_pdf not in after
    assert read_other_letter(person) == before[uploads_dir / person.other_letter.pdf.name]


def read_other_letter(person) -> bytes:
    with person.other_letter.pdf.open("rb") as stored:
        return stored.read()


@pytest.mark.django_db(transaction=True)
def test_the_erased_person_is_found_by_no_search_and_named_in_no_page(
    client, person, office, lawyer, coordinator
):
    erase(client, coordinator, person)

    # Searches for someone else keep their terms; those that found the person do not.
    details = set(AccessRecord.objects.filter(kind="search").values_list("detail", flat=True))
    assert details == {"Рахимов", "[удалено]"}

    client.force_login(lawyer)
    for url, query in (
        (reverse("clients:client_list"), {"q": LAST_NAME}),
        (reverse("clients:client_list"), {"q": LAST_NAME_LATIN}),
        (reverse("clients:client_list"), {"q": PASSPORT}),
        (reverse("clients:client_list"), {"q": f"Удалённый клиент #{person.client.pk}"}),
        (reverse("casework:case_list"), {"q": LAST_NAME_LATIN, "status": "any"}),
    ):
        page = client.get(url, query).content.decode()
        assert f'href="/clients/{person.client.pk}/"' not in page
        assert f">{person.case.reference}<" not in page
    for url in (
        reverse("clients:client_detail", args=[person.client.pk]),
        reverse("casework:client_activity", args=[person.client.pk]),
        person.case.get_absolute_url(),
        reverse("documents:letter_list", args=[person.case.pk]),
        reverse("casework:notification_list"),
        reverse("casework:incident_detail", args=[person.incident.pk]),
        reverse("documents:batch_detail", args=[person.batch.pk]),
    ):
        page = client.get(url).content.decode()
        assert found_in(page) == [], url
    assert (
        f"Удалённый клиент #{person.client.pk}"
        in client.get(person.case.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_statistics_stay_and_the_erasure_is_recorded(client, person, office, lawyer, coordinator):
    erase(client, coordinator, person)

    case = Case.objects.get(pk=person.case.pk)
    assert (case.kind, case.status, case.outcome, case.office_id, case.responsible_lawyer) == (
        "expulsion",
        "closed",
        "withdrawn",
        office.pk,
        lawyer,
    )
    assert case.summary == "" and case.archived_at is None
    erased = Client.objects.get(pk=person.client.pk)
    assert (erased.sex, erased.nationality.code, erased.office_id, erased.is_detained) == (
        "f",
        "UZ",
        office.pk,
        True,
    )
    assert erased.full_name == f"Удалённый клиент #{erased.pk}"
    assert erased.date_of_birth is None and erased.archived_at is not None
    fine = Fine.objects.get(case=case)
    assert (fine.amount, fine.protocol_number) == (43250, "")
    assert CaseNote.objects.get(case=case, kind="call").minutes_spent == 0
    assert Letter.objects.filter(case=case).count() == 2
    assert not Letter.objects.filter(case=case).exclude(pdf="").exists()
    assert Attachment.objects.filter(pk__in=[a.pk for a in person.attachments]).count() == 2
    assert IdentityDocument.objects.get(client=erased).issuing_country.code == "UZ"
    # The other client is untouched.
    assert Client.objects.get(pk=person.other.pk).full_name == "Рахимов Ботир"
    # No reminder about the person is sent any more.
    assert not Reminder.objects.filter(hearing__case=case, cancelled_at__isnull=True).exists()

    erasure = Erasure.objects.get()
    assert (erasure.client_id, erasure.erased_by, erasure.reason) == (
        erased.pk,
        coordinator,
        "request",
    )
    assert erasure.note == ERASE["note"]
    # Four files of the person, and the batch's PDF that printed one of their letters.
    assert erasure.summary["case"] == 1 and erasure.summary["files"] == 5
    page = client.get(erased.get_absolute_url()).content.decode()
    assert "Персональные данные клиента удалены" in page
    assert "Изменить" not in page and "Удалить персональные данные" not in page


# The rules around the erasure, on the ordinary (rolled back) test database.


@pytest.fixture
def closed_case(case):
    case.close(outcome="won")
    return case


@pytest.fixture
def erase_url(client_record):
    return reverse("documents:client_erase", args=[client_record.pk])


def test_anonymous_is_sent_to_sign_in(client, erase_url, closed_case):
    assert client.get(erase_url).status_code == 302
    assert client.post(erase_url, ERASE).status_code == 302
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("who", ["lawyer", "reader", "paralegal"])
def test_staff_who_see_the_client_but_may_not_erase_get_403(
    client, request, erase_url, closed_case, client_record, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(erase_url).status_code == 403
    response = client.post(erase_url, {**ERASE, "confirm": client_record.last_name})
    assert response.status_code == 403
    assert not Erasure.objects.exists()


def test_outsider_and_a_user_with_no_role_get_404(client, erase_url, closed_case, outsider, office):
    for user in (outsider, UserFactory(username="no-role", office=office)):
        client.force_login(user)
        assert client.get(erase_url).status_code == 404
        assert client.post(erase_url, ERASE).status_code == 404
    assert not Erasure.objects.exists()


def test_the_confirmation_page_says_in_russian_what_goes_and_what_stays(
    client, coordinator, erase_url, closed_case
):
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    page = client.get(erase_url).content.decode()
    assert "Это нельзя отменить." in page
    assert "Что удаляется везде (включая историю изменений)" in page
    assert "Что остаётся для статистики" in page
    assert "Рахимов" in page  # the last name to type


def test_a_client_with_an_open_case_is_not_erased(client, coordinator, erase_url, case):
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    page = client.get(erase_url).content.decode()
    assert "Сначала закройте их, указав исход." in page
    assert case.reference in page
    assert 'name="confirm"' not in page
    response = client.post(erase_url, {**ERASE, "confirm": "Рахимов"})
    assert response.status_code == 409
    assert not Erasure.objects.exists()
    assert Client.objects.get(pk=case.client_id).last_name == "Рахимов"


def test_a_wrong_last_name_erases_nothing_and_keeps_what_was_typed(
    client, coordinator, erase_url, closed_case
):
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    response = client.post(erase_url, {**ERASE, "confirm": "Рахимова"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Это не фамилия клиента" in page
    assert ERASE["note"] in page
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("note", ["по просьбе Рахимова", "паспорт AB1234567", "Botir просил"])
def test_a_note_naming_the_person_is_refused(client, coordinator, erase_url, closed_case, note):
    from tests.factories import DocumentFactory

    DocumentFactory(client=closed_case.client, number="AB1234567")
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    response = client.post(erase_url, {**ERASE, "note": note, "confirm": "Рахимов"})
    assert response.status_code == 400
    assert "Примечание называет клиента" in response.content.decode()
    assert not Erasure.objects.exists()


def test_another_ground_needs_a_note(client, coordinator, erase_url, closed_case):
    client.force_login(coordinator)
    response = client.post(erase_url, {"reason": "other", "note": "", "confirm": "Рахимов"})
    assert response.status_code == 400
    assert not Erasure.objects.exists()


@pytest.fixture
def erased(
    client, coordinator, erase_url, closed_case, client_record, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(erase_url, {**ERASE, "confirm": "rahimov"})
    assert response.status_code == 302
    return Client.objects.get(pk=client_record.pk)


def test_nothing_is_added_to_or_changed_in_an_erased_client(client, erased, lawyer, closed_case):
    client.force_login(lawyer)
    for name in (
        "clients:client_edit",
        "clients:document_create",
        "clients:permit_create",
        "clients:registration_create",
        "casework:case_create",
        "documents:client_attachments",
    ):
        response = client.post(reverse(name, args=[erased.pk]), {"last_name": "Рахимов"})
        assert response.status_code == 403, name
    assert client.get(reverse("documents:letter_create", args=[closed_case.pk])).status_code == 403
    assert Client.objects.get(pk=erased.pk).last_name == f"Удалённый клиент #{erased.pk}"


def test_an_erased_client_is_not_erased_twice(client, erased, erase_url):
    response = client.get(erase_url)
    assert response.status_code == 302
    assert Erasure.objects.count() == 1
    assert client.post(erase_url, {**ERASE, "confirm": erased.last_name}).status_code == 302
    assert Erasure.objects.count() == 1


def test_an_edit_form_opened_before_the_erasure_cannot_write_the_data_back(
    client, lawyer, client_record, closed_case, coordinator, django_capture_on_commit_callbacks
):
    from clients.forms import ClientForm

    form = ClientForm(instance=client_record)
    stale = {name: form[name].value() or "" for name in form.fields}
    client.force_login(coordinator)
    client.post(
        reverse("documents:client_erase", args=[client_record.pk]), {**ERASE, "confirm": "Рахимов"}
    )
    client.force_login(lawyer)
    response = client.post(reverse("clients:client_edit", args=[client_record.pk]), stale)
    assert response.status_code == 403
    assert Client.objects.get(pk=client_record.pk).last_name.startswith("Удалённый клиент")


def test_a_search_for_someone_else_with_the_same_first_name_keeps_its_terms(
    client, coordinator, closed_case, lawyer
):
    ClientFactory(office=closed_case.office, last_name="Каримов", first_name="Ботир")
    client.force_login(lawyer)
    for query in ("Каримов Ботир", "Рахимов", "Rahimov Botir"):
        client.get(reverse("clients:client_list"), {"q": query})
    client.force_login(coordinator)
    client.post(
        reverse("documents:client_erase", args=[closed_case.client_id]),
        {**ERASE, "confirm": "Рахимов"},
    )
    details = sorted(AccessRecord.objects.filter(kind="search").values_list("detail", flat=True))
    assert details == sorted(["Каримов Ботир", "[удалено]", "[удалено]"])


def test_other_clients_cases_with_the_same_office_are_untouched(client, coordinator, closed_case):
    other = ClientFactory(office=closed_case.office, last_name="Каримов", last_name_latin="")
    neighbour = CaseFactory(client=other, summary=PHONE)
    client.force_login(coordinator)
    client.post(
        reverse("documents:client_erase", args=[closed_case.client_id]),
        {**ERASE, "confirm": "Рахимов"},
    )
    assert Case.objects.get(pk=neighbour.pk).summary == PHONE


def test_an_incident_loses_the_persons_names_in_any_case_form_and_keeps_the_rest(
    client, coordinator, closed_case
):
    from casework.models import Incident, IncidentClient

    raid = Incident.objects.create(
        title="Рейд, Рахимов",
        office=closed_case.office,
        started_on=closed_case.opened_on,
        place="Барахолка",
        city="Алматы",
        description="Задержаны Рахимов Ботир и Каримов. Позвонить Рахимову (Rahimov).",
    )
    IncidentClient.objects.create(incident=raid, client=closed_case.client)
    client.force_login(coordinator)
    client.post(
        reverse("documents:client_erase", args=[closed_case.client_id]),
        {**ERASE, "confirm": "Рахимов"},
    )
    raid.refresh_from_db()
    assert raid.title == "Рейд, [удалено]"
    assert raid.description == (
        "Задержаны [удалено] [удалено] и Каримов. Позвонить [удалено] ([удалено])."
    )
    assert {row.description for row in raid.history.all()} == {raid.description}


@pytest.mark.parametrize("query", ["+7 (701) 555-44-33", "8 701 555 44 33", "Рахимову", "рах"])
def test_searches_that_found_the_person_lose_their_terms(
    client, coordinator, closed_case, lawyer, query
):
    Client.objects.filter(pk=closed_case.client_id).update(phone=PHONE)
    AccessRecord.objects.create(
        user=lawyer, kind="search", page="clients:client_list", path="/clients/", detail=query
    )
    client.force_login(coordinator)
    client.post(
        reverse("documents:client_erase", args=[closed_case.client_id]),
        {**ERASE, "confirm": "Рахимов"},
    )
    assert AccessRecord.objects.get(kind="search").detail == "[удалено]"
