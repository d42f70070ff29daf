"""A paralegal prints an appeal for one client, and for every client of a raid."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents.defaults import install_default_templates
from documents.models import Letter, LetterBatch, LetterTemplate
from tests.factories import CaseFactory, ClientFactory, HearingFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def appeal_template() -> LetterTemplate:
    return LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")


@pytest.fixture
def staff(db):
    install_default_templates()
    office = OfficeFactory(name="Алматы (письма)", registry_prefix="LTR")
    return {
        "office": office,
        "paralegal": UserFactory(username="p-letters", office=office, groups=["paralegal"]),
        "lawyer": UserFactory(username="l-letters", office=office, groups=["lawyer"]),
    }


def test_paralegal_prints_an_appeal_for_one_client(page, live_server, sign_in, staff):
    case = CaseFactory(
        client=ClientFactory(office=staff["office"], last_name="Турсунова"),
        office=staff["office"],
        responsible_lawyer=staff["lawyer"],
        paralegal=staff["paralegal"],
    )
    HearingFactory(
        case=case, outcome="expulsion_ordered", decision_received_on=timezone.localdate()
    )
    sign_in(page, "p-letters")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.click("#letters a.btn-primary")
    page.select_option("#id_template", value=str(appeal_template().pk))
    page.fill("#id_grounds", "Суд не учёл семейное положение заявителя.")
    page.click("button[name=preview]")
    expect(page.locator(".letter-preview")).to_contain_text("Турсунова")
    expect(page.locator(".letter-preview")).to_contain_text("Суд не учёл семейное положение")
    page.click("button[name=issue]")
    letter = Letter.objects.get(case=case)
    expect(page.locator("#letters")).to_contain_text(letter.number)
    pdf = page.request.get(f"{live_server.url}/letters/{letter.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_paralegal_prints_the_appeal_for_every_client_of_a_raid(page, live_server, sign_in, staff):
    raid = Incident.objects.create(
        title="Рейд на рынке",
        office=staff["office"],
        started_on=timezone.localdate(),
        place="Рынок",
        city="Алматы",
    )
    for _ in range(3):
        IncidentClient.objects.create(incident=raid, client=ClientFactory(office=staff["office"]))
    for case in open_cases_for_incident(
        incident=raid, kind="expulsion", opened_by=staff["lawyer"], lawyer=staff["lawyer"]
    ):
        HearingFactory(
            case=case, outcome="expulsion_ordered", decision_received_on=timezone.localdate()
        )
    sign_in(page, "p-letters")
    page.goto(f"{live_server.url}{raid.get_absolute_url()}")
    page.click(f"a[href='/incidents/{raid.pk}/letters/']")
    page.select_option("#id_template", value=str(appeal_template().pk))
    page.get_by_role("button", name="Напечатать для всех 3 клиентов").click()
    expect(page.locator("#progress")).to_contain_text("3", timeout=60000)
    expect(page.locator("#progress a.btn-primary")).to_be_visible(timeout=60000)
    batch = LetterBatch.objects.get()
    assert batch.issued.count() == 3


def test_lawyer_chooses_what_happened_for_a_complaint_to_the_prosecutor(
    page, live_server, sign_in, staff
):
    case = CaseFactory(
        client=ClientFactory(office=staff["office"], last_name="Юсупова"),
        office=staff["office"],
        responsible_lawyer=staff["lawyer"],
    )
    complaint = LetterTemplate.objects.get(kind="prosecutor_complaint", language="ru")
    sign_in(page, "l-letters")
    page.goto(f"{live_server.url}/cases/{case.pk}/letters/new/?template={complaint.pk}")
    detention = page.get_by_label("задержание", exact=True)
    expect(detention).to_be_checked()  # an expulsion case: ticked from the case's records
    expect(page.locator(".letter-preview")).to_contain_text("задержали его")
    detention.uncheck()
    page.get_by_label("вымогательство (требование денег)").check()
    page.click("button[name=preview]")
    expect(page.locator(".letter-preview")).to_contain_text("передать им денежные средства")
    expect(page.locator(".letter-preview")).not_to_contain_text("задержали его")
    page.screenshot(path="/tmp/letters-prosecutor-form.png", full_page=True)
