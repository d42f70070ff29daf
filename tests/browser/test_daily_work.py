"""The flows a person does, in a real browser, in Russian."""

import re

import pytest
from playwright.sync_api import expect

from casework.models import Case, Fine, Hearing
from clients.models import Client, ResidencePermit
from tests.factories import CaseFactory, ClientFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(db):
    office = OfficeFactory(name="Алматы (браузер)", registry_prefix="BRW")
    return {
        "office": office,
        "paralegal": UserFactory(username="b-paralegal", office=office, groups=["paralegal"]),
        "lawyer": UserFactory(username="b-lawyer", office=office, groups=["lawyer"]),
    }


def test_paralegal_registers_a_client_and_their_permit(page, live_server, sign_in, staff):
    sign_in(page, "b-paralegal")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.goto(f"{live_server.url}/clients/new/")
    page.fill("#id_last_name", "Холматова")
    page.fill("#id_first_name", "Гулнора")
    page.fill("#id_last_name_latin", "Xolmatova")
    page.fill("#id_first_name_latin", "Gulnora")
    page.select_option("#id_nationality", label="Узбекистан")
    page.fill("#id_passport_number", "FA7654321")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text(re.compile("Холматова Гулнора"))
    client = Client.objects.get(last_name="Холматова")

    page.click(f"a[href='/clients/{client.pk}/permits/new/']")
    page.select_option("#id_kind", index=1)
    page.fill("#id_number", "KZ-LAB-777")
    page.fill("#id_valid_from", "2026-01-10")
    page.fill("#id_valid_until", "2026-12-31")
    page.click("main form button[type=submit]")
    expect(page.locator("#permits")).to_contain_text("KZ-LAB-777")
    assert ResidencePermit.objects.get(client=client).number == "KZ-LAB-777"


def test_lawyer_records_a_fine_and_a_hearing_in_place_and_closes_the_case(
    page, live_server, sign_in, staff
):
    case = CaseFactory(
        client=ClientFactory(office=staff["office"]),
        office=staff["office"],
        responsible_lawyer=staff["lawyer"],
    )
    sign_in(page, "b-lawyer")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    url_before = page.url

    page.click("#fines a[hx-get]")
    form = page.locator("#fines .record-form form")
    form.locator("#id_issued_on").fill("2026-11-20")
    form.locator("#id_amount").fill("43250")
    form.locator("#id_status").select_option("contested")
    form.locator("button[type=submit]").click()
    expect(page.locator("#fines table")).to_contain_text(re.compile(r"43\s250,00\s₸"))
    assert page.url == url_before  # saved in place, no page load

    page.click("#hearings a[hx-get]")
    form = page.locator("#hearings .record-form form")
    form.locator("#id_starts_at").fill("2026-11-30T10:30")
    form.locator("#id_kind").select_option("expulsion")
    form.locator("button[type=submit]").click()
    expect(page.locator("#hearings table")).to_contain_text("30.11.2026 10:30")
    assert page.url == url_before

    page.select_option("#id_outcome", "won")
    page.click(f"form[action='/cases/{case.pk}/close/'] button[type=submit]")
    expect(page.locator(".badge").first).to_have_text(re.compile("Закрыто|Закрыт"))
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, "won")
    assert Fine.objects.filter(case=case).count() == 1
    assert Hearing.objects.filter(case=case).count() == 1


def test_a_conflicting_edit_from_a_second_browser_is_reported(browser, live_server, sign_in, staff):
    client = ClientFactory(office=staff["office"], phone="+7 700 000 00 00")
    first = browser.new_context(locale="ru-RU").new_page()
    second = browser.new_context(locale="ru-RU").new_page()
    sign_in(first, "b-lawyer")
    sign_in(second, "b-paralegal")
    edit_url = f"{live_server.url}/clients/{client.pk}/edit/"
    first.goto(edit_url)
    second.goto(edit_url)

    first.fill("#id_phone", "+7 701 111 11 11")
    first.click("main form button[type=submit]")
    expect(first.locator("#person")).to_contain_text("+7 701 111 11 11")

    second.fill("#id_phone", "+7 702 222 22 22")
    second.click("main form button[type=submit]")
    alert = second.locator(".alert-warning")
    expect(alert).to_contain_text("+7 701 111 11 11")
    expect(alert).to_contain_text("+7 702 222 22 22")
    expect(second.locator("#id_phone")).to_have_value("+7 702 222 22 22")
    client.refresh_from_db()
    assert client.phone == "+7 701 111 11 11"
