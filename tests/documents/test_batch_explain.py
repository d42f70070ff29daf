"""The batch page says, per client and in words, what each letter still lacks; lets the
user fill the hearing in place; prints for the ready clients only, in the order shown."""

import io
import re
import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from pypdf import PdfReader

from casework.models import Case, Court, Hearing, Incident, IncidentClient, LegalArticle
from casework.services import open_cases_for_incident
from clients.models import Authority
from documents import services
from documents.defaults import SHIPPED, install_default_templates, install_demo_letterhead
from documents.letters import MISSING_LABELS, merge_context
from documents.models import Letter, LetterBatch, LetterTemplate
from documents.pdf import page_count, pdf_text
from documents.sandbox import referenced_fields
from documents.services import issue_letter, read_pdf
from tests.factories import (
    CaseFactory,
    ClientFactory,
    DocumentFactory,
    FineFactory,
    HearingFactory,
    PermitFactory,
)

TODAY = timezone.localdate


def appeal() -> LetterTemplate:
    install_default_templates()
    return LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")


def make_raid(office, lawyer, surnames: list[str]) -> Incident:
    """An incident whose clients (given surnames, in this order) each have an expulsion
    case with the decision received: every letter complete."""
    incident = Incident.objects.create(
        title="Рейд", office=office, started_on=TODAY(), place="Рынок", city="Алматы"
    )
    for surname in surnames:
        person = ClientFactory(office=office, last_name=surname, last_name_latin=surname)
        IncidentClient.objects.create(incident=incident, client=person)
    for case in open_cases_for_incident(
        incident=incident, kind="expulsion", opened_by=lawyer, lawyer=lawyer
    ):
        HearingFactory(case=case, outcome="expulsion_ordered", decision_received_on=TODAY())
    return incident


@pytest.fixture
def raid(office, lawyer):
    """Four clients: Алиев ready; Бобоев's hearing names no court and no receipt date;
    Валиев has no hearing; Гаипов has no case."""
    incident = make_raid(office, lawyer, ["Алиев", "Бобоев", "Валиев"])
    bare = Hearing.objects.get(case__client__last_name="Бобоев")
    bare.court, bare.outcome, bare.decision_received_on = None, "pending", None
    bare.save()
    Hearing.objects.filter(case__client__last_name="Валиев").delete()
    IncidentClient.objects.create(
        incident=incident, client=ClientFactory(office=office, last_name="Гаипов")
    )
    return incident


def case_of(surname: str):
    return Case.objects.get(client__last_name=surname)


def visible_text(html: str) -> str:
    """What a person reads: the page without its tags and attributes."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page_url(incident, template) -> str:
    return f"{reverse('documents:batch_create', args=[incident.pk])}?template={template.pk}"


def fix_url(incident, case, template) -> str:
    url = reverse("documents:batch_fix", args=[incident.pk, case.pk])
    return f"{url}?template={template.pk}"


@pytest.fixture
def ru(client):
    client.cookies["django_language"] = "ru"
    return client


@pytest.mark.django_db
def test_each_client_is_listed_with_what_the_letter_lacks_in_russian_words(ru, lawyer, raid):
    ru.force_login(lawyer)
    page = visible_text(ru.get(page_url(raid, appeal())).content.decode())
    for words in (
        "Не указан суд",
        "Нет даты получения постановления",
        "В деле не записано судебное заседание",
        "Нет открытого дела по этому инциденту",
        "Готовы 1 из 4",
        "Напечатать для 1 готового клиента",
    ):
        assert words in page
    assert "hearing." not in page and "decision_received_on" not in page
    names = [n for n in ("Алиев", "Бобоев", "Валиев", "Гаипов") if n in page]
    assert sorted(names, key=page.index) == ["Алиев", "Бобоев", "Валиев", "Гаипов"]


@pytest.mark.django_db
def test_every_merge_field_and_every_field_of_a_shipped_template_has_a_russian_label(case):
    context = merge_context(case, kind="expulsion_appeal", paragraphs={})
    fields = {
        f"{group}.{key}"
        for group, values in context.items()
        if isinstance(values, dict) and group not in ("paragraphs", "circumstances")
        for key in values
    }
    install_default_templates()
    for template in LetterTemplate.objects.all():
        fields |= {p for p, _ in referenced_fields(template.body) if "." in p}
    # What the lawyer writes or ticks in the letter form is never a missing record field.
    fields = {f for f in fields if not f.startswith(("paragraphs.", "circumstances."))}
    assert fields - set(MISSING_LABELS) == set()
    with override("ru"):
        untranslated = [
            code for code, label in MISSING_LABELS.items() if str(label) == label._args[0]
        ]
    assert untranslated == []
    assert len(SHIPPED) == LetterTemplate.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("clients", [1, 12])
def test_the_explained_list_costs_the_same_queries_for_one_client_or_many(
    ru, lawyer, office, clients, django_assert_num_queries
):
    template = appeal()
    incident = make_raid(office, lawyer, [f"Клиент{n:02d}" for n in range(clients)])
    ru.force_login(lawyer)
    with django_assert_num_queries(17):  # one of them: the appeal deadlines that ran out
        response = ru.get(page_url(incident, template))
    assert response.content.decode().count('class="list-group-item"') == clients


@pytest.mark.django_db
def test_filling_the_hearing_inline_turns_the_row_complete_and_updates_the_count(ru, lawyer, raid):
    template = appeal()
    case = case_of("Бобоев")
    court = Court.objects.filter(kind="administrative").first()
    ru.force_login(lawyer)
    prefix = f"fix-{case.pk}"
    response = ru.post(
        fix_url(raid, case, template),
        {
            f"{prefix}-court": court.pk,
            f"{prefix}-outcome": "expulsion_ordered",
            f"{prefix}-decision_received_on": TODAY().isoformat(),
            f"{prefix}-expected_version": Hearing.objects.get(case=case).version,
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="client-{case.client_id}"')
    assert "Не указан суд" not in html and "не готово" not in html and "готово" in html
    assert 'id="batch-go"' in html and 'hx-swap-oob="true"' in html and "Готовы 2 из 4" in html
    hearing = Hearing.objects.get(case=case)
    assert hearing.court == court and hearing.decision_received_on == TODAY()


@pytest.mark.django_db
def test_without_javascript_a_client_without_hearing_gets_one_on_its_own_page(ru, lawyer, raid):
    template = appeal()
    case = case_of("Валиев")
    ru.force_login(lawyer)
    form_page = ru.get(fix_url(raid, case, template))
    assert form_page.status_code == 200
    assert "В деле не записано судебное заседание" in form_page.content.decode()
    prefix = f"fix-{case.pk}"
    response = ru.post(
        fix_url(raid, case, template),
        {
            f"{prefix}-kind": "expulsion",
            f"{prefix}-starts_at": (timezone.localtime() - timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            f"{prefix}-court": Court.objects.filter(kind="administrative").first().pk,
            f"{prefix}-outcome": "expulsion_ordered",
            f"{prefix}-decision_received_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(raid, template)}#client-{case.client_id}"
    assert "Готовы 2 из 4" in ru.get(page_url(raid, template)).content.decode()


@pytest.mark.django_db
def test_a_bad_date_is_refused_in_russian_and_what_was_typed_stays(ru, lawyer, raid):
    template = appeal()
    case = case_of("Бобоев")
    ru.force_login(lawyer)
    prefix = f"fix-{case.pk}"
    response = ru.post(
        fix_url(raid, case, template),
        {f"{prefix}-outcome": "expulsion_ordered", f"{prefix}-decision_received_on": "31.02.2026"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Введите правильную дату" in html and "31.02.2026" in html
    assert "Обязательное поле" in html  # the court was left empty
    assert Hearing.objects.get(case=case).decision_received_on is None


@pytest.mark.django_db
def test_printing_for_the_ready_ones_issues_theirs_and_lists_the_rest_with_the_same_reasons(
    ru, lawyer, raid, django_capture_on_commit_callbacks
):
    template = appeal()
    ru.force_login(lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = ru.post(
            reverse("documents:batch_create", args=[raid.pk]), {"template": template.pk}
        )
    batch = LetterBatch.objects.get()
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "done" and (batch.processed, batch.total) == (4, 4)
    assert [letter.case.client.last_name for letter in batch.issued.all()] == ["Алиев"]
    page = visible_text(ru.get(reverse("documents:batch_detail", args=[batch.pk])).content.decode())
    assert "Пропущено 3 клиента" in page
    for words in (
        "Не указан суд",
        "Нет даты получения постановления",
        "В деле не записано судебное заседание",
        "Нет открытого дела по этому инциденту",
    ):
        assert words.lower() in page.lower()
    assert "hearing." not in page


@pytest.mark.django_db
def test_the_merged_pdf_has_each_clients_letter_in_the_order_of_the_list(
    ru, lawyer, office, django_capture_on_commit_callbacks
):
    template = appeal()
    surnames = ["Юсупов", "Абдуллаев", "Каримов", "Эргашев"]
    incident = make_raid(office, lawyer, surnames)
    ru.force_login(lawyer)
    page = ru.get(page_url(incident, template)).content.decode()
    listed = sorted(surnames, key=page.index)
    assert listed == sorted(surnames)
    with django_capture_on_commit_callbacks(execute=True):
        ru.post(reverse("documents:batch_create", args=[incident.pk]), {"template": template.pk})
    batch = LetterBatch.objects.get()
    reader = PdfReader(io.BytesIO(batch.merged_pdf.open("rb").read()))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 2 * len(surnames)
    for n, surname in enumerate(listed):
        letter_text = pages[2 * n] + pages[2 * n + 1]
        assert surname in letter_text
        assert all(other not in letter_text for other in surnames if other != surname)
    detail = ru.get(reverse("documents:batch_detail", args=[batch.pk])).content.decode()
    assert sorted(surnames, key=detail.index) == listed


@pytest.mark.django_db
def test_anonymous_outsider_and_observer_are_kept_out(client, raid, outsider, reader):
    template = appeal()
    case = case_of("Бобоев")
    urls = [page_url(raid, template), fix_url(raid, case, template)]
    for url in urls:
        assert client.get(url).status_code == 302
        assert client.post(url).status_code == 302
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    client.force_login(reader)
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Hearing.objects.get(case=case).court is None


@pytest.mark.django_db
def test_a_sensitive_case_the_user_may_not_see_is_never_listed_nor_fixed(ru, lawyer, office, raid):
    template = appeal()
    other = type(lawyer).objects.create_user(username="t-other", office=office)
    secret = case_of("Бобоев")
    secret.sensitivity, secret.responsible_lawyer, secret.paralegal = "sensitive", other, None
    secret.save()
    ru.force_login(lawyer)
    page = ru.get(page_url(raid, template)).content.decode()
    assert secret.reference not in page
    assert reverse("documents:batch_fix", args=[raid.pk, secret.pk]) not in page
    assert ru.get(fix_url(raid, secret, template)).status_code == 404
    assert ru.post(fix_url(raid, secret, template), {}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_without_redis_the_click_answers_at_once_and_the_progress_moves(
    reference_data, client, lawyer, office, settings, monkeypatch
):
    """The batch runs in a thread: the page answers before any letter is issued, and each
    letter moves the count. The test holds each letter until it has seen the count."""
    settings.LETTER_BATCHES_IN_THREAD = True
    template = appeal()
    incident = make_raid(office, lawyer, ["Алиев", "Бобоев"])
    gate = threading.Semaphore(0)
    real_issue = services.issue_letter

    def held_issue(**kwargs):
        assert gate.acquire(timeout=120), "the test never let the letter through"
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "issue_letter", held_issue)
    client.force_login(lawyer)
    client.cookies["django_language"] = "ru"
    response = client.post(
        reverse("documents:batch_create", args=[incident.pk]), {"template": template.pk}
    )
    batch = LetterBatch.objects.get()
    assert response.status_code == 302
    assert not Letter.objects.exists()
    runner = next(t for t in threading.enumerate() if t.name == f"letter-batch-{batch.pk}")
    seen = []
    for _ in range(2):
        gate.release()
        seen.append(wait_until_processed(batch, len(seen) + 1))
        page = client.get(reverse("documents:batch_detail", args=[batch.pk]))
        assert f"{len(seen)} из 2" in page.content.decode()
    runner.join(timeout=120)
    batch.refresh_from_db()
    assert seen == [1, 2] and batch.status == "done" and batch.merged_pdf


def wait_until_processed(batch: LetterBatch, count: int) -> int:
    waiter = threading.Event()
    for _ in range(2400):
        batch.refresh_from_db()
        if batch.processed >= count:
            return batch.processed
        waiter.wait(0.05)
    raise AssertionError(f"the batch stayed at {batch.processed}")


@pytest.fixture
def normal_case(office, lawyer):
    """A detainee with a passport, a permit, a fine under an article and the court's ruling;
    the office prints its logo, address, phone and email."""
    today = TODAY()
    office.phone, office.email = "+7 727 000 00 00", "office@example.org"
    office.save()
    install_demo_letterhead(office)
    person = ClientFactory(
        office=office,
        last_name="Каримов",
        first_name="Шерзод",
        patronymic="Алишерович",
        date_of_birth=today - timedelta(days=12000),
        address="г. Алматы, мкр. Айнабулак-3, д. 120, кв. 45",
        phone="+7 701 123 45 67",
    )
    DocumentFactory(client=person, number="FA1234567", issued_on=today - timedelta(days=900))
    PermitFactory(client=person, number="KZ-LAB-4321")
    police = Authority.objects.filter(kind="migration_police", city="Алматы").first()
    incident = Incident.objects.create(
        title="Рейд на рынке «Алтын Орда»",
        office=office,
        started_on=today - timedelta(days=9),
        place="Рынок, Кульджинский тракт",
        city="Алматы",
        authority=police,
    )
    case = CaseFactory(client=person, responsible_lawyer=lawyer, incident=incident)
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
    lawyer.first_name, lawyer.last_name, lawyer.position = "Айгерим", "Сарсенбаева", "юрист"
    lawyer.save()
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "closing"), [("ru", "Номер дела"), ("en", "Case number")])
def test_the_shipped_appeal_takes_two_pages_and_its_signature_is_not_alone(
    normal_case, lawyer, language, closing
):
    install_default_templates()
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language=language)
    letter = issue_letter(case=normal_case, template=template, issued_by=lawyer, paragraphs={})
    pdf = read_pdf(letter)
    assert page_count(pdf) == 2
    last_page = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()
    assert closing in last_page and "Сарсенбаева" in last_page
    assert "Каримов" in pdf_text(pdf)


@pytest.mark.django_db
def test_the_single_letter_preview_names_what_is_missing_in_words_too(ru, lawyer, case):
    ru.force_login(lawyer)
    response = ru.get(reverse("documents:letter_create", args=[case.pk]), {"template": appeal().pk})
    page = visible_text(response.content.decode())
    assert "В письме не хватает: в деле не записано судебное заседание" in page
    assert "hearing." not in page
