"""After the intake the incident page says what comes next (the sitting, then the letters),
the sitting page says why the lawyer matters, and the batch page sends a client without a
hearing or a case to the sitting page: a newcomer never needs to know the URLs."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Hearing, Incident, IncidentClient
from tests.documents.test_batch_explain import appeal, make_raid, page_url
from tests.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def ru(client):
    client.cookies["django_language"] = "ru"
    return client


@pytest.fixture
def raid(office):
    """Three linked clients, one of them with a case already."""
    incident = Incident.objects.create(
        title="Рейд", office=office, started_on=timezone.localdate(), place="Рынок", city="Алматы"
    )
    for i, surname in enumerate(["Алиев", "Бобоев", "Валиев"]):
        person = ClientFactory(office=office, last_name=surname)
        IncidentClient.objects.create(incident=incident, client=person)
        if i == 0:
            CaseFactory(client=person, incident=incident)
    return incident


def test_the_incident_page_leads_to_the_sitting_then_the_letters(ru, paralegal, raid):
    ru.force_login(paralegal)
    html = ru.get(raid.get_absolute_url()).content.decode()
    steps = html.split('id="next-steps"')[1].split("</section>")[0]
    sitting = reverse("casework:incident_sitting", args=[raid.pk])
    letters = reverse("documents:batch_create", args=[raid.pk])
    assert steps.index(f'href="{sitting}"') < steps.index(f'href="{letters}"')
    text = visible_text(steps)
    assert "Записать заседание суда по всем сразу" in text
    assert "Заодно будут открыты дела для 2 клиентов, у которых их ещё нет." in text
    assert "Напечатать жалобы для всех" in text


def test_an_observer_is_shown_no_next_step_and_an_empty_incident_none(
    ru, reader, paralegal, office, raid
):
    ru.force_login(reader)
    assert 'id="next-steps"' not in ru.get(raid.get_absolute_url()).content.decode()
    empty = Incident.objects.create(
        title="Пусто", office=office, started_on=timezone.localdate(), place="Р", city="Алматы"
    )
    ru.force_login(paralegal)
    assert 'id="next-steps"' not in ru.get(empty.get_absolute_url()).content.decode()


def test_the_sitting_page_says_the_lawyer_signs_the_appeals(ru, paralegal, raid):
    ru.force_login(paralegal)
    html = ru.get(reverse("casework:incident_sitting", args=[raid.pk])).content.decode()
    assert "Жалобы подписывает ответственный юрист: без него их нельзя напечатать." in html


def test_a_client_without_hearing_or_case_is_sent_to_the_sitting_page(
    ru, paralegal, lawyer, office
):
    incident = make_raid(office, lawyer, ["Алиев", "Бобоев"])
    Hearing.objects.filter(case__client__last_name="Бобоев").delete()
    IncidentClient.objects.create(
        incident=incident, client=ClientFactory(office=office, last_name="Валиев")
    )
    ru.force_login(paralegal)
    html = ru.get(page_url(incident, appeal())).content.decode()
    sitting = f'href="{reverse("casework:incident_sitting", args=[incident.pk])}"'
    rows = {
        name: html.split(f"<strong>{name}")[1].split("</li>\n")[0]
        for name in ("Алиев", "Бобоев", "Валиев")
    }
    assert sitting not in rows["Алиев"]  # ready
    assert sitting in rows["Бобоев"] and "заодно будет открыто и дело" not in rows["Бобоев"]
    assert sitting in rows["Валиев"] and "заодно будет открыто и дело" in rows["Валиев"]


def test_a_full_intake_of_a_hundred_people_is_accepted_not_refused_for_its_size(
    ru, paralegal, raid, settings
):
    from casework.forms import quick_intake_formset

    formset = quick_intake_formset()
    columns = list(formset.empty_form.fields)
    assert formset.max_num * (len(columns) + 2) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    data = {
        "intake-TOTAL_FORMS": formset.max_num,
        "intake-INITIAL_FORMS": 0,
        "intake-MIN_NUM_FORMS": 0,
        "intake-MAX_NUM_FORMS": formset.max_num,
    }
    for i in range(formset.max_num):
        row = {name: "" for name in columns if name not in ("detained", "update_existing")}
        row |= {"last_name": f"Приезжий{i:03d}", "first_name": "Тест", "detained": "on"}
        data |= {f"intake-{i}-{name}": value for name, value in row.items()}
    assert len(data) > 1000  # Django's default limit
    ru.force_login(paralegal)
    response = ru.post(reverse("casework:incident_intake", args=[raid.pk]), data)
    assert response.status_code == 302
    assert raid.links.count() == 3 + formset.max_num


def test_cases_opened_in_bulk_still_get_the_deadlines_of_their_clients_permits(
    paralegal, lawyer, office, raid
):
    """The sitting and "open cases" reconcile their new cases' clients once for all, not
    one by one: each still gets the renewal deadline its permit calls for."""
    from casework.models import Case, Court, Deadline, DeadlineRule
    from casework.services import SittingEntry, open_cases_for_incident, record_court_sitting
    from tests.factories import PermitFactory

    rule = DeadlineRule.objects.get(code="permit-renewal")
    rule.case_kinds = "expulsion,permit"
    rule.save()
    people = [link.client for link in raid.links.order_by("client__last_name")]
    for person in people:
        PermitFactory(client=person, valid_until=timezone.localdate() + timedelta(days=40))
    when = timezone.now() - timedelta(days=1)
    record_court_sitting(
        incident=raid,
        court=Court.objects.filter(kind="administrative").first(),
        kind="expulsion",
        entries=[
            SittingEntry(person.pk, when, "", "expulsion_ordered", when.date())
            for person in people[1:2]
        ],
        recorded_by=paralegal,
        lawyer=lawyer,
    )
    open_cases_for_incident(incident=raid, kind="expulsion", opened_by=paralegal, lawyer=lawyer)
    opened = Case.objects.filter(incident=raid).exclude(client=people[0])
    assert opened.count() == 2
    for case in opened:
        assert Deadline.objects.open().filter(case=case, rule=rule).count() == 1
