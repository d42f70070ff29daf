"""A lawyer corrects a client's permit expiry on the client page, opens the case, and finds
the renewal deadline already counted from the new date: no pass to wait for."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import DeadlineRule
from casework.services import open_case
from casework.workdays import Calendar
from tests.factories import ClientFactory, OfficeFactory, PermitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
RULE = "Начать продление разрешения"


def test_a_permit_expiry_corrected_on_the_client_page_shows_on_the_case_at_once(
    page, live_server, sign_in
):
    office = OfficeFactory(name="Алматы (разрешения)", registry_prefix="BPD")
    lawyer = UserFactory(username="b-permits", office=office, groups=["lawyer"])
    person = ClientFactory(office=office, last_name="Мирзаев", first_name="Жасур")
    today = timezone.localdate()
    old_expiry, new_expiry = today + timedelta(days=200), today + timedelta(days=320)
    PermitFactory(
        client=person,
        number="KZ-LAB-4242",
        valid_from=today - timedelta(days=100),
        valid_until=old_expiry,
    )
    case = open_case(
        client=person, office=office, kind="permit", opened_by=lawyer, responsible_lawyer=lawyer
    )
    rule = DeadlineRule.objects.get(code="permit-renewal")
    old_due = rule.due_after(old_expiry, calendar=Calendar("KZ"))
    new_due = rule.due_after(new_expiry, calendar=Calendar("KZ"))

    sign_in(page, "b-permits")
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    page.locator("#permits").get_by_role("link", name="Изменить").click()
    page.get_by_label("Действует до").fill(f"{new_expiry:%Y-%m-%d}")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Сохранено.")).to_be_visible()
    expect(page.locator("#permits")).to_contain_text(f"{new_expiry:%d.%m.%Y}")

    page.locator("#cases").get_by_role("link", name=case.reference).click()
    expect(page.locator("h1")).to_contain_text(case.reference)
    renewal = page.locator("#deadlines li", has_text=RULE)
    expect(renewal).to_have_count(1)
    expect(renewal).to_contain_text(f"{new_due:%d.%m.%Y}")
    expect(renewal).to_contain_text(
        re.compile(f"истечения срока разрешения.*{new_expiry:%d.%m.%Y}")
    )
    expect(page.locator("#deadlines")).not_to_contain_text(f"{old_due:%d.%m.%Y}")
    page.screenshot(path="/tmp/permit-deadline-case.png", full_page=True)
