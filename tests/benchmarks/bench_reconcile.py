"""Permit and passport deadlines at scale: the full pass a rule change runs, and one
client's re-plan when `clients` announces a changed permit.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python tests/benchmarks/bench_reconcile.py \\
        --clients 50000

Creates a throwaway test database (test_<name>), loads CLIENTS clients with one permit each
and an open permit case for one in twenty, runs the full pass (creating every deadline) and
a second one with nothing to do, then moves CHANGED permits of clients with a case, each
saved and announced as its page does, printing the median time and the queries of one
client's re-plan. The database is dropped at the end.
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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics as a database in use has them


def measured(work, *, show: bool = False) -> tuple[float, int, object]:
    """Seconds, queries and result of `work()`; with `show`, each query and its time."""
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    connection.queries_log.clear()  # the log keeps the last 9000 only
    with connection.execute_wrapper(count), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
    if show:
        for query in queries.captured_queries:
            print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:90]}")
    return elapsed, len(executed), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50000)
    parser.add_argument("--changed", type=int, default=50)
    args = parser.parse_args()
    from casework.services import reconcile_all_client_deadlines
    from clients.models import ResidencePermit
    from clients.services import announce_permit

    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        load(args.clients)
        print(f"loaded {args.clients} clients in {time.perf_counter() - started:.1f} s")
        for name in ("full pass", "full pass, nothing to do"):
            elapsed, queries, counts = measured(reconcile_all_client_deadlines)
            print(f"{name}: {elapsed:.2f} s, {queries} queries, {counts}")
        moved = ResidencePermit.objects.filter(client__cases__isnull=False).order_by("pk")
        times, counted = [], set()
        for index, permit in enumerate(moved[: args.changed]):
            permit.valid_until += timedelta(days=7)
            permit.save(update_fields=["valid_until", "updated_at"])
            # Outside a transaction the announcement goes out at once, as after a page's save.
            elapsed, queries, _ = measured(
                lambda p=permit: announce_permit(p, created=False), show=index == 1
            )
            if index:  # the first warms the rules and calendar caches
                times.append(elapsed)
                counted.add(queries)
        print(
            f"one client's re-plan after its permit moved: median "
            f"{statistics.median(times) * 1000:.1f} ms, queries {sorted(counted)}"
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
