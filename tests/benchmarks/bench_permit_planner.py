"""Permit-expiry planning at the start of a reminder pass, over many permits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
    .venv/bin/python tests/benchmarks/bench_permit_planner.py --permits 100000

Creates its own test database (test_<name>), fills it with clients, one open case for
every second client, and permits expiring evenly over the next 400 days, all last edited
two days ago. Then times the passes that plan the backlog (at most PERMIT_PASS_LIMIT
permits each, as after an upgrade) and a steady pass (what every pass costs afterwards,
when nothing changed), with the queries of each. Drops the database at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5000


def fill(permits: int) -> None:
    from django.contrib.auth.models import Group

    from casework.models import Case, Office, User
    from clients.models import Client, Country, PermitKind, ResidencePermit

    kz, uz = Country.objects.get(code="KZ"), Country.objects.get(code="UZ")
    office = Office.objects.create(
        name="Bench", country=kz, city="Алматы", address="-", registry_prefix="BEN"
    )
    lawyers = [User.objects.create(username=f"bench-lawyer-{i}", office=office) for i in range(20)]
    coordinator = User.objects.create(username="bench-coordinator", office=office)
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    kinds = list(PermitKind.objects.filter(country=kz))
    today = timezone.localdate()
    for start in range(0, permits, BATCH):
        size = min(BATCH, permits - start)
        clients = Client.objects.bulk_create(
            Client(last_name=f"Клиент{start + i}", nationality=uz, office=office)
            for i in range(size)
        )
        Case.objects.bulk_create(
            Case(
                reference=f"BEN-{start + i:07d}",
                client=client,
                office=office,
                kind=Case.Kind.PERMIT,
                responsible_lawyer=lawyers[i % len(lawyers)],
            )
            for i, client in enumerate(clients)
            if i % 2 == 0
        )
        ResidencePermit.objects.bulk_create(
            ResidencePermit(
                client=client,
                kind=kinds[i % len(kinds)],
                valid_from=date(2020, 1, 1),
                valid_until=today + timedelta(days=(start + i) % 400),
            )
            for i, client in enumerate(clients)
        )


def age(days: int) -> None:
    """Make every record look last edited `days` ago: the steady state of a running system."""
    from casework.models import Case
    from clients.models import Client, ResidencePermit

    then = timezone.now() - timedelta(days=days)
    for model in (Client, Case, ResidencePermit):
        model.objects.update(updated_at=then)


def timed(runs: int) -> tuple[float, int]:
    from casework.reminders import plan_permit_reminders

    seconds = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            plan_permit_reminders()
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permits", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from casework.models import Reminder
    from clients.models import ResidencePermit

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        fill(args.permits)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        age(2)
        passes = []
        while not passes or passes[-1][2]:  # a backlog takes passes of at most the limit
            before = Reminder.objects.count()
            seconds, queries = timed(1)
            passes.append((seconds, queries, Reminder.objects.count() - before))
        steady, steady_queries = timed(args.runs)
        print(f"{ResidencePermit.objects.count()} permits, {Reminder.objects.count()} rows")
        for number, (seconds, queries, rows) in enumerate(passes[:-1], 1):
            print(f"backlog pass {number}: {seconds:.2f} s, {queries} queries, {rows} rows")
        print(f"steady pass (median of {args.runs}): {steady:.2f} s, {steady_queries} queries")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
