"""A lawyer sees a permit reminder in the app and marks it read, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Reminder
from casework.reminders import send_due_reminders
from tests.factories import CaseFactory, ClientFactory, OfficeFactory, PermitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lawyer_reads_a_permit_reminder_and_the_badge_goes(page, live_server, sign_in):
    office = OfficeFactory(name="Алматы (уведомления)", registry_prefix="BNT")
    lawyer = UserFactory(username="b-notified", office=office, groups=["lawyer"])
    client_record = ClientFactory(office=office)
    CaseFactory(client=client_record, responsible_lawyer=lawyer)
    today = timezone.localdate()
    PermitFactory(client=client_record, valid_from=today - timedelta(days=300), valid_until=today)
    send_due_reminders()
    assert Reminder.objects.filter(channel="in_app", delivered_at__isnull=False).count() == 1

    sign_in(page, "b-notified")
    badge = page.locator("#unread-badge")
    expect(badge).to_contain_text("1")
    badge.click()
    row = page.locator("#notifications li").first
    expect(row).to_contain_text("Срок разрешения истекает")
    page.evaluate("window.stillThisPage = true")
    row.get_by_role("button", name="Прочитано").click()
    expect(row.get_by_role("button", name="Прочитано")).to_have_count(0)
    expect(page.locator("#unread-badge .badge")).to_have_count(0)
    assert page.evaluate("window.stillThisPage === true")  # swapped by htmx, not reloaded
    assert Reminder.objects.get(channel="in_app").read_at is not None
