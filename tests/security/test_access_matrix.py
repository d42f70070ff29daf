"""The access matrix: every URL of Casework's own apps, found by walking the URL
configuration, tried by every persona. A URL added without a row here fails the first
test, so the matrix grows with the application.

Expectations, per persona:
- anonymous: sent to sign in, for every URL but the public ones;
- a member of the office with no permission, a lawyer of another office, and an
  administrator who is not a superuser: 404 for every record, and lists or personal pages
  that answer (200, or 403) show none of the world's data;
- a colleague who is not assigned to a sensitive case: 404 for everything of that case
  (its letters, batch PDF and attachments included); any page that answers shows neither
  its reference nor its letter's number;
- a read-only observer: every read answers 200, every change 403."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casework.models import CaseNote, Deadline, Incident, IncidentClient, Reminder
from tests.factories import (
    DocumentFactory,
    FineFactory,
    HearingFactory,
    PermitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

APPS = ("clients", "casework", "documents")

# name: (argument in the world, how it is called, what it shows).
# How: "read" (GET, reading), "form" (GET of a form that changes), "post" (a change),
# "own" / "own_post" (one's own things, read or changed), "restricted" (a read for some
# roles only, refused to observers), "public".
# Shows: "case" (data of one case), "client" (of one client), "incident", "list" (many
# records, filtered), "own", "public".
MATRIX: dict[str, tuple[str | None, str, str]] = {
    "home": (None, "read", "list"),
    "healthz": (None, "public", "public"),
    "login": (None, "public", "public"),
    "logout": (None, "public", "public"),
    "set_language": (None, "public", "public"),
    # django-allauth: signing in, its second step, the password reset by e-mail.
    "account_login": (None, "public", "public"),
    "account_logout": (None, "public", "public"),
    "account_signup": (None, "public", "public"),
    "account_inactive": (None, "public", "public"),
    "account_confirm_email": ("token", "public", "public"),
    "account_email_verification_sent": (None, "public", "public"),
    "account_confirm_login_code": (None, "public", "public"),
    "account_reset_password": (None, "public", "public"),
    "account_reset_password_done": (None, "public", "public"),
    "account_reset_password_from_key": ("reset_key", "public", "public"),
    "account_reset_password_from_key_done": (None, "public", "public"),
    "mfa_authenticate": (None, "public", "public"),
    "mfa_login_webauthn": (None, "public", "public"),
    # One's own password, e-mail and second factors.
    "account_change_password": (None, "own", "own"),
    "account_set_password": (None, "own", "own"),
    "account_email": (None, "own", "own"),
    "account_reauthenticate": (None, "own", "own"),
    "account_request_reauthentication_code": (None, "own", "own"),
    "account_confirm_reauthentication_code": (None, "own", "own"),
    "mfa_index": (None, "own", "own"),
    "mfa_activate_totp": (None, "own", "own"),
    "mfa_deactivate_totp": (None, "own", "own"),
    "mfa_generate_recovery_codes": (None, "own", "own"),
    "mfa_view_recovery_codes": (None, "own", "own"),
    "mfa_download_recovery_codes": (None, "own", "own"),
    "mfa_reauthenticate": (None, "own", "own"),
    "mfa_add_webauthn": (None, "own", "own"),
    "mfa_list_webauthn": (None, "own", "own"),
    "mfa_edit_webauthn": ("notification", "own", "own"),
    "mfa_remove_webauthn": ("notification", "own_post", "own"),
    "mfa_reauthenticate_webauthn": (None, "own", "own"),
    "clients:client_list": (None, "read", "list"),
    "clients:client_create": (None, "form", "list"),
    "clients:client_detail": ("client", "read", "client"),
    "clients:client_edit": ("client", "form", "client"),
    "clients:document_create": ("client", "form", "client"),
    "clients:document_edit": ("document", "form", "client"),
    "clients:permit_create": ("client", "form", "client"),
    "clients:permit_edit": ("permit", "form", "client"),
    "clients:registration_create": ("client", "form", "client"),
    "clients:registration_edit": ("registration", "form", "client"),
    "casework:dashboard": (None, "read", "list"),
    "casework:dashboard_export": ("export", "read", "list"),
    "casework:case_list": (None, "read", "list"),
    "casework:case_queue": (None, "read", "list"),
    "casework:case_create": ("client", "form", "client"),
    "casework:client_activity": ("client", "read", "client"),
    "casework:client_access": ("client", "restricted", "client"),
    "casework:case_detail": ("case", "read", "case"),
    "casework:case_edit": ("case", "form", "case"),
    "casework:case_close": ("case", "post", "case"),
    "casework:case_reopen": ("case", "post", "case"),
    "casework:case_assign": ("case", "post", "case"),
    "casework:case_transfer": ("case", "form", "case"),
    "casework:fine_create": ("case", "form", "case"),
    "casework:fine_edit": ("fine", "form", "case"),
    "casework:hearing_create": ("case", "form", "case"),
    "casework:hearing_edit": ("hearing", "form", "case"),
    "casework:deadline_create": ("case", "form", "case"),
    "casework:deadline_edit": ("deadline", "form", "case"),
    "casework:deadline_done": ("deadline", "post", "case"),
    "casework:note_create": ("case", "form", "case"),
    "casework:note_edit": ("note", "form", "case"),
    "casework:incident_list": (None, "read", "list"),
    "casework:incident_create": (None, "form", "list"),
    "casework:incident_detail": ("incident", "read", "incident"),
    "casework:incident_edit": ("incident", "form", "incident"),
    "casework:incident_link": ("incident", "post", "incident"),
    "casework:incident_intake": ("incident", "post", "incident"),
    "casework:incident_open_cases": ("incident", "post", "incident"),
    "casework:incident_sitting": ("incident", "form", "incident"),
    "casework:notification_list": (None, "own", "own"),
    "casework:notification_read": ("notification", "own_post", "own"),
    "casework:notification_read_all": (None, "own_post", "own"),
    "casework:calendar_settings": (None, "own", "own"),
    "casework:calendar_revoke": (None, "own_post", "own"),
    "casework:calendar_sensitive": (None, "own_post", "own"),
    # The feed's address is its key (tests/casework/test_calendar_feed.py).
    "casework:calendar_feed": ("token", "public", "public"),
    "casework:calendar_team_revoke": (None, "own_post", "own"),
    "casework:calendar_team_feed": ("team_token", "public", "public"),
    "documents:letter_list": ("case", "read", "case"),
    "documents:letter_create": ("case", "form", "case"),
    "documents:letter_pdf": ("letter", "read", "case"),
    "documents:letter_correct": ("letter", "form", "case"),
    "documents:letter_dispatch": ("letter", "post", "case"),
    "documents:batch_create": ("incident", "form", "incident"),
    "documents:batch_detail": ("batch", "read", "incident"),
    "documents:batch_pdf": ("batch", "read", "case"),
    "documents:batch_fix": ("incident_case", "form", "case"),
    "documents:client_attachments": ("client", "read", "client"),
    "documents:case_attachments": ("case", "read", "case"),
    "documents:attachment_download": ("case_attachment", "read", "case"),
    # A person's data on request: coordinators only (clients.export_client, erase_client).
    "documents:client_export_pdf": ("client", "restricted", "client"),
    "documents:client_export_zip": ("client", "restricted", "client"),
    "documents:client_erase": ("client", "restricted", "client"),
    "documents:retention_review": (None, "restricted", "list"),
}
POST_ONLY = {"post", "own_post"}


def app_url_names() -> set[str]:
    """Every named URL outside the Django admin, found in the URL configuration."""

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_url_has_a_row_in_the_matrix():
    names = app_url_names()
    assert names - MATRIX.keys() == set(), "add these URLs to the access matrix"
    assert MATRIX.keys() - names == set(), "these rows name URLs that no longer exist"


@pytest.fixture
def world(case, client_record, lawyer, paralegal):
    """One client with one case and every kind of record, a batch of its letter included."""
    from documents.defaults import install_default_templates
    from documents.models import Attachment, Letter, LetterBatch, LetterTemplate

    install_default_templates()
    client_record.last_name = "Секретова"
    client_record.save()
    incident = Incident.objects.create(
        title="Рейд", office=case.office, started_on=timezone.localdate(), place="Р", city="А"
    )
    IncidentClient.objects.create(incident=incident, client=client_record)
    case.incident = incident
    case.save()
    deadline = Deadline.objects.create(case=case, title="x", due_on=timezone.localdate())
    template = LetterTemplate.objects.filter(kind="expulsion_appeal", language="ru").first()
    letter = Letter(
        case=case,
        template=template,
        number="TAL-L-2026-31337",
        html="<p>x</p>",
        checksum="0" * 64,
        issued_by=lawyer,
    )
    letter.pdf.save("x.pdf", ContentFile("%PDF-1.4 Секретова".encode()), save=False)
    letter.save()
    batch = LetterBatch.objects.create(
        incident=incident, template=template, created_by=lawyer, status="done", total=1
    )
    batch.issued.set([letter])
    batch.merged_pdf.save("b.pdf", ContentFile(b"%PDF-1.4 TAL-L-2026-31337"), save=True)
    document = DocumentFactory(client=client_record, number="SECRET-DOC-77")

    def attachment(**owner):
        item = Attachment(
            **owner,
            original_name="scan.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=lawyer,
        )
        item.file.save("scan.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
        item.save()
        return item

    from clients.models import Registration

    return {
        "client": client_record,
        "case": case,
        "fine": FineFactory(case=case),
        "hearing": HearingFactory(case=case),
        "deadline": deadline,
        "note": CaseNote.objects.create(case=case, author=lawyer, text="x"),
        "document": document,
        "permit": PermitFactory(client=client_record),
        "registration": Registration.objects.create(
            client=client_record,
            address="a",
            city="c",
            country_id=client_record.nationality_id,
            registered_from=timezone.localdate(),
        ),
        "incident": incident,
        "letter": letter,
        "batch": batch,
        "case_attachment": attachment(case=case, client=client_record),
        "notification": Reminder.objects.create(
            recipient=lawyer,
            channel="in_app",
            kind="upcoming",
            deadline=deadline,
            remind_at=timezone.now(),
            sent_at=timezone.now(),
            delivered_at=timezone.now(),
            dedupe_key="matrix",
        ),
        "token": lawyer.calendar_token,
        "team_token": lawyer.team_calendar_token,
        "export": ("deadlines", "csv"),
        "reset_key": ("1", "set-password"),
        "incident_case": (incident.pk, case.pk),
    }


def url_of(name: str, world) -> str:
    key = MATRIX[name][0]
    if key is None:
        return reverse(name)
    value = world[key]
    if isinstance(value, tuple):
        return reverse(name, args=value)
    return reverse(name, args=[getattr(value, "pk", value)])


def call(client, name: str, world):
    method = "post" if MATRIX[name][1] in POST_ONLY else "get"
    response = getattr(client, method)(url_of(name, world))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode("utf-8", "replace")


def secrets(world, *, of: str) -> list[str]:
    case_secrets = [world["case"].reference, world["letter"].number]
    if of == "case":
        return case_secrets
    return [*case_secrets, world["client"].last_name, world["document"].number]


NOT_PUBLIC = [n for n, (_, how, _) in MATRIX.items() if how != "public"]
RECORDS = [n for n, (key, how, shows) in MATRIX.items() if shows in ("case", "client", "incident")]


@pytest.mark.parametrize("name", NOT_PUBLIC)
def test_anonymous_is_sent_to_sign_in(client, world, name):
    status, _ = call(client, name, world)
    assert status == 302


@pytest.fixture
def stranger(request, office, other_office):
    """Someone who must see nothing of the world's client."""
    return {
        "no_permission": lambda: UserFactory(username="m-none", office=office),
        "other_office_lawyer": lambda: UserFactory(
            username="m-outsider", office=other_office, groups=["lawyer"]
        ),
        "administrator": lambda: UserFactory(
            username="m-admin", office=office, groups=["administrator"], is_staff=True
        ),
    }[request.param]()


STRANGERS = ["no_permission", "other_office_lawyer", "administrator"]


@pytest.mark.parametrize("stranger", STRANGERS, indirect=True)
@pytest.mark.parametrize("name", NOT_PUBLIC)
def test_strangers_get_404_for_records_and_no_data_anywhere(client, world, stranger, name):
    client.force_login(stranger)
    status, body = call(client, name, world)
    if name in RECORDS:
        assert status == 404
    else:
        # Lists and one's own pages answer; another's own thing is not there.
        assert status in (200, 302, 403, 404)
    for secret in secrets(world, of="all"):
        assert secret not in body


@pytest.mark.parametrize("name", NOT_PUBLIC)
def test_an_unassigned_colleague_sees_nothing_of_a_sensitive_case(client, world, office, name):
    case = world["case"]
    case.sensitivity = "sensitive"
    case.save()
    colleague = UserFactory(username="m-colleague", office=office, groups=["lawyer"])
    client.force_login(colleague)
    status, body = call(client, name, world)
    if MATRIX[name][2] == "case":
        assert status == 404
    for secret in secrets(world, of="case"):
        assert secret not in body


READS = [n for n, (_, how, shows) in MATRIX.items() if how == "read" and shows != "list"]
CHANGES = [n for n, (_, how, _) in MATRIX.items() if how in ("form", "post", "restricted")]


@pytest.mark.parametrize("name", READS)
def test_an_observer_reads(client, world, reader, name):
    client.force_login(reader)
    status, _ = call(client, name, world)
    assert status == 200


@pytest.mark.parametrize("name", CHANGES)
def test_an_observer_changes_nothing(client, world, reader, name):
    client.force_login(reader)
    status, _ = call(client, name, world)
    assert status == 403
