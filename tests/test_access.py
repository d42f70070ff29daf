"""Every page tried as anonymous, as an outsider from another office, as a read-only
colleague and as the allowed user: nothing leaks (404), nothing changes (403)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseNote, Deadline, Incident, IncidentClient, Reminder
from tests.factories import DocumentFactory, FineFactory, HearingFactory, PermitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(case, client_record, lawyer):
    from clients.models import Registration
    from documents.defaults import install_default_templates
    from documents.models import Letter, LetterTemplate

    install_default_templates()

    incident = Incident.objects.create(
        title="Рейд",
        office=case.office,
        started_on=timezone.localdate(),
        place="Рынок",
        city="Алматы",
    )
    IncidentClient.objects.create(incident=incident, client=client_record)
    deadline = Deadline.objects.create(case=case, title="x", due_on=timezone.localdate())
    return {
        "client": client_record.pk,
        "case": case.pk,
        "fine": FineFactory(case=case).pk,
        "hearing": HearingFactory(case=case).pk,
        "deadline": deadline.pk,
        "note": CaseNote.objects.create(case=case, author=lawyer, text="x").pk,
        "document": DocumentFactory(client=client_record).pk,
        "permit": PermitFactory(client=client_record).pk,
        "registration": Registration.objects.create(
            client=client_record,
            address="a",
            city="c",
            country_id=client_record.nationality_id,
            registered_from=timezone.localdate(),
        ).pk,
        "incident": incident.pk,
        "letter": Letter.objects.create(
            case=case,
            template=LetterTemplate.objects.filter(kind="prosecutor_complaint").first(),
            number="TAL-L-2026-99999",
            html="<p>x</p>",
            pdf="letters/x.pdf",
            checksum="0" * 64,
            issued_by=lawyer,
        ).pk,
        "notification": Reminder.objects.create(
            recipient=lawyer,
            channel="in_app",
            kind="upcoming",
            deadline=deadline,
            remind_at=timezone.now(),
            sent_at=timezone.now(),
            delivered_at=timezone.now(),
            dedupe_key="access-test",
        ).pk,
    }


# (url name, argument key, is a write view)
READ = [
    ("clients:client_detail", "client"),
    ("casework:client_activity", "client"),
    ("casework:case_detail", "case"),
    ("casework:incident_detail", "incident"),
    ("documents:letter_list", "case"),
]
WRITE_GET = [
    ("clients:client_edit", "client"),
    ("clients:document_create", "client"),
    ("clients:document_edit", "document"),
    ("clients:permit_create", "client"),
    ("clients:permit_edit", "permit"),
    ("clients:registration_create", "client"),
    ("clients:registration_edit", "registration"),
    ("casework:case_create", "client"),
    ("casework:case_edit", "case"),
    ("casework:fine_create", "case"),
    ("casework:fine_edit", "fine"),
    ("casework:hearing_create", "case"),
    ("casework:hearing_edit", "hearing"),
    ("casework:deadline_create", "case"),
    ("casework:deadline_edit", "deadline"),
    ("casework:note_create", "case"),
    ("casework:note_edit", "note"),
    ("casework:incident_edit", "incident"),
    ("documents:batch_create", "incident"),
    ("casework:incident_sitting", "incident"),
]
WRITE_POST = [
    ("casework:case_close", "case"),
    ("casework:case_reopen", "case"),
    ("casework:case_assign", "case"),
    ("casework:deadline_done", "deadline"),
    ("casework:incident_link", "incident"),
    ("casework:incident_intake", "incident"),
    ("casework:incident_open_cases", "incident"),
    ("documents:letter_dispatch", "letter"),
]
# One's own things: only their owner may act on them, whatever their role (404 otherwise).
OWN_POST = [("casework:notification_read", "notification")]
LISTS = [
    "clients:client_list",
    "casework:case_list",
    "casework:case_queue",
    "casework:incident_list",
    "casework:dashboard",
    "casework:notification_list",
    "casework:calendar_settings",
]
# Personal settings: every signed-in user may change their own, read-only colleagues too.
OWN_SETTINGS_POST = ["casework:notification_read_all", "casework:calendar_revoke"]
ALL = [(n, k, "get") for n, k in READ + WRITE_GET] + [
    (n, k, "post") for n, k in WRITE_POST + OWN_POST
]


@pytest.mark.parametrize(("name", "key", "method"), ALL)
def test_anonymous_is_sent_to_login(client, world, name, key, method):
    response = getattr(client, method)(reverse(name, args=[world[key]]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", LISTS + ["clients:client_create", "casework:incident_create"])
def test_anonymous_cannot_open_lists_or_forms(client, name):
    assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize(("name", "key", "method"), ALL)
def test_outsider_from_another_office_gets_404(client, world, outsider, name, key, method):
    client.force_login(outsider)
    response = getattr(client, method)(reverse(name, args=[world[key]]))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "key"), READ)
def test_read_only_colleague_can_read(client, world, reader, name, key):
    client.force_login(reader)
    assert client.get(reverse(name, args=[world[key]])).status_code == 200


@pytest.mark.parametrize(
    ("name", "key", "method"),
    [(n, k, "get") for n, k in WRITE_GET] + [(n, k, "post") for n, k in WRITE_POST],
)
def test_read_only_colleague_cannot_change(client, world, reader, name, key, method):
    client.force_login(reader)
    response = getattr(client, method)(reverse(name, args=[world[key]]))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "key"), READ + WRITE_GET)
def test_responsible_lawyer_opens_every_page(client, world, lawyer, name, key):
    client.force_login(lawyer)
    assert client.get(reverse(name, args=[world[key]])).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_lists_open_for_staff_and_show_nothing_of_other_offices(
    client, world, case, outsider, name
):
    client.force_login(outsider)
    response = client.get(reverse(name), {"scope": "all", "status": "any"})
    assert response.status_code == 200
    page = response.content.decode()
    assert case.reference not in page
    assert case.client.last_name not in page


@pytest.mark.parametrize("name", ["clients:client_create", "casework:incident_create"])
def test_read_only_colleague_cannot_open_creation_forms(client, reader, name):
    client.force_login(reader)
    assert client.get(reverse(name)).status_code == 403


def test_paralegal_cannot_close_a_case(client, case, paralegal):
    client.force_login(paralegal)
    response = client.post(
        reverse("casework:case_close", args=[case.pk]),
        {"outcome": "won", "closed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "open"


def test_paralegal_cannot_change_the_outcome_through_the_edit_form(client, case, paralegal):
    client.force_login(paralegal)
    client.post(
        reverse("casework:case_edit", args=[case.pk]),
        {
            "kind": case.kind,
            "sensitivity": "normal",
            "opened_on": case.opened_on.isoformat(),
            "outcome": "won",
            "status": "closed",
            "expected_version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.outcome == ""
    assert case.status == "open"


def test_sensitive_case_is_404_for_an_unassigned_colleague(client, case, reader):
    case.sensitivity = "sensitive"
    case.save()
    client.force_login(reader)
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404


DASHBOARD_EXPORTS = [
    ("deadlines", "csv"),
    ("hearings", "xlsx"),
    ("reminders", "csv"),
    ("incidents", "csv"),
    ("incident-nationalities", "xlsx"),
]


def _export(table: str, fmt: str) -> str:
    return reverse("casework:dashboard_export", args=[table, fmt])


@pytest.mark.parametrize(("table", "fmt"), DASHBOARD_EXPORTS)
def test_anonymous_cannot_export_the_dashboard(client, world, table, fmt):
    response = client.get(_export(table, fmt))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", OWN_SETTINGS_POST)
def test_anonymous_cannot_change_personal_settings(client, name):
    response = client.post(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("table", "fmt"), DASHBOARD_EXPORTS)
def test_outsiders_dashboard_export_holds_nothing_of_other_offices(
    client, world, case, outsider, table, fmt
):
    client.force_login(outsider)
    response = client.get(_export(table, fmt))
    assert response.status_code == 200
    if fmt == "csv":
        body = response.content.decode()
        assert case.reference not in body
        assert case.client.last_name not in body
        assert len(body.strip().splitlines()) == 1  # the header row only


@pytest.mark.parametrize("persona", ["reader", "lawyer", "coordinator"])
def test_dashboard_and_its_exports_open_for_its_roles(client, world, case, persona, request):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("casework:dashboard"))
    assert page.status_code == 200
    assert case.reference in page.content.decode()
    export = client.get(_export("deadlines", "csv"))
    assert export.status_code == 200
    assert case.reference in export.content.decode()


def test_paralegal_may_not_open_the_dashboard_or_export(client, world, paralegal):
    client.force_login(paralegal)
    assert client.get(reverse("casework:dashboard")).status_code == 403
    assert client.get(_export("deadlines", "csv")).status_code == 403


@pytest.mark.parametrize("name", OWN_SETTINGS_POST)
def test_read_only_colleague_may_change_only_their_own_settings(client, world, reader, name):
    token = reader.calendar_token
    client.force_login(reader)
    assert client.post(reverse(name)).status_code == 302
    assert Reminder.objects.get(pk=world["notification"]).read_at is None
    reader.refresh_from_db()
    assert (reader.calendar_token != token) == (name == "casework:calendar_revoke")


@pytest.mark.parametrize(("name", "key"), OWN_POST)
def test_a_colleague_of_the_same_office_cannot_act_on_anothers_things(
    client, world, reader, paralegal, name, key
):
    for user in (reader, paralegal):
        client.force_login(user)
        assert client.post(reverse(name, args=[world[key]])).status_code == 404


@pytest.mark.parametrize(("name", "key"), OWN_POST)
def test_the_owner_acts_on_their_own_things(client, world, lawyer, name, key):
    client.force_login(lawyer)
    assert client.post(reverse(name, args=[world[key]])).status_code == 302


def test_a_calendar_feed_needs_a_valid_token_and_nothing_else(client, world, lawyer, outsider):
    feed = "casework:calendar_feed"
    assert client.get(reverse(feed, args=["x" * 43])).status_code == 404
    assert client.get(reverse(feed, args=[lawyer.calendar_token])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse(feed, args=[lawyer.calendar_token[:-1]])).status_code == 404


def test_only_a_coordinator_opens_the_transfer_of_a_case(
    client, world, lawyer, reader, outsider, coordinator
):
    url = reverse("casework:case_transfer", args=[world["case"]])
    assert client.get(url).status_code == 302
    for user, status in ((outsider, 404), (reader, 403), (lawyer, 403), (coordinator, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        if status != 200:
            assert client.post(url).status_code == status, user
