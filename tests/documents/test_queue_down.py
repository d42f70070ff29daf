"""Redis unreachable does not take the web down: a page that starts background work answers
at once and keeps the work, which runs when the queue is back; pages that need no queue
never touch Redis; a batch handed to the queue twice runs once."""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from casework.celery import app
from casework.models import Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents.defaults import install_default_templates
from documents.models import Letter, LetterBatch, LetterTemplate
from documents.services import run_batch
from documents.tasks import resume_waiting_batches
from tests.factories import ClientFactory, HearingFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
CLOSED_PORT = "redis://127.0.0.1:9/0"  # nothing listens there: the broker is "down"


def use_broker(url: str, *, eager: bool = False) -> None:
    """Point the test process's Celery app at a broker. Its connection pools are keyed by the
    broker address and kept on the app, so they are dropped to take the new one."""
    app.conf.update(broker_url=url, task_always_eager=eager)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    use_broker(CLOSED_PORT)
    yield
    use_broker(previous[0], eager=previous[1])


@pytest.fixture
def raid(office, lawyer):
    """An incident with two clients whose expulsion cases are ready for the appeal."""
    install_default_templates()
    incident = Incident.objects.create(
        title="Рейд", office=office, started_on=timezone.localdate(), place="Рынок", city="Алматы"
    )
    for _ in range(2):
        IncidentClient.objects.create(incident=incident, client=ClientFactory(office=office))
    for case in open_cases_for_incident(
        incident=incident, kind="expulsion", opened_by=lawyer, lawyer=lawyer
    ):
        HearingFactory(
            case=case, outcome="expulsion_ordered", decision_received_on=timezone.localdate()
        )
    return incident


def post_batch(client, lawyer, raid) -> tuple:
    client.force_login(lawyer)
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    started = time.monotonic()
    response = client.post(
        reverse("documents:batch_create", args=[raid.pk]), {"template": template.pk}
    )
    print(f"batch form answered in {time.monotonic() - started:.3f}s with the broker down")
    return response, LetterBatch.objects.get()


@pytest.mark.django_db
def test_with_redis_down_the_batch_page_answers_and_the_batch_waits(
    client, lawyer, raid, broker_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response, batch = post_batch(client, lawyer, raid)
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:batch_detail", args=[batch.pk])
    assert batch.status == LetterBatch.Status.QUEUED and batch.enqueued_at is None
    assert list(LetterBatch.objects.waiting()) == [batch]
    assert "queue is unavailable" in caplog.text
    for person in raid.clients.all():
        assert person.last_name not in caplog.text
    client.cookies["django_language"] = "en"
    page = client.get(response["Location"]).content.decode()
    assert "The queue is unavailable; the batch will start automatically" in page


@pytest.mark.django_db
def test_resuming_while_redis_is_still_down_keeps_the_batch_waiting(
    client, lawyer, raid, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, batch = post_batch(client, lawyer, raid)
    assert resume_waiting_batches() == 0
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.QUEUED and batch.enqueued_at is None


@pytest.mark.services
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no real broker to use")
@pytest.mark.django_db(transaction=True)
def test_a_batch_kept_while_redis_was_down_runs_when_it_is_back(
    reference_data, client, lawyer, raid, broker_down
):
    response, batch = post_batch(client, lawyer, raid)  # autocommit: on_commit runs at once
    assert response.status_code == 302 and batch.enqueued_at is None

    use_broker(REDIS_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        assert resume_waiting_batches.delay() is not None  # what beat sends every minute
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            batch.refresh_from_db()
            if batch.status in (LetterBatch.Status.DONE, LetterBatch.Status.FAILED):
                break
            time.sleep(0.3)
    assert batch.status == LetterBatch.Status.DONE, batch.error
    assert batch.enqueued_at is not None
    assert batch.issued.count() == 2
    assert not LetterBatch.objects.waiting().exists()


@pytest.mark.django_db
def test_a_batch_handed_over_twice_runs_once(lawyer, raid):
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    batch = LetterBatch.objects.create(incident=raid, template=template, created_by=lawyer)
    first = run_batch(batch.pk)
    assert first.status == LetterBatch.Status.DONE and first.issued.count() == 2
    again = run_batch(batch.pk)
    assert again.finished_at == first.finished_at
    assert again.processed == first.processed == 2
    assert Letter.objects.count() == 2


@pytest.mark.django_db
def test_a_running_batch_is_left_to_its_worker_unless_it_outlived_the_time_limit(
    lawyer, raid, settings
):
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    batch = LetterBatch.objects.create(incident=raid, template=template, created_by=lawyer)
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=LetterBatch.Status.RUNNING, started_at=timezone.now(), enqueued_at=timezone.now()
    )
    assert run_batch(batch.pk).status == LetterBatch.Status.RUNNING
    assert Letter.objects.count() == 0
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    lost = timezone.now() - max(limit, LetterBatch.REQUEUE_AFTER) - timedelta(seconds=1)
    LetterBatch.objects.filter(pk=batch.pk).update(started_at=lost, enqueued_at=lost)
    assert list(LetterBatch.objects.waiting()) == [batch]
    assert run_batch(batch.pk).status == LetterBatch.Status.DONE
    assert Letter.objects.count() == 2


@pytest.mark.django_db
def test_waiting_batches_are_those_not_handed_over_or_lost_by_the_queue(lawyer, raid):
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    now = timezone.now()
    long_ago = now - LetterBatch.REQUEUE_AFTER - timedelta(minutes=1)

    def batch(**fields) -> LetterBatch:
        made = LetterBatch.objects.create(incident=raid, template=template, created_by=lawyer)
        LetterBatch.objects.filter(pk=made.pk).update(**fields)
        return made

    never_handed = batch()
    lost = batch(enqueued_at=long_ago)
    batch(enqueued_at=now)  # in the queue, waiting for a worker
    batch(status=LetterBatch.Status.DONE)
    batch(status=LetterBatch.Status.RUNNING, started_at=now, enqueued_at=long_ago)
    assert set(LetterBatch.objects.waiting(now)) == {never_handed, lost}


@pytest.mark.django_db
def test_the_batch_page_says_what_state_the_batch_is_in(client, lawyer, raid):
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    batch = LetterBatch.objects.create(
        incident=raid, template=template, created_by=lawyer, enqueued_at=timezone.now()
    )
    client.force_login(lawyer)
    client.cookies["django_language"] = "en"
    url = reverse("documents:batch_detail", args=[batch.pk])
    assert "Waiting for the background worker" in client.get(url).content.decode()
    LetterBatch.objects.filter(pk=batch.pk).update(status=LetterBatch.Status.RUNNING)
    assert "Letters are being issued" in client.get(url).content.decode()


@pytest.mark.django_db
def test_health_check_with_redis_down_answers_503_at_once(client, settings):
    settings.REDIS_URL = CLOSED_PORT
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    print(f"/healthz answered in {time.monotonic() - started:.3f}s with Redis down")
    assert response.status_code == 503
    assert response.json()["redis"] == "unreachable"


@pytest.mark.django_db
def test_the_home_and_case_pages_never_touch_redis(client, lawyer, case, monkeypatch, settings):
    settings.REDIS_URL = CLOSED_PORT
    use_broker(CLOSED_PORT)
    touched = []

    def refuse(self, *args, **kwargs):
        touched.append(self)
        raise redis.ConnectionError("Redis must not be needed here")

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", refuse)
    client.force_login(lawyer)
    try:
        assert client.get(reverse("home")).status_code == 200
        assert client.get(case.get_absolute_url()).status_code == 200
    finally:
        use_broker(os.environ.get("REDIS_URL", "") or "memory://", eager=True)
    assert touched == []
