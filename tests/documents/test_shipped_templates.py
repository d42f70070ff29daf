"""Every shipped template issues a PDF whose text carries the case's merge values."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Incident, LegalArticle
from clients.models import Authority
from documents.defaults import SHIPPED, install_default_templates
from documents.models import LetterTemplate
from documents.pdf import pdf_text
from documents.services import issue_letter, read_pdf
from tests.factories import (
    CaseFactory,
    ClientFactory,
    DocumentFactory,
    FineFactory,
    HearingFactory,
    PermitFactory,
)

pytestmark = pytest.mark.django_db
KAZAKH = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"


@pytest.fixture
def full_case(office, lawyer):
    today = timezone.localdate()
    client = ClientFactory(
        office=office,
        last_name="Құрманғазыұлы",
        first_name="Әлібек",
        patronymic="Үсенұлы",
        last_name_latin="Kurmangazyuly",
        first_name_latin="Alibek",
        date_of_birth=today - timedelta(days=12000),
    )
    police = Authority.objects.filter(kind="migration_police", city="Алматы").first()
    DocumentFactory(
        client=client, number="N0774411", held_by=police, held_since=today - timedelta(days=50)
    )
    PermitFactory(
        client=client,
        number="KZ-LAB-4321",
        status="renewal_pending",
        renewal_applied_on=today - timedelta(days=60),
    )
    incident = Incident.objects.create(
        title="Рейд на рынке «Алтын»",
        office=office,
        started_on=today - timedelta(days=9),
        place="Рынок",
        city="Алматы",
        authority=police,
    )
    case = CaseFactory(
        client=client,
        responsible_lawyer=lawyer,
        incident=incident,
        summary=f"Проверка документов. {KAZAKH}",
    )
    FineFactory(
        case=case,
        amount=86500,
        protocol_number="ПР-2026-0917",
        issued_by=police,
        article=LegalArticle.objects.get(article="517", part="1"),
        mci_count=20,
        mci_year=today.year,
        issued_on=today - timedelta(days=8),
        decision_received_on=today - timedelta(days=7),
        status="paid_disputed",
        paid_on=today - timedelta(days=6),
        receipt_number="KASPI-555123",
    )
    HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        starts_at=timezone.now() - timedelta(days=5),
        decision_received_on=today - timedelta(days=4),
    )
    lawyer.first_name, lawyer.last_name = "Айгерім", "Сәрсенбаева"
    lawyer.save()
    return case


SPECIFIC = {
    "expulsion_appeal": ["Специализированный межрайонный административный суд"],
    "fine_complaint": ["86", "ПР-2026-0917"],
    "prosecutor_complaint": [],
    "permit_extension": ["KZ-LAB-4321"],
    "passport_return": ["N0774411"],
    "fine_paid": ["KASPI-555123", "ПР-2026-0917"],
    "information_request": [],
    "power_of_attorney": ["Сәрсенбаева"],
}


@pytest.mark.parametrize(
    ("kind", "language"),
    [(k, lang) for k, lang, *_ in SHIPPED],
    ids=[f"{k}.{lang}" for k, lang, *_ in SHIPPED],
)
def test_each_shipped_template_issues_a_pdf_with_its_merge_values(
    full_case, lawyer, kind, language
):
    install_default_templates()
    template = LetterTemplate.objects.get(kind=kind, language=language)
    letter = issue_letter(
        case=full_case,
        template=template,
        issued_by=lawyer,
        paragraphs={"facts": f"Особые обстоятельства: {KAZAKH}."},
    )
    text = " ".join(pdf_text(read_pdf(letter)).split())  # a name may wrap across lines
    assert "Құрманғазыұлы" in text or "Kurmangazyuly" in text
    assert full_case.reference in text or kind == "power_of_attorney"
    assert letter.number in text
    for value in SPECIFIC[kind]:
        assert value in text, (kind, value)
    assert "[client." not in text and "[case." not in text  # no preview markers in a letter


def test_kazakh_letters_come_through_in_the_pdf(full_case, lawyer):
    install_default_templates()
    template = LetterTemplate.objects.get(kind="prosecutor_complaint", language="ru")
    letter = issue_letter(
        case=full_case,
        template=template,
        issued_by=lawyer,
        paragraphs={"facts": f"Слова: {KAZAKH}."},
    )
    text = pdf_text(read_pdf(letter))
    assert KAZAKH in text
    assert "Әлібек" in text
