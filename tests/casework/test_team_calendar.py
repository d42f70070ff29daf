"""The team calendar feed: coordinators get a second private link with the pending
hearings and open deadlines of the offices they cover, no client data, no sensitive cases,
revoked apart from the personal one."""

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline
from tests.factories import CaseFactory, ClientFactory, HearingFactory

pytestmark = pytest.mark.django_db


def team_url(user) -> str:
    return reverse("casework:calendar_team_feed", args=[user.team_calendar_token])


def uids(response) -> set[str]:
    parsed = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]).split("@")[0] for event in parsed.walk("VEVENT")}


@pytest.fixture
def team(case, office, other_office):
    """Hearings and deadlines across two offices, a sensitive case's and a closed one's."""
    elsewhere = CaseFactory(client=ClientFactory(office=other_office), office=other_office)
    sensitive = CaseFactory(client=ClientFactory(office=office), sensitivity="sensitive")
    closed = CaseFactory(client=ClientFactory(office=office))
    today = timezone.localdate()
    made = {
        "hearing": HearingFactory(case=case),
        "deadline": Deadline.objects.create(case=case, title="Рахимов", due_on=today),
        "elsewhere": Deadline.objects.create(case=elsewhere, title="x", due_on=today),
        "sensitive": HearingFactory(case=sensitive),
        "closed": HearingFactory(case=closed),
    }
    closed.close(outcome="won")
    return made


def test_the_team_feed_holds_every_covered_office_and_leaves_out_sensitive_cases(
    client, coordinator, case, team
):
    response = client.get(team_url(coordinator))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert uids(response) == {
        f"hearing-{team['hearing'].pk}",
        f"deadline-{team['deadline'].pk}",
        f"deadline-{team['elsewhere'].pk}",
    }
    body = response.content.decode()
    assert case.reference in body
    assert case.client.last_name not in body and "Рахимов" not in body


def test_the_personal_feed_of_a_coordinator_stays_their_own(client, coordinator, team):
    response = client.get(reverse("casework:calendar_feed", args=[coordinator.calendar_token]))
    assert uids(response) == set()


def test_only_those_who_cover_offices_have_a_team_feed(client, lawyer, coordinator, team):
    assert client.get(team_url(lawyer)).status_code == 404
    client.force_login(lawyer)
    page = client.get(reverse("casework:calendar_settings")).content.decode()
    assert lawyer.team_calendar_token not in page
    assert client.post(reverse("casework:calendar_team_revoke")).status_code == 403
    client.force_login(coordinator)
    page = client.get(reverse("casework:calendar_settings")).content.decode()
    assert team_url(coordinator) in page and coordinator.calendar_token in page


def test_a_coordinator_who_leaves_the_role_stops_publishing_the_team(client, coordinator, team):
    url = team_url(coordinator)
    coordinator.groups.clear()
    coordinator.groups.add(Group.objects.get(name="lawyer"))
    assert client.get(url).status_code == 404


def test_the_team_link_is_revoked_apart_from_the_personal_one(client, coordinator, team):
    personal, old_team = coordinator.calendar_token, team_url(coordinator)
    client.force_login(coordinator)
    assert client.post(reverse("casework:calendar_team_revoke")).status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.calendar_token == personal
    assert client.get(old_team).status_code == 404
    assert client.get(team_url(coordinator)).status_code == 200


def test_the_team_feed_reads_a_fixed_number_of_queries(
    client, coordinator, office, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            busy = CaseFactory(client=ClientFactory(office=office))
            HearingFactory(case=busy)
            Deadline.objects.create(case=busy, title="x", due_on=timezone.localdate())

    add(1)
    with django_assert_num_queries(5) as one:
        client.get(team_url(coordinator))
    add(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(team_url(coordinator))
