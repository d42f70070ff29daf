"""An incident's figures by citizenship, counted from its linked clients and their cases,
beside the reported ones; on the incident page and in the dashboard and its exports."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from casework import dashboard as board
from casework.models import Case, Deadline, Hearing, Incident, IncidentClient, IncidentFigure
from tests.factories import CaseFactory, ClientFactory, HearingFactory, UserFactory, country

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def raid(office):
    return Incident.objects.create(
        title="Рейд на рынке", office=office, started_on=days(-20), place="Рынок", city="Алматы"
    )


def decided(case, outcome="expulsion_ordered", kind="expulsion") -> Hearing:
    return HearingFactory(
        case=case,
        kind=kind,
        starts_at=timezone.now() - timedelta(days=10),
        outcome=outcome,
        decision_received_on=days(-9),
    )


@pytest.fixture
def raid_with_cases(raid, office, lawyer):
    """Uzbekistan: two clients, both ordered expelled and represented, one appealed and won,
    the other's appeal deadline marked done. Tajikistan: one client without a case.
    Kyrgyzstan: one client whose sensitive case belongs to a colleague."""
    uz1, uz2 = (ClientFactory(office=office, nationality=country("UZ")) for _ in range(2))
    tj = ClientFactory(office=office, nationality=country("TJ"))
    kg = ClientFactory(office=office, nationality=country("KG"))
    for person in (uz1, uz2, tj, kg):
        IncidentClient.objects.create(incident=raid, client=person, expelled=person == uz2)
    first = CaseFactory(client=uz1, incident=raid, responsible_lawyer=lawyer)
    decided(first)
    decided(first, outcome="appeal_granted", kind="appeal")
    second = CaseFactory(client=uz2, incident=raid, responsible_lawyer=lawyer)
    hearing = decided(second)
    Deadline.objects.create(
        case=second, hearing=hearing, title="Апелляция", due_on=days(1), done_at=timezone.now()
    )
    # A case of the Tajik client from another matter is not representation in this raid.
    decided(CaseFactory(client=tj), outcome="appeal_rejected", kind="appeal")
    colleague = UserFactory(username="t-colleague", office=office, groups=["lawyer"])
    secret = CaseFactory(
        client=kg, incident=raid, responsible_lawyer=colleague, sensitivity="sensitive"
    )
    decided(secret, outcome="appeal_rejected", kind="appeal")
    IncidentFigure.objects.create(incident=raid, nationality=country("UZ"), detained=130)
    IncidentFigure.objects.create(incident=raid, nationality=country("AF"), detained=3, expelled=1)
    return raid


COLUMNS = (
    "clients",
    "detained",
    "expelled",
    "expulsion_ordered",
    "represented",
    "appealed",
    "appeal_granted",
    "appeal_rejected",
)


def counted(raid, user) -> dict:
    rows = IncidentClient.objects.filter(incident=raid).figures_by_nationality(
        Case.objects.visible_to(user)
    )
    return {row["nationality"]: tuple(row[c] for c in COLUMNS) for row in rows}


def test_figures_count_what_happened_and_what_the_ngo_did(raid_with_cases, lawyer):
    assert counted(raid_with_cases, lawyer) == {
        country("UZ").name: (2, 2, 1, 2, 2, 2, 1, 0),
        country("TJ").name: (1, 1, 0, 0, 0, 0, 0, 0),
        country("KG").name: (1, 1, 0, 0, 0, 0, 0, 0),
    }


def test_a_sensitive_case_counts_only_for_who_may_see_it(raid_with_cases, coordinator):
    assert counted(raid_with_cases, coordinator)[country("KG").name] == (1, 1, 0, 0, 1, 1, 0, 1)


def test_figures_are_one_query(raid_with_cases, lawyer, django_assert_num_queries):
    visible = Case.objects.visible_to(lawyer)  # reads the user's permissions
    links = IncidentClient.objects.filter(incident=raid_with_cases)
    with django_assert_num_queries(1):
        rows = links.figures_by_nationality(visible)
    assert len(rows) == 3


def test_incident_page_shows_counted_figures_beside_the_reported(client, raid_with_cases, lawyer):
    client.force_login(lawyer)
    response = client.get(raid_with_cases.get_absolute_url())
    rows = {row["name"]: row for row in response.context["figures"]}
    assert rows[country("UZ").name]["reported"].detained == 130
    assert rows[country("UZ").name]["counted"]["appealed"] == 2
    assert rows[country("AF").name]["counted"] is None  # reported only
    assert rows[country("TJ").name]["reported"] is None  # our client only
    page = response.content.decode()
    assert "Цифры по гражданству" in page
    assert "С юристом: есть дело." in page


def dashboard_rows(user) -> dict:
    start, end = board.default_period(timezone.localdate())
    scope = board.Scope(user=user, office=None, start=start, end=end, held_days=30)
    return {row.cells[0]: row.cells[1:] for row in board.incident_nationalities(scope).rows}


def test_dashboard_table_has_the_same_figures(raid_with_cases, lawyer):
    assert dashboard_rows(lawyer)[country("UZ").name] == (2, 2, 1, 2, 2, 2, 1, 0)


def test_dashboard_exports_carry_the_new_columns(client, raid_with_cases, lawyer):
    client.force_login(lawyer)
    url = reverse("casework:dashboard_export", args=["incident-nationalities", "csv"])
    body = client.get(url).content.decode("utf-8").lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0] == [
        "Гражданство",
        "Клиенты",
        "Задержано",
        "Выдворено",
        "Назначено выдворение",
        "С юристом",
        "Обжаловано",
        "Жалоба удовлетворена",
        "В жалобе отказано",
    ]
    assert [country("UZ").name, "2", "2", "1", "2", "2", "2", "1", "0"] in table

    url = reverse("casework:dashboard_export", args=["incident-nationalities", "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    values = list(book.active.values)
    assert (country("UZ").name, 2, 2, 1, 2, 2, 2, 1, 0) in values
