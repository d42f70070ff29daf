"""Celery entry points: take ids, call a service, safe to run twice."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from casework import services
from casework.audit import purge_expired_access_records
from casework.reminders import send_due_reminders

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Beat ticks this every few minutes; claiming makes overlapping runs harmless."""
    return send_due_reminders()


# The full pass commits a chunk of clients at a time; at 100,000 open cases it may outlast
# the default time limit, and a killed run would leave the rest for nobody.
@shared_task(acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3540)
def reconcile_all_client_deadlines() -> dict[str, int]:
    """The one full pass after a rule of permits or withheld passports changed. Idempotent:
    a second run (a redelivery) changes nothing."""
    return services.reconcile_all_client_deadlines()


def enqueue_full_reconcile() -> None:
    """Hand the full pass to the queue; when the broker does not answer, run it here rather
    than lose it (a rule change is rare, and the administrator waits for the page)."""
    try:
        reconcile_all_client_deadlines.apply_async(retry=False)
    except OperationalError as exc:
        log.warning("the queue is unavailable (%s): reconciling here", type(exc).__name__)
        services.reconcile_all_client_deadlines()


@shared_task(ignore_result=True)
def purge_access_records() -> int:
    """Beat ticks this hourly: access records past ACCESS_RECORD_RETENTION_DAYS go."""
    return purge_expired_access_records()
