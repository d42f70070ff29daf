"""The coordinator's day: landing on the team's open cases, reassigning to any office they
cover, and transferring a case to another office."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseNote, Deadline, Reminder
from casework.reminders import plan_deadline_reminders
from casework.services import CaseChanged, transfer_case
from tests.factories import CaseFactory, ClientFactory, HearingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_lawyer(other_office):
    return UserFactory(
        username="t-far", office=other_office, groups=["lawyer"], last_name="Далёкая"
    )


@pytest.fixture
def far_paralegal(other_office):
    return UserFactory(username="t-far-p", office=other_office, groups=["paralegal"])


def unsent(case: Case) -> set[int]:
    return set(
        Reminder.objects.filter(
            deadline__case=case, sent_at__isnull=True, cancelled_at__isnull=True, kind="upcoming"
        ).values_list("recipient_id", flat=True)
    )


# Landing


def test_a_coordinator_lands_on_the_teams_open_cases(client, coordinator, case, other_office):
    elsewhere = CaseFactory(client=ClientFactory(office=other_office), office=other_office)
    closed = CaseFactory(client=ClientFactory(office=other_office), office=other_office)
    closed.close(outcome="won")
    client.force_login(coordinator)
    html = client.get(reverse("casework:case_list")).content.decode()
    assert case.reference in html and elsewhere.reference in html
    assert closed.reference not in html
    assert '<option value="all" selected>' in html
    # "Mine" stays one choice away, and holds none of the team's cases.
    html = client.get(reverse("casework:case_list"), {"scope": "mine"}).content.decode()
    assert case.reference not in html and '<option value="mine" selected>' in html


def test_a_lawyer_still_lands_on_their_own_cases(client, lawyer, case, office):
    colleagues = CaseFactory(client=ClientFactory(office=office))
    client.force_login(lawyer)
    html = client.get(reverse("casework:case_list")).content.decode()
    assert case.reference in html and colleagues.reference not in html
    assert '<option value="mine" selected>' in html


# Reassigning


def test_a_coordinator_is_offered_every_offices_lawyers_grouped_by_office(
    client, coordinator, case, lawyer, far_lawyer, office, other_office
):
    client.force_login(coordinator)
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'<optgroup label="{office.name}">' in html
    assert f'<optgroup label="{other_office.name}">' in html
    assert f'<option value="{far_lawyer.pk}">{far_lawyer.display_name}</option>' in html


def test_a_coordinator_reassigns_to_a_lawyer_of_another_office(
    client, coordinator, case, far_lawyer
):
    deadline = Deadline.objects.create(
        case=case, title="x", due_on=timezone.localdate() + timedelta(days=10)
    )
    plan_deadline_reminders(deadline)
    assert unsent(case) == {case.responsible_lawyer_id}
    client.force_login(coordinator)
    response = client.post(
        reverse("casework:case_assign", args=[case.pk]), {"responsible_lawyer": far_lawyer.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.responsible_lawyer == far_lawyer and case.paralegal is None
    assert unsent(case) == {far_lawyer.pk}  # the reminders follow the new lawyer


def test_a_lawyer_is_offered_only_their_own_offices_staff(client, lawyer, case, far_lawyer):
    client.force_login(lawyer)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<optgroup" not in html
    assert f'value="{lawyer.pk}"' in html and f'value="{far_lawyer.pk}"' not in html


def test_a_lawyer_cannot_assign_outside_their_office_and_is_told_why(
    client, lawyer, case, far_lawyer
):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:case_assign", args=[case.pk]), {"responsible_lawyer": far_lawyer.pk}
    )
    assert response.status_code == 400
    assert "Выберите сотрудника офиса, за который вы отвечаете." in response.content.decode()
    case.refresh_from_db()
    assert case.responsible_lawyer == lawyer


# Transferring


def test_only_coordinators_hold_the_transfer_permission(coordinator, lawyer, reader):
    assert coordinator.has_perm("casework.transfer_case")
    assert not lawyer.has_perm("casework.transfer_case")
    assert not reader.has_perm("casework.transfer_case")


def test_the_case_page_offers_the_transfer_to_coordinators_only(client, coordinator, lawyer, case):
    url = reverse("casework:case_transfer", args=[case.pk])
    client.force_login(coordinator)
    assert url in client.get(case.get_absolute_url()).content.decode()
    client.force_login(lawyer)
    assert url not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_the_transfer_page_says_the_reference_stays(client, coordinator, case, other_office):
    client.force_login(coordinator)
    response = client.get(reverse("casework:case_transfer", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Регистрационный номер остаётся {case.reference}" in html
    assert f'<option value="{other_office.pk}">' in html
    assert f'<option value="{case.office_id}">' not in html  # not to where it already is


def test_a_coordinator_transfers_a_case_and_its_deadlines_follow(
    client, coordinator, case, office, other_office, far_lawyer, far_paralegal
):
    deadline = Deadline.objects.create(
        case=case, title="x", due_on=timezone.localdate() + timedelta(days=10)
    )
    plan_deadline_reminders(deadline)
    hearing = HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=3))
    reference = case.reference
    client.force_login(coordinator)
    response = client.post(
        reverse("casework:case_transfer", args=[case.pk]),
        {
            "office": other_office.pk,
            "responsible_lawyer": far_lawyer.pk,
            "paralegal": far_paralegal.pk,
            "expected_version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.office, case.responsible_lawyer, case.paralegal) == (
        other_office,
        far_lawyer,
        far_paralegal,
    )
    assert case.reference == reference
    assert unsent(case) == {far_lawyer.pk}
    assert set(
        Reminder.objects.filter(
            hearing=hearing, sent_at__isnull=True, cancelled_at__isnull=True
        ).values_list("recipient_id", flat=True)
    ) == {far_lawyer.pk}
    # The history keeps where it was; the log says who moved it, from where, to where.
    assert [h.office_id for h in case.history.order_by("history_date")][-2:] == [
        office.pk,
        other_office.pk,
    ]
    note = CaseNote.objects.get(case=case)
    assert note.author == coordinator
    assert office.name in note.text and other_office.name in note.text
    assert coordinator.display_name in note.text
    # The lawyer who now holds it sees it; the old office's lawyer does not.
    client.force_login(far_lawyer)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(case.client.get_absolute_url()).status_code == 200


def test_a_lawyer_of_another_office_is_refused_for_the_chosen_office(
    client, coordinator, case, lawyer, other_office
):
    client.force_login(coordinator)
    response = client.post(
        reverse("casework:case_transfer", args=[case.pk]),
        {"office": other_office.pk, "responsible_lawyer": lawyer.pk, "expected_version": 1},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Выберите сотрудника нового офиса." in html
    case.refresh_from_db()
    assert case.office_id != other_office.pk


def test_a_transfer_without_an_office_keeps_what_was_chosen(client, coordinator, case, far_lawyer):
    client.force_login(coordinator)
    response = client.post(
        reverse("casework:case_transfer", args=[case.pk]),
        {"office": "", "responsible_lawyer": far_lawyer.pk, "expected_version": 1},
    )
    assert response.status_code == 400
    assert f'<option value="{far_lawyer.pk}" selected>' in response.content.decode()


def test_a_transfer_after_someone_else_changed_the_case_is_reported_not_applied(
    client, coordinator, case, lawyer, other_office, far_lawyer
):
    client.force_login(coordinator)
    started_from = case.version
    case.assign(lawyer=lawyer, paralegal=None)  # someone else, meanwhile
    response = client.post(
        reverse("casework:case_transfer", args=[case.pk]),
        {
            "office": other_office.pk,
            "responsible_lawyer": far_lawyer.pk,
            "expected_version": started_from,
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "изменил кто-то другой" in html
    assert f'name="expected_version" value="{case.version}"' in html
    case.refresh_from_db()
    assert case.office_id != other_office.pk
    with pytest.raises(CaseChanged):
        transfer_case(
            case=case,
            office=other_office,
            lawyer=far_lawyer,
            by=coordinator,
            expected_version=started_from,
        )


def test_a_closed_case_is_not_transferred(client, coordinator, case, other_office, far_lawyer):
    case.close(outcome="won")
    client.force_login(coordinator)
    response = client.post(
        reverse("casework:case_transfer", args=[case.pk]),
        {"office": other_office.pk, "responsible_lawyer": far_lawyer.pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.office_id != other_office.pk


def test_the_coordinators_pages_read_as_many_queries_for_many_staff_and_cases(
    client, coordinator, case, office, other_office, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            where = (office, other_office)[i % 2]
            UserFactory(office=where, groups=["lawyer"])
            CaseFactory(client=ClientFactory(office=where), office=where)

    client.force_login(coordinator)
    add(1)
    with django_assert_num_queries(13) as page:  # with the access record
        client.get(case.get_absolute_url())
    with django_assert_num_queries(7) as listing:
        client.get(reverse("casework:case_list"))
    add(29)
    with django_assert_num_queries(len(page.captured_queries)):
        client.get(case.get_absolute_url())
    with django_assert_num_queries(len(listing.captured_queries)):
        client.get(reverse("casework:case_list"))
