"""How well the client list's search finds a person by another spelling: recall and rank on
our measuring set (tests/clients/spellings.py), the baseline for issue #12's engine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
    .venv/bin/python tests/benchmarks/measure_spellings.py
    env -u DATABASE_URL .venv/bin/python tests/benchmarks/measure_spellings.py   # SQLite

Creates a throwaway test database, stores one client per spelling_a of the set and one per
name of the look-alike pairs (decoys), then searches every spelling_b through the search the
client list uses (`clients.views.search_clients`, in the list's order) and prints, by
category, for ordinary and hard pairs apart: how many were found, how many had the right
person first and on the first page, then every look-alike found for the other name (a
false positive). The database is dropped at the end.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

PAGE_SIZE = 25


def is_cyrillic(name: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in name)


def store(names: set[str]) -> dict[str, int]:
    """One client per name, in the Cyrillic or the Latin last name as its script says."""
    from casework.models import Office
    from clients.models import Client, Country

    kz = Country.objects.get(code="KZ")
    office = Office.objects.create(name="Bench", registry_prefix="BEN", country=kz, city="Алматы")
    clients = {}
    for name in sorted(names):
        field = "last_name" if is_cyrillic(name) else "last_name_latin"
        clients[name] = Client.objects.create(office=office, **{field: name}).pk
    return clients


def ranked(q: str) -> list[int]:
    from clients.models import Client
    from clients.views import search_clients

    return list(search_clients(Client.objects.active(), q).values_list("pk", flat=True))


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def main() -> None:
    from tests.clients.spellings import CATEGORIES, DIFFERENT, VARIANTS

    old = setup_databases(verbosity=0, interactive=False)
    try:
        names = {v.spelling_a for v in VARIANTS} | {n for d in DIFFERENT for n in d[:2]}
        clients = store(names)
        print(f"{connection.vendor}: {len(clients)} clients, {len(VARIANTS)} variant pairs")
        # (category, hard) -> [pairs, found, first, on the first page, results in all]
        table = defaultdict(lambda: [0, 0, 0, 0, 0])
        missed = defaultdict(list)
        for variant in VARIANTS:
            results = ranked(variant.spelling_b)
            row = table[variant.category, variant.hard]
            row[0] += 1
            row[4] += len(results)
            target = clients[variant.spelling_a]
            if target in results:
                rank = results.index(target) + 1
                row[1] += 1
                row[2] += rank == 1
                row[3] += rank <= PAGE_SIZE
            else:
                missed[variant.category, variant.hard].append(variant)

        header = f"{'category':<22}{'pairs':>6}{'found':>7}{'recall':>8}{'first':>8}{'page 1':>8}"
        for hard in (False, True):
            print(f"\n{'HARD' if hard else 'ORDINARY'} variants")
            print(header + f"{'avg hits':>10}")
            total = [0, 0, 0, 0, 0]
            for category in CATEGORIES:
                row = table[category, hard]
                total = [t + r for t, r in zip(total, row, strict=True)]
                if row[0]:
                    print(line(category, row))
            print(line("all", total))

        print("\nmissed (first three of each):")
        for (category, hard), variants in sorted(missed.items()):
            shown = ", ".join(f"{v.spelling_a} ← {v.spelling_b}" for v in variants[:3])
            print(f"  {category}{' (hard)' if hard else ''}: {len(variants)}: {shown}")

        false = []
        for different in DIFFERENT:
            for query, other in (different[:2], different[1::-1]):
                if clients[other] in ranked(query):
                    false.append((query, other, different.reason))
        print(f"\nfalse positives among {len(DIFFERENT)} look-alike pairs: {len(false)}")
        for query, other, reason in false:
            print(f"  {query!r} finds {other!r} ({reason})")
    finally:
        teardown_databases(old, verbosity=0)


def line(label: str, row: list[int]) -> str:
    pairs, found, first, page, hits = row
    return (
        f"{label:<22}{pairs:>6}{found:>7}{percent(found, pairs):>8}"
        f"{percent(first, found):>8}{percent(page, found):>8}{hits / pairs if pairs else 0:>10.1f}"
    )


if __name__ == "__main__":
    main()
