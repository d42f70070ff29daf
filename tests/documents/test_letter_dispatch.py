"""Sending a letter is recorded on the case's letter list and starts the wait for the
authority's answer; a corrected date moves that letter's deadline and no other."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline
from casework.workdays import Calendar
from documents.defaults import install_default_templates
from documents.models import Letter, LetterDispatch, LetterTemplate
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
ISSUED = timezone.make_aware(datetime(2026, 9, 28, 11, 0))


@pytest.fixture
def templates(db):
    install_default_templates()
    return {t.kind: t for t in LetterTemplate.objects.filter(language="ru")}


def issued(case, template, lawyer, number: str) -> Letter:
    """An issued letter row; rendering its PDF is what test_letters covers."""
    letter = Letter.objects.create(
        case=case,
        template=template,
        number=number,
        html="<p>текст</p>",
        pdf=f"letters/{number}.pdf",
        checksum="0" * 64,
        issued_by=lawyer,
        title=template.title,
    )
    Letter.objects.filter(pk=letter.pk).update(issued_at=ISSUED)
    letter.refresh_from_db()
    return letter


@pytest.fixture
def complaint(client_record, lawyer, templates):
    case = CaseFactory(client=client_record, kind="documents", responsible_lawyer=lawyer)
    return issued(case, templates["prosecutor_complaint"], lawyer, "TAL-L-2026-00001")


def dispatch(client, letter, sent_on, method="hand", number="вх-1234", **extra):
    prefix = f"dispatch-{letter.pk}"
    return client.post(
        reverse("documents:letter_dispatch", args=[letter.pk]),
        {
            f"{prefix}-sent_on": sent_on,
            f"{prefix}-method": method,
            f"{prefix}-incoming_number": number,
        },
        **extra,
    )


def test_a_complaint_handed_in_starts_the_prosecutors_answer_deadline(client, lawyer, complaint):
    client.force_login(lawyer)
    response = dispatch(client, complaint, "2026-10-01")
    assert response.status_code == 302
    sent = LetterDispatch.objects.get()
    assert (sent.sent_on, sent.method, sent.incoming_number) == (
        date(2026, 10, 1),
        "hand",
        "вх-1234",
    )
    assert sent.recorded_by == lawyer
    deadline = Deadline.objects.get(source_key=f"letter:{complaint.pk}")
    assert deadline.rule.code == "prosecutor-answer"
    assert deadline.case == complaint.case
    assert deadline.event_on == date(2026, 10, 1)
    # 15 working days, the day of sending not counted: Thursday 22 October.
    assert deadline.due_on == Calendar("KZ").add_working_days(date(2026, 10, 1), 15)
    assert deadline.due_on == date(2026, 10, 22)
    assert deadline.reminders.filter(recipient=lawyer).exists()


def test_a_request_to_the_migration_service_starts_the_state_body_deadline(
    client, lawyer, case, templates
):
    letter = issued(case, templates["information_request"], lawyer, "TAL-L-2026-00002")
    client.force_login(lawyer)
    dispatch(client, letter, "2026-10-23", method="post", number="")
    deadline = Deadline.objects.get(source_key=f"letter:{letter.pk}")
    assert deadline.rule.code == "state-body-answer"
    # Republic Day (Sunday 25 October 2026) moves to Monday 26: one working day more.
    assert deadline.due_on == date(2026, 11, 16)


def test_a_corrected_date_moves_this_letters_deadline_and_no_other(
    client, lawyer, complaint, templates
):
    other = issued(complaint.case, templates["prosecutor_complaint"], lawyer, "TAL-L-2026-00003")
    client.force_login(lawyer)
    dispatch(client, complaint, "2026-10-01")
    dispatch(client, other, "2026-10-01")
    dispatch(client, complaint, "2026-10-05", number="вх-1240")
    mine = Deadline.objects.open().get(source_key=f"letter:{complaint.pk}")
    # Monday 26 October is Republic Day moved from the Sunday: the 15th working day is the 27th.
    assert (mine.event_on, mine.due_on) == (date(2026, 10, 5), date(2026, 10, 27))
    assert Deadline.objects.filter(source_key=f"letter:{complaint.pk}").count() == 1
    assert Deadline.objects.get(source_key=f"letter:{other.pk}").due_on == date(2026, 10, 22)
    # Both records are kept; the newest is how the letter went out.
    assert complaint.dispatches.count() == 2
    page = client.get(reverse("documents:letter_list", args=[complaint.case_id])).content.decode()
    assert "05.10.2026" in page
    assert "вх-1240" in page
    assert "27.10.2026" in page


def test_a_power_of_attorney_is_recorded_as_sent_without_a_deadline(
    client, lawyer, case, templates
):
    letter = issued(case, templates["power_of_attorney"], lawyer, "TAL-L-2026-00004")
    client.force_login(lawyer)
    assert dispatch(client, letter, "2026-10-01").status_code == 302
    assert LetterDispatch.objects.filter(letter=letter).exists()
    assert not Deadline.objects.exists()


def test_htmx_gets_the_refreshed_letter_list(client, lawyer, complaint):
    client.force_login(lawyer)
    response = dispatch(client, complaint, "2026-10-01", **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="letters"' in page
    assert "22.10.2026" in page


@pytest.mark.parametrize(
    ("sent_on", "method"),
    [
        ("2026-13-45", "hand"),
        ("", "hand"),
        ("2030-01-01", "hand"),
        ("2026-09-01", "hand"),
        ("2026-10-01", "pigeon"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    client, lawyer, complaint, sent_on, method
):
    client.force_login(lawyer)
    response = dispatch(client, complaint, sent_on, method=method, number="вх-777")
    page = response.content.decode()
    assert response.status_code == 400
    assert "вх-777" in page
    assert "invalid-feedback" in page
    assert not LetterDispatch.objects.exists()
    assert not Deadline.objects.exists()


def test_a_date_before_issue_is_explained(client, lawyer, complaint):
    client.force_login(lawyer)
    response = dispatch(client, complaint, "2026-09-01", HTTP_ACCEPT_LANGUAGE="en")
    assert "09/28/2026" in response.content.decode()  # English keeps its own order


def test_access_anonymous_outsider_and_reader_change_nothing(client, complaint, outsider, reader):
    assert dispatch(client, complaint, "2026-10-01").status_code == 302
    client.force_login(outsider)
    assert dispatch(client, complaint, "2026-10-01").status_code == 404
    client.force_login(reader)
    assert dispatch(client, complaint, "2026-10-01").status_code == 403
    assert client.get(reverse("documents:letter_dispatch", args=[complaint.pk])).status_code == 405
    assert not LetterDispatch.objects.exists()


def test_the_reader_sees_how_a_letter_was_sent_but_no_form(client, lawyer, reader, complaint):
    client.force_login(lawyer)
    dispatch(client, complaint, "2026-10-01")
    client.force_login(reader)
    page = client.get(reverse("documents:letter_list", args=[complaint.case_id])).content.decode()
    assert "01.10.2026" in page
    assert reverse("documents:letter_dispatch", args=[complaint.pk]) not in page


@pytest.mark.parametrize("letters", [1, 20])
def test_the_letter_list_costs_the_same_queries_for_1_and_20_letters(
    client, lawyer, complaint, templates, letters, django_assert_num_queries
):
    client.force_login(lawyer)
    for n in range(letters - 1):
        issued(complaint.case, templates["information_request"], lawyer, f"TAL-L-2026-1{n:04d}")
    for letter in Letter.objects.all():
        dispatch(client, letter, "2026-10-01")
    url = reverse("documents:letter_list", args=[complaint.case_id])
    # A case's page, as detail pages go: session, user, two permission lookups, the case,
    # letters, their dispatches, the deadlines they started, the office the menu shows, and
    # the access record.
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("22.10.2026") == letters
    with django_assert_num_queries(9):  # the fragment the case page loads has no menu
        response = client.get(url, **HTMX)
    assert response.content.decode().count("22.10.2026") == letters


def test_closing_the_case_before_sending_starts_no_clock(client, lawyer, complaint):
    from casework.services import close_case

    close_case(case=complaint.case, outcome="won")
    client.force_login(lawyer)
    dispatch(client, complaint, "2026-10-01")
    assert LetterDispatch.objects.exists()
    assert not Deadline.objects.open().exists()


def test_the_letter_admin_shows_how_it_was_sent(admin_client, lawyer, complaint):
    from documents.services import record_dispatch

    record_dispatch(
        letter=complaint,
        sent_on=date(2026, 10, 1),
        method="post",
        incoming_number="вх-55",
        recorded_by=lawyer,
    )
    response = admin_client.get(reverse("admin:documents_letter_change", args=[complaint.pk]))
    assert response.status_code == 200
    assert "вх-55" in response.content.decode()
