"""Amounts print as a Russian reader writes them, and a fine in MCI computes its tenge."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.forms import FineForm
from casework.models import Fine, MonthlyIndex
from casework.money import format_money
from tests.factories import FineFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("43250"), "KZT", f"43{NBSP}250,00{NBSP}₸"),
        (Decimal("1234567.5"), "KZT", f"1{NBSP}234{NBSP}567,50{NBSP}₸"),
        (Decimal("999.999"), "KZT", f"1{NBSP}000,00{NBSP}₸"),
        (Decimal("0"), "KZT", f"0,00{NBSP}₸"),
        (Decimal("15000"), "RUB", f"15{NBSP}000,00{NBSP}₽"),
        (Decimal("120.5"), "usd", f"120,50{NBSP}$"),
        (Decimal("2500"), "CHF", f"2{NBSP}500,00{NBSP}CHF"),  # no symbol known: the code
        (Decimal("-12.3"), "KZT", f"-12,30{NBSP}₸"),
    ],
)
def test_amounts_are_grouped_with_comma_decimals_and_the_currency_symbol(amount, currency, shown):
    assert format_money(amount, currency) == shown


def test_no_amount_prints_nothing():
    assert format_money(None, "KZT") == ""


def fine_form(case, **data):
    today = timezone.localdate().isoformat()
    values = {"issued_on": today, "currency": "KZT", "status": "issued"} | data
    return FineForm(values, instance=Fine(case=case))


@pytest.mark.django_db
def test_a_fine_in_mci_computes_its_tenge_amount_from_the_years_index(case):
    form = fine_form(case, mci_count="20", mci_year="2026", amount="")
    assert form.is_valid(), form.errors
    fine = form.save()
    index = MonthlyIndex.objects.get(year=2026, country=case.office.country)
    assert fine.amount == index.value * 20
    assert fine.mci_count == 20 and fine.mci_year == 2026


@pytest.mark.django_db
def test_with_mci_the_computed_amount_replaces_a_typed_one(case):
    form = fine_form(case, mci_count="10", mci_year="2025", amount="1")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("39320.00")


@pytest.mark.django_db
def test_a_year_without_an_index_is_refused_in_words_and_keeps_the_input(case):
    form = fine_form(case, mci_count="20", mci_year="1999", amount="")
    assert not form.is_valid()
    assert "1999" in str(form.errors["mci_year"])
    assert form["mci_count"].value() == "20"


@pytest.mark.django_db
def test_mci_without_a_year_asks_for_the_year(case):
    form = fine_form(case, mci_count="20", amount="")
    assert not form.is_valid()
    assert "mci_year" in form.errors


@pytest.mark.django_db
def test_a_fine_in_tenge_needs_no_mci(case):
    form = fine_form(case, amount="43250")
    assert form.is_valid(), form.errors
    assert form.save().amount == Decimal("43250")


@pytest.mark.django_db
def test_a_fine_without_amount_or_mci_is_refused(case):
    form = fine_form(case, amount="")
    assert not form.is_valid()
    assert "amount" in form.errors


@pytest.mark.django_db
def test_the_fine_form_on_the_case_page_computes_from_mci(client, lawyer, case):
    client.force_login(lawyer)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("casework:fine_create", args=[case.pk]),
        {
            "issued_on": today,
            "mci_count": "10",
            "mci_year": "2026",
            "currency": "KZT",
            "status": "issued",
        },
    )
    assert response.status_code == 302
    assert case.fines.get().amount == Decimal("43250.00")
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"43{NBSP}250,00{NBSP}₸" in page


@pytest.mark.django_db
def test_the_dashboard_shows_fine_totals_formatted_and_exports_numbers(client, lawyer, case):
    FineFactory(case=case, status="contested", amount=Decimal("43250"))
    FineFactory(case=case, status="contested", amount=Decimal("1000"))
    client.force_login(lawyer)
    page = client.get("/dashboard/").content.decode()
    assert f"44{NBSP}250,00{NBSP}₸" in page
    export = client.get(reverse("casework:dashboard_export", args=["fines", "csv"]))
    assert "44250" in export.content.decode("utf-8-sig")
