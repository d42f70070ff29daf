"""The three access holes an outside probe found: a sensitive case's letter read through an
incident's batch, an administrator making itself superuser, and reading by office alone."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from casework.models import Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents.defaults import install_default_templates
from documents.models import LetterBatch, LetterTemplate
from documents.pdf import pdf_text
from documents.services import run_batch
from tests.factories import ClientFactory, HearingFactory, UserFactory

pytestmark = pytest.mark.django_db


# 1. Batches show only what the viewer may see -------------------------------------------


@pytest.fixture
def raid_batch(office, lawyer):
    """An appeal batch over two clients, one of whose cases is sensitive and assigned to
    `lawyer` alone."""
    install_default_templates()
    raid = Incident.objects.create(
        title="Рейд", office=office, started_on=timezone.localdate(), place="Рынок", city="Алматы"
    )
    open_client = ClientFactory(office=office, last_name="Открытова", first_name="Анна")
    hidden_client = ClientFactory(office=office, last_name="Скрытова", first_name="Вера")
    for person in (open_client, hidden_client):
        IncidentClient.objects.create(incident=raid, client=person)
    cases = open_cases_for_incident(
        incident=raid, kind="expulsion", opened_by=lawyer, lawyer=lawyer
    )
    for case in cases:
        HearingFactory(
            case=case, outcome="expulsion_ordered", decision_received_on=timezone.localdate()
        )
    hidden = next(c for c in cases if c.client_id == hidden_client.pk)
    hidden.sensitivity = "sensitive"
    hidden.save()
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru", is_active=True)
    batch = LetterBatch.objects.create(incident=raid, template=template, created_by=lawyer)
    run_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.issued.count() == 2
    return batch


def test_a_colleague_sees_the_batch_without_the_sensitive_cases_letter(
    client, raid_batch, paralegal
):
    hidden = raid_batch.issued.get(case__sensitivity="sensitive")
    client.force_login(paralegal)
    assert client.get(reverse("casework:case_detail", args=[hidden.case_id])).status_code == 404
    assert client.get(reverse("documents:letter_pdf", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("documents:batch_detail", args=[raid_batch.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Открытова" in body
    assert "Скрытова" not in body
    assert hidden.number not in body
    assert reverse("documents:batch_pdf", args=[raid_batch.pk]) not in body


def test_the_merged_pdf_is_refused_to_whom_one_letter_is_hidden(client, raid_batch, paralegal):
    client.force_login(paralegal)
    assert client.get(reverse("documents:batch_pdf", args=[raid_batch.pk])).status_code == 404


def test_the_assigned_lawyer_gets_the_whole_merged_pdf(client, raid_batch, lawyer):
    client.force_login(lawyer)
    page = client.get(reverse("documents:batch_detail", args=[raid_batch.pk])).content.decode()
    assert reverse("documents:batch_pdf", args=[raid_batch.pk]) in page
    response = client.get(reverse("documents:batch_pdf", args=[raid_batch.pk]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert "Скрытова" in text and "Открытова" in text


def test_a_skipped_client_of_another_office_is_not_named(client, raid_batch, paralegal):
    stranger = ClientFactory(office=UserFactory(username="x").office, last_name="Чужаков")
    raid_batch.skipped = [{"client": "Чужаков", "client_id": stranger.pk, "reason": "нет дела"}]
    raid_batch.save(update_fields=["skipped"])
    client.force_login(paralegal)
    page = client.get(reverse("documents:batch_detail", args=[raid_batch.pk])).content.decode()
    assert "Чужаков" not in page


# 2. Nobody grants what they do not hold -------------------------------------------------


@pytest.fixture
def administrator(office):
    return UserFactory(username="t-admin", office=office, groups=["administrator"], is_staff=True)


def _user_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": timezone.localdate().isoformat(),
        "date_joined_1": "10:00:00",
        "office": user.office_id or "",
        "patronymic": "",
        "position": "",
        "phone": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_cannot_make_itself_superuser(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:casework_user_change", args=[administrator.pk])
    assert client.get(url).status_code == 200
    client.post(url, _user_form(administrator, is_superuser="on"))
    administrator.refresh_from_db()
    assert not administrator.is_superuser


def test_an_administrator_cannot_give_itself_a_role_it_does_not_hold(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:casework_user_change", args=[administrator.pk])
    coordinator = Group.objects.get(name="coordinator")
    groups = [g.pk for g in administrator.groups.all()] + [coordinator.pk]
    response = client.post(url, _user_form(administrator, groups=groups), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200  # the form again, with the reason
    assert "все права которых есть у вас" in response.content.decode()
    assert not administrator.groups.filter(name="coordinator").exists()


def test_an_administrator_may_give_its_own_role(client, administrator, office):
    newcomer = UserFactory(username="t-new", office=office, is_staff=True)
    client.force_login(administrator)
    url = reverse("admin:casework_user_change", args=[newcomer.pk])
    own = Group.objects.get(name="administrator")
    response = client.post(url, _user_form(newcomer, groups=[own.pk]))
    assert response.status_code == 302
    assert newcomer.groups.filter(name="administrator").exists()


def test_an_administrator_cannot_set_a_superusers_or_a_coordinators_password(
    client, administrator, coordinator
):
    boss = UserFactory(username="t-boss", office=administrator.office, is_superuser=True)
    client.force_login(administrator)
    for target in (boss, coordinator):
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        before = target.password
        response = client.post(
            url, {"password1": "N3w-pass-phrase!", "password2": "N3w-pass-phrase!"}
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.password == before


def test_an_inactive_coordinator_cannot_be_reactivated_by_an_administrator(
    client, administrator, coordinator
):
    coordinator.is_active = False
    coordinator.save()
    client.force_login(administrator)
    url = reverse("admin:casework_user_change", args=[coordinator.pk])
    client.post(url, _user_form(coordinator, is_active="on"))
    coordinator.refresh_from_db()
    assert not coordinator.is_active


def test_a_role_cannot_be_widened_by_a_user_who_may_change_roles(client, office):
    from django.contrib.auth.models import Permission

    editor = UserFactory(username="t-roles", office=office, groups=["administrator"], is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_group"))
    editor = type(editor).objects.get(pk=editor.pk)
    own = Group.objects.get(name="administrator")
    client.force_login(editor)
    url = reverse("admin:auth_group_change", args=[own.pk])
    wider = [*own.permissions.values_list("pk", flat=True)]
    wider.append(Permission.objects.get(codename="view_all_cases").pk)
    response = client.post(url, {"name": own.name, "permissions": wider})
    assert response.status_code == 200
    assert not own.permissions.filter(codename="view_all_cases").exists()


def test_a_superuser_still_grants_anything(client, coordinator):
    boss = UserFactory(
        username="t-boss", office=coordinator.office, is_superuser=True, is_staff=True
    )
    client.force_login(boss)
    url = reverse("admin:casework_user_change", args=[coordinator.pk])
    response = client.post(url, _user_form(coordinator, is_superuser="on"))
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.is_superuser


# 3. Reading needs the view permission -----------------------------------------------------


@pytest.fixture
def no_role(office):
    """A member of the office with no group and no permission."""
    return UserFactory(username="t-none", office=office)


def test_a_user_without_permissions_reads_nothing_of_their_office(
    client, no_role, case, client_record
):
    from documents.models import Letter

    letter = Letter.objects.create(
        case=case,
        template=LetterTemplate.objects.create(
            kind="x", language="ru", title="x", body="<p>x</p>", version=1
        ),
        number="TAL-L-2026-00001",
        html="<p>x</p>",
        pdf="letters/x.pdf",
        checksum="0" * 64,
        issued_by=case.responsible_lawyer,
    )
    client.force_login(no_role)
    for url in (
        reverse("casework:case_detail", args=[case.pk]),
        reverse("clients:client_detail", args=[client_record.pk]),
        reverse("documents:letter_pdf", args=[letter.pk]),
        reverse("documents:letter_list", args=[case.pk]),
        reverse("casework:client_activity", args=[client_record.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("clients:client_list"),
        reverse("casework:case_list"),
        reverse("casework:incident_list"),
    ):
        assert client.get(url).status_code == 403, url


def test_removing_a_users_groups_removes_their_access_at_once(client, reader, case):
    client.force_login(reader)
    url = reverse("casework:case_detail", args=[case.pk])
    assert client.get(url).status_code == 200
    reader.groups.clear()
    assert client.get(url).status_code == 404


def test_the_same_user_without_permissions_sees_no_menu_to_what_it_cannot_read(client, no_role):
    client.force_login(no_role)
    page = client.get(reverse("home")).content.decode()
    assert reverse("clients:client_list") not in page
    assert reverse("casework:case_list") not in page
