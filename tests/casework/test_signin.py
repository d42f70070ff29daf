"""Signing in: wrong passwords pause one username from one address only, second factors are
required by role, the password reset tells nobody which addresses exist, and an
administrator's reset of someone's second factors is recorded."""

import logging
import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework.models import SecurityPolicy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ATTACKER = "203.0.113.7"
OFFICE_PC = "198.51.100.20"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and used codes live in the cache, which outlives one test."""
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username, password="pw-for-tests", address=OFFICE_PC, **extra):
    return client.post(
        reverse("login"),
        {"login": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="ru",
        **extra,
    )


def confirm_password(client, password="pw-for-tests"):
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def current_code(secret=SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# Throttling


def test_five_wrong_passwords_pause_that_username_from_that_address(client, lawyer):
    for _ in range(4):
        assert sign_in(client, lawyer.username, "wrong", ATTACKER).status_code == 200
    # The fifth is checked, found wrong, and starts the pause.
    assert sign_in(client, lawyer.username, "wrong", ATTACKER).status_code == 429
    paused = sign_in(client, lawyer.username, "wrong", ATTACKER)
    assert paused.status_code == 429
    page = paused.content.decode()
    assert "Слишком много неверных паролей" in page
    assert "через 5 минут" in page
    # Even the right password waits, from that address.
    assert sign_in(client, lawyer.username, address=ATTACKER).status_code == 429


def test_the_real_user_still_signs_in_from_another_address(client, lawyer):
    for _ in range(8):
        sign_in(client, lawyer.username, "wrong", ATTACKER)
    response = sign_in(client, lawyer.username, address=OFFICE_PC)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_changed_case_of_the_username_is_the_same_count(client, lawyer):
    for name in ["t-lawyer", "T-Lawyer", "T-LAWYER", "t-LAWYER", "t-lawyer "]:
        sign_in(client, name, "wrong", ATTACKER)
    assert sign_in(client, "t-Lawyer", "wrong", ATTACKER).status_code == 429


def test_each_round_of_wrong_passwords_waits_twice_as_long(client, lawyer):
    def wait_after_round() -> timedelta:
        for _ in range(5):
            sign_in(client, lawyer.username, "wrong", ATTACKER)
        expiration = AccessAttemptExpiration.objects.get()
        return expiration.expires_at - expiration.access_attempt.attempt_time

    assert wait_after_round() == timedelta(minutes=5)
    # The pause ends (its time is moved into the past rather than waited for).
    AccessAttemptExpiration.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert wait_after_round() == timedelta(minutes=10)
    AccessAttemptExpiration.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert wait_after_round() == timedelta(minutes=20)


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(client, lawyer, settings):
    for _ in range(5):
        sign_in(client, lawyer.username, "wrong", "10.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    # Not trusted: the forwarded header is the client's own claim; the connection counts.
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"
    AccessAttempt.objects.all().delete()
    settings.TRUST_X_FORWARDED_FOR = True
    sign_in(
        client, lawyer.username, "wrong", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}"
    )
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_no_password_or_username_reaches_the_log(client, lawyer, caplog):
    with caplog.at_level(logging.DEBUG):
        for _ in range(6):
            sign_in(client, lawyer.username, "Sekret-Guess-42", ATTACKER)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in logged  # the pause is logged...
    for secret in ["Sekret-Guess-42", lawyer.username, ATTACKER]:  # ...without these
        assert secret not in logged
    stored = AccessAttempt.objects.get()
    assert "Sekret-Guess-42" not in stored.post_data


# Second factors required by role


def test_coordinators_and_administrators_must_use_a_second_factor_by_default():
    roles = set(SecurityPolicy.current().second_factor_roles.values_list("name", flat=True))
    assert roles == {"coordinator", "administrator"}


@pytest.fixture
def enforced(settings):
    settings.SECOND_FACTOR_ENFORCED = True


def test_a_coordinator_without_a_second_factor_is_sent_to_add_one(client, coordinator, enforced):
    assert sign_in(client, coordinator.username).status_code == 302
    for name in ["home", "casework:dashboard", "casework:case_list", "admin:index"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_index"), name
    page = client.get(reverse("mfa_index"), HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert "Для вашей роли обязателен второй фактор" in page.content.decode()
    # Adding one asks for the password again first (allauth's reauthentication).
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    confirm_password(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_once_a_factor_is_added_the_pages_open(client, coordinator, enforced):
    sign_in(client, coordinator.username)
    assert client.get(reverse("home")).status_code == 302
    TOTP.activate(coordinator, SECRET)
    assert client.get(reverse("home")).status_code == 200


def test_a_lawyer_is_not_asked_unless_the_policy_says_so(client, lawyer, enforced):
    sign_in(client, lawyer.username)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    SecurityPolicy.current().second_factor_roles.add(lawyer.groups.get())
    sign_in(client, lawyer.username)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_index")


def test_a_superuser_always_must(client, office, enforced):
    boss = UserFactory(username="t-boss", office=office, is_superuser=True, is_staff=True)
    SecurityPolicy.current().second_factor_roles.clear()
    sign_in(client, boss.username)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_index")


def test_signing_in_with_a_factor_asks_for_the_code(client, coordinator, enforced):
    TOTP.activate(coordinator, SECRET)
    response = sign_in(client, coordinator.username)
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the password alone opens nothing.
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_codes_are_limited_per_user(client, coordinator):
    TOTP.activate(coordinator, SECRET)
    sign_in(client, coordinator.username)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    refused = client.post(
        reverse("mfa_authenticate"), {"code": current_code()}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert refused.status_code == 200  # the form again, with the reason
    assert "Слишком много" in refused.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_administration_signs_in_through_the_same_pages(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_enrolment_page_shows_a_qr_code_and_the_secret_as_text(client, coordinator):
    sign_in(client, coordinator.username)
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert 'id="authenticator_secret"' in page
    assert "Приложение-аутентификатор" in page or "аутентификатор" in page


# Password reset


def test_the_reset_answers_alike_for_known_and_unknown_addresses(client, lawyer):
    known = client.post(
        reverse("account_reset_password"), {"email": lawyer.email}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    unknown = client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert [m.to for m in mail.outbox][0] == [lawyer.email]
    sent = mail.outbox[0]
    assert "парол" in sent.subject.lower() or "парол" in sent.body.lower()
    assert "/accounts/password/reset/key/" in sent.body


def test_the_reset_link_sets_a_new_password(client, lawyer):
    client.post(reverse("account_reset_password"), {"email": lawyer.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/key/" in line)
    path = link[link.index("/accounts/") :].strip()
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "A-new-long-passphrase-7", "password2": "A-new-long-passphrase-7"},
    )
    assert response.status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.check_password("A-new-long-passphrase-7")


def test_the_reset_is_rate_limited(client, lawyer):
    answers = [
        client.post(reverse("account_reset_password"), {"email": lawyer.email}).status_code
        for _ in range(5)
    ]
    assert answers[:3] == [302, 302, 302]
    assert 429 in answers[3:]
    assert len(mail.outbox) == 3


# An administrator resets a second factor


def test_resetting_second_factors_is_recorded(client, office, coordinator):
    boss = UserFactory(username="t-boss", office=office, is_superuser=True, is_staff=True)
    TOTP.activate(coordinator, SECRET)
    client.force_login(boss)
    response = client.post(
        reverse("admin:casework_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [coordinator.pk]},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=coordinator).exists()
    entry = LogEntry.objects.get(object_id=str(coordinator.pk))
    assert entry.user == boss
    latest = coordinator.history.latest()
    assert latest.history_user == boss
    assert latest.history_change_reason == "Вторые факторы сброшены"
    assert SECRET not in entry.change_message


def test_an_administrator_cannot_reset_a_superusers_factors(client, office):
    admin_user = UserFactory(
        username="t-admin", office=office, groups=["administrator"], is_staff=True
    )
    boss = UserFactory(username="t-boss", office=office, is_superuser=True, is_staff=True)
    TOTP.activate(boss, SECRET)
    client.force_login(admin_user)
    client.post(
        reverse("admin:casework_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [boss.pk]},
    )
    assert Authenticator.objects.filter(user=boss).exists()
    assert not LogEntry.objects.filter(object_id=str(boss.pk)).exists()


def test_only_a_superuser_edits_the_security_policy(client, office):
    boss = UserFactory(username="t-boss", office=office, is_superuser=True, is_staff=True)
    admin_user = UserFactory(
        username="t-admin", office=office, groups=["administrator"], is_staff=True
    )
    url = reverse("admin:casework_securitypolicy_change", args=[1])
    client.force_login(boss)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert "роли, обязанные входить со вторым фактором" in page.content.decode()
    client.force_login(admin_user)
    coordinators = SecurityPolicy.current().second_factor_roles.get(name="coordinator")
    client.post(url, {"second_factor_roles": []})
    assert SecurityPolicy.current().second_factor_roles.filter(pk=coordinators.pk).exists()
