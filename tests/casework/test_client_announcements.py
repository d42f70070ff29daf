"""A permit or passport changed anywhere shows its deadline on the client's cases at once:
casework acts on what `clients` announces, re-planning that client only. Changes of cases
re-plan at once too; a changed rule runs the one full pass. No periodic pass is left."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from kombu.exceptions import OperationalError

from casework import tasks
from casework.models import Deadline, DeadlineRule, Reminder
from casework.receivers import client_records_changed
from casework.services import open_case, rule_change_reaches_clients, transfer_case
from clients.models import Authority, Country, ResidencePermit
from clients.services import announce_permit
from tests.admin_forms import change_form_data
from tests.factories import (
    CaseFactory,
    ClientFactory,
    DocumentFactory,
    OfficeFactory,
    PermitFactory,
)

pytestmark = pytest.mark.django_db

RENEWAL = "Начать продление разрешения"
PASSPORT = "Паспорт удерживается: запросить возврат"


@pytest.fixture
def permit(client_record):
    return PermitFactory(
        client=client_record, valid_from=date(2026, 6, 15), valid_until=date(2027, 6, 15)
    )


@pytest.fixture
def permit_case(permit, client_record, office, lawyer):
    """A permit case opened after the permit was recorded: its deadline is due 16.05.2027."""
    return open_case(
        client=client_record,
        office=office,
        kind="permit",
        opened_by=lawyer,
        responsible_lawyer=lawyer,
    )


def deadlines_section(client, case) -> str:
    client.cookies["django_language"] = "ru"
    page = client.get(case.get_absolute_url()).content.decode()
    return page[
        page.index('id="deadlines"') : page.index("</section>", page.index('id="deadlines"'))
    ]


def permit_form(permit: ResidencePermit, **changes) -> dict:
    data = {
        "kind": permit.kind_id,
        "number": permit.number,
        "valid_from": permit.valid_from.isoformat(),
        "valid_until": permit.valid_until.isoformat(),
        "status": permit.status,
        "expected_version": permit.version,
    }
    return data | changes


def test_a_permit_expiry_edited_on_its_page_shows_the_new_deadline_on_the_case_at_once(
    client, lawyer, permit, permit_case, django_capture_on_commit_callbacks
):
    client.force_login(lawyer)
    assert "16.05.2027" in deadlines_section(client, permit_case)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clients:permit_edit", args=[permit.pk]),
            permit_form(permit, valid_until="2027-09-01"),
        )
    assert response.status_code == 302

    section = deadlines_section(client, permit_case)
    assert RENEWAL in section
    assert "02.08.2027" in section  # 30 days before the new expiry
    assert "16.05.2027" not in section  # moved, not doubled
    assert "01.09.2027" in section  # how it was counted names the new expiry


def test_a_passport_handed_to_an_authority_on_its_page_shows_its_deadline_at_once(
    client, lawyer, client_record, django_capture_on_commit_callbacks
):
    case = CaseFactory(client=client_record, kind="documents", responsible_lawyer=lawyer)
    passport = DocumentFactory(client=client_record)
    police = Authority.objects.filter(kind="migration_police").first()
    client.force_login(lawyer)
    assert PASSPORT not in deadlines_section(client, case)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clients:document_edit", args=[passport.pk]),
            {
                "kind": passport.kind,
                "number": passport.number,
                "issuing_country": passport.issuing_country_id,
                "held_by": police.pk,
                "held_since": "2027-03-02",
                "expected_version": passport.version,
            },
        )
    assert response.status_code == 302

    section = deadlines_section(client, case)
    assert PASSPORT in section
    assert "01.04.2027" in section  # 30 days after it was handed over
    reminders = Reminder.objects.filter(deadline__document=passport, recipient=lawyer)
    assert reminders.filter(cancelled_at=None).exists()


@pytest.mark.django_db(transaction=True)
def test_a_saved_permit_reaches_the_case_when_its_transaction_really_commits(
    reference_data, client, lawyer, permit, permit_case
):
    client.force_login(lawyer)
    response = client.post(
        reverse("clients:permit_edit", args=[permit.pk]),
        permit_form(permit, valid_until="2027-09-01"),
    )
    assert response.status_code == 302
    assert Deadline.objects.open().get(case=permit_case, permit=permit).due_on == date(2027, 8, 2)


def test_a_permit_edited_in_the_administration_moves_its_deadline(
    admin_client, permit, permit_case, django_capture_on_commit_callbacks
):
    url = reverse("admin:clients_residencepermit_change", args=[permit.pk])
    data = change_form_data(admin_client.get(url).content.decode(), "residencepermit_form")
    data["status"] = "revoked"

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    assert not Deadline.objects.open().filter(case=permit_case).exists()
    assert Deadline.objects.get(case=permit_case).cancelled_at is not None


@pytest.mark.parametrize("cases", [1, 5])
def test_an_announcement_with_nothing_to_change_costs_the_same_few_queries(
    client_record, lawyer, permit, cases, django_assert_num_queries
):
    for _ in range(cases):
        CaseFactory(client=client_record, kind="permit", responsible_lawyer=lawyer)
    client_records_changed(sender=ResidencePermit, client_id=client_record.pk)
    assert Deadline.objects.open().count() == cases
    # rules; savepoint, cases, permits, documents, deadlines, release
    with django_assert_num_queries(7):
        client_records_changed(sender=ResidencePermit, client_id=client_record.pk)


def test_a_moved_permit_costs_a_fixed_number_of_queries_and_hearing_it_twice_changes_nothing(
    client_record,
    lawyer,
    permit,
    permit_case,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    permit.valid_until = date(2027, 9, 1)
    permit.save()
    # The 7 above, then the move (update, history) and its reminders (coordinators, cancel
    # the old ones, add the new ones): nothing per other case or record.
    with django_assert_num_queries(12), django_capture_on_commit_callbacks(execute=True):
        announce_permit(permit, created=False)
    deadline = Deadline.objects.get(permit=permit)
    reminders = Reminder.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        announce_permit(permit, created=False)

    assert Deadline.objects.get(permit=permit).version == deadline.version
    assert deadline.history.count() == 2  # created, moved once
    assert Reminder.objects.count() == reminders


def test_a_case_given_the_kind_a_rule_covers_gets_the_permit_deadline_at_once(
    client, lawyer, client_record, permit
):
    case = CaseFactory(client=client_record, kind="expulsion", responsible_lawyer=lawyer)
    client.force_login(lawyer)
    data = {
        "kind": "permit",
        "sensitivity": case.sensitivity,
        "summary": "",
        "opened_on": case.opened_on.isoformat(),
        "expected_version": case.version,
    }
    response = client.post(reverse("casework:case_edit", args=[case.pk]), data)
    assert response.status_code == 302
    assert Deadline.objects.open().get(case=case, permit=permit).due_on == date(2027, 5, 16)

    case.refresh_from_db()
    data |= {"kind": "expulsion", "expected_version": case.version}
    client.post(reverse("casework:case_edit", args=[case.pk]), data)
    assert not Deadline.objects.open().filter(case=case).exists()


def test_a_case_transferred_to_a_country_a_rule_does_not_cover_loses_its_deadline(
    permit, permit_case, coordinator
):
    DeadlineRule.objects.filter(code="permit-renewal").update(
        country=Country.objects.get(code="KZ")
    )
    tashkent = OfficeFactory(name="Ташкент (тест)", country=Country.objects.get(code="UZ"))
    assert Deadline.objects.open().filter(case=permit_case).exists()

    transfer_case(
        case=permit_case, office=tashkent, lawyer=coordinator, by=coordinator, expected_version=None
    )

    assert not Deadline.objects.open().filter(case=permit_case).exists()


def test_a_case_changed_in_the_administration_is_reconciled_at_once(
    admin_client, permit, permit_case
):
    url = reverse("admin:casework_case_change", args=[permit_case.pk])
    data = change_form_data(admin_client.get(url).content.decode(), "case_form")
    data["kind"] = "expulsion"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Deadline.objects.open().filter(case=permit_case).exists()


def rule_form(admin_client, rule: DeadlineRule | None = None) -> tuple[str, dict]:
    if rule is None:
        url = reverse("admin:casework_deadlinerule_add")
    else:
        url = reverse("admin:casework_deadlinerule_change", args=[rule.pk])
    return url, change_form_data(admin_client.get(url).content.decode(), "deadlinerule_form")


def test_a_rule_put_out_of_use_in_the_administration_cancels_its_deadlines_everywhere(
    admin_client, permit, permit_case, lawyer, office, django_capture_on_commit_callbacks
):
    other = ClientFactory(office=office)
    PermitFactory(client=other, valid_until=date(2027, 7, 1))
    open_case(client=other, office=office, kind="registration", opened_by=lawyer)
    assert Deadline.objects.open().count() == 2
    url, data = rule_form(admin_client, DeadlineRule.objects.get(code="permit-renewal"))
    del data["is_active"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert "приводятся в соответствие" in response.content.decode()
    assert not Deadline.objects.open().exists()


def test_a_new_rule_in_the_administration_reaches_every_open_case(
    admin_client, permit, lawyer, client_record, django_capture_on_commit_callbacks
):
    case = CaseFactory(client=client_record, kind="expulsion", responsible_lawyer=lawyer)
    url, data = rule_form(admin_client)
    data |= {
        "code": "permit-expulsion",
        "name_ru": "Проверить разрешение перед заседанием",
        "trigger": "permit_expiry",
        "case_kinds": "expulsion",
        "period": "-14",
        "period_months": "0",
        "day_kind": "calendar",
        "remind_days_before": "1,0",
        "is_active": "on",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Deadline.objects.open().get(case=case, permit=permit).due_on == date(2027, 6, 1)


def test_the_full_pass_runs_in_the_request_when_the_queue_is_down(
    admin_client, permit, lawyer, client_record, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.reconcile_all_client_deadlines, "apply_async", refuse)
    case = CaseFactory(client=client_record, kind="expulsion", responsible_lawyer=lawyer)
    url, data = rule_form(admin_client, DeadlineRule.objects.get(code="permit-renewal"))
    data["case_kinds"] = "permit,registration,expulsion"

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    assert Deadline.objects.open().filter(case=case, permit=permit).exists()


@pytest.mark.parametrize(
    ("code", "changes", "full"),
    [
        ("permit-renewal", {"case_kinds": "permit"}, True),
        ("passport-held", {"is_active": False}, True),
        ("permit-renewal", {"legal_basis": "ст. 49"}, False),
        ("permit-renewal", {"remind_days_before": "3,0"}, False),  # its deadlines re-plan
        ("prosecutor-answer", {"period": 20}, False),
        ("prosecutor-answer", {"trigger": "permit_expiry"}, True),
    ],
)
def test_only_rules_of_permits_and_passports_that_change_what_exists_run_the_full_pass(
    code, changes, full
):
    previous = DeadlineRule.objects.get(code=code)
    rule = DeadlineRule.objects.get(code=code)
    for name, value in changes.items():
        setattr(rule, name, value)
    assert rule_change_reaches_clients(rule=rule, previous=previous, changed=changes) is full


def test_no_periodic_reconcile_is_left(lawyer, permit, permit_case, monkeypatch, settings):
    from casework import services

    def forbidden(**kwargs):
        raise AssertionError("the reminder pass reconciled deadlines")

    monkeypatch.setattr(services, "reconcile_client_deadlines", forbidden)
    permit.valid_until += timedelta(days=30)
    permit.save()  # past the services: nothing announced, and no pass looks for it

    tasks.send_reminders.delay()

    assert Deadline.objects.get(permit=permit).event_on == date(2027, 6, 15)
    assert "casework_reconcilemark" not in connection.introspection.table_names()
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat == {
        "casework.tasks.send_reminders",
        "documents.tasks.resume_waiting_batches",
        "casework.tasks.purge_access_records",
    }
