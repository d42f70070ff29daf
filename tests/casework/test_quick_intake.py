"""The incident's quick intake: every row is checked against the people on record, with the
same rule as the single intake form, and the paralegal decides per row before anything is
saved."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Incident, IncidentClient
from clients.models import Client, IdentityDocument
from tests.factories import ClientFactory, DocumentFactory, country

pytestmark = pytest.mark.django_db

FIELDS = (
    "last_name",
    "first_name",
    "last_name_latin",
    "first_name_latin",
    "nationality",
    "date_of_birth",
    "sex",
    "phone",
    "passport_number",
    "detained",
    "expelled",
    "languages",
    "match",
    "update_existing",
)


@pytest.fixture
def raid(office):
    return Incident.objects.create(
        title="Рейд на рынке",
        office=office,
        started_on=timezone.localdate(),
        place="Рынок",
        city="Алматы",
        detained_count=50,
    )


@pytest.fixture
def rahimov(office):
    """A person on record, in Cyrillic only, with a passport."""
    person = ClientFactory(
        office=office, last_name="Рахимов", first_name="Алишер", last_name_latin="",
        first_name_latin="",
    )  # fmt: skip
    DocumentFactory(client=person, number="FA1234567")
    return person


def form_data(*rows: dict, total: int | None = None) -> dict:
    data = {"intake-TOTAL_FORMS": str(total or len(rows)), "intake-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for name, value in row.items():
            if value is True:
                value = "on"
            elif value is False:
                continue
            data[f"intake-{i}-{name}"] = value
    return data


def post(client, raid, *rows, **extra):
    return client.post(
        reverse("casework:incident_intake", args=[raid.pk]),
        form_data(*rows),
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def chosen(page: str, client: Client) -> bool:
    """The radio button "this is the same person" for this client is selected."""
    return re.search(rf'value="{client.pk}"[^>]*checked', page) is not None


def person(last, first, **more) -> dict:
    return {"last_name": last, "first_name": first, "detained": True} | more


def test_a_known_person_typed_in_latin_is_shown_back_and_nothing_is_saved(
    client, paralegal, raid, rahimov
):
    client.force_login(paralegal)
    response = post(
        client,
        raid,
        person("Турсунов", "Ботир"),
        {"last_name_latin": "Rakhimov", "first_name_latin": "Alisher", "phone": "+7 701 000"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Рахимов Алишер" in page and "FA1234567" in page
    assert f'value="{rahimov.pk}"' in page
    # Everything typed is kept, in every row.
    assert 'value="Турсунов"' in page and 'value="Rakhimov"' in page
    assert 'value="+7 701 000"' in page
    assert Client.objects.count() == 1
    assert not raid.links.exists()


def test_the_same_passport_number_is_caught_whatever_the_name(client, paralegal, raid, rahimov):
    client.force_login(paralegal)
    uz = country("UZ").pk
    response = post(
        client, raid, person("Иванов", "Пётр", passport_number="fa1234567", nationality=uz)
    )
    assert response.status_code == 409
    assert f'value="{rahimov.pk}"' in response.content.decode()


def test_an_exact_copy_is_caught(client, paralegal, raid, rahimov):
    client.force_login(paralegal)
    response = post(client, raid, person("Рахимов", "Алишер"))
    assert response.status_code == 409
    assert Client.objects.count() == 1


def test_people_the_user_may_not_see_are_never_offered(client, paralegal, raid, other_office):
    ClientFactory(office=other_office, last_name="Рахимов", first_name="Алишер")
    client.force_login(paralegal)
    response = post(client, raid, person("Рахимов", "Алишер"))
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_same_person_links_them_and_adds_the_typed_spelling_and_passport(
    client, paralegal, raid, rahimov
):
    client.force_login(paralegal)
    uz = country("UZ").pk
    row = {
        "last_name_latin": "Rahimov",
        "first_name_latin": "Alisher",
        "nationality": uz,
        "passport_number": "FB7654321",
        "expelled": True,
        "match": str(rahimov.pk),
        "update_existing": True,
    }
    response = post(client, raid, row, follow=True)
    assert response.status_code == 200
    assert "New clients registered: 0. Linked as people already on record: 1." in (
        response.content.decode()
    )
    link = IncidentClient.objects.get(incident=raid)
    assert link.client == rahimov
    assert (link.detained, link.expelled) == (False, True)
    rahimov.refresh_from_db()
    assert rahimov.other_spellings == "Rahimov Alisher"
    assert set(rahimov.documents.values_list("number", flat=True)) == {"FA1234567", "FB7654321"}
    assert Client.objects.count() == 1
    # The next search by the passport spelling finds the record.
    assert Client.objects.filter(search_key__contains="alisher").get() == rahimov


def test_same_person_without_updating_leaves_their_record_as_it_was(
    client, paralegal, raid, rahimov
):
    client.force_login(paralegal)
    uz = country("UZ").pk
    row = person("Рахимов", "Алишер", nationality=uz, passport_number="FB7654321")
    post(client, raid, row | {"match": str(rahimov.pk)})
    rahimov.refresh_from_db()
    assert raid.links.get().client == rahimov
    assert rahimov.other_spellings == ""
    assert rahimov.documents.count() == 1


def test_a_different_person_is_registered_as_new(client, paralegal, raid, rahimov):
    client.force_login(paralegal)
    response = post(
        client, raid, person("Рахимов", "Алишер", sex="m", languages="узбекский") | {"match": "new"}
    )
    assert response.status_code == 302
    new = Client.objects.exclude(pk=rahimov.pk).get()
    assert (new.sex, new.languages) == ("m", "узбекский")
    assert raid.links.get().client == new


def test_a_different_person_cannot_take_a_recorded_passport(client, paralegal, raid, rahimov):
    client.force_login(paralegal)
    uz = country("UZ").pk
    row = person("Каримов", "Олим", nationality=uz, passport_number="FA1234567")
    response = post(client, raid, row | {"match": "new"})
    assert response.status_code == 400
    assert "A passport with this number is already recorded." in response.content.decode()
    assert Client.objects.count() == 1


def test_one_undecided_row_saves_nothing_and_keeps_every_choice(
    client, paralegal, raid, rahimov, office
):
    yusupova = ClientFactory(office=office, last_name="Юсупова", first_name="Дилноза")
    client.force_login(paralegal)
    response = post(
        client,
        raid,
        person("Рахимов", "Алишер", match=str(rahimov.pk)),
        {"last_name_latin": "Iusupova", "first_name_latin": "Dilnoza", "detained": True},
        person("Турсунов", "Ботир"),
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert f'value="{yusupova.pk}"' in page
    assert chosen(page, rahimov)
    assert "Say whether this is one of the people on record or someone else." in page
    assert Client.objects.count() == 2 and not raid.links.exists()


def test_one_invalid_row_saves_nothing_even_with_every_choice_made(
    client, paralegal, raid, rahimov
):
    client.force_login(paralegal)
    response = post(
        client,
        raid,
        person("Рахимов", "Алишер", match=str(rahimov.pk)),
        {"first_name": "Безфамильный", "phone": "+7 700"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter the last name in Cyrillic or Latin." in page
    assert 'value="Безфамильный"' in page and chosen(page, rahimov)
    assert not raid.links.exists() and Client.objects.count() == 1


def test_a_person_already_linked_is_reported_not_linked_twice(client, paralegal, raid, rahimov):
    IncidentClient.objects.create(incident=raid, client=rahimov, expelled=True)
    client.force_login(paralegal)
    response = post(client, raid, person("Рахимов", "Алишер"))
    assert "already linked to this incident" in response.content.decode()
    response = post(
        client,
        raid,
        person("Рахимов", "Алишер", match=str(rahimov.pk)),
        person("Rakhimov", "Alisher", match=str(rahimov.pk)),
        follow=True,
    )
    page = response.content.decode()
    assert "Already linked to this incident, not linked again: Рахимов Алишер" in page
    assert raid.links.get().expelled is True


def test_a_forged_choice_of_someone_not_offered_links_nobody(
    client, paralegal, raid, rahimov, other_office
):
    stranger = ClientFactory(office=other_office, last_name="Рахимов", first_name="Алишер")
    client.force_login(paralegal)
    response = post(client, raid, person("Рахимов", "Алишер", match=str(stranger.pk)))
    assert response.status_code == 409
    assert not raid.links.exists()


def test_a_choice_that_no_longer_matches_the_row_is_not_saved_as_someone_new(
    client, paralegal, raid, rahimov
):
    client.force_login(paralegal)
    row = person("Каримов", "Олим", match=str(rahimov.pk))
    response = post(client, raid, row)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The person chosen earlier no longer matches this row." in page
    assert f'name="intake-0-match" value="{rahimov.pk}"' not in page
    assert Client.objects.count() == 1
    assert post(client, raid, person("Каримов", "Олим")).status_code == 302


def test_the_same_passport_typed_in_two_rows_is_refused(client, paralegal, raid):
    client.force_login(paralegal)
    kg = country("KG").pk
    response = post(
        client,
        raid,
        person("Мамытов", "Бакыт", nationality=kg, passport_number="ID100"),
        person("Осмонов", "Нурлан", nationality=kg, passport_number="ID100"),
    )
    assert response.status_code == 400
    assert "The same passport is typed in row 1." in response.content.decode()
    assert not Client.objects.exists()


def test_an_empty_table_is_refused(client, paralegal, raid):
    client.force_login(paralegal)
    response = post(client, raid, {"detained": True}, {"detained": True})
    assert response.status_code == 400
    assert "Type at least one person." in response.content.decode()


def test_new_people_get_every_column(client, paralegal, raid):
    client.force_login(paralegal)
    tj = country("TJ").pk
    row = {
        "last_name": "Назарова",
        "first_name": "Зарина",
        "last_name_latin": "Nazarova",
        "first_name_latin": "Zarina",
        "nationality": tj,
        "date_of_birth": "1994-03-08",
        "sex": "f",
        "phone": "+7 777 123 45 67",
        "passport_number": "400123456",
        "detained": True,
        "expelled": True,
        "languages": "таджикский, русский",
    }
    response = post(client, raid, row, follow=True)
    assert "New clients registered: 1. Linked as people already on record: 0." in (
        response.content.decode()
    )
    new = Client.objects.get()
    assert (new.last_name_latin, new.sex, new.phone) == ("Nazarova", "f", "+7 777 123 45 67")
    assert str(new.date_of_birth) == "1994-03-08" and new.languages == "таджикский, русский"
    assert new.created_by == paralegal and new.office == raid.office
    assert IdentityDocument.objects.get().number == "400123456"
    link = raid.links.get()
    assert (link.detained, link.expelled) == (True, True)


def test_every_input_has_a_label_naming_its_row(client, paralegal, raid):
    client.force_login(paralegal)
    page = client.get(raid.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for name in FIELDS[:12]:
        assert f'for="id_intake-2-{name}"' in page
    assert 'aria-label="Фамилия (кириллицей), строка 3"' in page
    assert 'aria-label="Задержан, строка 5"' in page
    assert "js/quick_intake.js" in page


@pytest.mark.parametrize("rows", [1, 8])
def test_checking_costs_one_query_per_filled_row(
    client, paralegal, raid, rahimov, rows, django_assert_num_queries
):
    """14 whatever the size (session, user, permissions, incident, countries, the look-alikes'
    documents and links, the page shown back with its figures) plus the duplicate check of
    each row."""
    client.force_login(paralegal)
    typed = [person("Рахимов", "Алишер") for _ in range(rows)]
    with django_assert_num_queries(14 + rows):
        response = post(client, raid, *typed)
    assert response.status_code == 409


@pytest.mark.parametrize("rows", [1, 8])
def test_saving_costs_eight_queries_per_new_person(
    client, paralegal, raid, rows, django_assert_num_queries
):
    """Per row: its duplicate check, then the client, passport and link, each with its
    history row; 9 more for the whole table."""
    client.force_login(paralegal)
    uz = country("UZ").pk
    typed = [
        person(f"Новиков{i}", "Ян", nationality=uz, passport_number=f"N{i}") for i in range(rows)
    ]
    with django_assert_num_queries(9 + 8 * rows):
        response = post(client, raid, *typed)
    assert response.status_code == 302
    assert raid.links.count() == rows


def test_anonymous_is_sent_to_login(client, raid):
    response = post(client, raid, person("Рахимов", "Алишер"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_outsider_gets_404_and_nothing_is_saved(client, outsider, raid):
    client.force_login(outsider)
    assert post(client, raid, person("Рахимов", "Алишер")).status_code == 404
    assert not Client.objects.exists()


def test_read_only_colleague_gets_403(client, reader, raid):
    client.force_login(reader)
    assert post(client, raid, person("Рахимов", "Алишер")).status_code == 403
    assert not Client.objects.exists()
