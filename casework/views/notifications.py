"""The signed-in user's notifications: delivered in-app reminders, read and marked read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from casework.access import get_notification_for
from casework.models import Reminder
from casework.reminders import link_for, message_for

PAGE_SIZE = 25
TEMPLATE = "casework/notification_list.html"


def _row(reminder: Reminder) -> dict:
    """A short title in the reader's language, then the client and the case: in the app, unlike
    in an email, the notice may name the person it is about."""
    title, _body = message_for(reminder, language=get_language())
    case = (
        reminder.deadline.case if reminder.deadline_id else getattr(reminder.hearing, "case", None)
    )
    person = case.client if case else reminder.permit.client
    return {
        "reminder": reminder,
        "title": title,
        "url": link_for(reminder),
        "reference": case.reference if case else "",
        "client": person.full_name,
    }


def _render_list(request: HttpRequest, page_number, template: str = TEMPLATE) -> HttpResponse:
    notifications = (
        Reminder.objects.notifications_for(request.user)
        .select_related(
            "deadline__case__client", "hearing__case__client", "permit__kind", "permit__client"
        )
        .order_by("-delivered_at", "-pk")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(page_number)
    return render(request, template, {"page": page, "rows": [_row(r) for r in page]})


def _back(request: HttpRequest) -> str:
    page = request.POST.get("page", "")
    url = reverse("casework:notification_list")
    return f"{url}?page={page}" if page.isdigit() else url


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first, unread ones marked, each linking to its case or client."""
    return _render_list(request, request.GET.get("page"))


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for(request.user, pk)
    notification.mark_read()
    if request.htmx:
        context = {"row": _row(notification), "oob_badge": True}
        return render(request, f"{TEMPLATE}#notification", context)
    return redirect(_back(request))


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    Reminder.objects.notifications_for(request.user).mark_read()
    if request.htmx:
        return _render_list(request, request.POST.get("page"), f"{TEMPLATE}#notifications")
    return redirect(_back(request))
