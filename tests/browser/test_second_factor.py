"""Second factors in the browser: an authenticator app enrolled and used to sign in, a passkey
through Chromium's virtual authenticator, and a coordinator held at the enrolment page."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser.conftest import totp_code
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person(reference_data):
    office = OfficeFactory(name="Алматы (браузер)", registry_prefix="BRA")
    return UserFactory(username="b-lawyer", office=office, groups=["lawyer"])


@pytest.fixture
def webauthn_over_http(settings):
    # The live server speaks plain HTTP on localhost, which browsers treat as secure.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True


def confirm_password(page, password="pw-for-tests"):
    """allauth asks for the password again before a factor is added."""
    expect(page.locator("#id_password")).to_be_visible()
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")


def enrol_totp(page, live_server) -> str:
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        confirm_password(page)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect(page.locator("img.signin-qr")).to_be_visible()
    secret = page.input_value("#authenticator_secret")
    assert len(secret) >= 16
    page.fill("#id_code", totp_code(secret))
    page.click("main form button[type=submit]")
    return secret


def test_enrol_an_authenticator_app_and_sign_in_with_it(page, live_server, sign_in, person):
    sign_in(page, person.username)
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    confirm_password(page)
    page.screenshot(path="/tmp/signin-totp-activate.png", full_page=True)
    secret = enrol_totp(page, live_server)
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    page.screenshot(path="/tmp/signin-totp-enrolled.png", full_page=True)
    assert Authenticator.objects.filter(user=person, type="totp").exists()

    page.click("nav form[action='/logout/'] button")
    page.wait_for_url(f"{live_server.url}/login/")
    page.fill("#id_login", person.username)
    page.fill("#id_password", "pw-for-tests")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    page.fill("#id_code", "000000")
    page.click("main form button[type=submit]")
    expect(page.locator("main .invalid-feedback, main .alert").first).to_be_visible()
    page.screenshot(path="/tmp/signin-totp-wrong-code.png", full_page=True)
    page.fill("#id_code", totp_code(secret, ahead=1))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("nav")).to_contain_text("Выйти")


def test_a_passkey_through_the_virtual_authenticator(
    page, live_server, sign_in, person, webauthn_over_http
):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    sign_in(page, person.username)
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/?passwordless")
    confirm_password(page)
    page.wait_for_url(lambda url: "/webauthn/add/" in url)
    page.fill("#id_name", "Ноутбук")
    passwordless = page.locator("#id_passwordless")
    if passwordless.count():
        passwordless.check()
    page.screenshot(path="/tmp/signin-passkey-add.png", full_page=True)
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    page.screenshot(path="/tmp/signin-passkey-added.png", full_page=True)
    assert Authenticator.objects.filter(user=person, type="webauthn").exists()

    page.click("nav form[action='/logout/'] button")
    page.wait_for_url(f"{live_server.url}/login/")
    page.click("#passkey_login")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("nav")).to_contain_text("Выйти")


def test_a_coordinator_must_add_a_factor_before_anything_else(
    page, live_server, sign_in, settings, reference_data
):
    settings.SECOND_FACTOR_ENFORCED = True
    office = OfficeFactory(name="Алматы (браузер)", registry_prefix="BRA")
    coordinator = UserFactory(username="b-coord", office=office, groups=["coordinator"])
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_login", coordinator.username)
    page.fill("#id_password", "pw-for-tests")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    expect(page.locator("main .alert-warning")).to_contain_text(
        "Для вашей роли обязателен второй фактор"
    )
    page.screenshot(path="/tmp/signin-required.png", full_page=True)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")

    enrol_totp(page, live_server)
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    expect(page.locator("main h1").first).to_be_visible()
    page.screenshot(path="/tmp/signin-required-done.png", full_page=True)
