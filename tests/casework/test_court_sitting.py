"""One court sitting recorded once for many clients of an incident."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Court, Deadline, Hearing, Incident, IncidentClient
from casework.services import SittingEntry, record_court_sitting
from tests.factories import CaseFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


SITTING_DAY = days(-3)


@pytest.fixture
def court(db):
    return Court.objects.filter(kind="administrative").first()


@pytest.fixture
def raid(office):
    return Incident.objects.create(
        title="Рейд на рынке", office=office, started_on=days(-5), place="Рынок", city="Алматы"
    )


@pytest.fixture
def people(raid, office, lawyer):
    """Three linked clients: the first already has a case from the raid, the others none."""
    names = ["Алиев", "Баев", "Валиев"]
    links = [
        IncidentClient.objects.create(
            incident=raid, client=ClientFactory(office=office, last_name=name)
        )
        for name in names
    ]
    CaseFactory(client=links[0].client, incident=raid, responsible_lawyer=lawyer)
    return links


def url(raid) -> str:
    return reverse("casework:incident_sitting", args=[raid.pk])


def sitting_data(the_court, links, lawyer=None, **common) -> dict:
    data = {
        "court": the_court.pk,
        "starts_at": f"{SITTING_DAY.isoformat()}T10:00",
        "judge": "Судья Тестова",
        "kind": "expulsion",
        "outcome": "expulsion_ordered",
        "decision_received_on": days(-2).isoformat(),
        "responsible_lawyer": lawyer.pk if lawyer else "",
    }
    data.update(common)
    for link in links:
        data[f"p{link.pk}-include"] = "on"
    return data


def hearing_of(link) -> Hearing:
    return Hearing.objects.get(case__client=link.client, case__incident=link.incident)


def appeal_deadline(link) -> Deadline:
    return Deadline.objects.open().get(hearing=hearing_of(link))


# Recording ------------------------------------------------------------------------------


def test_one_sitting_gives_everyone_a_hearing_and_their_own_appeal_deadline(
    client, paralegal, lawyer, raid, people, court
):
    first, second, third = people
    data = sitting_data(court, people, lawyer)
    data[f"p{second.pk}-decision_received_on"] = days(-1).isoformat()  # got the copy later
    data[f"p{third.pk}-outcome"] = "fine_imposed"
    data[f"p{third.pk}-judge"] = "Судья Другая"
    data[f"p{third.pk}-time"] = "15:30"
    client.force_login(paralegal)
    response = client.post(url(raid), data)
    assert response.status_code == 302
    assert response["Location"] == raid.get_absolute_url()

    assert Hearing.objects.count() == 3
    assert Case.objects.filter(incident=raid).count() == 3  # two opened on the way
    opened = Case.objects.filter(incident=raid, client__in=[second.client, third.client])
    assert set(opened.values_list("kind", "responsible_lawyer")) == {("expulsion", lawyer.pk)}
    assert hearing_of(first).judge == "Судья Тестова"
    assert hearing_of(first).court == court
    assert hearing_of(third).outcome == "fine_imposed"
    assert hearing_of(third).judge == "Судья Другая"
    assert timezone.localtime(hearing_of(third).starts_at).time() == time(15, 30)
    assert timezone.localtime(hearing_of(first).starts_at).time() == time(10, 0)

    assert appeal_deadline(first).event_on == days(-2)
    assert appeal_deadline(second).event_on == days(-1)
    assert appeal_deadline(second).due_on > appeal_deadline(first).due_on
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Записано заседаний: 3; открыто дел: 2."]


def test_the_case_page_shows_the_hearing_and_its_deadline(client, lawyer, raid, people, court):
    client.force_login(lawyer)
    client.post(url(raid), sitting_data(court, people[:1]))
    case = Case.objects.get(incident=raid, client=people[0].client)
    page = client.get(case.get_absolute_url()).content.decode()
    assert SITTING_DAY.strftime("%d.%m.%Y") + " 10:00" in page
    assert "Назначено выдворение" in page
    assert appeal_deadline(people[0]).due_on.strftime("%d.%m.%Y") in page


def test_an_unticked_person_gets_nothing(client, lawyer, raid, people, court):
    client.force_login(lawyer)
    client.post(url(raid), sitting_data(court, people[:2], lawyer))
    assert not Hearing.objects.filter(case__client=people[2].client).exists()
    assert not Case.objects.filter(client=people[2].client).exists()


def test_a_bad_row_saves_nothing_and_keeps_everything_typed(client, lawyer, raid, people, court):
    data = sitting_data(court, people, lawyer, judge="Судья Помнящая")
    data[f"p{people[1].pk}-decision_received_on"] = days(-10).isoformat()  # before the sitting
    data[f"p{people[2].pk}-judge"] = "Судья из третьей строки"
    client.force_login(lawyer)
    response = client.post(url(raid), data)
    assert response.status_code == 400
    assert Hearing.objects.count() == 0
    assert Case.objects.filter(incident=raid).count() == 1
    page = response.content.decode()
    assert "Ничего не сохранено" in page
    assert "Копию решения нельзя получить раньше заседания." in page
    assert 'value="Судья Помнящая"' in page
    assert 'value="Судья из третьей строки"' in page
    assert f'value="{days(-10).isoformat()}"' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outcome": "pending"}, "У заседания ещё нет решения"),
        ({"decision_received_on": days(3).isoformat()}, "Эта дата ещё не наступила."),
        ({"starts_at": "вчера"}, "Введите правильную дату и время."),
        ({"court": ""}, "Обязательное поле."),
    ],
)
def test_bad_sitting_input_is_explained_in_russian(
    client, lawyer, raid, people, court, change, message
):
    client.force_login(lawyer)
    response = client.post(url(raid), sitting_data(court, people, lawyer, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Hearing.objects.count() == 0


def test_a_person_not_yet_decided_is_told_so_in_their_own_row(client, lawyer, raid, people, court):
    data = sitting_data(court, people, lawyer)
    data[f"p{people[2].pk}-outcome"] = "postponed"
    client.force_login(lawyer)
    response = client.post(url(raid), data)
    assert response.status_code == 400
    sitting = response.context["sitting"]
    assert not sitting.form.errors
    errors = [row.errors for _candidate, row in sitting.rows]
    assert errors[:2] == [{}, {}]
    assert "outcome" in errors[2]
    assert "У заседания ещё нет решения" in response.content.decode()
    assert Hearing.objects.count() == 0


def test_nobody_ticked_is_refused(client, lawyer, raid, people, court):
    client.force_login(lawyer)
    response = client.post(url(raid), sitting_data(court, []))
    assert response.status_code == 400
    assert "Отметьте хотя бы одного человека." in response.content.decode()


def test_recording_the_same_sitting_again_updates_instead_of_duplicating(
    client, lawyer, raid, people, court
):
    client.force_login(lawyer)
    client.post(url(raid), sitting_data(court, people, lawyer))
    first_due = appeal_deadline(people[0]).due_on
    again = sitting_data(court, people, lawyer, decision_received_on=days(-1).isoformat())
    response = client.post(url(raid), again)
    assert response.status_code == 302
    assert Hearing.objects.count() == 3
    assert Case.objects.filter(incident=raid).count() == 3
    assert Deadline.objects.open().filter(hearing__isnull=False).count() == 3
    assert appeal_deadline(people[0]).event_on == days(-1)
    assert appeal_deadline(people[0]).due_on > first_due
    assert hearing_of(people[0]).version == 2
    last = [str(m) for m in response.wsgi_request._messages][-1]
    assert last == "Уже были записаны на этот день и суд, обновлено: 3."


def test_a_hearing_in_another_court_the_same_day_is_kept_apart(lawyer, raid, people, court):
    other = Court.objects.exclude(pk=court.pk).first()
    case = Case.objects.get(client=people[0].client)
    starts = timezone.make_aware(datetime.combine(SITTING_DAY, time(10)))
    Hearing.objects.create(case=case, court=other, kind="detention", starts_at=starts)
    entry = SittingEntry(
        client_id=people[0].client_id,
        starts_at=starts,
        judge="",
        outcome="expulsion_ordered",
        decision_received_on=SITTING_DAY,
    )
    result = record_court_sitting(
        incident=raid, court=court, kind="expulsion", entries=[entry], recorded_by=lawyer
    )
    assert len(result.created) == 1 and not result.updated
    assert case.hearings.count() == 2


def test_the_service_refuses_a_client_outside_the_incident_and_saves_nothing(
    lawyer, raid, people, court, office
):
    from casework.services import SittingError

    stranger = ClientFactory(office=office)
    starts = timezone.make_aware(datetime.combine(SITTING_DAY, time(10)))
    entries = [
        SittingEntry(people[1].client_id, starts, "", "expulsion_ordered", SITTING_DAY),
        SittingEntry(stranger.pk, starts, "", "expulsion_ordered", SITTING_DAY),
    ]
    with pytest.raises(SittingError):
        record_court_sitting(
            incident=raid, court=court, kind="expulsion", entries=entries, recorded_by=lawyer
        )
    assert Hearing.objects.count() == 0
    assert Case.objects.filter(client=people[1].client).count() == 0


# Access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, raid):
    for method in ("get", "post"):
        response = getattr(client, method)(url(raid))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_404(client, outsider, raid, people, court):
    client.force_login(outsider)
    assert client.get(url(raid)).status_code == 404
    assert client.post(url(raid), sitting_data(court, people)).status_code == 404
    assert Hearing.objects.count() == 0


def test_observer_gets_403(client, reader, raid, people, court):
    client.force_login(reader)
    assert client.get(url(raid)).status_code == 403
    assert client.post(url(raid), sitting_data(court, people)).status_code == 403
    assert Hearing.objects.count() == 0
    page = client.get(raid.get_absolute_url()).content.decode()
    assert url(raid) not in page


def test_incident_page_offers_the_sitting_to_who_may_record_it(client, paralegal, raid, people):
    client.force_login(paralegal)
    page = client.get(raid.get_absolute_url()).content.decode()
    assert f'href="{url(raid)}"' in page
    assert "Записать заседание суда" in page


def test_a_sensitive_case_the_user_may_not_see_is_neither_shown_nor_touched(
    client, paralegal, raid, people, court, office
):
    colleague = UserFactory(username="t-colleague", office=office, groups=["lawyer"])
    secret = ClientFactory(office=office, last_name="Секретов")
    link = IncidentClient.objects.create(incident=raid, client=secret)
    secret_case = CaseFactory(
        client=secret, incident=raid, responsible_lawyer=colleague, sensitivity="sensitive"
    )
    client.force_login(paralegal)
    page = client.get(url(raid)).content.decode()
    assert "Секретов" not in page
    assert secret_case.reference not in page
    assert "Ещё 1 клиент этого инцидента не показан" in page

    data = sitting_data(court, [*people, link])  # a forged row for the hidden person
    response = client.post(url(raid), data)
    assert response.status_code == 302
    assert not Hearing.objects.filter(case__client=secret).exists()
    assert Case.objects.filter(client=secret).count() == 1
    assert Hearing.objects.count() == 3


def test_without_the_right_to_open_cases_a_person_without_one_is_refused(
    client, raid, people, court, office
):
    clerk = UserFactory(username="t-clerk", office=office, groups=["observer"])
    from django.contrib.auth.models import Permission

    clerk.user_permissions.add(Permission.objects.get(codename="add_hearing"))
    client.force_login(clerk)
    response = client.post(url(raid), sitting_data(court, people))
    assert response.status_code == 400
    assert "У этого человека ещё нет дела" in response.content.decode()
    assert Hearing.objects.count() == 0
    assert client.post(url(raid), sitting_data(court, people[:1])).status_code == 302
    assert Hearing.objects.count() == 1


# Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 20])
def test_sitting_page_runs_a_fixed_number_of_queries(
    client, lawyer, raid, people, office, extra, django_assert_num_queries
):
    for i in range(extra):
        link = IncidentClient.objects.create(incident=raid, client=ClientFactory(office=office))
        if i % 2:
            CaseFactory(client=link.client, incident=raid)
    client.force_login(lawyer)
    with django_assert_num_queries(12):
        response = client.get(url(raid))
    assert len(response.context["sitting"].rows) == 3 + extra
