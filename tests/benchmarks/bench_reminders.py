"""One reminder pass (what the periodic task `casework.tasks.send_reminders` runs) over a
large table of permits, hearings and deadlines with their reminder rows, in PostgreSQL.

    .venv/bin/python tests/benchmarks/bench_reminders.py                   # 300,000 subjects
    .venv/bin/python tests/benchmarks/bench_reminders.py --subjects 1000000 --reseed

The script creates and migrates a throwaway database (`casework_bench` on the local
PostgreSQL as user postgres; `--database-url` for another), seeds it once with SQL
`generate_series` (one third each permits, hearings and deadlines, two reminders each: by
email and in the app; about 1.5 % due now, 48.5 % delivered long ago, the rest in the future)
and keeps it for later runs (`--reseed` starts over). Then it times `--runs` passes, each
after putting the same due reminders back to unsent, and prints the median, the SQL
statements per pass, and the peak Python memory of one more pass under tracemalloc.
Emails are rendered to bytes by a backend that sends them nowhere, so the figure is the
pass's own cost, not a mail server's.

Target (docs: targets.md): one pass over 1,000,000 subjects <= 5 s, memory flat.

Before the pass is timed, the permit-expiry plan is brought up to date once (every pass
starts by planning permits; a steady tick finds little to add), so the figures include the
planner's steady cost.

Measured on the 2-core development machine, 2026-12-01, machine otherwise quiet, local
PostgreSQL 15, durable commits (no synchronous_commit off), permit planner included:

    300,000 subjects (seeding 23 s), 816,508 reminders after planning 197,008 permit
        reminders (42 s, once), 20,000 due (10,000 by email)
    a pass sending all 20,000: median 44.9 s (41.6-45.4), 2.25 ms per due reminder, of
        which claiming (200 chunk statements) 1.7-2.5 s, building the 10,000 MIME
        messages 14.6-17.6 s, marking each email delivered (one durable commit each: the
        exactly-once window) 11.5-13.1 s
    a pass with nothing due (most beat ticks): median 1.19 s, nearly all of it the permit
        planner's steady look at the 100,000 permits (30 % of them within reach)
    peak Python memory of a pass 6.4 MB, max RSS 123 MB (flat: chunks of 100)

Earlier, with other people's test runs beside it and before the planner was part of the
pass: 999,999 subjects, 30,052 due, 43-80 s sending; nothing due 1.6 ms (7.3 s before the
partial index on claimed rows, when the stale-claim check scanned the whole table).

So claiming and memory are far inside the target, but a pass that must send thousands of
emails costs about 2 ms an email (Python's MIME code plus one durable commit per email,
which no batching can remove without re-sending accepted mail after a worker is killed),
and the permit planner's steady pass grows with the permits within reach.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--subjects", type=int, default=300_000, help="permits+hearings+deadlines")
parser.add_argument("--due-per-mille", type=int, default=15, help="share of reminders due now")
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--profile", action="store_true", help="print where one pass spends time")
parser.add_argument("--reseed", action="store_true", help="empty the seeded rows and seed again")
parser.add_argument(
    "--database-url",
    default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casework_bench"
    ),
)
args = parser.parse_args()

os.environ["DATABASE_URL"] = args.database_url
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


ensure_database(args.database_url)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework.models import Deadline, Hearing, Office, Reminder, User  # noqa: E402
from casework.reminders import plan_permit_reminders, send_due_reminders  # noqa: E402
from clients.models import ResidencePermit  # noqa: E402


class RenderingBackend(BaseEmailBackend):
    """Builds each message's bytes, as SMTP would, and drops them; adds up the time."""

    spent = 0.0

    def send_messages(self, email_messages):
        started = time.perf_counter()
        for message in email_messages:
            message.message().as_bytes()
        RenderingBackend.spent += time.perf_counter() - started
        return len(email_messages)


settings.MAILERS = {"default": {"BACKEND": "__main__.RenderingBackend"}}
qn = connection.ops.quote_name


def clone(model, template_pk: int, count: int, overrides: dict[str, str]) -> None:
    """`count` copies of one row, in one INSERT ... SELECT over generate_series (g)."""
    table = qn(model._meta.db_table)
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [overrides.get(column, f"t.{qn(column)}") for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(map(qn, columns))}) SELECT {', '.join(values)} "
            f"FROM {table} t CROSS JOIN generate_series(1, %s) g WHERE t.id = %s",
            [count, template_pk],
        )


def seed_reminders(model, subject_column: str, kind: str, recipient_id: int, due: int) -> None:
    """Two reminders per subject; the subject's id decides: due now, delivered, or future."""
    subject_table = qn(model._meta.db_table)
    bucket = "mod(s.id, 1000)"
    expressions = {
        "recipient_id": str(recipient_id),
        "channel": "c.channel",
        "kind": f"'{kind}'",
        "deadline_id": "s.id" if subject_column == "deadline_id" else "NULL",
        "hearing_id": "s.id" if subject_column == "hearing_id" else "NULL",
        "permit_id": "s.id" if subject_column == "permit_id" else "NULL",
        "remind_at": f"CASE WHEN {bucket} < 500 THEN now() - ({bucket} + 1) * interval '1 hour'"
        f" ELSE now() + {bucket} * interval '1 hour' END",
        "sent_at": f"CASE WHEN {bucket} >= {due} AND {bucket} < 500 "
        f"THEN now() - {bucket} * interval '1 hour' END",
        "delivered_at": f"CASE WHEN {bucket} >= {due} AND {bucket} < 500 "
        f"THEN now() - {bucket} * interval '1 hour' END",
        "failed_at": "NULL",
        "failure_reason": "''",
        "attempts": f"CASE WHEN {bucket} >= {due} AND {bucket} < 500 THEN 1 ELSE 0 END",
        "cancelled_at": "NULL",
        "read_at": "NULL",
        "created_at": "now()",
        "dedupe_key": f"'bench:{subject_column}:' || s.id || ':' || c.channel",
    }
    columns = [f.column for f in Reminder._meta.concrete_fields if not f.primary_key]
    missing = set(columns) - set(expressions)
    if missing:
        raise SystemExit(f"the benchmark does not know how to fill Reminder.{missing}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(Reminder._meta.db_table)} ({', '.join(map(qn, columns))}) "
            f"SELECT {', '.join(expressions[c] for c in columns)} FROM {subject_table} s "
            "CROSS JOIN (VALUES ('email'), ('in_app')) c(channel)"
        )


def seed(subjects: int, due: int) -> None:
    from tests.factories import (
        CaseFactory,
        ClientFactory,
        HearingFactory,
        OfficeFactory,
        PermitFactory,
        UserFactory,
    )

    started = time.perf_counter()
    office = Office.objects.filter(registry_prefix="BNC").first() or OfficeFactory(
        name="Бенчмарк", registry_prefix="BNC"
    )
    lawyer = User.objects.filter(username="bench-lawyer").first() or UserFactory(
        username="bench-lawyer", office=office, groups=["lawyer"]
    )
    cases = [
        CaseFactory(client=ClientFactory(office=office), responsible_lawyer=lawyer)
        for _ in range(200)
    ]
    case_ids = "ARRAY[" + ",".join(str(case.pk) for case in cases) + "]"
    client_ids = "ARRAY[" + ",".join(str(case.client_id) for case in cases) + "]"
    pick_case = f"({case_ids})[1 + mod(g, 200)]"
    per_kind = subjects // 3
    deadline = Deadline.objects.create(
        case=cases[0], title="Подать жалобу", due_on=timezone.localdate()
    )
    clone(Deadline, deadline.pk, per_kind - 1, {
        "case_id": pick_case, "due_on": "CURRENT_DATE + (mod(g, 400) - 30)",
    })  # fmt: skip
    hearing = HearingFactory(case=cases[0])
    clone(Hearing, hearing.pk, per_kind - 1, {
        "case_id": pick_case, "starts_at": "now() + (mod(g, 400) - 30) * interval '1 day'",
    })  # fmt: skip
    permit = PermitFactory(client=cases[0].client)
    clone(ResidencePermit, permit.pk, per_kind - 1, {
        "client_id": f"({client_ids})[1 + mod(g, 200)]",
        "number": "'B' || g", "valid_until": "CURRENT_DATE + mod(g, 400)",
    })  # fmt: skip
    for model, column, kind in (
        (Deadline, "deadline_id", "upcoming"),
        (Hearing, "hearing_id", "hearing"),
        (ResidencePermit, "permit_id", "permit_expiry"),
    ):
        seed_reminders(model, column, kind, lawyer.pk, due)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {3 * per_kind:,} subjects in {time.perf_counter() - started:.1f}s")


def empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE casework_reminder, casework_deadline, casework_hearing, "
            "clients_residencepermit, casework_case, clients_client CASCADE"
        )


class Counter:
    """Counts SQL statements and adds up their time by kind, without keeping them."""

    def __init__(self) -> None:
        self.count = 0
        self.spent: dict[str, float] = {}

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        kind = "claim" if "SKIP LOCKED" in sql else sql.split(" ", 1)[0].lower()
        if kind == "update" and '"delivered_at" =' in sql and "IN (" not in sql:
            kind = "one email delivered"
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.spent[kind] = self.spent.get(kind, 0.0) + time.perf_counter() - started

    def summary(self) -> str:
        return ", ".join(f"{kind} {spent:.2f}s" for kind, spent in sorted(self.spent.items()))


def reset(due_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(Reminder._meta.db_table)} SET sent_at = NULL, delivered_at = NULL, "
            "attempts = 0, failed_at = NULL, failure_reason = '', cancelled_at = NULL "
            "WHERE id = ANY(%s)",
            [due_ids],
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    if args.reseed:
        empty()
    if not Reminder.objects.filter(dedupe_key__startswith="bench:").exists():
        empty()
        seed(args.subjects, args.due_per_mille)
    now = timezone.now()
    # Every pass first plans permit-expiry reminders. Bring that plan up to date once, so the
    # timed passes see what every tick after the first sees: the planner's steady cost.
    started = time.perf_counter()
    planned = 0
    while created := plan_permit_reminders(now=now, limit=10**9):
        planned += created
    print(f"planned {planned:,} permit reminders in {time.perf_counter() - started:.1f}s")
    due_ids = list(Reminder.objects.due(now).values_list("pk", flat=True))
    subjects = Deadline.objects.count() + Hearing.objects.count() + ResidencePermit.objects.count()
    print(
        f"{subjects:,} subjects, {Reminder.objects.count():,} reminders, {len(due_ids):,} due "
        f"({Reminder.objects.due(now).filter(channel='email').count():,} by email)"
    )
    timings = []
    for run in range(args.runs):
        reset(due_ids)
        counter = Counter()
        RenderingBackend.spent = 0.0
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            counts = send_due_reminders(now)
            timings.append(time.perf_counter() - started)
        assert counts["sent"] == len(due_ids), counts
        print(
            f"  pass {run + 1}: {timings[-1]:.3f}s, {counts['sent']:,} sent; SQL: "
            f"{counter.count:,} statements ({counter.summary()}); "
            f"building emails {RenderingBackend.spent:.2f}s"
        )
    idle = []
    for _ in range(args.runs):  # nothing due: what most ticks of beat find
        started = time.perf_counter()
        assert send_due_reminders(now)["sent"] == 0
        idle.append(time.perf_counter() - started)
    reset(due_ids)
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(send_due_reminders, now)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        reset(due_ids)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    send_due_reminders(now)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reset(due_ids)
    print(
        f"median {statistics.median(timings):.3f}s over {args.runs} passes "
        f"(min {min(timings):.3f}s, max {max(timings):.3f}s), "
        f"{1000 * statistics.median(timings) / max(len(due_ids), 1):.2f} ms per due reminder; "
        f"a pass with nothing due: median {1000 * statistics.median(idle):.1f} ms; "
        f"peak Python memory in a pass {peak / 1e6:.1f} MB; "
        f"max RSS {rss_after / 1024:.0f} MB (grew {(rss_after - rss_before) / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
