"""Letter PDF render time in a warm process, for every shipped template, through base.html.

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python tests/benchmarks/bench_pdf.py

Each shipped template (templates/documents/letters/defaults/) is rendered with a filled-in
context and the demo office's logo on the letterhead: 3 warm-up renders, then 30 timed ones;
the median, p95 and page count are printed per template, then over all of them.
``--fresh-font-config`` gives every render a new FontConfiguration, to show what the
module-level one saves; ``--no-logo`` leaves the logo out; ``--only NAME`` renders one file.

Measured on the 2-core development machine, 2026-12-01, others working beside it
(WeasyPrint 70, libharfbuzz-subset0 installed, logo on): see the issue notes.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402

from documents import pdf  # noqa: E402
from documents.defaults import demo_logo  # noqa: E402
from documents.sandbox import render_body  # noqa: E402

WARM_UP = 3
RUNS = 30
DEFAULTS = ROOT / "templates" / "documents" / "letters" / "defaults"
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
    "hearing": {
        "starts_at": datetime(2025, 2, 27, 10, 30),
        "court": "Специализированный межрайонный административный суд г. Алматы",
        "court_address": "г. Алматы, ул. Толе би, 155",
        "judge": "Әбдірахманова Г. Қ.",
        "decision_received_on": date(2025, 2, 28),
    },
    "permit": {
        "kind": "Разрешение на временное проживание",
        "number": "ВП-0044129",
        "valid_from": date(2024, 3, 15),
        "valid_until": date(2025, 3, 14),
        "renewal_applied_on": date(2025, 2, 10),
        "issued_by": "Управление миграционной службы ДП г. Алматы",
    },
    "document": {
        "kind": "Паспорт",
        "number": "FA1234567",
        "held_by": "Управление миграционной службы ДП г. Алматы",
        "held_since": date(2025, 1, 20),
    },
    "incident": {
        "title": "Проверка на рынке «Алтын Орда»",
        "started_on": date(2025, 2, 18),
        "place": "рынок «Алтын Орда»",
        "city": "Алматы",
        "authority": "Департамент полиции г. Алматы",
    },
    "addressee": {"title": "", "name": "", "address": ""},
    "case": {"reference": "ALA-2025-0314", "kind": "Административный штраф"},
    "paragraphs": {
        "facts": "Доверитель задержан при проверке документов, хотя имел при себе паспорт. " * 3,
        "grounds": "Постановление вынесено без переводчика, права не разъяснены. " * 3,
        "request": "Отменить постановление и прекратить производство по делу.",
    },
    "today": date(2025, 3, 1),
}


def letter_html(template: Path, logo_url: str) -> str:
    body = render_body(template.read_text(encoding="utf-8"), CONTEXT)
    return render_to_string(
        "documents/letters/base.html",
        {
            "lang": template.name.split(".")[1],
            "office": OFFICE,
            "number": "ALA-L-2025-00127",
            "date": date(2025, 3, 1),
            "body": body,
            "title": template.stem,
            "logo_url": logo_url,
        },
    )


def measure(html: str, images: list[bytes], fresh_font_config: bool) -> tuple[list[float], bytes]:
    timings = []
    for run in range(WARM_UP + RUNS):
        if fresh_font_config:
            pdf.FONT_CONFIG = type(pdf.FONT_CONFIG)()  # no WeasyPrint import here
        started = time.perf_counter()
        document = pdf.render_pdf(html, images=images)
        elapsed = (time.perf_counter() - started) * 1000
        if run >= WARM_UP:
            timings.append(elapsed)
    return timings, document


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fresh-font-config", action="store_true", help="a new FontConfiguration for every render"
    )
    parser.add_argument("--no-logo", action="store_true", help="no logo on the letterhead")
    parser.add_argument("--only", help="one template file name, e.g. fine_complaint.ru.html")
    args = parser.parse_args()

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # 8 lines a render
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    images = [] if args.no_logo else [demo_logo()]
    logo_url = pdf.image_url(images[0]) if images else ""
    templates = sorted(DEFAULTS.glob(args.only or "*.html"))
    every = []
    for template in templates:
        timings, document = measure(letter_html(template, logo_url), images, args.fresh_font_config)
        every += timings
        print(
            f"{template.name:32} {pdf.page_count(document)} p  "
            f"median {statistics.median(timings):4.0f} ms  p95 {p95(timings):4.0f} ms"
        )
    print(
        f"{len(templates)} templates x {RUNS} renders after {WARM_UP} warm-up each: "
        f"median {statistics.median(every):.0f} ms, p95 {p95(every):.0f} ms, "
        f"min {min(every):.0f} ms, max {max(every):.0f} ms"
        + (" (fresh FontConfiguration each render)" if args.fresh_font_config else "")
        + ("" if images else " (no logo)")
    )


if __name__ == "__main__":
    main()
