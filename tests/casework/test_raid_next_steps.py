"""After the intake the incident page says what comes next (the sitting, then the letters),
the sitting page says why the lawyer matters, and the batch page sends a client without a
hearing or a case to the sitting page: a newcomer never needs to know the URLs."""

import re

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
