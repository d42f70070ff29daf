"""Celery entry points: take ids, call a service, safe to run twice."""

from celery import shared_task

from casework.reminders import send_due_reminders


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Beat ticks this every few minutes; claiming makes overlapping runs harmless."""
    return send_due_reminders()
