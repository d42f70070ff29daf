"""1,000 wrong passwords for one user from one address, against a real server, then the real
user signing in from another address.

    .venv/bin/python tests/benchmarks/bench_login_guessing.py [--attempts 1000] [--seconds 120]

The script makes a throwaway SQLite database in a temporary folder, migrates it, adds one
lawyer, and starts gunicorn with the production settings (no DEBUG; cookies and HTTPS
redirect relaxed for plain HTTP on loopback) on a free port of 127.0.0.1. It then posts the
sign-in form with a wrong password from 127.0.0.1 until `--attempts` were sent or
`--seconds` passed, and counts how many the server checked (django-axes logs each checked
failure; a refused try is answered 429 unchecked). Last it signs the real user in with the
right password from 127.0.0.2 (the client binds that loopback address as its source, so the
server sees it as REMOTE_ADDR; X-Forwarded-For is not trusted by default and is not used)
and, for contrast, from 127.0.0.1.

Measured on the 2-core development machine, 2026-12-02 (see the figures printed):

    1000 wrong passwords sent from 127.0.0.1 in 18.9 s
    checked before the pause: 5; refused unchecked (429): 995; answers by status:
        {200: 4, 429: 996}   (the fifth wrong password is checked and answered 429)
    the pause for this username and address: 0:05:00
    the real user from 127.0.0.2: signed in (302 to /)
    the real user from 127.0.0.1: answered 429 (until the pause ends)
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
USERNAME = "bench-lawyer"
PASSWORD = "a-long-right-passphrase-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One client with its own cookies, connecting from a chosen loopback address."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        headers = {"Host": "127.0.0.1", "Accept-Language": "ru"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers.get("Location", ""), content

    def csrf_token(self) -> str:
        _, _, page = self.request("GET", "/login/")
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def sign_in(self, password: str, token: str):
        return self.request(
            "POST",
            "/login/",
            {"csrfmiddlewaretoken": token, "login": USERNAME, "password": password},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="casework-bench-login-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DATA_DIR": str(folder),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "COOKIE_SECURE": "false",
        "PLAIN_STATIC": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "casework.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from casework.models import User

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(USERNAME, password=PASSWORD)
    user.groups.add(*Group.objects.filter(name="lawyer"))

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "casework.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=(folder / "gunicorn.log").open("w"),  # one "429" line per refused try
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)

        attacker = Browser(port, "127.0.0.1")
        token = attacker.csrf_token()
        answers: dict[int, int] = {}
        started = time.monotonic()
        sent = 0
        while sent < args.attempts and time.monotonic() - started < args.seconds:
            status, _, _ = attacker.sign_in(f"guess-{sent}", token)
            answers[status] = answers.get(status, 0) + 1
            sent += 1
        elapsed = time.monotonic() - started

        checked = AccessFailureLog.objects.filter(username=USERNAME).count()
        expiration = AccessAttempt.objects.filter(username=USERNAME).first()
        pause = (
            expiration.expiration.expires_at - expiration.attempt_time
            if expiration is not None
            else None
        )
        print(f"{sent} wrong passwords sent from 127.0.0.1 in {elapsed:.1f} s")
        print(
            f"checked before the pause: {checked}; refused unchecked (429): "
            f"{answers.get(429, 0) - (1 if checked else 0)}; answers by status: "
            f"{dict(sorted(answers.items()))}"
        )
        if pause is not None:
            print(f"the pause for this username and address: {pause}")

        real = Browser(port, "127.0.0.2")
        status, location, _ = real.sign_in(PASSWORD, real.csrf_token())
        ok = status == 302 and location == "/"
        print(
            "the real user from 127.0.0.2: "
            + (f"signed in ({status} to {location})" if ok else f"NOT signed in ({status})")
        )
        status, location, _ = attacker.sign_in(PASSWORD, token)
        print(f"the real user from 127.0.0.1: answered {status} {location}".rstrip())
        sys.exit(0 if ok and checked <= 5 else 1)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
