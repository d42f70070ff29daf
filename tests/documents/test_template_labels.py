"""Letter choices and letter lists name each letter in the reader's language: a Russian page
shows no English title of a shipped template, the admin keeps the title as typed."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents.defaults import install_default_templates
from documents.models import LetterBatch, LetterTemplate
from documents.services import issue_letter
from tests.factories import ClientFactory, HearingFactory

pytestmark = pytest.mark.django_db

ENGLISH_TITLES = ("Appeal against an expulsion ruling", "Complaint against a fine decision")
ENGLISH_APPEAL_IN_RUSSIAN = (
    "Апелляционная жалоба на постановление о выдворении — на английском языке"
)


@pytest.fixture
def templates(db):
    install_default_templates()
    return {t.kind + "." + t.language: t for t in LetterTemplate.objects.all()}


def in_language(client, language: str):
    client.cookies["django_language"] = language
    return client


def options(page: str) -> list[str]:
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)", page)]


@pytest.fixture
def raid(office, lawyer):
    incident = Incident.objects.create(
        title="Рейд", office=office, started_on=timezone.localdate(), place="Рынок", city="Алматы"
    )
    IncidentClient.objects.create(incident=incident, client=ClientFactory(office=office))
    for case in open_cases_for_incident(
        incident=incident, kind="expulsion", opened_by=lawyer, lawyer=lawyer
    ):
        HearingFactory(
            case=case, outcome="expulsion_ordered", decision_received_on=timezone.localdate()
        )
    return incident


def test_the_letter_choice_names_english_letters_in_russian(client, lawyer, case, templates):
    in_language(client, "ru").force_login(lawyer)
    page = client.get(reverse("documents:letter_create", args=[case.pk])).content.decode()
    labels = options(page)
    assert ENGLISH_APPEAL_IN_RUSSIAN in labels
    assert "Жалоба на постановление о штрафе — на английском языке" in labels
    assert "Апелляционная жалоба на постановление о выдворении" in labels  # its own title
    assert not any(title in page for title in ENGLISH_TITLES)
    assert "(Английский)" not in page


def test_the_batch_choice_names_english_letters_in_russian_and_lists_russian_first(
    client, lawyer, raid, templates
):
    in_language(client, "ru").force_login(lawyer)
    page = client.get(reverse("documents:batch_create", args=[raid.pk])).content.decode()
    labels = [label for label in options(page) if label != "---------"]
    assert ENGLISH_APPEAL_IN_RUSSIAN in labels
    assert not any(title in page for title in ENGLISH_TITLES)
    russian = [t.label for t in templates.values() if t.language == "ru"]
    assert set(labels[: len(russian)]) == set(russian)


def test_a_batch_of_english_letters_is_named_in_russian_on_its_pages(
    client, lawyer, raid, templates, django_capture_on_commit_callbacks
):
    in_language(client, "ru").force_login(lawyer)
    template = templates["expulsion_appeal.en"]
    url = reverse("documents:batch_create", args=[raid.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"template": template.pk})
    batch = LetterBatch.objects.get()
    detail = client.get(reverse("documents:batch_detail", args=[batch.pk])).content.decode()
    listed = client.get(url).content.decode()
    for page in (detail, listed):
        assert ENGLISH_APPEAL_IN_RUSSIAN in page
        assert not any(title in page for title in ENGLISH_TITLES)


def test_an_issued_english_letter_is_named_in_russian_in_the_case_letters(
    client, lawyer, case, templates
):
    letter = issue_letter(
        case=case, template=templates["expulsion_appeal.en"], issued_by=lawyer, paragraphs={}
    )
    in_language(client, "ru").force_login(lawyer)
    page = client.get(reverse("documents:letter_list", args=[case.pk])).content.decode()
    assert f"№ {letter.number}</strong> · {ENGLISH_APPEAL_IN_RUSSIAN}" in page
    assert letter.title == "Appeal against an expulsion ruling"  # as issued, for its PDF
    assert not any(title in page for title in ENGLISH_TITLES)


def test_an_english_page_names_russian_letters_in_english(client, lawyer, case, templates):
    in_language(client, "en").force_login(lawyer)
    labels = options(
        client.get(reverse("documents:letter_create", args=[case.pk])).content.decode()
    )
    assert "Appeal against an expulsion ruling" in labels  # written in English: its title
    assert "Appeal against an expulsion decision — in Russian" in labels
    assert "Апелляционная жалоба на постановление о выдворении" not in labels


def test_the_admin_keeps_the_title_as_typed(client, django_user_model, templates):
    admin = django_user_model.objects.create_superuser("t-admin", "a@example.org", "pw")
    in_language(client, "ru").force_login(admin)
    page = client.get(reverse("admin:documents_lettertemplate_changelist")).content.decode()
    assert "Appeal against an expulsion ruling" in page
