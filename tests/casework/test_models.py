from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import Case, Deadline, Fine, Incident, RegistryCounter
from tests.factories import CaseFactory, ClientFactory, FineFactory, UserFactory

pytestmark = pytest.mark.django_db


def violates(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_fine_amount_cannot_be_negative(case):
    assert violates(lambda: FineFactory(case=case, amount=-1))


def test_paid_fine_needs_the_payment_date(case):
    assert violates(lambda: FineFactory(case=case, status=Fine.Status.PAID_DISPUTED))
    FineFactory(case=case, status=Fine.Status.PAID_DISPUTED, paid_on=timezone.localdate())


def test_closed_case_needs_a_date_and_an_outcome(case):
    case.status = Case.Status.CLOSED
    assert violates(case.save)
    case.closed_on = timezone.localdate()
    assert violates(case.save)
    case.outcome = Case.Outcome.WON
    case.save()


def test_open_case_cannot_carry_a_closing_date(client_record):
    assert violates(lambda: CaseFactory(client=client_record, closed_on=timezone.localdate()))


def test_incident_cannot_report_more_expelled_than_detained(office):
    assert violates(
        lambda: Incident.objects.create(
            title="x",
            office=office,
            started_on=timezone.localdate(),
            place="p",
            city="c",
            detained_count=3,
            expelled_count=4,
        )
    )


def test_deadline_is_done_or_cancelled_never_both(case):
    now = timezone.now()
    assert violates(
        lambda: Deadline.objects.create(
            case=case, title="x", due_on=timezone.localdate(), done_at=now, cancelled_at=now
        )
    )


def test_registry_numbers_are_consecutive_per_office_and_year(office):
    first = RegistryCounter.next_number(office=office, series="C", year=2026)
    second = RegistryCounter.next_number(office=office, series="C", year=2026)
    assert first == "TAL-C-2026-00001"
    assert second == "TAL-C-2026-00002"


def test_office_staff_see_office_cases_and_outsiders_none(case, lawyer, reader, outsider):
    assert list(Case.objects.visible_to(lawyer)) == [case]
    assert list(Case.objects.visible_to(reader)) == [case]
    assert not Case.objects.visible_to(outsider).exists()


def test_sensitive_case_is_seen_only_by_assigned_staff_and_coordinators(
    case, lawyer, paralegal, reader, coordinator
):
    case.sensitivity = Case.Sensitivity.SENSITIVE
    case.save()
    assert Case.objects.visible_to(lawyer).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(paralegal).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(coordinator).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(reader).filter(pk=case.pk).exists()


def test_coordinator_sees_cases_of_every_office(coordinator, other_office):
    elsewhere = CaseFactory(client=ClientFactory(office=other_office))
    assert Case.objects.visible_to(coordinator).filter(pk=elsewhere.pk).exists()


def test_user_without_office_or_login_sees_nothing(case):
    from django.contrib.auth.models import AnonymousUser

    assert not Case.objects.visible_to(AnonymousUser()).exists()
    assert not Case.objects.visible_to(UserFactory(office=None, groups=["lawyer"])).exists()


def test_client_of_another_office_is_visible_once_it_has_a_case_here(office, other_office, lawyer):
    from clients.models import Client

    person = ClientFactory(office=other_office)
    assert not Client.objects.visible_to(lawyer).filter(pk=person.pk).exists()
    CaseFactory(client=person, office=office)
    assert Client.objects.visible_to(lawyer).filter(pk=person.pk).exists()


def test_shipped_deadline_rules_are_unconfirmed_defaults():
    from casework.models import DeadlineRule

    rules = DeadlineRule.objects.all()
    assert rules.count() >= 6
    assert not rules.filter(confirmed=True).exists()
    assert rules.filter(code="appeal-expulsion", uncertain=True, period=10).exists()
    assert rules.filter(code="state-body-answer", day_kind="working", period=15).exists()


def test_fine_amount_follows_the_index_of_its_year():
    from decimal import Decimal

    from casework.models import MonthlyIndex

    index = MonthlyIndex.objects.get(country__code="KZ", year=2026)
    assert index.amount(Decimal(10)) == index.value * 10


def test_roles_exist_with_their_permissions(lawyer, paralegal, coordinator, reader):
    assert lawyer.has_perm("casework.close_case")
    assert not paralegal.has_perm("casework.close_case")
    assert paralegal.has_perm("clients.add_client")
    assert coordinator.has_perm("casework.view_all_cases")
    assert not lawyer.has_perm("casework.view_all_cases")
    assert reader.has_perm("casework.view_case")
    assert not reader.has_perm("casework.change_case")
    assert not lawyer.has_perm("casework.delete_case")


def test_hearing_decision_date_needs_a_decision(case):
    from tests.factories import HearingFactory

    assert violates(lambda: HearingFactory(case=case, decision_received_on=timezone.localdate()))
    HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        decision_received_on=timezone.localdate() - timedelta(days=1),
    )
