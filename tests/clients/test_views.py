import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, ResidencePermit
from tests.factories import ClientFactory, DocumentFactory, PermitFactory, country

pytestmark = pytest.mark.django_db


def intake_data(**overrides) -> dict:
    data = {
        "last_name": "Жумабаев",
        "first_name": "Эрмек",
        "last_name_latin": "Jumabayev",
        "first_name_latin": "Ermek",
        "sex": "m",
        "nationality": country("KG").pk,
        "passport_number": "ID1234567",
        "phone": "+996 555 000 111",
    }
    return data | overrides


def test_paralegal_registers_a_client_with_a_passport(client, paralegal):
    client.force_login(paralegal)
    response = client.post(reverse("clients:client_create"), intake_data())
    person = Client.objects.get(last_name="Жумабаев")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.office == paralegal.office
    assert person.created_by == paralegal
    assert person.documents.get().number == "ID1234567"


def test_intake_warns_of_a_person_with_the_same_name_in_the_other_script(client, paralegal, office):
    existing = ClientFactory(
        office=office,
        last_name="",
        first_name="",
        last_name_latin="Zhumabaev",
        first_name_latin="Ermek",
    )
    client.force_login(paralegal)
    response = client.post(
        reverse("clients:client_create"), intake_data(last_name_latin="", first_name_latin="")
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert existing.get_absolute_url() in page
    assert 'value="Жумабаев"' in page  # what was typed is kept
    assert Client.objects.count() == 1


def test_intake_warns_of_the_same_document_number(client, paralegal, office):
    other = DocumentFactory(
        client=ClientFactory(office=office, last_name="Другой"), number="ID1234567"
    )
    client.force_login(paralegal)
    response = client.post(reverse("clients:client_create"), intake_data())
    assert response.status_code == 409
    assert other.client.get_absolute_url() in response.content.decode()


def test_confirming_a_different_person_saves_despite_the_warning(client, paralegal, office):
    ClientFactory(office=office, last_name="Жумабаев", first_name="Эрмек")
    client.force_login(paralegal)
    response = client.post(reverse("clients:client_create"), intake_data(not_a_duplicate="on"))
    assert response.status_code == 302
    assert Client.objects.filter(last_name="Жумабаев").count() == 2


def test_invalid_intake_keeps_what_was_typed_and_says_why(client, paralegal):
    client.force_login(paralegal)
    response = client.post(
        reverse("clients:client_create"),
        intake_data(last_name="", last_name_latin="", email="not-an-email"),
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Эрмек"' in page
    assert "Введите правильный адрес электронной почты" in page
    assert Client.objects.count() == 0


def test_client_list_finds_a_cyrillic_name_by_its_latin_spelling(client, lawyer, office):
    ClientFactory(
        office=office,
        last_name="Юсупова",
        first_name="Нодира",
        last_name_latin="",
        first_name_latin="",
    )
    ClientFactory(
        office=office,
        last_name="Каримова",
        first_name="Зарина",
        last_name_latin="",
        first_name_latin="",
    )
    client.force_login(lawyer)
    page = client.get(reverse("clients:client_list"), {"q": "Yusupova"}).content.decode()
    assert "Юсупова" in page
    assert "Каримова" not in page


def test_client_list_filters_by_permit_status_and_open_case(client, lawyer, office, case):
    expired = ClientFactory(office=office, last_name="Истёкшев")
    PermitFactory(client=expired, status=ResidencePermit.Status.EXPIRED)
    client.force_login(lawyer)
    page = client.get(reverse("clients:client_list"), {"permit_status": "expired"}).content.decode()
    assert "Истёкшев" in page
    assert case.client.last_name not in page
    page = client.get(reverse("clients:client_list"), {"open_case": "yes"}).content.decode()
    assert case.client.last_name in page
    assert "Истёкшев" not in page


def test_client_page_shows_permit_expiry_and_a_held_passport(client, lawyer, client_record):
    from clients.models import Authority

    PermitFactory(
        client=client_record, valid_until=timezone.localdate() + timezone.timedelta(days=12)
    )
    DocumentFactory(
        client=client_record,
        held_by=Authority.objects.first(),
        held_since=timezone.localdate() - timezone.timedelta(days=95),
    )
    client.force_login(lawyer)
    page = client.get(client_record.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "expires in 12 days" in page
    assert "(95 days)" in page


def test_editing_a_client_someone_else_changed_reports_a_conflict(client, lawyer, client_record):
    client.force_login(lawyer)
    url = reverse("clients:client_edit", args=[client_record.pk])
    opened_version = client_record.version
    # A colleague saves first.
    client_record.phone = "+7 701 111 11 11"
    client_record.version += 1
    client_record.save()
    data = {
        "last_name": client_record.last_name,
        "first_name": client_record.first_name,
        "last_name_latin": client_record.last_name_latin,
        "sex": "m",
        "phone": "+7 702 222 22 22",
        "expected_version": opened_version,
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 409
    assert "+7 701 111 11 11" in page and "+7 702 222 22 22" in page
    client_record.refresh_from_db()
    assert client_record.phone == "+7 701 111 11 11"
    # Saving again is a deliberate choice, made against the newer version.
    data["expected_version"] = client_record.version
    assert client.post(url, data).status_code == 302
    client_record.refresh_from_db()
    assert client_record.phone == "+7 702 222 22 22"


@pytest.mark.parametrize("rows", [1, 20])
def test_client_list_runs_a_fixed_number_of_queries(
    client, lawyer, office, rows, django_assert_num_queries
):
    for _ in range(rows):
        PermitFactory(client=ClientFactory(office=office))
    client.force_login(lawyer)
    # session, user with office, 2 × permissions, unread badge, count, page, countries,
    # and the search's access record
    with django_assert_num_queries(9):
        client.get(reverse("clients:client_list"), {"q": "rahimov"})


@pytest.mark.parametrize("rows", [1, 20])
def test_client_page_runs_a_fixed_number_of_queries(
    client, lawyer, client_record, rows, django_assert_num_queries
):
    for _ in range(rows):
        PermitFactory(client=client_record)
        DocumentFactory(client=client_record)
    client.force_login(lawyer)
    # session, user with office, 2 × permissions, client, unread badge, permits, documents,
    # registrations, and the access record
    with django_assert_num_queries(10):
        client.get(client_record.get_absolute_url())


def test_client_list_finds_a_person_by_document_number(client, lawyer, client_record, office):
    DocumentFactory(client=client_record, number="FA0012345")
    ClientFactory(office=office, last_name="Посторонний")
    client.force_login(lawyer)
    page = client.get(reverse("clients:client_list"), {"q": "fa0012345"}).content.decode()
    assert client_record.last_name in page
    assert "Посторонний" not in page
