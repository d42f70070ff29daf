"""The one way to look up a case and its records for a user: 404 for what they may not
see, 403 for what they may see but not change."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import Case, CaseNote, Deadline, Fine, Hearing, Incident
from clients.access import get_visible


def get_case_for(user, pk: int, *, write: bool = False) -> Case:
    cases = Case.objects.visible_to(user).select_related(
        "client__nationality", "office", "responsible_lawyer", "paralegal", "incident"
    )
    return get_visible(cases, user, pk, write=write)


def _of_visible_cases(model, user) -> QuerySet:
    return model.objects.filter(case__in=Case.objects.visible_to(user)).select_related("case")


def get_fine_for(user, pk: int, *, write: bool = False) -> Fine:
    return get_visible(_of_visible_cases(Fine, user), user, pk, write=write)


def get_hearing_for(user, pk: int, *, write: bool = False) -> Hearing:
    return get_visible(_of_visible_cases(Hearing, user), user, pk, write=write)


def get_deadline_for(user, pk: int, *, write: bool = False) -> Deadline:
    return get_visible(_of_visible_cases(Deadline, user), user, pk, write=write)


def get_note_for(user, pk: int, *, write: bool = False) -> CaseNote:
    return get_visible(_of_visible_cases(CaseNote, user), user, pk, write=write)


def get_incident_for(user, pk: int, *, write: bool = False) -> Incident:
    return get_visible(Incident.objects.visible_to(user), user, pk, write=write)
