"""`clients` announces every saved permit and identity document through its signals, once
the save has committed: from the client's pages, intake and the administration; never for
a save that rolled back or an edit that lost to a colleague's."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from clients.forms import ResidencePermitForm
from clients.models import Authority, Country, IdentityDocument, PermitKind
from clients.services import save_permit
from clients.signals import document_changed, permit_changed
from tests.admin_forms import change_form_data
from tests.factories import DocumentFactory, PermitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    """What the signals said, in order: (signal name, arguments)."""
    heard = []

    def listen(sender, signal, **arguments):
        name = "permit_changed" if signal is permit_changed else "document_changed"
        heard.append((name, arguments))

    for signal in (permit_changed, document_changed):
        signal.connect(listen, dispatch_uid="test-listener")
    yield heard
    for signal in (permit_changed, document_changed):
        signal.disconnect(dispatch_uid="test-listener")


def permit_form(permit, **changes) -> dict:
    data = {
        "kind": permit.kind_id,
        "number": permit.number,
        "issued_by": "",
        "valid_from": permit.valid_from.isoformat(),
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else "",
        "status": permit.status,
        "renewal_applied_on": "",
        "notes": "",
        "expected_version": permit.version,
    }
    return data | changes


def test_a_permit_edited_on_its_page_is_announced_once_committed(
    client, lawyer, client_record, announced, django_capture_on_commit_callbacks
):
    permit = PermitFactory(client=client_record, valid_from=date(2026, 1, 10))
    client.force_login(lawyer)
    url = reverse("clients:permit_edit", args=[permit.pk])

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, permit_form(permit, valid_until="2027-03-01"))
        assert response.status_code == 302
        assert announced == []  # saved, not yet committed: nothing said
    for callback in callbacks:
        callback()

    assert announced == [
        (
            "permit_changed",
            {
                "client_id": client_record.pk,
                "permit_id": permit.pk,
                "created": False,
                "valid_until": date(2027, 3, 1),
                "active": True,
            },
        )
    ]


def test_a_new_permit_is_announced_as_created(
    client, lawyer, client_record, announced, django_capture_on_commit_callbacks
):
    client.force_login(lawyer)
    kind = PermitKind.objects.get(code="labour-immigrant")
    data = {
        "kind": kind.pk,
        "number": "KZ-77",
        "valid_from": "2026-01-10",
        "valid_until": "2026-12-31",
        "status": "valid",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clients:permit_create", args=[client_record.pk]), data)

    assert response.status_code == 302
    [(name, arguments)] = announced
    assert name == "permit_changed"
    assert arguments["created"] is True
    assert arguments["permit_id"] == client_record.permits.get().pk


def test_a_revoked_permit_is_announced_as_no_longer_active(
    client, lawyer, client_record, announced, django_capture_on_commit_callbacks
):
    permit = PermitFactory(client=client_record)
    client.force_login(lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("clients:permit_edit", args=[permit.pk]),
            permit_form(permit, status="revoked"),
        )
    assert [arguments["active"] for _name, arguments in announced] == [False]


def test_a_passport_handed_to_an_authority_on_its_page_is_announced_with_its_holder(
    client, lawyer, client_record, announced, django_capture_on_commit_callbacks
):
    passport = DocumentFactory(client=client_record)
    police = Authority.objects.filter(kind="migration_police").first()
    client.force_login(lawyer)
    data = {
        "kind": passport.kind,
        "number": passport.number,
        "issuing_country": passport.issuing_country_id,
        "held_by": police.pk,
        "held_since": "2026-11-20",
        "expected_version": passport.version,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clients:document_edit", args=[passport.pk]), data)

    assert response.status_code == 302
    assert announced == [
        (
            "document_changed",
            {
                "client_id": client_record.pk,
                "document_id": passport.pk,
                "created": False,
                "held_by_id": police.pk,
                "held_since": date(2026, 11, 20),
                "active": True,
            },
        )
    ]


def test_an_edit_that_lost_to_a_colleagues_announces_nothing(
    client, lawyer, client_record, announced, django_capture_on_commit_callbacks
):
    permit = PermitFactory(client=client_record)
    client.force_login(lawyer)
    stale = permit_form(permit, valid_until="2027-03-01")
    permit.number = "changed meanwhile"
    permit.version += 1
    permit.save()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("clients:permit_edit", args=[permit.pk]), stale)

    assert response.status_code == 409
    assert callbacks == []
    assert announced == []


def test_a_save_that_rolls_back_announces_nothing(
    client_record, announced, django_capture_on_commit_callbacks
):
    permit = PermitFactory(client=client_record)
    form = ResidencePermitForm(permit_form(permit, valid_until="2027-03-01"), instance=permit)
    assert form.is_valid(), form.errors

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            save_permit(form=form)
            raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert announced == []


def test_intake_announces_the_passport_it_records(
    client, paralegal, announced, django_capture_on_commit_callbacks
):
    client.force_login(paralegal)
    data = {
        "last_name": "Каримов",
        "first_name": "Азиз",
        "sex": "m",
        "nationality": Country.objects.get(code="UZ").pk,
        "passport_number": "FA7654321",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clients:client_create"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    passport = IdentityDocument.objects.get(number="FA7654321")
    assert announced == [
        (
            "document_changed",
            {
                "client_id": passport.client_id,
                "document_id": passport.pk,
                "created": True,
                "held_by_id": None,
                "held_since": None,
                "active": True,
            },
        )
    ]


def test_a_permit_saved_in_the_administration_is_announced(
    admin_client, client_record, announced, django_capture_on_commit_callbacks
):
    permit = PermitFactory(client=client_record)
    url = reverse("admin:clients_residencepermit_change", args=[permit.pk])
    data = change_form_data(admin_client.get(url).content.decode(), "residencepermit_form")
    data["valid_until"] = "2027-04-30"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(name, arguments["valid_until"]) for name, arguments in announced] == [
        ("permit_changed", date(2027, 4, 30))
    ]


def test_a_document_handed_over_in_the_administration_is_announced(
    admin_client, client_record, announced, django_capture_on_commit_callbacks
):
    passport = DocumentFactory(client=client_record)
    police = Authority.objects.filter(kind="migration_police").first()
    url = reverse("admin:clients_identitydocument_change", args=[passport.pk])
    data = change_form_data(admin_client.get(url).content.decode(), "identitydocument_form")
    data |= {"held_by": str(police.pk), "held_since": "2026-11-20"}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(name, arguments["held_by_id"]) for name, arguments in announced] == [
        ("document_changed", police.pk)
    ]


def test_permits_and_documents_edited_among_the_clients_inlines_are_announced(
    admin_client, client_record, announced, django_capture_on_commit_callbacks
):
    permit = PermitFactory(client=client_record)
    DocumentFactory(client=client_record)
    url = reverse("admin:clients_client_change", args=[client_record.pk])
    data = change_form_data(admin_client.get(url).content.decode(), "client_form")
    data["permits-0-valid_until"] = "2027-05-31"  # the document is saved unchanged

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(name, arguments["permit_id"]) for name, arguments in announced] == [
        ("permit_changed", permit.pk)
    ]
