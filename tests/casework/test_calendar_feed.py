"""The private calendar feed: the user's own hearings and open deadlines, readable by real
calendar software, with no client data, behind a secret link that can be revoked."""

from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from casework.ical import calendar, escape_text, fold
from casework.models import Court, Deadline, DeadlineRule
from tests.factories import CaseFactory, ClientFactory, HearingFactory, UserFactory

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return reverse("casework:calendar_feed", args=[user.calendar_token])


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def events(response) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in parse(response).walk("VEVENT")}


@pytest.fixture
def schedule(case, office):
    """The lawyer's hearing and deadlines, and a colleague's case's."""
    court = Court.objects.filter(kind="administrative").first()
    colleague_case = CaseFactory(
        client=ClientFactory(office=office), responsible_lawyer=UserFactory(office=office)
    )
    rule = DeadlineRule.objects.filter(trigger="decision_received").first()
    return {
        "hearing": HearingFactory(case=case, court=court),
        "deadline": Deadline.objects.create(
            case=case, title="Жалоба для Рахимова", rule=rule, due_on=timezone.localdate()
        ),
        "done": Deadline.objects.create(
            case=case, title="x", due_on=timezone.localdate(), done_at=timezone.now()
        ),
        "old_hearing": HearingFactory(case=case, starts_at=timezone.now() - timedelta(days=40)),
        "heard": HearingFactory(
            case=case, outcome="dismissed", decision_received_on=timezone.localdate()
        ),
        "colleague_hearing": HearingFactory(case=colleague_case),
        "colleague_deadline": Deadline.objects.create(
            case=colleague_case, title="y", due_on=timezone.localdate()
        ),
    }


def test_the_feed_is_valid_icalendar_with_the_users_own_events(client, lawyer, case, schedule):
    response = client.get(feed_url(lawyer))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    found = events(response)
    hearing, deadline = schedule["hearing"], schedule["deadline"]
    assert set(found) == {f"hearing-{hearing.pk}@127.0.0.1", f"deadline-{deadline.pk}@127.0.0.1"}
    event = found[f"hearing-{hearing.pk}@127.0.0.1"]
    assert event.decoded("DTSTART") == hearing.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1)
    assert case.reference in str(event["SUMMARY"])
    assert str(event["URL"]).endswith(case.get_absolute_url())
    assert hearing.court.name_ru in str(event["LOCATION"])
    assert "DTSTAMP" in event
    all_day = found[f"deadline-{deadline.pk}@127.0.0.1"]
    assert all_day.decoded("DTSTART") == deadline.due_on
    assert not isinstance(all_day.decoded("DTSTART"), datetime)
    assert all_day.decoded("DTEND") == deadline.due_on + timedelta(days=1)
    assert parse(response)["X-WR-CALNAME"]


def test_the_paralegal_of_a_case_sees_its_events_too(client, paralegal, schedule):
    found = events(client.get(feed_url(paralegal)))
    assert f"hearing-{schedule['hearing'].pk}@127.0.0.1" in found


def test_the_feed_carries_no_client_name_or_deadline_text(client, lawyer, case, schedule):
    body = client.get(feed_url(lawyer)).content.decode()
    assert case.client.last_name not in body
    assert case.client.last_name_latin not in body
    assert "Рахимова" not in body  # the deadline's free-text title named the client


def test_cyrillic_survives_the_round_trip(client, lawyer, schedule):
    response = client.get(feed_url(lawyer))
    response.content.decode("utf-8")
    summaries = [str(event["SUMMARY"]) for event in parse(response).walk("VEVENT")]
    assert any("Заседание" in summary for summary in summaries)
    locations = [str(event.get("LOCATION", "")) for event in parse(response).walk("VEVENT")]
    assert schedule["hearing"].court.name_ru in locations[0]


def test_every_line_ends_in_crlf_and_fits_75_octets(client, lawyer, schedule):
    body = client.get(feed_url(lawyer)).content
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)


def test_folding_never_splits_a_character_and_unfolds_to_the_original():
    line = "SUMMARY:" + "Заседание, суд; «тест» \\ " * 10
    folded = fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode()) <= 75
        part.encode().decode("utf-8")
    assert folded.replace("\r\n ", "") == line


def test_text_is_escaped_and_read_back_the_same():
    text = "Суд №2; зал 3, этаж 1\\ вход\nсо двора"
    assert escape_text(text) == "Суд №2\\; зал 3\\, этаж 1\\\\ вход\\nсо двора"
    from casework.ical import Event

    now = timezone.now()
    body = calendar(
        name=text,
        events=[Event(uid="x@y", summary=text, start=now, end=now, stamp=now, location=text)],
    )
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == text
    assert str(event["LOCATION"]) == text


def test_an_unknown_token_is_404(client):
    assert client.get(reverse("casework:calendar_feed", args=["no-such-token"])).status_code == 404


def test_an_inactive_users_feed_is_404(client, lawyer, schedule):
    lawyer.is_active = False
    lawyer.save()
    assert client.get(feed_url(lawyer)).status_code == 404


def test_the_feed_needs_no_session_but_the_settings_page_does(client, lawyer):
    assert client.get(feed_url(lawyer)).status_code == 200
    response = client.get(reverse("casework:calendar_settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_settings_page_shows_the_absolute_feed_url(client, lawyer, settings):
    settings.SITE_URL = "https://casework.example.kz"
    client.force_login(lawyer)
    page = client.get(reverse("casework:calendar_settings")).content.decode()
    assert f"https://casework.example.kz{feed_url(lawyer)}" in page
    assert f"webcal://casework.example.kz{feed_url(lawyer)}" in page
    assert "Google" in page


def test_revoking_makes_a_new_link_and_the_old_one_404s(client, lawyer):
    old = feed_url(lawyer)
    client.force_login(lawyer)
    response = client.post(reverse("casework:calendar_revoke"))
    assert response.status_code == 302
    lawyer.refresh_from_db()
    assert feed_url(lawyer) != old
    assert client.get(old).status_code == 404
    assert client.get(feed_url(lawyer)).status_code == 200
    page = client.get(reverse("casework:calendar_settings")).content.decode()
    assert feed_url(lawyer) in page
    assert old not in page


def test_revoking_needs_post(client, lawyer):
    old = lawyer.calendar_token
    client.force_login(lawyer)
    assert client.get(reverse("casework:calendar_revoke")).status_code == 405
    lawyer.refresh_from_db()
    assert lawyer.calendar_token == old


def test_the_nav_links_to_the_calendar_page(client, lawyer):
    client.force_login(lawyer)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("casework:calendar_settings")}"' in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_feed_runs_a_fixed_number_of_queries(
    client, lawyer, case, rows, django_assert_num_queries
):
    for i in range(rows):
        HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=i + 1))
        Deadline.objects.create(case=case, title="x", due_on=date.today() + timedelta(days=i))
    # owner by token, 2 × permissions (which cases they see), hearings, deadlines
    with django_assert_num_queries(5):
        response = client.get(feed_url(lawyer))
    assert len(parse(response).walk("VEVENT")) == 2 * rows


def test_the_settings_page_runs_a_fixed_number_of_queries(
    client, lawyer, case, django_assert_num_queries
):
    HearingFactory(case=case)
    client.force_login(lawyer)
    # session, user with office, 2 × permissions (nav), unread badge
    with django_assert_num_queries(5):
        assert client.get(reverse("casework:calendar_settings")).status_code == 200


def test_a_sensitive_case_stays_out_of_the_feed_until_its_lawyer_asks_for_it(
    client, lawyer, case, schedule
):
    case.sensitivity = "sensitive"
    case.save()
    hearing = f"hearing-{schedule['hearing'].pk}@127.0.0.1"
    assert hearing not in events(client.get(feed_url(lawyer)))
    client.force_login(lawyer)
    response = client.post(reverse("casework:calendar_sensitive"), {"show": "on"})
    assert response.status_code == 302
    assert hearing in events(client.get(feed_url(lawyer)))
    client.post(reverse("casework:calendar_sensitive"), {})
    assert hearing not in events(client.get(feed_url(lawyer)))


def test_the_calendar_page_offers_the_choice_unticked(client, lawyer):
    client.force_login(lawyer)
    page = client.get(reverse("casework:calendar_settings")).content.decode()
    assert 'name="show"' in page
    assert 'name="show" checked' not in page
