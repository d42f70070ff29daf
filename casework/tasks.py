"""Celery entry points: take ids, call a service, safe to run twice."""

from celery import shared_task

from casework.reminders import send_due_reminders
from casework.services import reconcile_changed_client_deadlines


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Beat ticks this every few minutes; claiming makes overlapping runs harmless. Deadlines
    that changed permits and documents call for are reconciled first, so their reminders
    are planned before the due ones are sent."""
    reconcile_changed_client_deadlines()
    return send_due_reminders()
