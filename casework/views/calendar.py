"""The private calendar feed and the page that gives (and revokes) its link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from casework import ical
from casework.access import get_feed_owner


@require_GET
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The user's feed link, absolute, with how to subscribe to it."""
    path = reverse("casework:calendar_feed", args=[request.user.calendar_token])
    feed_url = f"{settings.SITE_URL}{path}"
    webcal_url = "webcal://" + feed_url.split("://", 1)[-1]
    context = {"feed_url": feed_url, "webcal_url": webcal_url}
    return render(request, "casework/calendar_settings.html", context)


@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    request.user.renew_calendar_token()
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return redirect("casework:calendar_settings")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Calendar programs fetch this without a session: the secret token is the key."""
    owner = get_feed_owner(token)
    response = HttpResponse(ical.user_feed(owner), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="casework.ics"'
    return response
