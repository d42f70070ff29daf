"""Celery entry points: take ids, call a service, safe to run twice."""

from celery import shared_task

from documents.models import LetterBatch
from documents.services import run_batch


@shared_task(acks_late=True)
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
