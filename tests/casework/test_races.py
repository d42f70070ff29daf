"""Two colleagues at once on the same case: closing it while a deadline is ticked done ends
in one of the two, never a server error nor a deadline both done and cancelled."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Deadline

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls) -> tuple[list[int], list[Exception]]:
    """Run each call in its own thread (its own connection), released together."""
    start = threading.Barrier(len(calls))
    answers: list[int] = []
    errors: list[Exception] = []

    def run(call):
        try:
            start.wait()
            answers.append(call().status_code)
        except Exception as exc:  # a server error in the view
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_closing_a_case_while_its_deadline_is_marked_done(reference_data, lawyer, case):
    closer, ticker = Client(raise_request_exception=True), Client(raise_request_exception=True)
    closer.force_login(lawyer)
    ticker.force_login(lawyer)
    close_url = reverse("casework:case_close", args=[case.pk])
    closing = {"outcome": "won", "closed_on": timezone.localdate().isoformat()}
    outcomes = {"done": 0, "cancelled": 0}
    for _ in range(20):
        case.refresh_from_db()
        if not case.is_open:
            case.reopen()
        deadline = Deadline.objects.create(case=case, title="Жалоба", due_on=timezone.localdate())
        tick_url = reverse("casework:deadline_done", args=[deadline.pk])
        answers, errors = at_once(
            lambda: closer.post(close_url, closing),
            lambda url=tick_url: ticker.post(url),
        )
        assert errors == []
        assert answers == [302, 302]
        deadline.refresh_from_db()
        assert (deadline.done_at is None) != (deadline.cancelled_at is None)
        outcomes["done" if deadline.done_at else "cancelled"] += 1
    print("race outcomes:", outcomes)
