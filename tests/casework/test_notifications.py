"""In-app notifications: the recipient's delivered reminders, read and marked read, and the
unread badge every page shows for one query."""

import itertools
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline, Reminder
from tests.factories import HearingFactory, PermitFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST = reverse("casework:notification_list")
_keys = itertools.count()


@pytest.fixture
def deadline(case):
    return Deadline.objects.create(case=case, title="Подать апелляцию", due_on=date(2026, 3, 10))


def notify(user, *, minutes_ago: int = 0, read: bool = False, **subject) -> Reminder:
    now = timezone.now()
    return Reminder.objects.create(
        recipient=user,
        channel=subject.pop("channel", Reminder.Channel.IN_APP),
        kind=subject.pop("kind", Reminder.Kind.UPCOMING),
        remind_at=now,
        sent_at=now,
        delivered_at=subject.pop("delivered_at", now - timedelta(minutes=minutes_ago)),
        read_at=now if read else None,
        dedupe_key=f"test:{next(_keys)}",
        **subject,
    )


def reminder_queries(queries) -> int:
    return sum('FROM "casework_reminder"' in q["sql"] for q in queries.captured_queries)


def test_the_list_shows_the_users_delivered_in_app_reminders_newest_first(
    client, lawyer, paralegal, deadline, case
):
    older = notify(lawyer, deadline=deadline, minutes_ago=30)
    newer = notify(
        lawyer, hearing=HearingFactory(case=case), kind=Reminder.Kind.HEARING, minutes_ago=5
    )
    notify(lawyer, deadline=deadline, channel=Reminder.Channel.EMAIL)
    notify(lawyer, deadline=deadline, delivered_at=None)
    notify(paralegal, deadline=deadline)
    client.force_login(lawyer)
    page = client.get(LIST).content.decode()
    assert page.count('id="notification-') == 2
    assert page.index(f'id="notification-{newer.pk}"') < page.index(f'id="notification-{older.pk}"')
    assert "Срок 10.03.2026: Подать апелляцию" in page
    assert case.reference in page
    assert f'href="{case.get_absolute_url()}"' in page


def test_titles_are_in_the_readers_language(client, lawyer, deadline):
    notify(lawyer, deadline=deadline)
    client.force_login(lawyer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(LIST).content.decode()
    assert "Due 03/10/2026: Подать апелляцию" in page
    assert "Mark as read" in page


def test_a_permit_notification_links_to_the_client_page(client, lawyer, client_record):
    permit = PermitFactory(client=client_record)
    notify(lawyer, permit=permit, kind=Reminder.Kind.PERMIT_EXPIRY)
    client.force_login(lawyer)
    page = client.get(LIST).content.decode()
    assert f'href="{client_record.get_absolute_url()}"' in page
    assert permit.valid_until.strftime("%d.%m.%Y") in page


def test_marking_one_as_read_sets_read_at_and_keeps_the_row(client, lawyer, deadline):
    reminder = notify(lawyer, deadline=deadline)
    other = notify(lawyer, deadline=deadline)
    client.force_login(lawyer)
    response = client.post(reverse("casework:notification_read", args=[reminder.pk]))
    assert response.status_code == 302
    assert response["Location"] == LIST
    reminder.refresh_from_db()
    other.refresh_from_db()
    assert reminder.read_at is not None
    assert other.read_at is None
    assert Reminder.objects.count() == 2
    assert reminder.history.filter(read_at__isnull=False).exists()


def test_marking_as_read_with_htmx_returns_the_row_and_the_new_badge(client, lawyer, deadline):
    reminder = notify(lawyer, deadline=deadline)
    notify(lawyer, deadline=deadline)
    client.force_login(lawyer)
    response = client.post(reverse("casework:notification_read", args=[reminder.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('id="notification-') == 1
    assert "Mark as read" not in html
    assert 'id="unread-badge"' in html
    assert 'hx-swap-oob="true"' in html
    assert ">1<" in html


def test_marking_all_as_read_reads_only_the_users_own(client, lawyer, paralegal, deadline):
    mine = [notify(lawyer, deadline=deadline) for _ in range(3)]
    theirs = notify(paralegal, deadline=deadline)
    client.force_login(lawyer)
    response = client.post(reverse("casework:notification_read_all"), {"page": "2"})
    assert response["Location"] == f"{LIST}?page=2"
    assert all(Reminder.objects.get(pk=r.pk).read_at for r in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_as_read_with_htmx_returns_the_list(client, lawyer, deadline):
    notify(lawyer, deadline=deadline)
    client.force_login(lawyer)
    response = client.post(reverse("casework:notification_read_all"), **HTMX)
    html = response.content.decode()
    assert 'id="notifications"' in html
    assert "<html" not in html
    assert "Mark all as read" not in html
    assert 'hx-swap-oob="true"' in html


def test_another_users_notification_is_404_and_stays_unread(client, lawyer, paralegal, deadline):
    reminder = notify(paralegal, deadline=deadline)
    client.force_login(lawyer)
    response = client.post(reverse("casework:notification_read", args=[reminder.pk]))
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_an_email_reminder_cannot_be_marked_through_the_list(client, lawyer, deadline):
    reminder = notify(lawyer, deadline=deadline, channel=Reminder.Channel.EMAIL)
    client.force_login(lawyer)
    assert client.post(reverse("casework:notification_read", args=[reminder.pk])).status_code == 404


def test_marking_as_read_needs_post(client, lawyer, deadline):
    reminder = notify(lawyer, deadline=deadline)
    client.force_login(lawyer)
    assert client.get(reverse("casework:notification_read", args=[reminder.pk])).status_code == 405
    assert client.get(reverse("casework:notification_read_all")).status_code == 405


def test_the_badge_counts_unread_notifications_on_every_page(client, lawyer, deadline):
    notify(lawyer, deadline=deadline)
    notify(lawyer, deadline=deadline)
    notify(lawyer, deadline=deadline, read=True)
    client.force_login(lawyer)
    for url in (reverse("home"), reverse("casework:case_list"), reverse("clients:client_list")):
        page = client.get(url).content.decode()
        assert 'text-bg-danger">2<span class="visually-hidden"> непрочитанных' in page


def test_the_badge_stops_counting_at_99(client, lawyer, deadline):
    for _ in range(101):
        notify(lawyer, deadline=deadline)
    client.force_login(lawyer)
    assert ">99+<" in client.get(reverse("home")).content.decode()


def test_no_badge_without_unread_notifications(client, lawyer, deadline):
    notify(lawyer, deadline=deadline, read=True)
    client.force_login(lawyer)
    assert "text-bg-danger" not in client.get(reverse("home")).content.decode()


def test_the_badge_costs_one_query_and_pages_without_the_nav_pay_none(
    client, lawyer, client_record, deadline
):
    notify(lawyer, deadline=deadline)
    client.force_login(lawyer)
    with CaptureQueriesContext(connection) as full_page:
        client.get(reverse("home"))
    assert reminder_queries(full_page) == 1
    url = reverse("casework:client_activity", args=[client_record.pk])
    with CaptureQueriesContext(connection) as fragment:
        assert client.get(url, **HTMX).status_code == 200
    assert reminder_queries(fragment) == 0


def test_the_login_page_has_no_badge_and_no_count(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("login")).content.decode()
    assert "unread-badge" not in page
    assert reminder_queries(queries) == 0


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    client, lawyer, case, deadline, rows, django_assert_num_queries
):
    for i in range(rows):
        notify(lawyer, deadline=deadline, minutes_ago=i)
        notify(lawyer, hearing=HearingFactory(case=case), kind=Reminder.Kind.HEARING)
        notify(lawyer, permit=PermitFactory(client=case.client), kind=Reminder.Kind.PERMIT_EXPIRY)
    client.force_login(lawyer)
    # session, user with office, 2 × permissions (nav), unread badge, count, page
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert response.content.decode().count('id="notification-') == min(3 * rows, 25)
