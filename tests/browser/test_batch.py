"""A paralegal prints the appeal for every detainee of a raid: the page says who is not
ready and why, the missing date is filled in place, and the progress bar moves."""

import io
import threading

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from casework.models import Hearing, Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents import services
from documents.defaults import install_default_templates
from documents.models import LetterBatch
from tests.factories import ClientFactory, HearingFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = "/tmp/batch-{}.png"


@pytest.fixture
def raid(db):
    install_default_templates()
    office = OfficeFactory(name="Алматы (пакет)", registry_prefix="BAT")
    UserFactory(username="p-batch", office=office, groups=["paralegal"])
    lawyer = UserFactory(username="l-batch", office=office, groups=["lawyer"])
    incident = Incident.objects.create(
        title="Рейд на рынке «Алтын Орда»",
        office=office,
        started_on=timezone.localdate(),
        place="Рынок",
        city="Алматы",
    )
    for surname in ("Валиев", "Алиев", "Бобоев"):
        person = ClientFactory(office=office, last_name=surname, last_name_latin="")
        IncidentClient.objects.create(incident=incident, client=person)
    for case in open_cases_for_incident(
        incident=incident, kind="expulsion", opened_by=lawyer, lawyer=lawyer
    ):
        received = None if case.client.last_name == "Бобоев" else timezone.localdate()
        HearingFactory(case=case, outcome="expulsion_ordered", decision_received_on=received)
    return incident


@pytest.fixture
def held_letters(settings, monkeypatch):
    """The batch runs in the background as without Redis; each letter waits for the test,
    so the page can be seen between letters whatever the machine's speed."""
    settings.LETTER_BATCHES_IN_THREAD = True
    gate = threading.Semaphore(0)
    real_issue = services.issue_letter

    def held_issue(**kwargs):
        assert gate.acquire(timeout=120), "the test never let the letter through"
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "issue_letter", held_issue)
    yield gate
    for _ in range(10):
        gate.release()  # never leave the runner thread waiting


def test_paralegal_fills_the_missing_date_and_watches_the_batch_print(
    page, live_server, sign_in, raid, held_letters
):
    sign_in(page, "p-batch")
    page.goto(f"{live_server.url}{raid.get_absolute_url()}")
    page.get_by_role("link", name="Напечатать одно и то же письмо для каждого клиента").click()
    page.get_by_label("Письмо").select_option(
        label="Апелляционная жалоба на постановление о выдворении"
    )
    expect(page.get_by_text("Готовы 2 из 3")).to_be_visible()
    late = page.locator("li.list-group-item", has_text="Бобоев")
    expect(late).to_contain_text("Нет даты получения постановления")
    names = page.locator("li.list-group-item > strong").all_inner_texts()
    assert [name.split()[0] for name in names] == ["Алиев", "Бобоев", "Валиев"]
    page.screenshot(path=SHOTS.format("1-explained"), full_page=True)

    late.get_by_label("Дата получения решения").fill(timezone.localdate().isoformat())
    late.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Готовы 3 из 3")).to_be_visible()
    expect(page.locator("li.list-group-item", has_text="Бобоев")).to_contain_text("готово")
    assert Hearing.objects.get(case__client__last_name="Бобоев").decision_received_on
    page.screenshot(path=SHOTS.format("2-fixed"), full_page=True)

    page.get_by_role("button", name="Напечатать для всех 3 клиентов").click()
    expect(page.locator("#progress")).to_contain_text("0 из 3")
    seen = []
    for done in (1, 2):
        held_letters.release()
        expect(page.locator("#progress")).to_contain_text(f"{done} из 3", timeout=60000)
        seen.append(int(page.locator("#progress progress").get_attribute("value")))
        page.screenshot(path=SHOTS.format(f"3-progress-{done}"), full_page=True)
    assert seen == [33, 67]
    held_letters.release()
    open_pdf = page.get_by_role("link", name="Открыть все письма для печати")
    expect(open_pdf).to_be_visible(timeout=60000)
    page.screenshot(path=SHOTS.format("4-done"), full_page=True)

    response = page.request.get(f"{live_server.url}{open_pdf.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert sorted(["Алиев", "Бобоев", "Валиев"], key=text.index) == ["Алиев", "Бобоев", "Валиев"]
    assert LetterBatch.objects.get().issued.count() == 3
