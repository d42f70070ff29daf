"""The periodic permit and passport reconcile pass at scale: time and queries of a pass with
nothing changed, and of one after a few permits changed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python tests/benchmarks/bench_reconcile.py \\
        --clients 50000

Creates a throwaway test database (test_<name>), loads CLIENTS clients with one permit each
and an open permit case for one in twenty, runs the first (full) pass, then RUNS passes with
nothing changed and RUNS passes after CHANGED permits moved, printing medians. The database
is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5000


def load(clients: int) -> None:
    from django.db.models import F

    from casework.models import Case, Office
    from clients.models import Client, Country, PermitKind, ResidencePermit

    kz, uz = Country.objects.get(code="KZ"), Country.objects.get(code="UZ")
    office = Office.objects.create(name="Bench", registry_prefix="BEN", country=kz, city="Алматы")
    kind = PermitKind.objects.get(code="labour-immigrant")
    today = timezone.localdate()
    for start in range(0, clients, BATCH):
        size = min(BATCH, clients - start)
        people = Client.objects.bulk_create(
            Client(last_name=f"Клиент{start + n}", nationality=uz, office=office, search_key="k")
            for n in range(size)
        )
        ResidencePermit.objects.bulk_create(
            ResidencePermit(
                client=person,
                kind=kind,
                number=f"B{person.pk:08d}",
                valid_from=today - timedelta(days=200),
                valid_until=today + timedelta(days=30 + person.pk % 300),
            )
            for person in people
        )
        Case.objects.bulk_create(
            Case(reference=f"BEN-{person.pk}", client=person, office=office, kind="permit")
            for person in people
            if person.pk % 20 == 0
        )
    # As if loaded long ago: the passes below see only what changes after.
    hour_ago = F("updated_at") - timedelta(hours=1)
    for model in (Client, ResidencePermit, Case):
        model.objects.update(updated_at=hour_ago)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics as a database in use has them


def timed_pass(now) -> tuple[float, int, dict]:
    from casework.services import reconcile_changed_client_deadlines

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    connection.queries_log.clear()  # the log keeps the last 9000 only
    with connection.execute_wrapper(count), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        counts = reconcile_changed_client_deadlines(now=now)
        elapsed = time.perf_counter() - started
    if len(executed) < 10:
        for query in queries.captured_queries:
            print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:90]}")
    return elapsed, len(executed), counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--changed", type=int, default=50)
    args = parser.parse_args()
    from clients.models import ResidencePermit

    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        load(args.clients)
        print(f"loaded {args.clients} clients in {time.perf_counter() - started:.1f} s")
        elapsed, queries, counts = timed_pass(timezone.now())
        print(f"first (full) pass: {elapsed:.2f} s, {queries} queries, {counts}")
        # The first pass made deadlines and reminders, not permits: nothing is due again.
        idle, idle_queries = [], set()
        for _ in range(args.runs):
            elapsed, queries, _counts = timed_pass(timezone.now())
            idle.append(elapsed)
            idle_queries.add(queries)
        print(
            f"nothing changed: median {statistics.median(idle) * 1000:.1f} ms, "
            f"queries {sorted(idle_queries)}"
        )
        busy, busy_queries = [], set()
        for run in range(args.runs):
            moved = list(
                ResidencePermit.objects.filter(client__cases__isnull=False)
                .order_by("pk")
                .values_list("pk", flat=True)[run * args.changed : (run + 1) * args.changed]
            )
            for permit in ResidencePermit.objects.filter(pk__in=moved):
                permit.valid_until += timedelta(days=7)
                permit.save(update_fields=["valid_until", "updated_at"])
            elapsed, queries, counts = timed_pass(timezone.now())
            busy.append(elapsed)
            busy_queries.add(queries)
        print(
            f"{args.changed} permits moved: median {statistics.median(busy) * 1000:.1f} ms, "
            f"queries {sorted(busy_queries)}, last {counts}"
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
