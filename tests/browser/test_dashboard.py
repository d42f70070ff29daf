"""The coordinator's dashboard in a real browser: charts drawn under the strict CSP, and
the summary first on a phone."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Deadline
from tests.factories import CaseFactory, ClientFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
DAY = timedelta(days=1)


def test_coordinator_opens_the_dashboard_in_russian_and_sees_a_chart(page, live_server, sign_in):
    office = OfficeFactory(name="Алматы (сводка)", registry_prefix="BDB")
    UserFactory(username="b-coordinator", office=office, groups=["coordinator"])
    case = CaseFactory(client=ClientFactory(office=office), opened_on=timezone.localdate())
    case.close(outcome="won", closed_on=timezone.localdate())
    problems = []

    def on_console(message) -> None:
        # The browser's own favicon request 404s on every page; it is not this page's doing.
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(str(e)))

    sign_in(page, "b-coordinator")
    page.click("nav a[href='/dashboard/']")
    expect(page.locator("h1")).to_have_text("Сводка по команде")
    canvas = page.locator("canvas[data-chart='chart-monthly']")
    expect(canvas).to_have_attribute("data-drawn", "true")
    assert canvas.bounding_box()["height"] > 100
    expect(page.locator("#t-outcomes table")).to_contain_text("1")
    assert problems == []


def test_on_a_phone_the_dashboard_counts_first_and_opens_a_list_on_demand(
    page, live_server, sign_in
):
    office = OfficeFactory(name="Алматы (телефон)", registry_prefix="BPH")
    UserFactory(username="b-phone", office=office, groups=["coordinator"])
    case = CaseFactory(client=ClientFactory(office=office), reference="BPH-0001")
    Deadline.objects.create(case=case, title="Подать жалобу", due_on=timezone.localdate() - DAY)
    sign_in(page, "b-phone")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/")
    overdue = page.get_by_role("link", name="1 Просроченные сроки")
    expect(overdue).to_be_in_viewport()
    deadlines = page.locator("#t-deadlines")
    expect(deadlines.get_by_role("link", name="BPH-0001")).to_be_hidden()
    deadlines.get_by_text("Показать список").click()
    link = deadlines.get_by_role("link", name="BPH-0001")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 390
    expect(deadlines.locator("td", has_text="Подать жалобу")).to_have_attribute(
        "data-label", "Что нужно сделать"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    if screens := os.environ.get("CASEWORK_SCREENS"):
        page.screenshot(path=f"{screens}/dashboard-list-opened.png", full_page=True)
    deadlines.get_by_text("Скрыть список").click()
    expect(link).to_be_hidden()

    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    expect(deadlines.get_by_role("link", name="BPH-0001")).to_be_visible()
    expect(deadlines.get_by_text("Показать список")).to_be_hidden()
