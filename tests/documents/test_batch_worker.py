"""A batch of letters through a real Celery worker on the real Redis."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from casework.celery import app
from casework.models import Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents.defaults import install_default_templates
from documents.models import Letter, LetterBatch, LetterTemplate
from documents.pdf import page_count
from documents.services import read_pdf
from documents.tasks import issue_letter_batch
from tests.factories import ClientFactory, HearingFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no real broker to use"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(reference_data):
    previous = dict(app.conf)
    app.conf.update(
        task_always_eager=False,
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        broker_connection_timeout=5,
    )
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        yield
    app.conf.update(
        task_always_eager=previous["task_always_eager"],
        broker_url=previous["broker_url"],
        result_backend=previous["result_backend"],
    )


def wait_for(batch: LetterBatch, seconds: int = 300) -> LetterBatch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in (LetterBatch.Status.DONE, LetterBatch.Status.FAILED):
            return batch
        time.sleep(0.5)
    raise AssertionError(f"batch still {batch.status} after {seconds}s")


def test_a_batch_of_fifty_clients_completes_and_a_rerun_issues_nothing(worker, office, lawyer):
    install_default_templates()
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    raid = Incident.objects.create(
        title="Рейд на рынке",
        office=office,
        started_on=timezone.localdate(),
        place="Рынок",
        city="Алматы",
    )
    for _ in range(50):
        IncidentClient.objects.create(incident=raid, client=ClientFactory(office=office))
    for case in open_cases_for_incident(
        incident=raid, kind="expulsion", opened_by=lawyer, lawyer=lawyer
    ):
        HearingFactory(
            case=case, outcome="expulsion_ordered", decision_received_on=timezone.localdate()
        )
    batch = LetterBatch.objects.create(incident=raid, template=template, created_by=lawyer)
    issue_letter_batch.delay(str(batch.pk))
    batch = wait_for(batch)
    assert batch.status == LetterBatch.Status.DONE, batch.error
    assert batch.issued.count() == 50
    assert batch.skipped == []
    letters = list(batch.issued.all())
    expected_pages = sum(page_count(read_pdf(letter)) for letter in letters)
    assert page_count(batch.merged_pdf.open("rb").read()) == expected_pages

    again = LetterBatch.objects.create(incident=raid, template=template, created_by=lawyer)
    issue_letter_batch.delay(str(again.pk))
    again = wait_for(again)
    assert again.issued.count() == 50
    assert Letter.objects.count() == 50
