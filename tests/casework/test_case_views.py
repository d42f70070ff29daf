from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Deadline, Fine, Hearing
from tests.factories import CaseFactory, ClientFactory, FineFactory, HearingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def fine_data(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "issued_on": today.isoformat(),
        "amount": "43250",
        "currency": "KZT",
        "status": "contested",
        "decision_received_on": today.isoformat(),
    } | overrides


def test_lawyer_opens_a_case_with_the_next_registry_number(client, lawyer, client_record):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:case_create", args=[client_record.pk]),
        {
            "kind": "expulsion",
            "sensitivity": "normal",
            "responsible_lawyer": lawyer.pk,
            "opened_on": timezone.localdate().isoformat(),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.reference == f"TAL-C-{timezone.localdate().year}-00001"
    assert case.responsible_lawyer == lawyer


def test_fine_is_recorded_in_place_and_the_section_comes_back(client, lawyer, case):
    client.force_login(lawyer)
    url = reverse("casework:fine_create", args=[case.pk])
    form = client.get(url, **HTMX)
    assert form.status_code == 200
    assert "<html" not in form.content.decode()
    response = client.post(url, fine_data(), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#fines"
    assert "43\u00a0250,00\u00a0₸" in response.content.decode()
    assert Fine.objects.get().case == case


def test_fine_form_works_without_javascript(client, lawyer, case):
    client.force_login(lawyer)
    response = client.post(reverse("casework:fine_create", args=[case.pk]), fine_data())
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#fines"


def test_invalid_fine_keeps_the_input_and_explains_in_russian(client, lawyer, case):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:fine_create", args=[case.pk]),
        fine_data(amount="-5", status="paid", officer="лейтенант Тестов"),
        HTTP_ACCEPT_LANGUAGE="ru",
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "лейтенант Тестов" in page
    assert "<html" not in page
    assert not Fine.objects.exists()


def test_hearing_is_recorded_and_edited_in_place(client, lawyer, case):
    client.force_login(lawyer)
    starts = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("casework:hearing_create", args=[case.pk]),
        {"starts_at": starts, "kind": "expulsion", "outcome": "pending"},
        **HTMX,
    )
    hearing = Hearing.objects.get()
    response = client.post(
        reverse("casework:hearing_edit", args=[hearing.pk]),
        {
            "starts_at": starts,
            "kind": "expulsion",
            "outcome": "expulsion_ordered",
            "decision_received_on": timezone.localdate().isoformat(),
            "expected_version": hearing.version,
        },
        **HTMX,
    )
    assert response["HX-Retarget"] == "#hearings"
    hearing.refresh_from_db()
    assert hearing.outcome == "expulsion_ordered"
    assert hearing.history.count() == 2


def test_concurrent_fine_edit_is_reported_not_overwritten(client, lawyer, case):
    fine = FineFactory(case=case, amount=100)
    client.force_login(lawyer)
    url = reverse("casework:fine_edit", args=[fine.pk])
    opened = fine.version
    Fine.objects.filter(pk=fine.pk).update(amount=200, version=opened + 1)
    response = client.post(url, fine_data(amount="300", expected_version=opened), **HTMX)
    assert response.status_code == 409
    page = response.content.decode()
    assert "200" in page and "300" in page
    fine.refresh_from_db()
    assert fine.amount == 200


def test_log_entry_records_the_time_spent(client, lawyer, case):
    client.force_login(lawyer)
    client.post(
        reverse("casework:note_create", args=[case.pk]),
        {
            "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "call",
            "text": "Позвонил клиенту",
            "minutes_spent": "25",
        },
    )
    note = case.notes.get()
    assert (note.author, note.minutes_spent) == (lawyer, 25)


def test_closing_a_case_needs_an_outcome_and_cancels_its_deadlines(client, lawyer, case):
    deadline = Deadline.objects.create(case=case, title="Апелляция", due_on=timezone.localdate())
    client.force_login(lawyer)
    url = reverse("casework:case_close", args=[case.pk])
    assert client.post(url, {"closed_on": timezone.localdate().isoformat()}).status_code == 400
    response = client.post(url, {"outcome": "won", "closed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    deadline.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "won")
    assert deadline.cancelled_at is not None


def test_reopening_clears_the_outcome(client, lawyer, case):
    case.close(outcome="lost")
    client.force_login(lawyer)
    client.post(reverse("casework:case_reopen", args=[case.pk]))
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == ("open", "", None)


def test_assigning_a_lawyer_of_another_office_is_refused(client, lawyer, case, outsider):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:case_assign", args=[case.pk]), {"responsible_lawyer": outsider.pk}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.responsible_lawyer == lawyer


def test_deadline_marked_done_leaves_the_open_list(client, lawyer, case):
    deadline = Deadline.objects.create(case=case, title="x", due_on=timezone.localdate())
    client.force_login(lawyer)
    client.post(reverse("casework:deadline_done", args=[deadline.pk]), **HTMX)
    deadline.refresh_from_db()
    assert deadline.done_by == lawyer


def test_my_cases_lists_only_the_users_own(client, lawyer, case, office):
    other = CaseFactory(client=ClientFactory(office=office))
    client.force_login(lawyer)
    page = client.get(reverse("casework:case_list")).content.decode()
    assert case.reference in page
    assert other.reference not in page
    page = client.get(reverse("casework:case_list"), {"scope": "all"}).content.decode()
    assert other.reference in page


def test_work_queue_shows_unassigned_and_own_cases(client, paralegal, case, office):
    unassigned = CaseFactory(client=ClientFactory(office=office))
    client.force_login(paralegal)
    page = client.get(reverse("casework:case_queue")).content.decode()
    assert case.reference in page and unassigned.reference in page


def add_busy_cases(office, lawyer, n: int) -> Case:
    for _ in range(n):
        busy = CaseFactory(client=ClientFactory(office=office), responsible_lawyer=lawyer)
        HearingFactory(case=busy)
        Deadline.objects.create(case=busy, title="x", due_on=timezone.localdate())
    return busy


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("casework:case_list", 7),
        ("casework:case_queue", 7),
        ("casework:incident_list", 6),
    ],
)
def test_case_lists_run_a_fixed_number_of_queries(
    client, lawyer, office, name, queries, django_assert_num_queries
):
    client.force_login(lawyer)
    add_busy_cases(office, lawyer, 1)
    with django_assert_num_queries(queries) as one:
        client.get(reverse(name))
    add_busy_cases(office, lawyer, 20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse(name))


def test_case_page_runs_a_fixed_number_of_queries(client, lawyer, case, django_assert_num_queries):
    client.force_login(lawyer)

    def add(n):
        for _ in range(n):
            FineFactory(case=case)
            HearingFactory(case=case)
            Deadline.objects.create(case=case, title="x", due_on=timezone.localdate())
            case.notes.create(author=lawyer, text="x")

    add(1)
    with django_assert_num_queries(13) as one:  # with the access record
        client.get(case.get_absolute_url())
    add(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(case.get_absolute_url())


def test_client_activity_runs_a_fixed_number_of_queries(
    client, lawyer, client_record, django_assert_num_queries
):
    client.force_login(lawyer)
    url = reverse("casework:client_activity", args=[client_record.pk])
    CaseFactory(client=client_record)
    with django_assert_num_queries(12) as one:  # with the access record
        client.get(url, **HTMX)
    for _ in range(20):
        FineFactory(case=CaseFactory(client=client_record))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url, **HTMX)
