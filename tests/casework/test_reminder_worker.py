"""Reminders through real Celery worker processes on the real Redis, mailed to a real SMTP
sink: sent exactly once, also when two run at once, when a worker is killed while it is
delivering, and when the mail server refuses."""

from __future__ import annotations

import asyncio
import email
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.celery import app
from casework.models import Deadline, Reminder
from casework.reminders import plan_deadline_reminders, plan_hearing_reminders
from casework.tasks import send_reminders
from tests.factories import HearingFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
CLAIM_TIMEOUT = 3  # seconds, for the worker processes: a killed claim is released quickly
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not REDIS_URL and not os.environ.get("CI"), reason="REDIS_URL is not set: no broker"
    ),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="worker processes share a PostgreSQL test db"
    ),
    pytest.mark.django_db(transaction=True),
]


class Sink:
    """An SMTP server that records each accepted message's Message-ID; it can refuse a
    recipient, or hold a message to a recipient unaccepted until released."""

    def __init__(self) -> None:
        self.accepted: list[tuple[str, str]] = []
        self.sessions: dict[tuple, list[float]] = {}
        self.slow = 0.0
        self.refuse: set[str] = set()
        self.stall_on: str | None = None
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall_on in envelope.rcpt_tos and not self.release.is_set():
            self.stalled.set()
            for _ in range(300):  # bounded: 30 s at most
                if self.release.is_set():
                    break
                await asyncio.sleep(0.1)
            return "451 4.3.0 try again later"
        await asyncio.sleep(self.slow)
        self.sessions.setdefault(session.peer, []).append(time.monotonic())
        message = email.message_from_bytes(envelope.content)
        for recipient in envelope.rcpt_tos:
            self.accepted.append((message["Message-ID"], recipient))
        return "250 OK"

    def overlapped(self) -> bool:
        """Whether two SMTP sessions were accepting messages at the same time."""
        spans = sorted((min(times), max(times)) for times in self.sessions.values())
        return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))

    def ids(self) -> Counter:
        return Counter(message_id for message_id, _ in self.accepted)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds}s: {what}")


@pytest.fixture
def broker():
    """The real Redis, emptied before and after; the test process publishes to it."""
    if not REDIS_URL:
        pytest.fail("CI is set but REDIS_URL is not: the queue tests must run in CI")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at REDIS_URL does not answer: {exc}")
    previous = app.conf.task_always_eager
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    yield client
    app.conf.update(task_always_eager=previous)
    client.flushdb()


@pytest.fixture
def sink():
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()


@pytest.fixture
def workers(reference_data, broker, sink, tmp_path):
    """Start `celery worker` processes on the test database, each in its own process
    group; every group is killed at teardown."""
    started: list[subprocess.Popen] = []
    logs = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink[1]),
        "REMINDER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
    }

    def start(pool: str = "solo", concurrency: int = 1) -> subprocess.Popen:
        log = open(tmp_path / f"worker{len(started)}.log", "wb")  # noqa: SIM115
        logs.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "casework", "worker", "--pool", pool,
             f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-n", f"w{len(started)}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the worker and its pool children
        process.wait(timeout=10)
    for log in logs:
        log.close()


@pytest.fixture
def due(case, lawyer, coordinator):
    """Due reminders of both kinds on both channels: deadlines two days overdue (all their
    reminders, the coordinators' escalation included, are due) and a hearing in an hour.
    Returns how many must be delivered: the pass drops the "coming" notices of a deadline
    already overdue, and sends its missed notice and escalation."""
    today = timezone.localdate()
    for number in range(3):
        deadline = Deadline.objects.create(
            case=case, title=f"Жалоба {number}", due_on=today - timedelta(days=2)
        )
        plan_deadline_reminders(deadline)
    plan_hearing_reminders(HearingFactory(case=case, starts_at=timezone.now() + timedelta(hours=1)))
    reminders = Reminder.objects.due()
    assert reminders.filter(hearing__isnull=False).count() == 4
    assert reminders.filter(channel="in_app").exists()
    assert reminders.filter(channel="email").exists()
    return reminders.exclude(kind=Reminder.Kind.UPCOMING).count()


def emails_of_delivered() -> Counter:
    return Counter(
        f"<reminder-{pk}@casework>"
        for pk in Reminder.objects.filter(channel="email", delivered_at__isnull=False).values_list(
            "pk", flat=True
        )
    )


def all_delivered() -> bool:
    return not Reminder.objects.filter(
        cancelled_at__isnull=True, delivered_at__isnull=True
    ).exists()


def test_due_reminders_go_out_once_through_a_worker(workers, sink, due, coordinator):
    handler, _ = sink
    workers()
    send_reminders.delay()
    wait_until(all_delivered, 30, "every reminder delivered")
    assert Reminder.objects.filter(delivered_at__isnull=False).count() == due
    assert handler.ids() == emails_of_delivered()
    assert set(handler.ids().values()) == {1}
    assert coordinator.email in {recipient for _, recipient in handler.accepted}


def test_two_passes_at_once_send_each_reminder_once(workers, sink, case):
    handler, _ = sink
    handler.slow = 0.05  # each pass takes a couple of seconds, so the two overlap
    today = timezone.localdate()
    for number in range(40):
        plan_deadline_reminders(
            Deadline.objects.create(case=case, title=f"d{number}", due_on=today - timedelta(2))
        )
    send_reminders.delay()
    send_reminders.delay()
    workers(pool="prefork", concurrency=2)
    wait_until(all_delivered, 40, "every reminder delivered")
    time.sleep(1)  # let a straggling duplicate, if any, reach the sink
    assert handler.overlapped()  # the two passes really ran at once
    assert handler.ids() == emails_of_delivered()
    assert max(handler.ids().values()) == 1
    missed = Reminder.objects.filter(channel="email", kind=Reminder.Kind.OVERDUE)
    assert len(handler.accepted) == missed.count() == 40  # one missed notice per deadline


def test_a_worker_killed_while_delivering_leaves_no_gap_and_no_duplicate(
    workers, sink, due, coordinator
):
    handler, _ = sink
    handler.stall_on = coordinator.email
    victim = workers()
    send_reminders.delay()
    wait_until(handler.stalled.is_set, 30, "the worker reached the stalled recipient")
    before = len(handler.accepted)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    handler.release.set()
    assert before > 0  # some were accepted before the kill: they must not come again
    assert not all_delivered()

    workers()
    time.sleep(CLAIM_TIMEOUT + 0.5)  # the dead worker's claims expire
    send_reminders.delay()  # what beat does on its next tick
    wait_until(all_delivered, 30, "every reminder delivered after the restart")
    assert Reminder.objects.filter(delivered_at__isnull=False).count() == due
    assert handler.ids() == emails_of_delivered()
    assert set(handler.ids().values()) == {1}


def test_a_refused_message_is_recorded_and_a_later_pass_sends_it(workers, sink, due, coordinator):
    handler, _ = sink
    handler.refuse.add(coordinator.email)
    workers()
    send_reminders.delay()
    refused = Reminder.objects.filter(recipient=coordinator, channel="email")
    wait_until(
        lambda: not refused.filter(failed_at__isnull=True).exists(), 30, "the refusal recorded"
    )
    failed = refused.first()
    assert "SMTPRecipientsRefused" in failed.failure_reason
    assert failed.attempts == 1 and failed.sent_at is None and failed.delivered_at is None
    assert failed.remind_at > timezone.now()
    assert coordinator.email not in {recipient for _, recipient in handler.accepted}

    handler.refuse.clear()
    refused.update(remind_at=timezone.now())  # the retry delay has passed
    send_reminders.delay()
    wait_until(all_delivered, 30, "the refused reminder delivered on retry")
    failed.refresh_from_db()
    assert failed.attempts == 2
    assert handler.ids()[f"<reminder-{failed.pk}@casework>"] == 1
    assert set(handler.ids().values()) == {1}
    assert settings.REMINDER_CLAIM_TIMEOUT == 900  # the test process keeps the default
