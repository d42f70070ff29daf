"""Every main page of every role, in Russian, on a desktop (1366 px) and a phone (390 px):
axe finds no serious or critical violation and no table header without text; on the phone
the page never scrolls sideways and the tables' links and buttons are on screen.

The office is the demo office of `seed_demo` (sixty clients, a raid, hearings and deadlines),
plus what the demo does not make: a letter, a finished letter batch, a scan, notifications.
With CASEWORK_SCREENS=<folder> the screenshots are saved there to be looked at."""

import hashlib
import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from casework.models import Case, Hearing, Incident, Reminder, User
from casework.reminders import send_due_reminders
from documents.defaults import install_default_templates
from documents.models import Attachment, LetterBatch, LetterTemplate
from documents.services import issue_letter
from tests.browser.axe import (
    accessibility_violations,
    load_axe,
    scrolls_sideways,
    table_controls_off_screen,
)
from tests.factories import FineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

STAFF = [
    "home",
    "clients",
    "client",
    "client_create",
    "cases",
    "case",
    "case_create",
    "queue",
    "incidents",
    "incident",
    "batch_create",
    "batch",
    "letter_create",
    "notifications",
    "calendar",
]
PAGES = {
    "paralegal": STAFF,
    "lawyer": [*STAFF, "dashboard"],
    "coordinator": [*STAFF, "dashboard", "client_access"],
    "observer": ["home", "clients", "client", "cases", "case", "incidents", "incident"]
    + ["dashboard", "notifications", "calendar"],
    "administrator": ["home", "dashboard", "notifications", "calendar", "security"],
}


@pytest.fixture
def office(settings, tmp_path):
    """The demo office and the address of each page, for the users of each role."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    call_command("seed_demo", stdout=io.StringIO())
    install_default_templates()
    lawyer = User.objects.get(username="lawyer")
    almaty = lawyer.office
    UserFactory(username="observer", office=almaty, groups=["observer"])
    UserFactory(username="administrator", office=almaty, groups=["administrator"])
    incident = Incident.objects.get(title="Рейд на центральном рынке (демо)")
    case = (
        Case.objects.filter(incident=incident, responsible_lawyer=lawyer, hearings__isnull=False)
        .exclude(sensitivity="sensitive")  # an observer sees it too
        .order_by("pk")
        .first()
    )
    FineFactory(case=case, protocol_number="П-2026-77")
    # One client's appeal lacks the day the decision was received: the batch page shows
    # the form that fills it in.
    late = Hearing.objects.filter(case__incident=incident).exclude(case=case).order_by("pk")[0]
    late.decision_received_on = None
    late.save(update_fields=["decision_received_on"])
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    letter = issue_letter(case=case, template=template, issued_by=lawyer, paragraphs={})
    scan = b"%PDF-1.4 scan"
    Attachment.objects.create(
        case=case,
        kind=Attachment.Kind.PASSPORT,
        file=ContentFile(scan, name="scan.pdf"),
        original_name="паспорт.pdf",
        content_type="application/pdf",
        size=len(scan),
        sha256=hashlib.sha256(scan).hexdigest(),
        uploaded_by=lawyer,
    )
    batch = LetterBatch.objects.create(
        incident=incident,
        template=template,
        created_by=lawyer,
        status=LetterBatch.Status.DONE,
        total=2,
        processed=2,
        skipped=[{"client": "Назаров Фаррух", "client_id": None, "missing": ["no_case"]}],
    )
    batch.issued.set([letter])
    send_due_reminders()
    Reminder.objects.filter(channel="in_app").order_by("pk").first().mark_read()
    client = case.client
    return {
        "home": reverse("home"),
        "dashboard": reverse("casework:dashboard"),
        "clients": reverse("clients:client_list"),
        "client": client.get_absolute_url(),
        "client_create": reverse("clients:client_create"),
        "client_access": reverse("casework:client_access", args=[client.pk]),
        "cases": reverse("casework:case_list") + "?scope=all",
        "case": case.get_absolute_url(),
        "case_create": reverse("casework:case_create", args=[client.pk]),
        "queue": reverse("casework:case_queue"),
        "incidents": reverse("casework:incident_list"),
        "incident": incident.get_absolute_url(),
        "batch_create": reverse("documents:batch_create", args=[incident.pk])
        + f"?template={template.pk}",
        "batch": reverse("documents:batch_detail", args=[batch.pk]),
        "letter_create": reverse("documents:letter_create", args=[case.pk]),
        "notifications": reverse("casework:notification_list"),
        "calendar": reverse("casework:calendar_settings"),
        "security": reverse("mfa_index"),
    }


@pytest.mark.parametrize("role", PAGES)
def test_every_page_is_accessible_and_fits_a_phone(
    page, live_server, sign_in, settings, office, role
):
    # The demo's own users have the demo password; the two added here the factory's.
    added = role in ("observer", "administrator")
    load_axe(page)
    sign_in(page, role, "pw-for-tests" if added else settings.DEMO_PASSWORD)
    screens = os.environ.get("CASEWORK_SCREENS")
    problems = []
    for name in PAGES[role]:
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            response = page.goto(f"{live_server.url}{office[name]}")
            assert response.status == 200, f"{role} {name}: {response.status}"
            # The case and client pages fetch their letters, scans and cases with htmx.
            page.wait_for_load_state("networkidle")
            where = f"{role} {name} at {viewport['width']} px"
            problems += [f"{where}: {v}" for v in accessibility_violations(page)]
            if viewport is PHONE:
                if scrolls_sideways(page):
                    problems.append(f"{where}: the page scrolls sideways")
                problems += [f"{where}: off screen: {c}" for c in table_controls_off_screen(page)]
            if screens:
                shot = Path(screens) / f"{role}-{name}-{viewport['width']}.png"
                page.screenshot(path=str(shot), full_page=True)
    assert not problems, "\n".join(problems)
