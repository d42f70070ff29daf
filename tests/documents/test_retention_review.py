"""Closed cases past CLOSED_CASE_RETENTION_DAYS are listed for review, with a way to the
client's erasure: listed only, sorted by closing date, paginated, for who may erase."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case
from clients.models import Erasure
from tests.factories import CaseFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("documents:retention_review")


@pytest.fixture(autouse=True)
def one_year(settings):
    settings.CLOSED_CASE_RETENTION_DAYS = 365


def closed(office, days_ago: int, client=None, reference=None) -> Case:
    today = timezone.localdate()
    case = CaseFactory(
        client=client or ClientFactory(office=office),
        opened_on=today - timedelta(days=days_ago + 30),
        **({"reference": reference} if reference else {}),
    )
    case.close(outcome="won", closed_on=today - timedelta(days=days_ago))
    return case


def references(response) -> list[str]:
    return re.findall(r">(TEST-C-\d+|OLD-\d+)</a>", response.content.decode())


def test_only_closed_cases_past_the_period_of_clients_not_erased_are_listed(
    client, coordinator, office
):
    old = closed(office, 400)
    recent = closed(office, 100)
    still_open = CaseFactory(client=ClientFactory(office=office))
    erased = closed(office, 500)
    Erasure.objects.create(client=erased.client, erased_by=coordinator, reason="request")
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    response = client.get(URL)
    assert response.status_code == 200
    assert references(response) == [old.reference]
    page = response.content.decode()
    for case in (recent, still_open, erased):
        assert case.reference not in page
    assert reverse("documents:client_erase", args=[old.client_id]) in page
    assert "более 365 дней назад" in page
    assert Case.objects.count() == 4  # nothing is erased or removed by the list


def test_a_client_with_an_open_or_recent_case_gets_no_erase_button(client, coordinator, office):
    busy = ClientFactory(office=office)
    old = closed(office, 400, client=busy)
    CaseFactory(client=busy)  # still open
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    page = client.get(URL).content.decode()
    assert old.reference in page
    assert "у клиента есть открытое или более позднее дело" in page
    assert reverse("documents:client_erase", args=[busy.pk]) not in page


def test_sorted_by_closing_date_oldest_first_and_the_other_way(client, coordinator, office):
    middle = closed(office, 500, reference="OLD-2")
    oldest = closed(office, 900, reference="OLD-1")
    newest = closed(office, 400, reference="OLD-3")
    client.force_login(coordinator)
    expected = [oldest.reference, middle.reference, newest.reference]
    assert references(client.get(URL)) == expected
    assert references(client.get(URL, {"sort": "-closed"})) == expected[::-1]
    assert references(client.get(URL, {"sort": "nonsense"})) == expected


def test_paginated_fifty_a_page(client, coordinator, office):
    for _ in range(51):
        closed(office, 400)
    client.force_login(coordinator)
    assert len(references(client.get(URL))) == 50
    assert len(references(client.get(URL, {"page": 2}))) == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_the_list_costs_the_same_queries_for_1_row_or_20(
    client, coordinator, office, rows, django_assert_num_queries
):
    for _ in range(rows):
        closed(office, 400)
    client.force_login(coordinator)
    client.get(URL)  # session and permissions warmed up
    with django_assert_num_queries(7):
        assert len(references(client.get(URL))) == rows


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["lawyer", "reader", "paralegal", "outsider"])
def test_staff_who_may_not_erase_get_403(client, request, office, who):
    closed(office, 400)
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_a_user_with_no_role_gets_403(client, office):
    client.force_login(UserFactory(username="no-role", office=office))
    assert client.get(URL).status_code == 403


def test_the_client_list_links_to_the_review_for_who_may_erase(client, coordinator, lawyer):
    client.cookies["django_language"] = "ru"
    client.force_login(coordinator)
    assert (
        "Дела с истёкшим сроком хранения"
        in client.get(reverse("clients:client_list")).content.decode()
    )
    client.force_login(lawyer)
    assert (
        "Дела с истёкшим сроком хранения"
        not in client.get(reverse("clients:client_list")).content.decode()
    )
