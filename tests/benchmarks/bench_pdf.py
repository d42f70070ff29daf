"""Letter PDF render time in a warm process: a two-page Russian letter through base.html.

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python tests/benchmarks/bench_pdf.py

Renders the shipped fine complaint (fine_complaint.ru.html) with a filled-in context, 3
warm-up renders, then 30 timed ones. ``--fresh-font-config`` gives every render a new
FontConfiguration, to show what the module-level one saves.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402

from documents import pdf  # noqa: E402
from documents.letters import render_body  # noqa: E402

WARM_UP = 3
RUNS = 30
TEMPLATE = ROOT / "templates" / "documents" / "letters" / "defaults" / "fine_complaint.ru.html"
OFFICE = {
    "name": "Алматинский офис",
    "letterhead_name": "Общественный фонд «Правовая помощь мигрантам»",
    "address": "ул. Абая, 52, офис 304",
    "city": "Алматы",
    "phone": "+7 727 300 00 00",
    "email": "almaty@example.kz",
}
CONTEXT = {
    "office": OFFICE,
    "client": {
        "full_name": "Рахимов Алишер Бахтиёрович",
        "last_name_latin": "Rakhimov",
        "first_name_latin": "Alisher",
        "date_of_birth": date(1991, 4, 17),
        "nationality": "Республика Узбекистан",
        "passport_number": "FA1234567",
        "passport_country": "UZB",
        "passport_issued_on": date(2019, 8, 2),
        "address": "г. Алматы, мкр. Орбита-3, д. 14, кв. 27",
        "phone": "+7 701 000 00 00",
    },
    "lawyer": {
        "full_name": "Сейтқалиева Әлия Нұрланқызы",
        "position": "юрист",
        "power_of_attorney": "доверенность № 118 от 03.02.2025",
    },
    "fine": {
        "issued_on": date(2025, 2, 20),
        "decision_received_on": date(2025, 2, 24),
        "protocol_number": "П-000771",
        "authority": "Управление миграционной службы ДП г. Алматы",
        "officer": "ст. инспектор Жұмабеков Е. С.",
        "article": "частью 1 статьи 517 КоАП РК",
        "article_title": "Нарушение иммигрантами законодательства Республики Казахстан",
        "amount": Decimal("147680"),
        "currency": "KZT",
        "mci_count": Decimal("40"),
        "mci_year": 2025,
    },
    "permit": {},  # no residence permit: the usual case in a fine for overstaying
    "addressee": {"title": "", "name": "", "address": ""},
    "case": {"reference": "ALA-2025-0314"},
    "paragraphs": {},
    "today": date(2025, 3, 1),
}


def letter_html() -> str:
    body = render_body(TEMPLATE.read_text(encoding="utf-8"), CONTEXT)
    return render_to_string(
        "documents/letters/base.html",
        {
            "lang": "ru",
            "office": OFFICE,
            "number": "ALA-L-2025-00127",
            "date": date(2025, 3, 1),
            "body": body,
            "title": "Жалоба на постановление",
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fresh-font-config", action="store_true", help="a new FontConfiguration for every render"
    )
    args = parser.parse_args()

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # 8 lines a render
    html = letter_html()
    timings = []
    for run in range(WARM_UP + RUNS):
        if args.fresh_font_config:
            pdf.FONT_CONFIG = type(pdf.FONT_CONFIG)()  # no WeasyPrint import here
        started = time.perf_counter()
        document = pdf.render_pdf(html)
        elapsed = (time.perf_counter() - started) * 1000
        if run >= WARM_UP:
            timings.append(elapsed)

    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
    print(f"pages: {pdf.page_count(document)}, size: {len(document) // 1024} KiB")
    print(
        f"{RUNS} renders after {WARM_UP} warm-up: median {statistics.median(timings):.0f} ms, "
        f"p95 {p95:.0f} ms, min {min(timings):.0f} ms, max {max(timings):.0f} ms"
        + (" (fresh FontConfiguration each render)" if args.fresh_font_config else "")
    )


if __name__ == "__main__":
    main()
