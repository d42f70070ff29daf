"""Who saw what: every read of a person's data leaves a record that nobody can change, kept
for the retention period and shown to coordinators and administrators."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from casework.audit import purge_expired_access_records
from casework.models import AccessRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def only_record():
    assert AccessRecord.objects.count() == 1
    return AccessRecord.objects.get()


def test_opening_a_client_is_recorded_with_who_when_where_and_which_page(
    client, lawyer, client_record
):
    client.force_login(lawyer)
    before = timezone.now()
    client.get(client_record.get_absolute_url(), REMOTE_ADDR="10.1.2.3")
    record = only_record()
    assert (record.user, record.kind, record.client) == (lawyer, "client", client_record)
    assert record.page == "clients:client_detail"
    assert record.path == client_record.get_absolute_url()
    assert record.address == "10.1.2.3"
    assert record.at >= before


def test_opening_a_case_is_recorded_against_its_client(client, lawyer, case):
    client.force_login(lawyer)
    client.get(case.get_absolute_url())
    record = only_record()
    assert (record.kind, record.object_id, record.client_id) == (
        "case",
        str(case.pk),
        case.client_id,
    )


def test_a_letter_pdf_and_an_attachment_download_are_recorded(client, lawyer, case):
    from documents.models import Attachment, Letter, LetterTemplate

    letter = Letter(
        case=case,
        template=LetterTemplate.objects.create(
            kind="x", language="ru", title="x", body="<p>x</p>", version=1
        ),
        number="TAL-L-2026-00077",
        html="<p>x</p>",
        checksum="0" * 64,
        issued_by=lawyer,
    )
    letter.pdf.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    letter.save()
    scan = Attachment(
        case=case,
        client=case.client,
        original_name="scan.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=lawyer,
    )
    scan.file.save("scan.pdf", ContentFile(b"%PDF-1.4"), save=False)
    scan.save()
    client.force_login(lawyer)
    client.get(reverse("documents:letter_pdf", args=[letter.pk]))
    client.get(reverse("documents:attachment_download", args=[scan.pk]))
    kinds = dict(AccessRecord.objects.values_list("kind", "client_id"))
    assert kinds == {"letter": case.client_id, "attachment": case.client_id}


def test_a_search_keeps_its_terms_in_the_record_and_its_path_without_them(client, lawyer):
    client.force_login(lawyer)
    client.get(reverse("clients:client_list"), {"q": "Рахимов"})
    client.get(reverse("clients:client_list"))  # a plain list is nobody's data in particular
    record = only_record()
    assert (record.kind, record.detail) == ("search", "Рахимов")
    assert "?" not in record.path


def test_an_export_is_recorded_with_its_table(client, lawyer):
    client.force_login(lawyer)
    client.get(reverse("casework:dashboard_export", args=["deadlines", "csv"]))
    record = only_record()
    assert record.kind == "export"
    assert record.detail.startswith("deadlines.csv")


def test_a_refused_read_is_not_a_read(client, outsider, client_record):
    client.force_login(outsider)
    assert client.get(client_record.get_absolute_url()).status_code == 404
    assert not AccessRecord.objects.exists()


def test_coordinators_see_who_looked_at_a_client_and_others_may_not(
    client, lawyer, coordinator, reader, client_record
):
    client.force_login(lawyer)
    client.get(client_record.get_absolute_url())
    url = reverse("casework:client_access", args=[client_record.pk])
    for someone in (lawyer, reader):
        client.force_login(someone)
        assert client.get(url).status_code == 403
    client.force_login(coordinator)
    page = client.get(client_record.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")
    assert url in page.content.decode()
    listing = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert lawyer.display_name in listing
    assert coordinator.display_name in listing  # their own look a moment ago
    # The page is named as people call it, never by its address.
    assert "Карточка клиента" in listing
    assert client_record.get_absolute_url() not in listing.split("<tbody>", 1)[1]


def test_nothing_in_the_administration_changes_or_deletes_a_record(client, lawyer, case):
    client.force_login(lawyer)
    client.get(case.get_absolute_url())
    record = only_record()
    admin = UserFactory(username="t-super", is_superuser=True, is_staff=True)
    client.force_login(admin)
    change = reverse("admin:casework_accessrecord_change", args=[record.pk])
    assert client.get(reverse("admin:casework_accessrecord_changelist")).status_code == 200
    client.post(change, {"kind": "client", "detail": "rewritten"})
    assert (
        client.post(
            reverse("admin:casework_accessrecord_delete", args=[record.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    record.refresh_from_db()
    assert record.detail == "" and AccessRecord.objects.count() >= 1


def test_records_past_the_retention_period_are_purged(settings, lawyer):
    settings.ACCESS_RECORD_RETENTION_DAYS = 30
    old = AccessRecord.objects.create(user=lawyer, kind="search", page="x", path="/")
    AccessRecord.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = AccessRecord.objects.create(user=lawyer, kind="search", page="x", path="/")
    assert purge_expired_access_records() == 1
    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [recent.pk]
