"""Celery entry points: take ids, call a service, safe to run twice."""

from celery import shared_task

from casework.audit import purge_expired_access_records
from casework.services import run_reminder_pass


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Beat ticks this every few minutes; claiming makes overlapping runs harmless."""
    return run_reminder_pass()


@shared_task(ignore_result=True)
def purge_access_records() -> int:
    """Beat ticks this hourly: access records past ACCESS_RECORD_RETENTION_DAYS go."""
    return purge_expired_access_records()
