"""Letters read as a Russian lawyer writes them: checked on the text of the issued PDF."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from casework.models import Court, Incident, LegalArticle
from clients.models import Authority
from documents.defaults import SHIPPED, install_default_templates
from documents.models import LetterTemplate
from documents.pdf import page_count, pdf_text
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

ADMIN_COURT = "Специализированный межрайонный административный суд г. Алматы"
# A dative title followed by a body's name in the nominative: the defect of issue #10.
TITLE_THEN_NOMINATIVE = re.compile(
    r"(Начальнику|Руководителю|Прокурору)[^\n]{0,30}?\s(Управление|Миграционная|Прокуратура)\b"
)
NESTED_BRACKETS = re.compile(r"\([^()]*\([^()]*\)[^()]*\)")


@pytest.fixture
def realistic_case(office, lawyer):
    """A raid, a fine in MCI, an expulsion ruling of the district court, a held passport."""
    today = timezone.localdate()
    office.address = "г. Алматы, ул. Абая, 10, офис 5"
    office.letterhead_name = "ОФ «Правовая помощь мигрантам»"
    office.save()
    lawyer.position = "Юрист"
    lawyer.first_name, lawyer.last_name = "Айгерім", "Сәрсенбаева"
    lawyer.save()
    client = ClientFactory(
        office=office,
        last_name="Рахимова",
        first_name="Дилноза",
        patronymic="",
        last_name_latin="Rahimova",
        first_name_latin="Dilnoza",
        date_of_birth=today - timedelta(days=12000),
    )
    police = Authority.objects.get(name_ru="Управление миграционной полиции ДП г. Алматы")
    DocumentFactory(
        client=client, number="FA1234567", held_by=police, held_since=today - timedelta(days=40)
    )
    PermitFactory(client=client, number="KZ-LAB-77", renewal_applied_on=today - timedelta(days=30))
    incident = Incident.objects.create(
        title="Проверка на рынке «Барахолка»",
        office=office,
        started_on=today - timedelta(days=9),
        place="Рынок",
        city="Алматы",
        authority=police,
    )
    case = CaseFactory(client=client, responsible_lawyer=lawyer, incident=incident)
    FineFactory(
        case=case,
        amount=Decimal("86500"),
        mci_count=20,
        mci_year=2026,
        protocol_number="ПР-2026-0917",
        issued_by=police,
        article=LegalArticle.objects.get(article="517", part="1"),
        issued_on=today - timedelta(days=8),
        decision_received_on=today - timedelta(days=7),
        status="paid_disputed",
        paid_on=today - timedelta(days=6),
        receipt_number="KASPI-555123",
    )
    HearingFactory(
        case=case,
        court=Court.objects.get(name_ru=ADMIN_COURT),
        outcome="expulsion_ordered",
        starts_at=timezone.now() - timedelta(days=5),
        decision_received_on=today - timedelta(days=4),
    )
    return case


def issued_text(case, lawyer, kind, language="ru", paragraphs=None) -> tuple[str, bytes]:
    install_default_templates()
    template = LetterTemplate.objects.get(kind=kind, language=language, is_active=True)
    letter = issue_letter(
        case=case, template=template, issued_by=lawyer, paragraphs=paragraphs or {}
    )
    pdf = read_pdf(letter)
    return pdf_text(pdf).replace("\u00a0", " "), pdf


def flat(text: str) -> str:
    """The text with line breaks as spaces: a phrase may wrap in the PDF."""
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("kind", "language"),
    [(k, lang) for k, lang, *_ in SHIPPED],
    ids=[f"{k}.{lang}" for k, lang, *_ in SHIPPED],
)
def test_every_shipped_letter_reads_right(realistic_case, lawyer, kind, language):
    text, _pdf = issued_text(realistic_case, lawyer, kind, language)
    words = flat(text)
    assert not TITLE_THEN_NOMINATIVE.search(text), TITLE_THEN_NOMINATIVE.search(text)
    assert "Начальнику управления Управление" not in words
    assert not NESTED_BRACKETS.search(words), NESTED_BRACKETS.search(words)
    assert "Рахимова Дилноза" in words
    assert ", Юрист" not in words  # a position mid-sentence is lowercase
    if language == "ru" and kind != "power_of_attorney":
        assert "Заявитель:" in words or "Заявитель (лицо" in words
        assert "Представитель заявителя: Айгерім Сәрсенбаева, юрист" in words
    letterhead = text.split("Исх. №" if language == "ru" else "Ref. No.")[0].splitlines()
    assert "г. Алматы, ул. Абая, 10, офис 5" in letterhead  # the city once, as typed
    assert "86500" not in words and "KZT" not in words
    if kind in ("fine_complaint", "fine_paid", "information_request"):
        assert "86 500,00 ₸" in words


def test_addressees_are_in_the_dative_from_the_reference_data(realistic_case, lawyer):
    police, _ = issued_text(realistic_case, lawyer, "fine_complaint")
    prosecutor, _ = issued_text(realistic_case, lawyer, "prosecutor_complaint")
    service, _ = issued_text(realistic_case, lawyer, "information_request")
    assert "Начальнику Управления миграционной полиции ДП г. Алматы" in flat(police)
    assert "Прокурору г. Алматы" in flat(prosecutor)
    assert "Прокурору города Прокуратура" not in flat(prosecutor)
    assert "Начальнику Управления миграционной полиции ДП г. Алматы" in flat(service)


def test_expulsion_appeal_goes_to_the_higher_court_through_the_one_that_decided(
    realistic_case, lawyer
):
    text, pdf = issued_text(realistic_case, lawyer, "expulsion_appeal")
    words = flat(text)
    assert "В Алматинский городской суд" in words
    assert f"через {ADMIN_COURT}" in words
    assert "Постановлением Специализированного межрайонного административного суда г. Алматы" in (
        words
    )
    assert page_count(pdf) == 2


def test_without_a_higher_court_the_appeal_does_not_name_one_court_twice(realistic_case, lawyer):
    city_court = Court.objects.get(name_ru="Алматинский городской суд")
    hearing = realistic_case.hearings.get()
    hearing.court = city_court  # decided by the city court, which has no court above it here
    hearing.save()
    text, _pdf = issued_text(realistic_case, lawyer, "expulsion_appeal")
    words = flat(text)
    assert "через" not in words
    assert words.count("В Алматинский городской суд") <= 1


def test_prosecutor_complaint_states_only_what_the_case_records_suggest(realistic_case, lawyer):
    text, _pdf = issued_text(realistic_case, lawyer, "prosecutor_complaint")
    words = flat(text)
    assert "задержали его" in words  # the case comes from a raid
    assert "FA1234567" in words  # the passport is held by the police
    assert "денежные средства" not in words  # extortion is never assumed


def test_prosecutor_complaint_prints_the_circumstances_the_lawyer_chose(realistic_case, lawyer):
    text, _pdf = issued_text(
        realistic_case,
        lawyer,
        "prosecutor_complaint",
        paragraphs={"circumstances": ["extortion", "other"], "facts": "Угрожали по телефону."},
    )
    words = flat(text)
    assert "требовали от заявителя передать им денежные средства" in words
    assert "Угрожали по телефону." in words
    assert "задержали его" not in words
    assert "изъят сотрудниками" not in words


def test_an_authority_without_forms_is_addressed_by_its_name_alone(realistic_case, lawyer):
    Authority.objects.filter(kind="prosecutor").update(head_title="", name_genitive="")
    text, _pdf = issued_text(realistic_case, lawyer, "prosecutor_complaint")
    lines = text.splitlines()
    assert "Прокуратура г. Алматы" in lines
    assert not TITLE_THEN_NOMINATIVE.search(text)


def test_a_court_without_forms_falls_back_to_v_and_its_name(db):
    court = Court.objects.get(name_ru="Алматинский городской суд")
    court.addressee = court.name_genitive = ""
    assert court.addressee_line == "В Алматинский городской суд"
    assert court.of_whom == "суда (Алматинский городской суд)"


def test_the_genitive_names_the_fining_body_and_the_body_holding_the_passport(
    realistic_case, lawyer
):
    fine, _pdf = issued_text(realistic_case, lawyer, "fine_complaint")
    passport, _pdf = issued_text(realistic_case, lawyer, "passport_return")
    assert "постановление Управления миграционной полиции ДП г. Алматы по делу" in flat(fine)
    assert "в распоряжении Управления миграционной полиции ДП г. Алматы" in flat(passport)
    assert "в органе: Управление" not in flat(passport)


def test_an_administrator_enters_the_forms_once_in_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("t-admin", "a@example.org", "pw")
    client.force_login(admin)
    police = Authority.objects.get(name_ru="Управление миграционной полиции ДП г. Алматы")
    court = Court.objects.get(name_ru=ADMIN_COURT)
    authority_page = client.get(f"/admin/clients/authority/{police.pk}/change/").content.decode()
    court_page = client.get(f"/admin/casework/court/{court.pk}/change/").content.decode()
    assert "Начальнику Управления миграционной полиции ДП г. Алматы" in authority_page
    assert "name_genitive" in authority_page and "name_dative" in authority_page
    assert "Специализированного межрайонного административного суда г. Алматы" in court_page
    assert "appeal_court" in court_page
