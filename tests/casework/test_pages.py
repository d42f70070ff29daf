from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Deadline
from tests.factories import CaseFactory, ClientFactory, HearingFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_speaks_the_browsers_language(client):
    russian = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Войти в Casework" in russian.content.decode()
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in to Casework" in english.content.decode()


def test_language_switch_works_before_signing_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert "Sign in to Casework" in client.get(reverse("login")).content.decode()


def test_lawyer_signs_in_and_sees_own_cases_and_hearings(client, case, lawyer):
    HearingFactory(case=case)
    signed_in = client.post(
        reverse("login"), {"login": lawyer.username, "password": "pw-for-tests"}
    )
    assert signed_in.status_code == 302
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru")
    page = response.content.decode()
    assert response.status_code == 200
    assert case.reference in page
    assert "Мои заседания в ближайшие 7 дней" in page


def test_home_counts_first_and_folds_its_lists_for_a_phone(client, case, lawyer):
    today = timezone.localdate()
    for title, day in [("Просрочено", -1), ("Сегодня", 0), ("Через 10 дней", 10)]:
        Deadline.objects.create(case=case, title=title, due_on=today + timedelta(days=day))
    HearingFactory(case=case)
    client.force_login(lawyer)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for count, label in [
        (1, "Просроченные сроки"),
        (1, "Сроки в ближайшие 7 дней"),
        (1, "Заседания в ближайшие 7 дней"),
        (1, "Мои открытые дела"),
    ]:
        assert f'<span class="summary-count">{count}</span> {label}</a>' in page
    assert page.index('id="h-summary"') < page.index(case.reference)
    assert page.count('<details class="fold-phone">') == 3
    assert "Через 10 дней" in page  # the lists are all there, folded


def test_home_never_shows_another_offices_case(client, case, outsider):
    client.force_login(outsider)
    page = client.get(reverse("home")).content.decode()
    assert case.reference not in page


def test_home_page_runs_a_fixed_number_of_queries(
    client, lawyer, office, django_assert_num_queries
):
    client.force_login(lawyer)

    def add_cases(n: int) -> None:
        for _ in range(n):
            HearingFactory(
                case=CaseFactory(client=ClientFactory(office=office), responsible_lawyer=lawyer)
            )

    add_cases(1)
    with django_assert_num_queries(12) as one:
        client.get(reverse("home"))
    add_cases(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("home"))
    assert Case.objects.count() == 21


def test_pages_carry_the_security_headers(client, lawyer):
    client.force_login(lawyer)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_admin_lists_only_cases_the_user_may_see(client, case, outsider, lawyer):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    response = client.get(reverse("admin:casework_case_changelist"))
    assert response.status_code == 200
    assert case.reference not in response.content.decode()
    assert client.get(reverse("admin:casework_case_change", args=[case.pk])).status_code == 302


def test_admin_finds_a_client_by_another_spelling(client, coordinator, client_record):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    response = client.get(reverse("admin:clients_client_changelist"), {"q": "Рахимов"})
    assert client_record.last_name_latin in response.content.decode()


@pytest.mark.parametrize(("language", "label"), [("ru", "юрист"), ("en", "lawyer")])
def test_home_names_the_role_in_the_users_language(client, lawyer, language, label):
    client.force_login(lawyer)

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f"· {label}" in page
