"""Dashboard server time and query count on a large office, for a coordinator and a lawyer.

    createdb -h 127.0.0.1 -U postgres casework_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python tests/benchmarks/bench_dashboard.py --cases 100000

Writes to the database it is given, so it refuses one whose name does not contain "bench".
Migrates it, fills it once (clients, cases, deadlines, hearings, permits, held documents,
fines, failed reminders, incidents) and reuses the data on later runs; then 3 warm-up
requests and 20 timed ones per user through Django's test client, printing the median, the
95th percentile and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework.models import (  # noqa: E402
    Case,
    Deadline,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
    Office,
    Reminder,
    User,
)
from clients.models import (  # noqa: E402
    Authority,
    Client,
    Country,
    IdentityDocument,
    PermitKind,
    ResidencePermit,
)

WARM_UP = 3
RUNS = 20
BATCH = 5000


def fill(cases: int) -> None:
    rng = random.Random(5)
    today = timezone.localdate()
    kz, uz = Country.objects.get(code="KZ"), Country.objects.get(code="UZ")
    offices = [
        Office.objects.create(
            name=f"Bench {i}", country=kz, city="Алматы", address="-", registry_prefix=f"BN{i}"
        )
        for i in range(2)
    ]
    lawyers = []
    for office in offices:
        for i in range(10):
            user = User.objects.create_user(f"bench-lawyer-{office.pk}-{i}", office=office)
            user.groups.add(Group.objects.get(name="lawyer"))
            lawyers.append(user)
    coordinator = User.objects.create_user("bench-coordinator", office=offices[0])
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    clients = Client.objects.bulk_create(
        (
            Client(last_name=f"Бенчев{i}", first_name="Тест", nationality=uz, office=offices[i % 2])
            for i in range(cases)
        ),
        batch_size=BATCH,
    )
    rows = []
    for i, client in enumerate(clients):
        opened = today - timedelta(days=rng.randrange(730))
        closed = rng.random() < 0.4
        rows.append(
            Case(
                reference=f"BENCH-{i:07d}",
                client=client,
                office_id=client.office_id,
                kind="expulsion",
                status="closed" if closed else rng.choice(["open", "open", "on_hold"]),
                outcome=rng.choice(["won", "lost", "settled"]) if closed else "",
                opened_on=opened,
                closed_on=opened + timedelta(days=rng.randrange(1 + (today - opened).days))
                if closed
                else None,
                responsible_lawyer=rng.choice(lawyers[:10] if i % 2 == 0 else lawyers[10:]),
            )
        )
    all_cases = Case.objects.bulk_create(rows, batch_size=BATCH)
    now = timezone.now()
    # As in the application: closing a case cancels its open deadlines.
    deadlines = Deadline.objects.bulk_create(
        (
            Deadline(
                case=c,
                title="Жалоба",
                due_on=today + timedelta(days=rng.randrange(-60, 90)),
                cancelled_at=now if c.status == "closed" else None,
            )
            for c in all_cases
        ),
        batch_size=BATCH,
    )
    Hearing.objects.bulk_create(
        (
            Hearing(
                case=c,
                kind="expulsion",
                starts_at=now + timedelta(hours=rng.randrange(-2000, 2000)),
            )
            for c in all_cases[::2]
        ),
        batch_size=BATCH,
    )
    kind = PermitKind.objects.get(code="labour-immigrant")
    ResidencePermit.objects.bulk_create(
        (
            ResidencePermit(
                client=c,
                kind=kind,
                number=f"BP{i}",
                valid_from=today - timedelta(days=300),
                valid_until=today + timedelta(days=rng.randrange(-100, 300)),
            )
            for i, c in enumerate(clients[::2])
        ),
        batch_size=BATCH,
    )
    authority = Authority.objects.first()
    IdentityDocument.objects.bulk_create(
        (
            IdentityDocument(
                client=c,
                number=f"BD{i}",
                issuing_country=uz,
                held_by=authority if i % 5 == 0 else None,
                held_since=today - timedelta(days=rng.randrange(100)) if i % 5 == 0 else None,
            )
            for i, c in enumerate(clients[::2])
        ),
        batch_size=BATCH,
    )
    Fine.objects.bulk_create(
        (
            Fine(
                case=c,
                amount=rng.randrange(10000, 200000),
                issued_on=c.opened_on,
                status=rng.choice(["issued", "contested", "annulled"]),
            )
            for c in all_cases[::4]
        ),
        batch_size=BATCH,
    )
    # One reminder per deadline, one in a hundred failed.
    Reminder.objects.bulk_create(
        (
            Reminder(
                recipient=lawyers[0],
                channel="email",
                kind="upcoming",
                deadline=d,
                remind_at=now,
                sent_at=now,
                delivered_at=None if i % 100 == 0 else now,
                failed_at=now if i % 100 == 0 else None,
                failure_reason="bench" if i % 100 == 0 else "",
                attempts=3 if i % 100 == 0 else 1,
                dedupe_key=f"bench-{d.pk}",
            )
            for i, d in enumerate(deadlines)
        ),
        batch_size=BATCH,
    )
    for i in range(50):
        incident = Incident.objects.create(
            title=f"Bench {i}",
            office=offices[i % 2],
            started_on=today - timedelta(days=rng.randrange(700)),
            place="-",
            city="Алматы",
        )
        IncidentClient.objects.bulk_create(
            IncidentClient(incident=incident, client=c) for c in rng.sample(clients, 20)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(user: User) -> tuple[float, float, int]:
    http = HttpClient()
    http.force_login(user)
    for _ in range(WARM_UP):
        assert http.get("/dashboard/").status_code == 200
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        http.get("/dashboard/")
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        http.get("/dashboard/")
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name):
        sys.exit(f"refusing to write to database {name!r}: its name must contain 'bench'")
    call_command("migrate", verbosity=0)
    if not Case.objects.filter(reference__startswith="BENCH-").exists():
        started = time.perf_counter()
        fill(args.cases)
        print(f"filled {args.cases} cases in {time.perf_counter() - started:.0f} s")
    print(f"cases: {Case.objects.count()}, deadlines: {Deadline.objects.count()}")
    for username in [
        "bench-coordinator",
        User.objects.filter(username__startswith="bench-lawyer")
        .order_by("pk")
        .values_list("username", flat=True)
        .first(),
    ]:
        median, p95, queries = measure(User.objects.get(username=username))
        print(f"{username}: median {median:.0f} ms, p95 {p95:.0f} ms, {queries} queries")


if __name__ == "__main__":
    main()
