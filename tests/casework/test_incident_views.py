import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Incident, IncidentClient
from clients.models import Client
from tests.factories import ClientFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def raid(office):
    return Incident.objects.create(
        title="Рейд на рынке",
        office=office,
        started_on=timezone.localdate(),
        place="Рынок",
        city="Алматы",
        detained_count=120,
        expelled_count=10,
    )


def test_paralegal_records_a_raid(client, paralegal):
    client.force_login(paralegal)
    response = client.post(
        reverse("casework:incident_create"),
        {
            "title": "Проверка на стройке",
            "kind": "raid",
            "started_on": timezone.localdate().isoformat(),
            "place": "Стройка",
            "city": "Алматы",
            "detained_count": "40",
            "expelled_count": "3",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert incident.office == paralegal.office


def test_raid_cannot_report_more_expelled_than_detained(client, paralegal):
    client.force_login(paralegal)
    response = client.post(
        reverse("casework:incident_create"),
        {
            "title": "x",
            "kind": "raid",
            "started_on": timezone.localdate().isoformat(),
            "place": "p",
            "city": "c",
            "detained_count": "1",
            "expelled_count": "3",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "More people expelled than detained." in response.content.decode()


def test_quick_intake_registers_and_links_several_clients(client, paralegal, raid):
    client.force_login(paralegal)
    data = {"intake-TOTAL_FORMS": "5", "intake-INITIAL_FORMS": "0"}
    names = [("Турсунов", "Ботир", "UZ"), ("Назарова", "Зарина", "TJ"), ("Мамытов", "Бакыт", "KG")]
    for i, (last, first, code) in enumerate(names):
        data |= {
            f"intake-{i}-last_name": last,
            f"intake-{i}-first_name": first,
            f"intake-{i}-nationality": country(code).pk,
            f"intake-{i}-detained": "on",
            f"intake-{i}-passport_number": f"N{i}00000",
        }
    response = client.post(reverse("casework:incident_intake", args=[raid.pk]), data)
    assert response.status_code == 302
    assert raid.links.count() == 3
    assert Client.objects.filter(documents__number="N000000").exists()


def test_quick_intake_with_one_bad_row_saves_nothing_and_keeps_all_rows(client, paralegal, raid):
    client.force_login(paralegal)
    data = {
        "intake-TOTAL_FORMS": "2",
        "intake-INITIAL_FORMS": "0",
        "intake-0-last_name": "Турсунов",
        "intake-0-first_name": "Ботир",
        "intake-1-first_name": "Безфамильный",
        "intake-1-phone": "+7 700",
    }
    response = client.post(
        reverse("casework:incident_intake", args=[raid.pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Турсунов" in page and "Безфамильный" in page
    assert "Enter the last name in Cyrillic or Latin." in page
    assert not Client.objects.exists()


def test_linking_existing_clients_ignores_ones_the_user_cannot_see(
    client, lawyer, raid, office, other_office
):
    mine = ClientFactory(office=office)
    theirs = ClientFactory(office=other_office)
    client.force_login(lawyer)
    client.post(
        reverse("casework:incident_link", args=[raid.pk]), {"clients": [mine.pk, theirs.pk]}
    )
    assert list(raid.links.values_list("client_id", flat=True)) == []
    client.post(reverse("casework:incident_link", args=[raid.pk]), {"clients": [mine.pk]})
    assert list(raid.links.values_list("client_id", flat=True)) == [mine.pk]


def test_cases_open_in_bulk_once_per_client(client, lawyer, raid, office):
    for _ in range(4):
        IncidentClient.objects.create(incident=raid, client=ClientFactory(office=office))
    client.force_login(lawyer)
    url = reverse("casework:incident_open_cases", args=[raid.pk])
    client.post(url, {"kind": "expulsion", "responsible_lawyer": lawyer.pk})
    client.post(url, {"kind": "expulsion", "responsible_lawyer": lawyer.pk})
    cases = Case.objects.filter(incident=raid)
    assert cases.count() == 4
    assert set(cases.values_list("responsible_lawyer", flat=True)) == {lawyer.pk}
    assert len(set(cases.values_list("reference", flat=True))) == 4


def test_incident_page_searches_clients_to_link(client, lawyer, raid, office):
    ClientFactory(office=office, last_name="Давлатов", first_name="Далер")
    client.force_login(lawyer)
    page = client.get(raid.get_absolute_url(), {"q": "Давлатов"}).content.decode()
    assert "Давлатов Далер" in page


@pytest.mark.parametrize("rows", [1, 20])
def test_incident_page_runs_a_fixed_number_of_queries(
    client, lawyer, raid, office, rows, django_assert_num_queries
):
    for _ in range(rows):
        IncidentClient.objects.create(incident=raid, client=ClientFactory(office=office))
    from casework.services import open_cases_for_incident

    open_cases_for_incident(incident=raid, kind="expulsion", opened_by=lawyer)
    client.force_login(lawyer)
    with django_assert_num_queries(13):
        client.get(raid.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 20])
def test_incident_list_runs_a_fixed_number_of_queries(
    client, lawyer, office, rows, django_assert_num_queries
):
    for i in range(rows):
        Incident.objects.create(
            title=f"r{i}", office=office, started_on=timezone.localdate(), place="p", city="c"
        )
    client.force_login(lawyer)
    with django_assert_num_queries(7):
        client.get(reverse("casework:incident_list"))
