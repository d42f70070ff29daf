"""Lists sort by a column header: ascending, then descending, keeping the filters; an
unknown sort falls back to the default; the query count does not change with the sort."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline, Incident
from clients.sorting import Sorting
from tests.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


def references(html: str) -> list[str]:
    return re.findall(r">(TEST-C-\d+)<", html)


def header(html: str, key: str) -> str:
    """The header cell whose link sorts by `key`, either way."""
    for th in re.findall(r"<th scope=\"col\"[^>]*><a [^>]*>", html):
        if re.search(rf"[?&;]sort=-?{key}(&|\")", th):
            return th
    raise AssertionError(f"no sortable header {key}")


def link_of(th: str) -> str:
    return re.search(r'href="([^"]+)"', th).group(1).replace("&amp;", "&")


@pytest.fixture
def three_cases(office, lawyer):
    today = timezone.localdate()
    made = []
    for i, (name, due) in enumerate([("Бекова", 5), ("Абаева", None), ("Валиева", 1)]):
        case = CaseFactory(
            client=ClientFactory(office=office, last_name=name),
            responsible_lawyer=lawyer,
            opened_on=today - timedelta(days=10 - i),
        )
        if due is not None:
            Deadline.objects.create(case=case, title="x", due_on=today + timedelta(days=due))
        made.append(case)
    return made


def test_the_case_list_sorts_by_due_date_with_undated_cases_last(client, lawyer, three_cases):
    client.force_login(lawyer)
    bekova, abaeva, valieva = (c.reference for c in three_cases)
    page = client.get(reverse("casework:case_list"), {"scope": "mine", "sort": "due"})
    html = page.content.decode()
    assert references(html) == [valieva, bekova, abaeva]
    th = header(html, "due")
    assert 'aria-sort="ascending"' in th
    # The header now offers the other direction, and keeps the scope.
    link = link_of(th)
    assert "sort=-due" in link and "scope=mine" in link
    html = client.get(reverse("casework:case_list") + link).content.decode()
    assert references(html) == [bekova, valieva, abaeva]
    assert 'aria-sort="descending"' in header(html, "due")


def test_the_case_list_sorts_by_client_and_by_opening_date(client, lawyer, three_cases):
    client.force_login(lawyer)
    bekova, abaeva, valieva = (c.reference for c in three_cases)
    url = reverse("casework:case_list")
    assert references(client.get(url, {"sort": "client"}).content.decode()) == [
        abaeva,
        bekova,
        valieva,
    ]
    html = client.get(url).content.decode()
    assert references(html) == [valieva, abaeva, bekova]  # newest first by default
    assert 'aria-sort="descending"' in header(html, "opened")
    assert "aria-sort" not in header(html, "client")


@pytest.mark.parametrize("value", ["nonsense", "-", "client__search_key", "-pk", "due;drop"])
def test_an_unknown_sort_falls_back_to_the_default(client, lawyer, three_cases, value):
    client.force_login(lawyer)
    response = client.get(reverse("casework:case_list"), {"sort": value})
    assert response.status_code == 200
    assert references(response.content.decode()) == [c.reference for c in three_cases[::-1]]


def test_the_search_form_keeps_the_chosen_sort(client, lawyer, three_cases):
    client.force_login(lawyer)
    html = client.get(reverse("casework:case_list"), {"sort": "-reference"}).content.decode()
    assert '<input type="hidden" name="sort" value="-reference">' in html


def test_the_work_queue_sorts_soonest_due_first_and_by_reference(client, paralegal, three_cases):
    client.force_login(paralegal)
    bekova, abaeva, valieva = (c.reference for c in three_cases)
    url = reverse("casework:case_queue")
    html = client.get(url).content.decode()
    assert references(html) == [valieva, bekova, abaeva]
    assert 'aria-sort="ascending"' in header(html, "due")
    html = client.get(url, {"sort": "-reference"}).content.decode()
    assert references(html) == sorted([bekova, abaeva, valieva], reverse=True)


def test_the_client_list_sorts_by_name_citizenship_and_registration(client, lawyer, office):
    from tests.factories import country

    ClientFactory(office=office, last_name="Бобоев", nationality=country("TJ"))
    ClientFactory(office=office, last_name="Алиев", nationality=country("UZ"))
    ClientFactory(office=office, last_name="Виноградов", nationality=country("KG"))
    client.force_login(lawyer)
    url = reverse("clients:client_list")

    def names(params):
        html = client.get(url, params).content.decode()
        return re.findall(r"(Алиев|Бобоев|Виноградов)", html)

    assert names({}) == ["Алиев", "Бобоев", "Виноградов"]
    assert names({"sort": "-name"}) == ["Виноградов", "Бобоев", "Алиев"]
    # Кыргызстан, Таджикистан, Узбекистан
    assert names({"sort": "citizenship"}) == ["Виноградов", "Бобоев", "Алиев"]
    assert names({"sort": "-registered"}) == ["Виноградов", "Алиев", "Бобоев"]
    html = client.get(url, {"sort": "registered", "nationality": "UZ"}).content.decode()
    assert 'aria-sort="ascending"' in header(html, "registered")
    assert "nationality=UZ" in link_of(header(html, "name"))


def test_the_incident_list_sorts_by_date_and_title(client, lawyer, office):
    today = timezone.localdate()
    for title, days in [("Бета", 1), ("Альфа", 3), ("Гамма", 2)]:
        Incident.objects.create(
            title=title, office=office, started_on=today - timedelta(days=days), place="р", city="А"
        )
    client.force_login(lawyer)
    url = reverse("casework:incident_list")

    def titles(params):
        return re.findall(r">(Альфа|Бета|Гамма)<", client.get(url, params).content.decode())

    assert titles({}) == ["Бета", "Гамма", "Альфа"]
    assert titles({"sort": "date"}) == ["Альфа", "Гамма", "Бета"]
    assert titles({"sort": "title"}) == ["Альфа", "Бета", "Гамма"]
    assert titles({"sort": "-title"}) == ["Гамма", "Бета", "Альфа"]
    assert titles({"sort": "bogus"}) == ["Бета", "Гамма", "Альфа"]


@pytest.mark.parametrize(
    ("name", "sort", "queries"),
    [
        ("casework:case_list", "due", 7),
        ("casework:case_list", "-client", 7),
        ("casework:case_queue", "-status", 7),
        ("casework:incident_list", "title", 7),
        ("clients:client_list", "-citizenship", 8),
    ],
)
def test_a_sorted_list_runs_as_many_queries_for_one_row_as_for_thirty(
    client, lawyer, office, name, sort, queries, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            case = CaseFactory(client=ClientFactory(office=office), responsible_lawyer=lawyer)
            Deadline.objects.create(case=case, title="x", due_on=timezone.localdate())
            Incident.objects.create(
                title="x", office=office, started_on=timezone.localdate(), place="р", city="А"
            )

    client.force_login(lawyer)
    add(1)
    with django_assert_num_queries(queries):
        client.get(reverse(name), {"sort": sort})
    add(29)
    with django_assert_num_queries(queries):
        client.get(reverse(name), {"sort": sort})


def test_sorting_offers_the_other_direction_only_on_the_current_column():
    sorting = Sorting({"a": ("x",), "b": ("y",)}, default="a")
    chosen = sorting.choose("-b")
    assert chosen.ordering == ["-y", "-pk"]
    assert chosen.columns["b"].next == "b" and chosen.columns["b"].aria == "descending"
    assert chosen.columns["a"].next == "a" and chosen.columns["a"].aria == "none"
    assert sorting.choose(None).columns["a"].next == "-a"
