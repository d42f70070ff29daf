"""The one way to look up a case and its records for a user: 404 for what they may not
see, 403 for what they may see but not change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from casework.dashboard.scope import covers_offices
from casework.models import Case, CaseNote, Deadline, Fine, Hearing, Incident, Reminder
from clients.access import get_visible


def get_case_for(user, pk: int, *, write: bool = False) -> Case:
    cases = Case.objects.visible_to(user).select_related(
        "client__nationality",
        "client__erasure",
        "office__country",
        "responsible_lawyer",
        "paralegal",
        "incident",
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


def get_notification_for(user, pk: int) -> Reminder:
    """A notification is its recipient's alone: anyone else's id is 404."""
    notifications = Reminder.objects.notifications_for(user).select_related(
        "deadline__case__client", "hearing__case__client", "permit__kind", "permit__client"
    )
    return get_object_or_404(notifications, pk=pk)


def get_feed_owner(token: str):
    """The active user whose calendar link this is, else 404: the token is a 256-bit random
    secret, so finding the row by it is the whole check."""
    return get_object_or_404(get_user_model(), calendar_token=token, is_active=True)


def get_team_feed_owner(token: str):
    """The active user whose team calendar link this is, while they still cover offices;
    else 404, so a coordinator who changes role stops publishing the team's schedule."""
    owner = get_object_or_404(get_user_model(), team_calendar_token=token, is_active=True)
    if not covers_offices(owner):
        raise Http404
    return owner
