"""Defaults that decide nothing for the user: no outcome preselected when closing, and the
lawyer who opens a case proposed as its lawyer."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def test_closing_a_case_preselects_no_outcome(client, lawyer, case):
    client.force_login(lawyer)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert _selected(page, "outcome") in ([], [""])


def test_closing_without_choosing_an_outcome_is_refused(client, lawyer, case):
    client.force_login(lawyer)
    response = client.post(
        reverse("casework:case_close", args=[case.pk]),
        {"outcome": "", "closed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.is_open


def test_a_new_case_proposes_the_lawyer_who_opens_it(client, lawyer, client_record):
    client.force_login(lawyer)
    page = client.get(reverse("casework:case_create", args=[client_record.pk])).content.decode()
    assert _selected(page, "responsible_lawyer") == [str(lawyer.pk)]


def test_a_paralegal_opening_a_case_is_not_proposed_as_its_lawyer(client, paralegal, client_record):
    client.force_login(paralegal)
    page = client.get(reverse("casework:case_create", args=[client_record.pk])).content.decode()
    assert _selected(page, "responsible_lawyer") in ([], [""])
