"""Issuing letters from the case page, and batches for an incident."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents.defaults import install_default_templates
from documents.models import Letter, LetterBatch, LetterTemplate
from documents.pdf import page_count, pdf_text
from tests.factories import ClientFactory, FineFactory, HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(db):
    install_default_templates()
    return {t.kind + "." + t.language: t for t in LetterTemplate.objects.all()}


@pytest.fixture
def fine_case(case):
    FineFactory(
        case=case,
        amount=43250,
        protocol_number="П-2026-77",
        decision_received_on=timezone.localdate(),
        issued_on=timezone.localdate(),
    )
    return case


def test_preview_fills_the_merge_fields_and_flags_the_missing_ones(
    client, lawyer, fine_case, templates
):
    client.force_login(lawyer)
    response = client.get(
        reverse("documents:letter_create", args=[fine_case.pk]),
        {"template": templates["fine_complaint.ru"].pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "43\u00a0250,00\u00a0₸" in page
    assert fine_case.client.full_name in page
    assert not Letter.objects.exists()  # a preview issues nothing


def test_issuing_stores_the_exact_html_the_pdf_and_its_checksum(
    client, lawyer, fine_case, templates
):
    client.force_login(lawyer)
    response = client.post(
        reverse("documents:letter_create", args=[fine_case.pk]),
        {
            "template": templates["fine_complaint.ru"].pk,
            "grounds": "Штраф наложен незаконно.",
            "issue": "1",
            "issue_with_missing": "on",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    pdf = letter.pdf.open("rb").read()
    assert hashlib.sha256(pdf).hexdigest() == letter.checksum
    text = pdf_text(pdf)
    assert "43\u00a0250,00\u00a0₸" in text or "43 250,00 ₸" in text
    assert "Штраф наложен незаконно." in text
    assert letter.number in text
    assert letter.number.startswith("TAL-L-")


def test_a_correction_is_a_new_letter_pointing_to_the_old_one(client, lawyer, fine_case, templates):
    from documents.services import issue_letter

    first = issue_letter(
        case=fine_case,
        template=templates["fine_complaint.ru"],
        issued_by=lawyer,
        paragraphs={"grounds": "Первая редакция"},
    )
    client.force_login(lawyer)
    client.post(
        reverse("documents:letter_correct", args=[first.pk]),
        {
            "template": first.template_id,
            "grounds": "Исправленная редакция",
            "issue": "1",
            "issue_with_missing": "on",
        },
    )
    second = Letter.objects.exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert second.supersedes == first
    assert "Первая редакция" in pdf_text(first.pdf.open("rb").read())
    assert "Исправленная редакция" in pdf_text(second.pdf.open("rb").read())


def test_letter_pdf_is_served_only_to_who_sees_the_case(
    client, lawyer, outsider, reader, fine_case, templates
):
    from documents.services import issue_letter

    letter = issue_letter(
        case=fine_case, template=templates["fine_complaint.ru"], issued_by=lawyer, paragraphs={}
    )
    url = reverse("documents:letter_pdf", args=[letter.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.get(reverse("documents:letter_create", args=[fine_case.pk])).status_code == 403


def test_batch_issues_one_letter_per_client_skips_with_reasons_and_never_twice(
    client, lawyer, office, templates, django_capture_on_commit_callbacks
):
    raid = Incident.objects.create(
        title="Рейд", office=office, started_on=timezone.localdate(), place="Рынок", city="Алматы"
    )
    for _ in range(4):
        IncidentClient.objects.create(incident=raid, client=ClientFactory(office=office))
    cases = open_cases_for_incident(
        incident=raid, kind="expulsion", opened_by=lawyer, lawyer=lawyer
    )
    for case in cases[:3]:
        HearingFactory(
            case=case, outcome="expulsion_ordered", decision_received_on=timezone.localdate()
        )
    # The fourth has no hearing recorded: its appeal cannot name the court.
    IncidentClient.objects.create(incident=raid, client=ClientFactory(office=office))  # no case
    client.force_login(lawyer)
    url = reverse("documents:batch_create", args=[raid.pk])
    choice = {"template": templates["expulsion_appeal.ru"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, choice)
    batch = LetterBatch.objects.get()
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "done"
    assert batch.issued.count() == 3
    assert len(batch.skipped) == 2
    assert all(row["missing"] for row in batch.skipped)
    assert page_count(batch.merged_pdf.open("rb").read()) >= 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, choice)
    assert Letter.objects.count() == 3
    page = client.get(reverse("documents:batch_detail", args=[batch.pk])).content.decode()
    for row in batch.skipped:
        assert row["client"] in page


def test_the_letter_form_offers_the_boxes_of_the_chosen_letter(
    client, lawyer, fine_case, templates
):
    fine_case.fines.update(status="paid", paid_on=timezone.localdate())
    client.cookies["django_language"] = "ru"
    client.force_login(lawyer)
    url = reverse("documents:letter_create", args=[fine_case.pk])
    complaint = client.get(url, {"template": templates["fine_complaint.ru"].pk})
    field = complaint.context["form"]["circumstances"]
    assert field.label == "На что опирается жалоба"
    assert "штраф уже уплачен: просить вернуть деньги" in complaint.content.decode()
    assert field.value() == ["paid"]  # from the fine's record
    attorney = client.get(url, {"template": templates["power_of_attorney.ru"].pk})
    assert "circumstances" not in attorney.context["form"].fields


def test_choosing_another_letter_without_javascript_starts_from_its_records(
    client, lawyer, fine_case, templates
):
    client.force_login(lawyer)
    response = client.post(
        reverse("documents:letter_create", args=[fine_case.pk]),
        {
            "template": templates["fine_complaint.ru"].pk,
            "circumstances_for": "prosecutor_complaint",  # ticked for the letter shown before
            "circumstances": ["extortion"],
            "preview": "1",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["circumstances"].value() == []  # nothing in the records for this fine
    assert form["circumstances_for"].value() == "fine_complaint"


def test_a_correction_starts_from_what_the_corrected_letter_ticked(
    client, lawyer, fine_case, templates
):
    client.force_login(lawyer)
    client.post(
        reverse("documents:letter_create", args=[fine_case.pk]),
        {
            "template": templates["fine_complaint.ru"].pk,
            "circumstances_for": "fine_complaint",
            "circumstances": ["no_interpreter"],
            "issue": "1",
            "issue_with_missing": "on",
        },
    )
    letter = Letter.objects.get()
    assert "переводчик ему предоставлен не был" in pdf_text(letter.pdf.open("rb").read())
    page = client.get(reverse("documents:letter_correct", args=[letter.pk]))
    assert page.context["form"]["circumstances"].value() == ["no_interpreter"]
