"""Installations keep their edited templates; unedited shipped ones get the corrected text
as a new version, and letters already issued keep what they said."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from documents import defaults
from documents.defaults import body_sha256, install_default_templates, template_file
from documents.models import Letter, LetterTemplate
from documents.services import issue_letter

pytestmark = pytest.mark.django_db

OLD_BODY = "<p>Прокурору города Прокуратура г. Алматы</p>"


@pytest.fixture
def old_shipped(monkeypatch):
    """An installation still carrying an earlier shipped prosecutor complaint."""
    install_default_templates()
    template = LetterTemplate.objects.get(kind="prosecutor_complaint", language="ru")
    template.body = OLD_BODY
    template.save()
    monkeypatch.setattr(
        defaults, "SHIPPED_BEFORE", defaults.SHIPPED_BEFORE | {body_sha256(OLD_BODY)}
    )
    return template


def test_an_unedited_shipped_template_gets_the_new_text_as_a_new_version(old_shipped):
    assert install_default_templates() == 1
    versions = LetterTemplate.objects.filter(kind="prosecutor_complaint", language="ru")
    active = versions.get(is_active=True)
    assert active.version == old_shipped.version + 1
    assert active.body == template_file("prosecutor_complaint", "ru").read_text(encoding="utf-8")
    old_shipped.refresh_from_db()
    assert not old_shipped.is_active and old_shipped.body == OLD_BODY
    assert install_default_templates() == 0  # once


def test_an_edited_template_is_left_alone(old_shipped):
    old_shipped.body = OLD_BODY + "<p>Наш текст</p>"
    old_shipped.save()
    assert install_default_templates() == 0
    assert LetterTemplate.objects.get(kind="prosecutor_complaint", is_active=True).pk == (
        old_shipped.pk
    )


def test_an_issued_letter_keeps_its_text_after_the_upgrade(old_shipped, case, lawyer):
    letter = issue_letter(case=case, template=old_shipped, issued_by=lawyer, paragraphs={})
    html = letter.html
    install_default_templates()
    assert Letter.objects.get(pk=letter.pk).html == html
    assert "Прокурору города Прокуратура" in html


def test_the_letter_form_ticks_what_the_case_suggests_and_the_lawyer_can_untick_it(
    client, lawyer, case
):
    install_default_templates()
    template = LetterTemplate.objects.get(kind="prosecutor_complaint", is_active=True)
    client.force_login(lawyer)
    url = reverse("documents:letter_create", args=[case.pk])
    response = client.get(url, {"template": template.pk})
    assert response.context["form"]["circumstances"].value() == ["detention"]
    assert "задержали его" in response.content.decode()  # an expulsion case: a detention
    unticked = client.post(
        url,
        {"template": template.pk, "circumstances_for": "prosecutor_complaint", "facts": "Иное."},
    ).content.decode()
    assert "задержали его" not in unticked
    assert "Иное." in unticked
    chosen = client.post(
        url,
        {
            "template": template.pk,
            "circumstances_for": "prosecutor_complaint",
            "circumstances": ["extortion"],
        },
    ).content.decode()
    assert "денежные средства" in chosen


def test_the_migration_gives_unedited_appeals_the_paragraphs_the_lawyer_chooses(monkeypatch):
    """Migration 0007 runs the same upgrade on an installation still carrying an earlier
    shipped appeal, whose fixed text spoke of an interpreter and a family in every case."""
    old = "<p>Заявитель не в полной мере владеет языком судопроизводства.</p>"
    install_default_templates()
    LetterTemplate.objects.filter(kind="expulsion_appeal", language="ru").update(body=old)
    monkeypatch.setattr(defaults, "SHIPPED_BEFORE", defaults.SHIPPED_BEFORE | {body_sha256(old)})
    migration = importlib.import_module(
        "documents.migrations.0007_upgrade_templates_with_circumstances"
    )
    migration.upgrade(apps, None)
    active = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru", is_active=True)
    assert active.version == 2
    assert "{% if circumstances.no_interpreter %}" in active.body
