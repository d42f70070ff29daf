"""What writing the access record costs the pages it records, on a large office (security
issue, point 5: "the write path must not slow pages noticeably").

    createdb -h 127.0.0.1 -U postgres casework_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python tests/benchmarks/bench_access_record.py [--clients 200000]
        [--records 2000000] [--runs 50] [--explain]

Writes to the PostgreSQL database it is given, so it refuses one whose name does not contain
"bench". Migrates it and fills it once (two offices "AR 0" and "AR 1", `--clients` clients
with one case each and a second case for one in four, named from 60 surnames and 40 first
names so a search by name finds a realistic few hundred; ten letters and ten files on cases
of office "AR 0"; `--records` access records over the last two years, written with SQL
`generate_series` into the table with its indexes, as a year or two of use leaves it), and
reuses the data on later runs.

Then, signed in as a lawyer of office "AR 0" with Django's test client, each page (a client,
a case, a client search by name, a letter PDF, a file download) is requested `--runs` times
with the middleware on and as often with it off (`MIDDLEWARE` without
`casework.audit.AccessRecordMiddleware`), on and off in turn so that the other work on the
machine falls on both alike, after 3 warm-up requests each. Printed per page: median and
95th percentile wall time on and off, the median's difference, the queries per request in
both modes, and the INSERT's own time with its commit (median over 20 more requests, timed
around the statement by a database execute wrapper). `--explain` adds the INSERT's
EXPLAIN (ANALYZE, BUFFERS), rolled back.

Measured on the 2-core development machine, 2026-12-02, other people's tests beside it (load
2-5), local PostgreSQL 15, durable commits; filling 89 s (clients and cases 52 s, 2,000,000
records 19 s; the table 567 MB, of which indexes 326 MB). Second of two runs (ms):

    page           median on     off  diff ms  diff %  p95 on     off  queries on/off  INSERT ms
    client page         22.2    21.4     +0.8     +4%    62.6    49.4       10/9            0.82
    case page           33.4    30.6     +2.8     +9%    70.0    65.3       13/12           0.97
    client search      112.7   111.9     +0.8     +1%   169.2   186.7        8/7            1.11
    letter PDF          14.8    11.3     +3.4    +30%    32.0    26.7        6/5            1.10
    file download      247.9   254.4     -6.6     -3%   371.4   454.8        6/5            1.33

The record is one statement (its client found by a subquery in the INSERT: 0.1 ms executed,
index scan on the primary key) and about 1 ms with its durable commit; the medians move by
1-4 ms (the first run: +1.9, +4.0, -1.5, +3.4, +16.2 on a 270 ms page), inside the noise of
a shared machine. The file download's 250 ms are not the record's: its visibility check
(`Attachment.objects.visible_to`, `client__in` and `case__in` the visible sets) hashes all
100,000 visible clients and cases, about 200 ms of it.
"""

from __future__ import annotations

import argparse
import logging
import os
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
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework.models import AccessRecord, Case, Office, User  # noqa: E402
from clients.models import Client, Country  # noqa: E402
from documents.models import Attachment, Letter, LetterTemplate  # noqa: E402

MIDDLEWARE = "casework.audit.AccessRecordMiddleware"
WARM_UP = 3
BATCH = 5000
SURNAMES = [
    f"{stem}{end}"
    for stem in [
        "Рахим",
        "Карим",
        "Юсуп",
        "Тураев",
        "Ахмед",
        "Назар",
        "Садык",
        "Исмаил",
        "Алиев",
        "Хасан",
        "Умар",
        "Бобо",
        "Мирзо",
        "Шарип",
        "Файзулл",
        "Абдулла",
        "Жура",
        "Эргаш",
        "Норбо",
        "Салим",
    ]
    for end in ["ов", "ова", "ович"]
]
FIRST_NAMES = [
    "Алишер",
    "Бахтиёр",
    "Дильшод",
    "Жасур",
    "Зафар",
    "Илхом",
    "Камол",
    "Лазиз",
    "Мансур",
    "Нодир",
    "Отабек",
    "Рустам",
    "Санжар",
    "Тимур",
    "Улугбек",
    "Фарход",
    "Хуршид",
    "Шерзод",
    "Эркин",
    "Азиз",
    "Гулнора",
    "Дилноза",
    "Зарина",
    "Камила",
    "Лола",
    "Малика",
    "Нигора",
    "Одина",
    "Саида",
    "Феруза",
    "Шахноза",
    "Юлдуз",
    "Барно",
    "Мохира",
    "Нилуфар",
    "Севара",
    "Гульшан",
    "Мадина",
    "Дурдона",
    "Хилола",
]
SEARCH = f"{SURNAMES[1]} {FIRST_NAMES[0]}"  # Рахимова Алишер: clients whose index i ≡ 1 mod 60


def fill(n_clients: int, n_records: int) -> None:
    today = timezone.localdate()
    kz, uz = Country.objects.get(code="KZ"), Country.objects.get(code="UZ")
    offices = [
        Office.objects.create(
            name=f"AR {i}", country=kz, city="Алматы", address="-", registry_prefix=f"AR{i}"
        )
        for i in range(2)
    ]
    lawyer_group = Group.objects.get(name="lawyer")
    lawyers: list[User] = []  # ten in each office, AR 0's first
    for office in offices:
        for i in range(10):
            username = f"ar-lawyer-{office.registry_prefix}-{i}"
            user = User.objects.create_user(username, office=office)
            user.groups.add(lawyer_group)
            lawyers.append(user)
    keys: dict[tuple[str, str], str] = {}
    started = time.perf_counter()
    for start in range(0, n_clients, BATCH):
        chunk = []
        for i in range(start, min(start + BATCH, n_clients)):
            names = (SURNAMES[i % len(SURNAMES)], FIRST_NAMES[(i // 7) % len(FIRST_NAMES)])
            client = Client(
                last_name=names[0], first_name=names[1], nationality=uz, office=offices[i % 2]
            )
            if names not in keys:
                keys[names] = client.compute_search_key()
            client.search_key = keys[names]
            chunk.append(client)
        chunk = Client.objects.bulk_create(chunk)
        cases = []
        for i, client in enumerate(chunk, start):
            opened = today - timedelta(days=i % 730)
            closed = i % 5 == 0
            for suffix in ("", "-2") if i % 4 == 1 else ("",):
                cases.append(
                    Case(
                        reference=f"AR-{i:07d}{suffix}",
                        client=client,
                        office_id=client.office_id,
                        kind="expulsion",
                        status="closed" if closed else "open",
                        outcome="won" if closed else "",
                        opened_on=opened,
                        closed_on=today if closed else None,
                        responsible_lawyer=lawyers[i % 10 + 10 * (i % 2)],
                    )
                )
        Case.objects.bulk_create(cases)
    print(f"  {n_clients} clients and their cases in {time.perf_counter() - started:.0f} s")

    lawyer = lawyers[0]
    template = LetterTemplate.objects.create(
        kind="bench-access", language="ru", title="Замер", body="<p>Замер</p>", version=1
    )
    pdf = b"%PDF-1.4\n" + b"0" * 60_000  # a letter's size, about
    for n, case in enumerate(
        Case.objects.filter(office=offices[0], status="open").order_by("pk")[:10]
    ):
        letter = Letter(
            case=case,
            template=template,
            number=f"AR0-L-BENCH-{n:05d}",
            html="<p>Замер</p>",
            checksum="0" * 64,
            issued_by=lawyer,
        )
        letter.pdf.save("bench.pdf", ContentFile(pdf), save=False)
        letter.save()
        scan = Attachment(
            case=case,
            client=case.client,
            original_name="scan.pdf",
            content_type="application/pdf",
            size=len(pdf),
            sha256="0" * 64,
            uploaded_by=lawyer,
        )
        scan.file.save("bench-scan.pdf", ContentFile(pdf), save=False)
        scan.save()

    started = time.perf_counter()
    first, last = (
        Client.objects.filter(office__in=offices).order_by("pk").values_list("pk", flat=True)[0],
        Client.objects.filter(office__in=offices).order_by("-pk").values_list("pk", flat=True)[0],
    )
    user_ids = [u.pk for u in lawyers]
    table = AccessRecord._meta.db_table
    # One read every ~30 s for two years, oldest first as the table grows; pages in the
    # proportions people read them: client and case pages mostly, some searches and files.
    step = 500_000
    with connection.cursor() as cursor:
        for offset in range(0, n_records, step):
            cursor.execute(
                f"""
                INSERT INTO {table}
                    (at, user_id, kind, object_id, client_id, page, path, detail, address)
                SELECT now() - (%(n)s - g) * interval '30 seconds',
                       (%(users)s::int[])[1 + g %% %(n_users)s],
                       k.kind,
                       CASE WHEN k.kind = 'search' THEN '' ELSE c.id::text END,
                       CASE WHEN k.kind = 'search' THEN NULL ELSE c.id END,
                       k.page,
                       CASE WHEN k.kind = 'search' THEN '/clients/'
                            ELSE '/clients/' || c.id || '/' END,
                       CASE WHEN k.kind = 'search' THEN 'Рахимов' ELSE '' END,
                       ('10.0.0.' || (g %% 200))::inet
                FROM generate_series(%(start)s, %(end)s) AS g
                CROSS JOIN LATERAL (
                    SELECT %(first)s + floor(random() * (%(last)s - %(first)s + 1))::int AS id
                ) AS c
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN g %% 10 < 5 THEN 'client' WHEN g %% 10 < 8 THEN 'case'
                                WHEN g %% 10 = 8 THEN 'search' ELSE 'attachment' END AS kind,
                           CASE WHEN g %% 10 < 5 THEN 'clients:client_detail'
                                WHEN g %% 10 < 8 THEN 'casework:case_detail'
                                WHEN g %% 10 = 8 THEN 'clients:client_list'
                                ELSE 'documents:attachment_download' END AS page
                ) AS k
                """,
                {
                    "n": n_records,
                    "users": user_ids,
                    "n_users": len(user_ids),
                    "start": offset + 1,
                    "end": min(offset + step, n_records),
                    "first": first,
                    "last": last,
                },
            )
    print(f"  {n_records} access records in {time.perf_counter() - started:.0f} s")


def fetch(http: HttpClient, url: str) -> int:
    response = http.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    response.close()
    return response.status_code


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def measure(name: str, urls: list[str], on: HttpClient, off: HttpClient, runs: int) -> dict:
    without = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    timings: dict[str, list[float]] = {"on": [], "off": []}

    def timed(mode: str, url: str) -> float:
        http = on if mode == "on" else off
        if mode == "off":
            with override_settings(MIDDLEWARE=without):
                started = time.perf_counter()
                assert fetch(http, url) == 200, url
                return (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        assert fetch(http, url) == 200, url
        return (time.perf_counter() - started) * 1000

    for i in range(WARM_UP):
        timed("on", urls[i % len(urls)])
        timed("off", urls[i % len(urls)])
    # The middleware is really on in one and off in the other.
    before = AccessRecord.objects.count()
    timed("off", urls[0])
    assert AccessRecord.objects.count() == before, "the OFF client still records"
    timed("on", urls[0])
    assert AccessRecord.objects.count() == before + 1, "the ON client records nothing"

    for i in range(runs):
        url = urls[i % len(urls)]
        for mode in ("on", "off") if i % 2 == 0 else ("off", "on"):
            timings[mode].append(timed(mode, url))

    queries = {}
    with CaptureQueriesContext(connection) as captured:
        timed("on", urls[0])
    queries["on"] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        timed("off", urls[0])
    queries["off"] = len(captured)
    inserts: list[float] = []
    insert_sql: list[str] = []
    table = f'INSERT INTO "{AccessRecord._meta.db_table}"'

    def time_insert(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if sql.startswith(table):  # autocommit: the statement and its durable commit
                inserts.append((time.perf_counter() - started) * 1000)
                insert_sql.append(context["cursor"].cursor.mogrify(sql, params).decode())

    with connection.execute_wrapper(time_insert):
        for i in range(20):
            timed("on", urls[i % len(urls)])
    return {
        "page": name,
        "on": statistics.median(timings["on"]),
        "off": statistics.median(timings["off"]),
        "p95 on": percentile(timings["on"], 0.95),
        "p95 off": percentile(timings["off"], 0.95),
        "q on": queries["on"],
        "q off": queries["off"],
        "insert": statistics.median(inserts),
        "sql": insert_sql[-1],
    }


def explain(sql: str) -> None:
    print(f"\nEXPLAIN (ANALYZE, BUFFERS), rolled back:\n{sql}")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            for (line,) in cursor.fetchall():
                print(f"  {line}")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise
    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name) or connection.vendor != "postgresql":
        sys.exit(f"refusing database {name!r}: it must be PostgreSQL, its name with 'bench'")
    call_command("migrate", verbosity=0)
    if not Office.objects.filter(registry_prefix="AR0").exists():
        started = time.perf_counter()
        print("filling (once):")
        with transaction.atomic():  # all or nothing: a half-filled database is not reused
            fill(args.clients, args.records)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"filled in {time.perf_counter() - started:.0f} s")
    offices = Office.objects.filter(registry_prefix__in=["AR0", "AR1"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size(%s)), "
            "pg_size_pretty(pg_indexes_size(%s)), current_setting('synchronous_commit'), "
            "current_setting('server_version')",
            [AccessRecord._meta.db_table] * 2,
        )
        size, index_size, synchronous_commit, version = cursor.fetchone()
    print(
        f"clients: {Client.objects.filter(office__in=offices).count()}, "
        f"cases: {Case.objects.filter(office__in=offices).count()}, "
        f"access records: {AccessRecord.objects.count()} ({size}, indexes {index_size}); "
        f"{os.cpu_count()} cores, PostgreSQL {version}, synchronous_commit {synchronous_commit}"
    )

    lawyer = User.objects.get(username="ar-lawyer-AR0-0")
    on, off = HttpClient(), HttpClient()
    on.force_login(lawyer)
    off.force_login(lawyer)
    cases = list(
        Case.objects.filter(office__registry_prefix="AR0", status="open")
        .select_related("client")
        .order_by("pk")[:50]
    )
    letters = Letter.objects.filter(number__startswith="AR0-L-BENCH-").order_by("pk")
    files = Attachment.objects.filter(uploaded_by=lawyer).order_by("pk")
    pages = [
        ("client page", [c.client.get_absolute_url() for c in cases]),
        ("case page", [c.get_absolute_url() for c in cases]),
        ("client search", [f"{reverse('clients:client_list')}?q={SEARCH}"]),
        ("letter PDF", [reverse("documents:letter_pdf", args=[x.pk]) for x in letters]),
        ("file download", [reverse("documents:attachment_download", args=[x.pk]) for x in files]),
    ]
    rows = [measure(page, urls, on, off, args.runs) for page, urls in pages]
    print(
        f"\n{args.runs} requests per page and mode, signed in as a lawyer of office AR 0\n"
        f"{'page':14} {'median on':>9} {'off':>7} {'diff ms':>8} {'diff %':>7} "
        f"{'p95 on':>7} {'off':>7} {'queries on/off':>15} {'INSERT ms':>10}"
    )
    for r in rows:
        diff = r["on"] - r["off"]
        print(
            f"{r['page']:14} {r['on']:9.1f} {r['off']:7.1f} {diff:+8.1f} "
            f"{diff / r['off'] * 100:+6.0f}% {r['p95 on']:7.1f} {r['p95 off']:7.1f} "
            f"{r['q on']:>8}/{r['q off']:<6} {r['insert']:10.2f}"
        )
    if args.explain:
        explain(rows[1]["sql"])


if __name__ == "__main__":
    main()
