"""A paralegal records one court sitting for five clients of a raid, in Russian, by what the
page shows; then a case carries its hearing and its own appeal deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Case, Court, Deadline, Incident, IncidentClient
from tests.factories import CaseFactory, ClientFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/sitting-{}.png"


@pytest.fixture
def raid(db):
    office = OfficeFactory(name="Алматы (браузер)", registry_prefix="BRS")
    UserFactory(username="b-paralegal", office=office, groups=["paralegal"])
    lawyer = UserFactory(
        username="b-lawyer", office=office, groups=["lawyer"], last_name="Юристова"
    )
    raid = Incident.objects.create(
        title="Рейд на Зелёном базаре",
        office=office,
        started_on=timezone.localdate() - timedelta(days=4),
        place="Зелёный базар",
        city="Алматы",
    )
    names = ["Абдуллаев", "Бобоев", "Валиев", "Гафуров", "Давлатов"]
    for i, name in enumerate(names):
        person = ClientFactory(office=office, last_name=name, first_name="Тест")
        IncidentClient.objects.create(incident=raid, client=person)
        if i < 2:  # two already have their case; three get one from the sitting page
            CaseFactory(client=person, incident=raid, responsible_lawyer=lawyer)
    return raid


def test_paralegal_records_one_sitting_for_five_clients(page, live_server, sign_in, raid):
    today = timezone.localdate()
    sitting_day, received, late = (today - timedelta(days=n) for n in (2, 1, 0))
    court = Court.objects.filter(kind="administrative", is_active=True).first()

    sign_in(page, "b-paralegal")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{raid.get_absolute_url()}")
    page.screenshot(path=SHOTS.format("1-incident"), full_page=True)
    page.get_by_role("link", name="Записать заседание суда").click()
    expect(page.get_by_role("heading", name="Записать заседание суда")).to_be_visible()

    sitting = page.get_by_role("region", name="Заседание", exact=True)
    sitting.get_by_role("combobox", name="Суд*", exact=True).select_option(label=str(court))
    sitting.get_by_label("Дата и время").fill(f"{sitting_day.isoformat()}T10:00")
    sitting.get_by_label("Судья", exact=True).fill("Судья Тестовая")
    sitting.get_by_role("combobox", name="Решение*", exact=True).select_option(
        label="Назначено выдворение"
    )
    sitting.get_by_label("Дата получения копии решения").fill(received.isoformat())
    sitting.get_by_label("Ответственный юрист по новым делам").select_option(label="Юристова Анна")
    late_row = page.get_by_role("group", name="Гафуров Тест")
    late_row.get_by_label("Копия получена").fill(late.isoformat())
    for name in ["Абдуллаев Тест", "Бобоев Тест", "Валиев Тест", "Гафуров Тест", "Давлатов Тест"]:
        expect(page.get_by_role("checkbox", name=name)).to_be_checked()
    page.screenshot(path=SHOTS.format("2-filled"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS.format("3-phone"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # A slip first: a copy received before the sitting. Nothing is saved, nothing is lost.
    late_row.get_by_label("Копия получена").fill((sitting_day - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Записать заседание").click()
    expect(page.get_by_text("Ничего не сохранено.")).to_be_visible()
    late_row = page.get_by_role("group", name="Гафуров Тест")
    expect(late_row).to_contain_text("Копию решения нельзя получить раньше заседания.")
    expect(sitting.get_by_label("Судья", exact=True)).to_have_value("Судья Тестовая")
    page.screenshot(path=SHOTS.format("4-error"), full_page=True)
    assert not Case.objects.filter(incident=raid, client__last_name="Гафуров").exists()

    late_row.get_by_label("Копия получена").fill(late.isoformat())
    page.get_by_role("button", name="Записать заседание").click()
    expect(page.get_by_text("Записано заседаний: 5; открыто дел: 3.")).to_be_visible()
    page.screenshot(path=SHOTS.format("5-saved"), full_page=True)

    case = Case.objects.get(incident=raid, client__last_name="Гафуров")
    page.get_by_role("link", name=case.reference).click()
    hearings = page.locator("#hearings")
    expect(hearings).to_contain_text(f"{sitting_day:%d.%m.%Y} 10:00")
    expect(hearings).to_contain_text("Назначено выдворение")
    expect(hearings).to_contain_text(f"{late:%d.%m.%Y}")
    deadline = Deadline.objects.get(case=case, hearing__isnull=False)
    other = Deadline.objects.get(case__client__last_name="Бобоев", hearing__isnull=False)
    assert deadline.event_on == late and other.event_on == received
    assert deadline.due_on != other.due_on
    expect(page.locator("#deadlines")).to_contain_text(f"{deadline.due_on:%d.%m.%Y}")
    page.screenshot(path=SHOTS.format("6-case"), full_page=True)
