"""Redirects answered to htmx become a whole-page navigation (HX-Redirect), so a saved
record's page is never drawn inside the form that created it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Incident

pytestmark = pytest.mark.django_db

INCIDENT = {"title": "Рейд", "kind": "raid", "place": "Рынок", "city": "Алматы"}
INCIDENT |= {"detained_count": 0, "expelled_count": 0}


def _posted(client, htmx: bool):
    data = {**INCIDENT, "started_on": timezone.localdate().isoformat()}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("casework:incident_create"), data, headers=headers)


def test_a_form_posted_by_htmx_navigates_to_the_new_record(client, paralegal):
    client.force_login(paralegal)
    response = _posted(client, htmx=True)
    incident = Incident.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == incident.get_absolute_url()
    assert response.content == b""
    # The success message survives the navigation.
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "Теперь привяжите" in page or "Now link" in page


def test_the_same_form_without_javascript_still_redirects(client, paralegal):
    client.force_login(paralegal)
    response = _posted(client, htmx=False)
    assert response.status_code == 302
    assert "HX-Redirect" not in response


def test_an_ended_session_under_an_htmx_form_navigates_to_sign_in(client):
    response = _posted(client, htmx=True)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert not Incident.objects.exists()


def test_an_in_place_fragment_is_left_alone(client, lawyer, case):
    client.force_login(lawyer)
    url = reverse("casework:note_create", args=[case.pk])
    data = {"kind": "call", "text": "Звонок клиенту", "minutes_spent": 10}
    data["happened_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert "Звонок клиенту" in response.content.decode()
