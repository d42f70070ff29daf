"""A form that creates a record lands on the record's own page, as a normal navigation:
one page, the address bar on it, and reloading shows the record, not the empty form again."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ClientFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(db):
    office = OfficeFactory(name="Алматы (навигация)", registry_prefix="NAV")
    UserFactory(username="n-paralegal", office=office, groups=["paralegal"])
    UserFactory(username="n-lawyer", office=office, groups=["lawyer"])
    return office


def _one_page_at(page, pattern: str, heading: str, message: str) -> None:
    expect(page).to_have_url(re.compile(pattern))
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()
    # Drawn inside the form, the new page brought a second navigation bar with it.
    expect(page.get_by_role("navigation", name="Основная навигация")).to_have_count(1)
    page.reload()
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.get_by_role("button", name="Сохранить")).to_have_count(0)


def test_a_new_incident_opens_its_own_page(page, live_server, sign_in, office):
    sign_in(page, "n-paralegal")
    page.get_by_role("link", name="Зарегистрировать инцидент").click()
    page.get_by_label("Название").fill("Проверка на рынке «Алтын»")
    page.get_by_label("Место").fill("Рынок «Алтын»")
    page.get_by_label("Город").fill("Алматы")
    page.screenshot(path="/tmp/nav-1-incident-form.png", full_page=True)
    page.get_by_role("button", name="Сохранить").click()
    _one_page_at(page, r"/incidents/\d+/$", "Проверка на рынке «Алтын»", "Инцидент зарегистрирован")
    page.screenshot(path="/tmp/nav-2-incident-page.png", full_page=True)


def test_a_new_case_opens_its_own_page(page, live_server, sign_in, office):
    person = ClientFactory(office=office, last_name="Навигатова", first_name="Зарина")
    sign_in(page, "n-lawyer")
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    page.get_by_role("link", name="Открыть дело").click()
    page.get_by_label("Вид").select_option(label="Административный штраф")
    page.screenshot(path="/tmp/nav-3-case-form.png", full_page=True)
    page.get_by_role("button", name="Сохранить").click()
    _one_page_at(page, r"/cases/\d+/$", "NAV-", "открыто")
    page.screenshot(path="/tmp/nav-4-case-page.png", full_page=True)
