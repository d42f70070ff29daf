"""One way of writing dates, numbers and "how soon" on the pages a Russian reader opens:
02.12.2026 in tables and lists, "2 декабря 2026" in sentences, months by name, counts with
grouped thousands, "просрочено на 5 дней" rather than "Осталось дней -5"; exports keep real
dates and plain numbers."""

import csv
import html
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from casework.formats import grouped, how_soon
from casework.models import CaseNote, Deadline
from clients.models import Authority, Registration
from tests.factories import (
    DocumentFactory,
    FineFactory,
    HearingFactory,
    PermitFactory,
    country,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
MONTHS = "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь"
OF_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"


def today():
    return timezone.localdate()


def days(n: int):
    return today() + timedelta(days=n)


def short(day) -> str:
    return f"{day:%d.%m.%Y}"


def prose(day) -> str:
    return f"{day.day} {OF_MONTHS.split()[day.month - 1]} {day.year}"


def visible_text(page: str) -> str:
    """What a reader sees: no scripts (the charts' JSON), no tags and so no attribute values
    (a date input's value is ISO by the HTML standard)."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def russian(client, lawyer):
    client.force_login(lawyer)
    client.cookies["django_language"] = "ru"
    return client


@pytest.fixture
def busy_case(case, lawyer):
    """A case and its client with a date of every kind the main pages show."""
    case.opened_on = days(-60)
    case.save(update_fields=["opened_on"])
    for offset, title in [(-5, "Жалоба"), (0, "Ходатайство"), (3, "Апелляция")]:
        Deadline.objects.create(case=case, title=title, due_on=days(offset))
    HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=2))
    FineFactory(case=case, issued_on=days(-20), mci_count=10, mci_year=2026)
    CaseNote.objects.create(case=case, author=lawyer, text="Звонок клиенту")
    client = case.client
    client.consent_given_on = days(-30)
    client.save(update_fields=["consent_given_on"])
    PermitFactory(client=client, valid_until=days(12), renewal_applied_on=days(-2))
    DocumentFactory(client=client, held_by=Authority.objects.first(), held_since=days(-40))
    Registration.objects.create(
        client=client,
        address="ул. Абая, 1",
        city="Алматы",
        country=country("KZ"),
        registered_from=days(-90),
    )
    return case


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "client_list",
        "client_detail",
        "client_activity",
        "case_list",
        "case_detail",
        "dashboard",
    ],
)
def test_the_main_pages_show_no_iso_dates(russian, busy_case, name):
    urls = {
        "home": reverse("home"),
        "client_list": reverse("clients:client_list"),
        "client_detail": busy_case.client.get_absolute_url(),
        "client_activity": reverse("casework:client_activity", args=[busy_case.client.pk]),
        "case_list": reverse("casework:case_list"),
        "case_detail": busy_case.get_absolute_url(),
        "dashboard": reverse("casework:dashboard"),
    }
    response = russian.get(urls[name])
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert ISO_DATE.findall(text) == []
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text)


def test_the_case_page_writes_dates_short_and_says_how_soon_each_deadline_is(russian, busy_case):
    text = visible_text(russian.get(busy_case.get_absolute_url()).content.decode())
    assert short(days(-60)) in text  # opened
    assert short(days(-5)) in text and short(days(-20)) in text
    assert "просрочено на 5 дней" in text
    assert "сегодня" in text
    assert "через 3 дня" in text
    # A year is not a count: no thousands separator in it.
    assert "2026" in text and f"2{NBSP}026" not in text


def test_the_client_page_writes_sentences_with_the_month_by_name(russian, busy_case):
    text = visible_text(russian.get(busy_case.client.get_absolute_url()).content.decode())
    assert f"Согласие на обработку персональных данных дано {prose(days(-30))}." in text
    assert f"Заявление на продление подано {prose(days(-2))}" in text
    assert prose(days(-40)) in text  # held since
    assert "истекает через 12 дней" in text
    assert short(days(12)) in text  # the permit's end date, in its list


def test_home_says_how_soon_my_deadlines_are(russian, busy_case):
    text = visible_text(russian.get(reverse("home")).content.decode())
    assert "просрочено на 5 дней" in text
    assert "через 3 дня" in text


def test_the_dashboard_says_overdue_in_words_and_names_the_months(russian, busy_case):
    text = visible_text(russian.get(reverse("casework:dashboard")).content.decode())
    assert "Осталось дней" not in text
    assert "До срока" in text
    assert "просрочено на 5 дней" in text and "через 3 дня" in text
    assert "-5" not in text
    this_month = f"{MONTHS.split()[today().month - 1]} {today().year}"
    assert this_month in text
    assert not re.search(r"\b\d{4}-\d{2}\b", text)


def test_the_dashboard_groups_the_thousands_of_its_totals(russian, case):
    Deadline.objects.bulk_create(
        Deadline(case=case, title=f"Срок {i}", due_on=days(1)) for i in range(1000)
    )
    page = russian.get(reverse("casework:dashboard")).content.decode()
    assert f'<span class="badge text-bg-secondary">1{NBSP}000</span>' in page
    assert f"(1{NBSP}000)" in page
    assert f"Показаны первые 50 из 1{NBSP}000" in page


def test_the_xlsx_export_writes_real_dates_shown_the_russian_way(russian, busy_case):
    response = russian.get(reverse("casework:dashboard_export", args=["deadlines", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value.date() for row in rows] == [days(-5), days(0), days(3)]
    assert all(row[0].is_date and row[0].number_format == "dd.mm.yyyy" for row in rows)
    # Days stay numbers, below zero when overdue, under a header that says so.
    assert [row[1].value for row in rows] == [-5, 0, 3]
    assert sheet["B1"].value == "Осталось дней (меньше нуля — просрочено)"

    response = russian.get(reverse("casework:dashboard_export", args=["hearings", "xlsx"]))
    cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"]
    assert cell.is_date and cell.number_format == "dd.mm.yyyy hh:mm"

    response = russian.get(reverse("casework:dashboard_export", args=["monthly", "xlsx"]))
    cells = [row[0] for row in openpyxl.load_workbook(io.BytesIO(response.content)).active]
    assert cells[0].value == "Месяц"
    assert cells[-1].value.date() == today().replace(day=1)
    assert cells[-1].number_format == "mmmm yyyy"


def test_the_csv_export_writes_iso_dates_and_plain_numbers(russian, busy_case):
    url = reverse("casework:dashboard_export", args=["deadlines", "csv"])
    body = russian.get(url).content.decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert [(row[0], row[1]) for row in rows] == [
        (days(-5).isoformat(), "-5"),
        (days(0).isoformat(), "0"),
        (days(3).isoformat(), "3"),
    ]
    url = reverse("casework:dashboard_export", args=["monthly", "csv"])
    body = russian.get(url).content.decode().lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(body)))[-1][0] == f"{today():%Y-%m}"


@pytest.mark.parametrize(
    ("days_left", "russian", "english"),
    [
        (-1, "просрочено на 1 день", "overdue by 1 day"),
        (-3, "просрочено на 3 дня", "overdue by 3 days"),
        (-5, "просрочено на 5 дней", "overdue by 5 days"),
        (-21, "просрочено на 21 день", "overdue by 21 days"),
        (0, "сегодня", "today"),
        (11, "через 11 дней", "in 11 days"),
        (22, "через 22 дня", "in 22 days"),
        (1234, f"через 1{NBSP}234 дня", "in 1,234 days"),
    ],
)
def test_how_soon_speaks_each_language_with_its_plurals(days_left, russian, english):
    with translation.override("ru"):
        assert how_soon(days_left) == russian
    with translation.override("en"):
        assert how_soon(days_left) == english


def test_counts_are_grouped_by_language():
    with translation.override("ru"):
        assert grouped(1234567) == f"1{NBSP}234{NBSP}567"
        assert grouped(999) == "999"
    with translation.override("en"):
        assert grouped(1234567) == "1,234,567"


def form_classes():
    import inspect

    from django import forms

    import casework.forms
    import clients.forms
    import documents.admin
    import documents.forms

    for module in (casework.forms, clients.forms, documents.forms, documents.admin):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_form_label_starts_with_a_capital_letter(language):
    """Sentence case on every form: a label written in lower case, like a model's verbose
    name, is capitalised where it is declared (capfirst), never left to each template."""
    lower = []
    with translation.override(language):
        for form in form_classes():
            for name, field in form.base_fields.items():
                label = str(field.label or "")
                if label[:1].isalpha() and not label[:1].isupper():
                    lower.append(f"{form.__name__}.{name}: {label}")
    assert lower == []
