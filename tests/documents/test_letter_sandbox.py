"""Administrator-edited letter templates render in a sandbox: merge fields only."""

import pytest
from django.urls import reverse

from documents.letters import (
    LetterTemplateError,
    merge_context,
    missing_fields,
    render_body,
)
from tests.factories import CaseFactory, ClientFactory, FineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(case):
    FineFactory(case=case, amount=43250, protocol_number="П-77")
    return merge_context(case, kind="fine_complaint", paragraphs={"grounds": "Основания"})


def test_merge_fields_are_filled_and_escaped(case, merged):
    case.client.last_name = "<script>Рахимов</script>"
    case.client.save()
    fresh = merge_context(case, kind="fine_complaint", paragraphs={})
    html = render_body("{{ client.last_name }} {{ fine.amount }} {{ case.reference }}", fresh)
    assert "&lt;script&gt;Рахимов&lt;/script&gt;" in html
    assert "43250" in html
    assert case.reference in html


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}{% static 'x' %}",
        "{% include '/etc/passwd' %}",
        "{% url 'admin:index' %}",
        "{% debug %}",
        "{% ssi '/etc/passwd' %}",
        "{{ client.full_name.__class__ }}",
        "{% extends 'base.html' %}",
        "{% now 'Y' %}",
    ],
)
def test_tags_that_reach_outside_the_letter_are_refused(merged, body):
    with pytest.raises(LetterTemplateError):
        render_body(body, merged)


def test_settings_secrets_and_other_records_are_not_reachable(settings, case, merged, office):
    other = CaseFactory(client=ClientFactory(office=office, last_name="Чужойклиент"))
    body = (
        "[{{ settings.SECRET_KEY }}][{{ SECRET_KEY }}][{{ request.user }}][{{ case.client }}]"
        "[{{ office.staff }}][{{ client.cases }}][{{ client.pk }}][{{ lawyer.password }}]"
        "[{{ case.objects }}]"
    )
    html = render_body(body, merged)
    assert html == "[][][][][][][][][]"
    assert settings.SECRET_KEY not in html
    assert other.client.last_name not in html


def test_missing_fields_are_listed_unless_the_template_gives_a_default(case):
    merged = merge_context(case, kind="expulsion_appeal", paragraphs={})
    body = (
        "{{ client.full_name }} {{ hearing.court }} {{ hearing.judge|default:'судья' }}"
        "{% if hearing.decision_received_on %}{{ hearing.decision_received_on }}{% endif %}"
    )
    assert missing_fields(body, merged) == ["hearing.court"]


def test_admin_refuses_a_template_that_cannot_render_with_the_reason(client, db):
    from casework.models import User

    admin = User.objects.create_superuser("root-admin", "a@example.org", "pw-for-tests")
    client.force_login(admin)
    response = client.post(
        reverse("admin:documents_lettertemplate_add"),
        {
            "kind": "fine_complaint",
            "language": "kk",
            "version": 1,
            "title": "t",
            "body": "{% load static %}{% static 'secret' %}",
            "is_active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The template cannot be used" in response.content.decode()
