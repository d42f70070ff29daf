"""Playwright driving Debian's Chromium against the live server, in the Russian interface.

Playwright's own browser downloads are not used: the system Chromium is launched by path.
Without it the tests skip with a message, except in CI, where a missing browser fails."""

import os
import shutil

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


@pytest.fixture
def sign_in(live_server):
    def go(page, username: str, password: str = "pw-for-tests") -> None:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return go
