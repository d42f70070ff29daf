"""A coordinator's day in Russian, by visible labels, from the home page: the team dashboard
filtered by office and its deadlines exported to XLSX and read back; the team's open cases,
sorted by due date; a case reassigned to a lawyer of another office, another transferred
there; and the team calendar link copied and fetched."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Case, Deadline
from tests.factories import CaseFactory, ClientFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = "/tmp/coord-{}.png"


@pytest.fixture
def team(db):
    almaty = OfficeFactory(name="Алматы (браузер)", registry_prefix="BRA")
    astana = OfficeFactory(name="Астана (браузер)", registry_prefix="BRS", city="Астана")
    UserFactory(username="b-coordinator", office=almaty, groups=["coordinator"])
    near_lawyer = UserFactory(
        username="b-near", office=almaty, groups=["lawyer"], last_name="Сейткали"
    )
    UserFactory(
        username="b-far",
        office=astana,
        groups=["lawyer"],
        last_name="Ержанова",
        first_name="Айгуль",
    )
    today = timezone.localdate()
    cases = {}
    for key, name, office, due in [
        ("later", "Каримов", almaty, 20),
        ("soon", "Исмоилов", almaty, 2),
        ("in_astana", "Назаров", astana, 9),
    ]:
        case = CaseFactory(
            client=ClientFactory(office=office, last_name=name),
            office=office,
            responsible_lawyer=near_lawyer if office == almaty else None,
            reference=f"{office.registry_prefix}-C-2026-0000{len(cases) + 1}",
        )
        Deadline.objects.create(case=case, title="Жалоба", due_on=today + timedelta(days=due))
        cases[key] = case
    return {"almaty": almaty, "astana": astana, **cases}


def test_a_coordinators_day(page, live_server, sign_in, team):
    soon, later, astana_case = team["soon"], team["later"], team["in_astana"]
    sign_in(page, "b-coordinator")
    today = timezone.localdate()

    # The team dashboard, narrowed to the Almaty office.
    page.get_by_role("link", name="Сводка по команде").click()
    page.get_by_label("Офис").select_option(label="Алматы (браузер)")
    page.get_by_role("button", name="Показать").click()
    deadlines = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("^Просроченные сроки"))
    )
    expect(deadlines).to_contain_text(soon.reference)
    expect(deadlines).not_to_contain_text(later.reference)  # due in 20 days: not yet
    expect(deadlines).not_to_contain_text(astana_case.reference)
    expect(deadlines).to_contain_text("через 2 дня")
    page.screenshot(path=SHOTS.format("0-dashboard"), full_page=True)

    # Its deadlines exported to XLSX and read back: the office's case, a real date.
    with page.expect_download() as download:
        deadlines.get_by_role("link", name="XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    body = " ".join(str(value) for row in rows for value in row)
    assert soon.reference in body
    assert later.reference not in body and astana_case.reference not in body
    dates = [value for row in rows[1:] for value in row if hasattr(value, "year")]
    assert any(value.date() == today + timedelta(days=2) for value in dates)

    # Lands on the team's open cases of every office.
    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Дела", exact=True
    ).click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_label("Чьи")).to_have_value("all")

    # Sorts by the nearest deadline.
    page.get_by_role("link", name="Ближайший срок").click()
    expect(page.get_by_role("columnheader", name="Ближайший срок")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(rows.nth(0)).to_contain_text(soon.reference)
    expect(rows.nth(2)).to_contain_text(later.reference)
    page.screenshot(path=SHOTS.format("1-sorted"), full_page=True)

    # Reassigns the soonest case to a lawyer of the Astana office.
    page.get_by_role("link", name=soon.reference).click()
    page.get_by_label("Ответственный юрист").select_option(label="Ержанова Айгуль")
    page.screenshot(path=SHOTS.format("2-assign"), full_page=True)
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_text("Дело назначено.")).to_be_visible()
    expect(page.get_by_text("Ответственный юрист: Ержанова Айгуль")).to_be_visible()

    # Transfers the other Almaty case to Astana.
    page.goto(f"{live_server.url}{later.get_absolute_url()}")
    page.get_by_role("link", name="Передать в другой офис").click()
    expect(page.get_by_text(f"Регистрационный номер остаётся {later.reference}")).to_be_visible()
    page.get_by_label("Новый офис").select_option(label="Астана (браузер)")
    page.get_by_label("Ответственный юрист в новом офисе").select_option(label="Ержанова Айгуль")
    page.screenshot(path=SHOTS.format("3-transfer"), full_page=True)
    page.get_by_role("button", name="Передать дело").click()
    expect(page.get_by_text(re.compile("передано в офис «Астана \\(браузер\\)»"))).to_be_visible()
    expect(
        page.get_by_text("Дело передано из офиса «Алматы (браузер)»", exact=False)
    ).to_be_visible()
    page.screenshot(path=SHOTS.format("4-transferred"), full_page=True)
    later.refresh_from_db()
    assert later.office == team["astana"] and later.reference.startswith("BRA-")

    # Copies the team calendar link and fetches it.
    page.get_by_role("link", name="Календарь").click()
    link = page.get_by_label("Ссылка на календарь команды").input_value()
    page.screenshot(path=SHOTS.format("5-calendar"), full_page=True)
    response = page.request.get(f"{live_server.url}{urlsplit(link).path}")
    assert response.ok
    feed = icalendar.Calendar.from_ical(response.body())
    summaries = " ".join(str(event["SUMMARY"]) for event in feed.walk("VEVENT"))
    for case in (soon, later, astana_case):
        assert case.reference in summaries
    assert "Каримов" not in response.text()
    assert Case.objects.filter(office=team["astana"]).count() == 2
