"""Strings of Django itself that Russian pages show, translated by our catalogue."""

import pytest
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation

from casework.forms import HearingForm


def test_the_empty_choice_of_a_select_reads_in_russian():
    with translation.override("ru"):
        assert str(BLANK_CHOICE_LABEL) == "— Выберите —"
    with translation.override("en"):
        assert str(BLANK_CHOICE_LABEL) == "- Select an option -"


@pytest.mark.django_db
def test_a_form_select_shows_no_english_in_russian():
    with translation.override("ru"):
        html = str(HearingForm()["kind"])
    assert "— Выберите —" in html
    assert "Select an option" not in html
