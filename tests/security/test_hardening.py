"""Configuration that an attacker probes: weak keys, policy headers, the server's name,
oversized uploads and what the logs keep."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from casework.logs import GunicornLogger, RedactingFilter, redact
from tests.casework.test_settings import run_django_setup

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "kq3-Vd9_tW0zR7uXe2LpN8yHc4jFa1sGm6bTo5iQvZ_UrEx-PwKd"


# A weak or sample SECRET_KEY stops start-up in production -----------------------------


@pytest.mark.parametrize(
    "key",
    [
        "x" * 60,
        "django-insecure-" + "a1b2c3d4e5" * 5,
        "development-only-key-not-for-production-use-0123456789abcdef",
        "build-only",
        "short-but-varied-key-42",
    ],
)
def test_production_refuses_a_weak_or_sample_key(key):
    result = run_django_setup(SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is weak" in result.stderr


def test_production_starts_with_a_strong_key():
    result = run_django_setup(SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


# Policy headers on pages and static files ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/static/css/casework.css"])
def test_pages_and_static_files_carry_the_policy_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


# Uploads too large are refused before their body is read --------------------------------


def _oversized_upload(client, user, client_record, **headers):
    """A POST announcing 200 MB with a tiny body: refused from the announced length alone,
    so nothing of the body was read."""
    client.force_login(user)
    return client.generic(
        "POST",
        reverse("documents:client_attachments", args=[client_record.pk]),
        b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        HTTP_ACCEPT_LANGUAGE="ru",
        **headers,
    )


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_from_its_length_alone(client, lawyer, client_record):
    from documents.models import Attachment

    response = _oversized_upload(client, lawyer, client_record)
    assert response.status_code == 413
    assert "не больше 10 МБ" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_oversized_htmx_upload_says_so_inside_the_form(client, lawyer, client_record):
    response = _oversized_upload(client, lawyer, client_record, HTTP_HX_REQUEST="true")
    assert response.status_code == 413
    assert response["HX-Retarget"] == ".upload-message"
    assert "<html" not in response.content.decode()


# Logs keep no query strings and no feed tokens --------------------------------------------

TOKEN = "Zk3xQ9_vLm2Rt8Yw0bNc5HsJdA7eUoP1gF4iKqTy6"


@pytest.mark.parametrize(
    ("line", "kept", "gone"),
    [
        ('"GET /clients/?q=Рахимов HTTP/1.1" 200', "/clients/?[…]", "Рахимов"),
        (f'"GET /calendar/{TOKEN}.ics HTTP/1.1" 200', "/calendar/[token].ics", TOKEN),
        (f"Not Found: /calendar/team/{TOKEN}.ics", "/calendar/team/[token].ics", TOKEN),
        ("GET /cases/?scope=all&q=FA1234567", "/cases/?[…]", "FA1234567"),
    ],
)
def test_redaction_keeps_the_path_and_drops_the_values(line, kept, gone):
    assert kept in redact(line)
    assert gone not in redact(line)


def test_djangos_request_lines_are_redacted():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        ("GET /clients/?q=Рахимов HTTP/1.1", "200", "512"), None,
    )  # fmt: skip
    RedactingFilter().filter(record)
    assert "Рахимов" not in record.getMessage()


def test_gunicorns_access_log_atoms_are_redacted():
    class Request:
        uri = f"/calendar/{TOKEN}.ics?q=Рахимов"
        path = f"/calendar/{TOKEN}.ics"
        query = "q=Рахимов"
        method = "GET"
        version = (1, 1)
        headers = [("REFERER", "https://casework.example.org/clients/?q=Рахимов")]

    class Response:
        status = "200 OK"
        response_length = 10
        sent = 10
        headers = []

    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": Request.headers[0][1],
        "REQUEST_METHOD": "GET",
        "RAW_URI": Request.uri,
        "PATH_INFO": Request.path,
        "QUERY_STRING": Request.query,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    logger = GunicornLogger.__new__(GunicornLogger)
    atoms = logger.atoms(Response, Request, environ, __import__("datetime").timedelta(0))
    text = " ".join(str(v) for v in atoms.values())
    assert TOKEN not in text and "Рахимов" not in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_logs_no_query_and_names_no_server(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        "SECRET_KEY": STRONG_KEY,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)  # nothing here touches the database
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:casework.gunicorn",
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "casework.wsgi:application"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/clients/?q=%D0%A1%D0%B5%D0%BA%D1%80%D0%B5%D1%82"
            response = None
            for _ in range(100):
                try:
                    opener = urllib.request.build_opener(NoRedirect)
                    response = opener.open(url, timeout=2)
                    break
                except urllib.error.HTTPError as answer:  # the redirect to sign in
                    response = answer
                    break
                except OSError:
                    time.sleep(0.2)
            assert response is not None, log.read_text()
            assert response.headers.get("Server") is None
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert "/clients/?[…]" in text
    assert "%D0%A1" not in text and "Секрет" not in text


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
