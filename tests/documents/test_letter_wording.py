"""Letters read as a Russian lawyer writes them: checked on the text of the issued PDF."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from casework.models import Court, Incident, LegalArticle
from casework.services import sync_fine_deadlines, sync_hearing_deadlines
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


# What varies from case to case (documents.circumstances): only what the case's records or
# the lawyer say is printed; nothing the letter says contradicts the case.


def test_the_appeal_states_only_what_the_case_records_suggest(realistic_case, lawyer):
    words = flat(issued_text(realistic_case, lawyer, "expulsion_appeal")[0])
    assert "одновременно в отношении большого числа задержанных" in words  # from a raid
    assert "на законном основании: разрешение трудовому иммигранту № KZ-LAB-77" in words
    assert "законно находящемуся на территории государства" in words
    assert "Такая мотивировка в постановлении отсутствует" in words
    assert "подаётся в пределах установленного срока" in words
    for unsaid in (
        "переводчик",  # the client speaks Russian
        "несовершеннолетние дети",
        "Конвенция о правах ребёнка",
        "заболевания",
        "признание вины",
        "Восстановить",
    ):
        assert unsaid not in words, unsaid


def test_the_appeal_follows_the_clients_record(realistic_case, lawyer):
    client = realistic_case.client
    client.needs_interpreter = client.is_minor_in_family = client.has_health_needs = True
    client.save()
    words = flat(issued_text(realistic_case, lawyer, "expulsion_appeal")[0])
    assert "Переводчик ему предоставлен не был" in words
    assert "и обеспечить участие переводчика" in words
    assert "проживает его семья, в том числе несовершеннолетние дети" in words
    assert "Конвенция о правах ребёнка (статьи 3 и 9)" in words
    assert "У заявителя имеются заболевания (инвалидность)" in words
    assert "Копии медицинских документов заявителя" in words


def test_an_appeal_after_its_deadline_asks_for_the_time_limit_to_be_restored(
    realistic_case, lawyer
):
    hearing = realistic_case.hearings.get()
    hearing.decision_received_on = timezone.localdate() - timedelta(days=30)
    hearing.save()
    sync_hearing_deadlines(hearing)  # the appeal clock ran out twenty days ago
    words = flat(issued_text(realistic_case, lawyer, "expulsion_appeal")[0])
    assert "пропущен заявителем по уважительной причине" in words
    assert "Восстановить заявителю срок обжалования постановления" in words
    assert "подаётся в пределах установленного срока" not in words
    assert "не вступило" not in words
    english = flat(issued_text(realistic_case, lawyer, "expulsion_appeal", "en")[0])
    assert "To restore the time limit for the appeal" in english


def test_the_lawyer_chooses_the_appeals_paragraphs(realistic_case, lawyer):
    words = flat(
        issued_text(
            realistic_case,
            lawyer,
            "expulsion_appeal",
            paragraphs={"circumstances": ["family"], "facts": "Супруг — гражданин РК."},
        )[0]
    )
    assert "несовершеннолетние дети" in words
    assert "Супруг — гражданин РК." in words
    assert "в ускоренном порядке" not in words
    assert "на законном основании" not in words
    assert "Такая мотивировка в постановлении отсутствует" not in words


def test_a_complaint_against_a_paid_fine_asks_for_the_money_back(realistic_case, lawyer):
    words = flat(issued_text(realistic_case, lawyer, "fine_complaint")[0])
    assert "Штраф уплачен заявителем" in words
    assert "Возвратить заявителю уплаченную сумму штрафа — 86 500,00 ₸" in words
    assert "Копия квитанции № KASPI-555123 об уплате штрафа" in words
    assert "переводчик" not in words


def test_a_complaint_against_an_unpaid_fine_after_its_deadline(realistic_case, lawyer):
    fine = realistic_case.fines.get()
    fine.status, fine.paid_on, fine.receipt_number = "issued", None, ""
    fine.decision_received_on = timezone.localdate() - timedelta(days=30)
    fine.save()
    sync_fine_deadlines(fine)
    words = flat(issued_text(realistic_case, lawyer, "fine_complaint")[0])
    assert "уплачен" not in words and "Возвратить" not in words
    assert "Этот срок пропущен заявителем по уважительной причине" in words
    assert "Восстановить срок обжалования постановления" in words
    assert "подаётся в пределах этого срока" not in words


def test_a_fine_paid_letter_says_what_followed_the_payment_only_when_it_did(realistic_case, lawyer):
    said = flat(issued_text(realistic_case, lawyer, "fine_paid")[0])
    assert "штраф по-прежнему числится неоплаченным" in said  # the authority has no record
    assert "отказывают в приёме (рассмотрении) документов на продление" in said  # renewal
    assert "подразделение миграционной службы" in said
    assert "повторно" not in said  # never assumed
    fine = realistic_case.fines.get()
    fine.status = "paid"
    fine.save()
    realistic_case.client.permits.update(renewal_applied_on=None)
    plain = flat(issued_text(realistic_case, lawyer, "fine_paid")[0])
    for unsaid in ("числится неоплаченным", "продлению", "подразделение миграционной службы"):
        assert unsaid not in plain, unsaid
    assert "Штраф оплачен заявителем в полном объёме" in plain


def test_a_permit_extension_claims_nothing_the_case_contradicts(realistic_case, lawyer):
    realistic_case.client.permits.update(renewal_applied_on=None)
    fine = realistic_case.fines.get()
    fine.status, fine.paid_on = "issued", None
    fine.save()
    words = flat(issued_text(realistic_case, lawyer, "permit_extension")[0])
    assert "заявитель продолжает трудовую деятельность" in words  # a labour permit
    for unsaid in (
        "Неисполненных административных взысканий заявитель не имеет",
        "обстоятельств, препятствующих продлению, не имеется",
        "в период рассмотрения заявления",
        "находится на рассмотрении",
        "обучение",
        "несовершеннолетние дети",
    ):
        assert unsaid not in words, unsaid
    assert "Вернуть заявителю документ № FA1234567" in words  # the passport is held


def test_a_permit_extension_under_way_keeps_its_requests(realistic_case, lawyer):
    words = flat(issued_text(realistic_case, lawyer, "permit_extension")[0])
    assert "Неисполненных административных взысканий заявитель не имеет" in words
    assert "в период рассмотрения заявления не может рассматриваться" in words
    assert "его заявление о продлении находится на рассмотрении" in words


def test_a_passport_letter_prints_what_the_lawyer_ticked(realistic_case, lawyer):
    plain = flat(issued_text(realistic_case, lawyer, "passport_return")[0])
    assert "Протокол или иное" not in plain and "выехать" not in plain
    ticked = flat(
        issued_text(
            realistic_case,
            lawyer,
            "passport_return",
            paragraphs={"circumstances": ["no_seizure_record", "needs_to_leave"]},
        )[0]
    )
    assert "Протокол или иное письменное решение об изъятии" in ticked
    assert "необходим заявителю для выезда из Республики Казахстан" in ticked
