import os

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_check_answers_anonymous_callers_with_the_database_state(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_health_check_reports_the_real_redis(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    body = client.get(reverse("healthz")).json()
    assert body["redis"] == "ok"
    assert body["worker"] in {"ok", "no worker"}


def test_health_check_fails_when_the_configured_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["redis"] == "unreachable"


def test_health_check_without_redis_says_so(client, settings):
    settings.REDIS_URL = ""
    body = client.get(reverse("healthz")).json()
    assert body["redis"] == "not configured"
    assert body["worker"] == "embedded"
