"""The embedded scheduler: without Redis there is no beat, so `make run` sends reminders
from a thread in the web process instead (EMBEDDED_SCHEDULER=true)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

log = logging.getLogger(__name__)
_started = threading.Event()


def _loop(interval: float, stop: threading.Event) -> None:
    from casework.audit import purge_expired_access_records
    from casework.reminders import send_due_reminders

    while not stop.wait(interval):
        try:
            counts = send_due_reminders()
            if counts["sent"] or counts["failed"]:
                log.info("embedded scheduler: %s", counts)
            purge_expired_access_records()
        except Exception:  # noqa: BLE001 - keep ticking; the failure is logged
            log.exception("embedded scheduler: reminder pass failed")
        finally:
            close_old_connections()


def start(interval: float) -> threading.Event | None:
    """Start once per process; returns the event that stops it."""
    if _started.is_set():
        return None
    _started.set()
    stop = threading.Event()
    threading.Thread(
        target=_loop, args=(interval, stop), name="casework-scheduler", daemon=True
    ).start()
    log.info("embedded scheduler started (every %ss)", interval)
    return stop
