"""A lawyer records a court's expulsion decision received today and sees the appeal deadline,
with how it was counted, on the case page; the notifications show each notice once."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Deadline
from casework.reminders import plan_deadline_reminders, send_due_reminders
from casework.workdays import Calendar
from tests.factories import CaseFactory, ClientFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
RULE = "Апелляционная жалоба на постановление суда"


def test_a_decision_received_today_opens_the_appeal_deadline_and_notices_come_once(
    page, live_server, sign_in
):
    office = OfficeFactory(name="Алматы (сроки)", registry_prefix="BDL")
    lawyer = UserFactory(username="b-deadlines", office=office, groups=["lawyer"])
    UserFactory(username="b-coordinator", office=office, groups=["coordinator"])
    person = ClientFactory(office=office, last_name="Турсунов", first_name="Бахтиёр")
    # A fine case: the appeal rule used to cover expulsion and detention cases only.
    case = CaseFactory(client=person, office=office, kind="fine", responsible_lawyer=lawyer)
    today = timezone.localdate()
    missed = Deadline.objects.create(
        case=case, title="Запросить копию протокола", due_on=today - timedelta(days=3)
    )
    plan_deadline_reminders(missed)

    sign_in(page, "b-deadlines")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Добавить заседание").click()
    hearings = page.locator("#hearings")
    hearings.get_by_label("Дата и время").fill(f"{today:%Y-%m-%d}T10:00")
    hearings.get_by_role("combobox", name=re.compile(r"^\W*Вид\W*$")).select_option(
        label="Выдворение"
    )
    hearings.get_by_label("Результат").select_option(label="Назначено выдворение")
    hearings.get_by_label("Дата получения решения").fill(f"{today:%Y-%m-%d}")
    hearings.get_by_role("button", name="Сохранить").click()

    deadlines = page.locator("#deadlines")
    due = Calendar("KZ").due_date(today, days=10)
    appeal = deadlines.locator("li", has_text=RULE)
    expect(appeal).to_contain_text(f"{due:%d.%m.%Y}")
    expect(appeal).to_contain_text(
        f"10 календарных дней со дня получения постановления суда ({today:%d.%m.%Y})"
    )
    expect(deadlines.get_by_text(RULE, exact=True)).to_have_count(1)  # the title, once
    expect(deadlines.locator("li", has_text="Запросить копию протокола")).to_contain_text(
        "Срок установлен вручную."
    )
    page.screenshot(path="/tmp/deadlines-case.png", full_page=True)

    send_due_reminders()
    send_due_reminders()  # a second pass adds nothing
    page.reload()
    page.locator("#unread-badge").click()
    rows = page.locator("#notifications li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Срок пропущен")
    expect(rows.first).to_contain_text("просрочено на 3 дня")
    expect(rows.first).to_contain_text("Турсунов Бахтиёр")
    expect(rows.first).to_contain_text(f"дело {case.reference}")
    expect(page.locator("#notifications")).not_to_contain_text(re.compile("Приближается срок"))
    page.screenshot(path="/tmp/deadlines-notifications.png", full_page=True)
