"""Celery entry points: take ids, call a service, safe to run twice."""

from celery import shared_task

from casework.services import run_reminder_pass


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Beat ticks this every few minutes; claiming makes overlapping runs harmless."""
    return run_reminder_pass()
