from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import Client, IdentityDocument, Registration, ResidencePermit
from tests.factories import ClientFactory, DocumentFactory, PermitFactory, country

pytestmark = pytest.mark.django_db


def violates(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_permit_must_end_after_it_starts(client_record):
    today = timezone.localdate()
    assert violates(
        lambda: PermitFactory(client=client_record, valid_from=today, valid_until=today)
    )
    PermitFactory(client=client_record, valid_from=today, valid_until=today + timedelta(days=1))


def test_two_active_permits_of_one_kind_cannot_share_a_number(client_record):
    PermitFactory(client=client_record, number="P-1")
    assert violates(lambda: PermitFactory(client=client_record, number="P-1"))


def test_an_expired_permit_frees_its_number_for_a_reissue(client_record):
    old = PermitFactory(client=client_record, number="P-2")
    old.status = ResidencePermit.Status.EXPIRED
    old.save()
    PermitFactory(client=client_record, number="P-2")
    assert ResidencePermit.objects.filter(number="P-2").count() == 2


def test_pending_renewal_needs_the_date_it_was_applied_for(client_record):
    assert violates(
        lambda: PermitFactory(client=client_record, status=ResidencePermit.Status.RENEWAL_PENDING)
    )


def test_document_held_by_an_authority_says_since_when(client_record):
    from clients.models import Authority

    police = Authority.objects.first()
    assert violates(lambda: DocumentFactory(client=client_record, held_by=police))
    doc = DocumentFactory(
        client=client_record, held_by=police, held_since=timezone.localdate() - timedelta(days=40)
    )
    assert doc.held_days == 40


def test_document_number_is_unique_per_kind_and_country_while_active(client_record):
    DocumentFactory(client=client_record, number="FA1234567")
    assert violates(lambda: DocumentFactory(client=client_record, number="FA1234567"))
    DocumentFactory(
        client=client_record, number="FA1234567", kind=IdentityDocument.Kind.NATIONAL_ID
    )


def test_client_needs_a_last_name_in_some_script(office):
    assert violates(lambda: ClientFactory(office=office, last_name="", last_name_latin=""))
    ClientFactory(office=office, last_name="", last_name_latin="Traoré")


def test_registration_cannot_end_before_it_starts(client_record):
    today = timezone.localdate()
    assert violates(
        lambda: Registration.objects.create(
            client=client_record,
            address="ул. 1",
            city="Алматы",
            country=country(),
            registered_from=today,
            registered_until=today - timedelta(days=1),
        )
    )


def test_search_key_is_kept_from_the_names_in_both_scripts(office):
    person = ClientFactory(
        office=office,
        last_name="Юсупова",
        first_name="Нодира",
        last_name_latin="Yusupova",
        first_name_latin="Nodira",
        other_spellings="Iusupova",
    )
    person.refresh_from_db()
    assert person.search_key == person.compute_search_key()
    assert person.search_key
    person.last_name = "Жумабаева"
    person.save(update_fields=["last_name"])
    person.refresh_from_db()
    assert person.search_key == person.compute_search_key()


def test_cyrillic_and_latin_spellings_of_one_name_give_one_search_key(office):
    cyrillic = ClientFactory(
        office=office,
        last_name="Рахимов",
        first_name="Ботир",
        last_name_latin="",
        first_name_latin="",
    )
    latin = ClientFactory(
        office=office,
        last_name="",
        first_name="",
        last_name_latin="Rakhimov",
        first_name_latin="Botir",
    )
    assert cyrillic.search_key == latin.search_key


def test_every_edit_is_kept_in_history(client_record):
    client_record.phone = "+7 700 000 00 01"
    client_record.save()
    assert client_record.history.count() == 2
    assert client_record.history.earliest().phone == ""


def test_archiving_hides_a_client_from_active_lists_without_deleting(client_record):
    client_record.archive()
    assert not Client.objects.active().filter(pk=client_record.pk).exists()
    assert Client.objects.filter(pk=client_record.pk).exists()
