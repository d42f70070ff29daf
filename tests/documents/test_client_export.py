"""Everything held about a person, exported for them: a readable PDF (checked on its text) and
a ZIP with the same data as JSON and the files; each export recorded in the access record;
only for who holds `clients.export_client`."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from casework.models import AccessRecord
from documents.pdf import pdf_text
from documents.personal_data import gather
from tests.documents.person import (
    EARLIER_LAST_NAME,
    LAST_NAME,
    PASSPORT,
    PERMIT,
    PHONE,
    PROTOCOL,
    make_person,
)
from tests.factories import CaseFactory, ClientFactory, FineFactory, HearingFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_dir")]


@pytest.fixture
def person(client, office, lawyer):
    client.force_login(lawyer)
    made = make_person(office=office, lawyer=lawyer, browser=client)
    client.logout()
    return made


def urls(person) -> dict[str, str]:
    return {
        fmt: reverse(f"documents:client_export_{fmt}", args=[person.client.pk])
        for fmt in ("pdf", "zip")
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_pdf_reads_every_record_held_about_the_person(client, person, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    response = client.get(urls(person)["pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="client-{person.client.pk}.pdf"'
    )
    text = " ".join(pdf_text(response.content).split())
    for expected in (
        "Персональные данные, хранящиеся в Casework",
        person.client.full_name,
        EARLIER_LAST_NAME,  # an earlier version of the record
        PASSPORT,
        PERMIT,
        PHONE,
        "Розыбакиева",
        "Сейткали Нурлан",
        person.case.reference,
        PROTOCOL,
        f"{LAST_NAME} была с переводчиком",  # the hearing's notes
        "Забрать паспорт",  # a deadline
        f"Звонила {LAST_NAME}",  # the case log
        *(letter.number for letter in person.letters),
        "ВХ-555",  # how a letter was sent
        f"паспорт {LAST_NAME}.pdf",  # an uploaded file's name
        "Рейд на рынке",  # the incident
        "Кто открывал данные клиента",
        "Штрафы",
        "Судебные заседания",
    ):
        assert expected in text, expected
    assert "Рахимов" not in text  # another client's letter shares the batch, not this file


def test_the_zip_holds_the_data_as_json_and_the_files_themselves(client, person, coordinator):
    client.force_login(coordinator)
    response = client.get(urls(person)["zip"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "casework.person-export/1"
    assert data["client"]["last_name"] == LAST_NAME
    assert data["client"]["phone"] == PHONE
    assert data["client"]["nationality"]["name"]
    assert [d["number"] for d in data["documents"]] == [PASSPORT]
    assert [p["number"] for p in data["permits"]] == [PERMIT]
    (case,) = data["cases"]
    assert case["reference"] == person.case.reference and case["outcome"] == "withdrawn"
    assert case["fines"][0]["protocol_number"] == PROTOCOL
    assert case["log"][0]["text"].startswith(f"Звонила {LAST_NAME}")
    assert {h["notes"] for h in case["hearings"]} == {f"{LAST_NAME} была с переводчиком"}
    assert any(d["title"] == f"Забрать паспорт {PASSPORT}" for d in case["deadlines"])
    assert [entry["last_name"] for entry in data["history"] if "last_name" in entry][:2] == [
        EARLIER_LAST_NAME,
        LAST_NAME,
    ]
    assert data["incidents"][0]["title"] == "Рейд на рынке"
    assert data["cases_not_shown_to_the_exporter"] == 0
    names = set(archive.namelist())
    for letter in person.letters:
        path = f"files/letters/{letter.number}.pdf"
        assert path in names
        assert archive.read(path) == letter.pdf.open("rb").read()
        assert any(entry["file_in_archive"] == path for entry in case["letters"])
    for attachment in person.attachments:
        entry = next(
            e for e in [*data["attachments"], *case["attachments"]] if e["id"] == attachment.pk
        )
        assert archive.read(entry["file_in_archive"]) == attachment.file.open("rb").read()
    assert case["letters"][1]["dispatches"][0]["incoming_number"] == "ВХ-555"


def test_each_export_is_recorded_in_the_access_record(client, person, coordinator):
    client.force_login(coordinator)
    for fmt, url in urls(person).items():
        client.get(url)
        record = AccessRecord.objects.filter(kind="export").latest("pk")
        assert (record.user, record.client_id, record.detail) == (
            coordinator,
            person.client.pk,
            f"client.{fmt}",
        )
    # The next export lists the earlier ones among who opened the person's data.
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(urls(person)["zip"]))))
    reads = json.loads(archive.read("data.json"))["access_record"]
    assert [r["detail"] for r in reads if r["kind"] == "export"] == ["client.pdf", "client.zip"]


@pytest.mark.parametrize("fmt", ["pdf", "zip"])
def test_anonymous_is_sent_to_sign_in(client, person, fmt):
    response = client.get(urls(person)[fmt])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["lawyer", "reader", "paralegal"])
@pytest.mark.parametrize("fmt", ["pdf", "zip"])
def test_staff_who_see_the_client_but_may_not_export_get_403(client, request, person, who, fmt):
    client.force_login(request.getfixturevalue(who))
    assert client.get(urls(person)[fmt]).status_code == 403
    assert not AccessRecord.objects.filter(kind="export").exists()


@pytest.mark.parametrize("fmt", ["pdf", "zip"])
def test_outsider_and_a_user_with_no_role_get_404(client, person, outsider, office, fmt):
    for user in (outsider, UserFactory(username=f"no-role-{fmt}", office=office)):
        client.force_login(user)
        assert client.get(urls(person)[fmt]).status_code == 404


def test_cases_the_exporter_may_not_see_are_counted_not_shown(client, office, lawyer):
    exporter = UserFactory(username="exporter", office=office, groups=["lawyer"])
    exporter.user_permissions.add(Permission.objects.get(codename="export_client"))
    record = ClientFactory(office=office)
    hidden = CaseFactory(client=record, sensitivity="sensitive", responsible_lawyer=lawyer)
    shown = CaseFactory(client=record)
    client.force_login(exporter)
    client.cookies["django_language"] = "ru"
    text = pdf_text(client.get(reverse("documents:client_export_pdf", args=[record.pk])).content)
    assert shown.reference in text and hidden.reference not in text
    assert "1 дело этого клиента не показано" in " ".join(text.split())


def test_gathering_costs_the_same_queries_for_one_case_or_many(
    office, coordinator, django_assert_num_queries
):
    def person_with(cases: int):
        record = ClientFactory(office=office)
        for _ in range(cases):
            case = CaseFactory(client=record)
            FineFactory(case=case)
            HearingFactory(case=case)
        return record

    one, many = person_with(1), person_with(6)
    gather(one, coordinator)  # the coordinator's permissions are loaded once, here
    with django_assert_num_queries(15) as one_queries:
        gather(one, coordinator)
    with django_assert_num_queries(len(one_queries)):
        gather(many, coordinator)
