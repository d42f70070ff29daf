"""Celery entry points: take ids, call a service, safe to run twice."""

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import connections
from django.utils import timezone
from kombu.exceptions import OperationalError

from documents.models import LetterBatch
from documents.services import run_batch

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def issue_letter_batch(batch_id: str) -> None:
    try:
        run_batch(batch_id)
    except Exception as exc:
        # The page shows the batch as failed with the reason; a rerun picks up where it
        # stopped, since issued letters are found by their batch key.
        LetterBatch.objects.filter(pk=batch_id).update(
            status=LetterBatch.Status.FAILED, error=type(exc).__name__
        )
        raise


def _run_in_thread(batch_id: str) -> None:
    try:
        issue_letter_batch(batch_id)
    except Exception:  # noqa: BLE001 - the batch is marked failed; the thread only logs
        log.exception("letter batch %s failed", batch_id)
    finally:
        connections.close_all()


def enqueue_batch(batch_id) -> bool:
    """Hand a batch to the queue and note when; False, with the batch left waiting for
    resume_waiting_batches, when the broker does not answer. Fails fast: the publish is not
    retried, so a page that starts a batch answers even with Redis down.

    Without Redis (LETTER_BATCHES_IN_THREAD, the embedded default) the batch runs in a
    thread of the web process instead, never inside the request that started it."""
    if settings.LETTER_BATCHES_IN_THREAD:
        LetterBatch.objects.filter(pk=batch_id).update(enqueued_at=timezone.now())
        threading.Thread(
            target=_run_in_thread,
            args=(str(batch_id),),
            name=f"letter-batch-{batch_id}",
            daemon=True,
        ).start()
        return True
    try:
        issue_letter_batch.apply_async((str(batch_id),), retry=False)
    except OperationalError as exc:
        log.warning(
            "letter batch %s waits: the queue is unavailable (%s)", batch_id, type(exc).__name__
        )
        return False
    LetterBatch.objects.filter(pk=batch_id).update(enqueued_at=timezone.now())
    return True


@shared_task(ignore_result=True)
def resume_waiting_batches() -> int:
    """Beat ticks this every minute: batches the queue never got, or lost, go to it again.
    Handing one over twice is harmless: run_batch runs a batch once."""
    waiting = LetterBatch.objects.waiting().order_by("created_at").values_list("pk", flat=True)
    return sum(enqueue_batch(pk) for pk in waiting[:100])
