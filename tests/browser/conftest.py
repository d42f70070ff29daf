"""Playwright driving Debian's Chromium against the live server, in the Russian interface.

Playwright's own browser downloads are not used: the system Chromium is launched by path.
Without it the tests skip with a message, except in CI, where a missing browser fails."""

import os
import shutil
import time

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM) or not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{CHROMIUM} is missing: CI must install Debian's chromium")
    skip = pytest.mark.skip(reason="no Chromium: apt-get install chromium (Debian) to run these")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every browser test runs against the live server, outside a test transaction."""


def totp_code(secret: str, *, ahead: int = 0) -> str:
    """The authenticator app's code now (or `ahead` periods later: the server accepts the
    next period's too, and a code already used is refused)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + ahead))


@pytest.fixture
def sign_in(live_server):
    """Signs in by the form. Second factors are not enforced in tests
    (SECOND_FACTOR_ENFORCED in tests/settings.py) unless a test turns them on; a user with an
    authenticator app is asked for its code, given here as `totp_secret`."""

    def go(page, username: str, password: str = "pw-for-tests", totp_secret=None) -> None:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_login", username)
        page.fill("#id_password", password)
        page.click("main form button[type=submit]")
        if totp_secret:
            page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
            page.fill("#id_code", totp_code(totp_secret, ahead=1))
            page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return go
