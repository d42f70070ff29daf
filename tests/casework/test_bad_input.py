"""Input that used to end in a server error: a NUL character in a query string and dates
far in the past or future. Each is answered with a message and loses nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline, Reminder
from casework.reminders import plan_deadline_reminders

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


@pytest.mark.parametrize(
    "url_name",
    ["clients:client_list", "casework:case_list", "casework:incident_list", "casework:dashboard"],
)
def test_a_nul_in_a_query_string_is_explained_not_a_server_error(client, lawyer, url_name):
    client.force_login(lawyer)
    response = client.get(reverse(url_name) + "?q=12%00&status=open", **RU)
    assert response.status_code == 400
    page = response.content.decode()
    assert "управляющий символ" in page
    # The way on keeps every value, without the character.
    assert f'href="{reverse(url_name)}?q=12&amp;status=open"' in page


def test_a_nul_in_a_parameters_name_is_refused_too(client, lawyer):
    client.force_login(lawyer)
    response = client.get(reverse("clients:client_list") + "?q%00=x", **RU)
    assert response.status_code == 400


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31"])
def test_a_deadline_far_in_the_past_or_future_is_refused_with_the_input_kept(
    client, lawyer, case, typed
):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:deadline_create", args=[case.pk]),
        {"title": "Подать жалобу в облсуд", "due_on": typed, "notes": "срочно"},
        **RU,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Введите дату между 01.01.1900 и 31.12.2199" in page
    assert "Подать жалобу в облсуд" in page and "срочно" in page
    assert not Deadline.objects.filter(case=case).exists()


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31"])
def test_a_hearing_at_an_impossible_date_is_refused(client, lawyer, case, typed):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:hearing_create", args=[case.pk]),
        {"kind": "expulsion", "starts_at": f"{typed}T10:00", "outcome": "pending"},
        **RU,
    )
    assert response.status_code == 400
    assert "Введите дату между" in response.content.decode()


@pytest.mark.parametrize("due", ["0001-01-01", "9999-12-31"])
def test_planning_reminders_for_an_impossible_stored_date_plans_none(case, due):
    deadline = Deadline.objects.create(case=case, title="x", due_on=timezone.localdate())
    Deadline.objects.filter(pk=deadline.pk).update(due_on=due)  # as if typed past the forms
    deadline.refresh_from_db()
    plan_deadline_reminders(deadline)
    assert not Reminder.objects.filter(deadline=deadline, sent_at=None).exists()
