"""The coordinator's dashboard in a real browser: charts drawn under the strict CSP."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CaseFactory, ClientFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


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
