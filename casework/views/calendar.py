"""The private calendar feed and the page that gives (and revokes) its link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from casework import ical
from casework.access import get_feed_owner, get_team_feed_owner
from casework.dashboard.scope import covers_offices


def _feed_links(name: str, token: str) -> tuple[str, str]:
    """A feed's absolute link, and the same as webcal:// for phones."""
    feed_url = f"{settings.SITE_URL}{reverse(name, args=[token])}"
    return feed_url, "webcal://" + feed_url.split("://", 1)[-1]


@require_GET
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The user's feed link, absolute, with how to subscribe to it; and the team feed's
    for those who cover offices."""
    feed_url, webcal_url = _feed_links("casework:calendar_feed", request.user.calendar_token)
    context = {"feed_url": feed_url, "webcal_url": webcal_url, "team_feed_url": ""}
    if covers_offices(request.user):
        team_url, team_webcal = _feed_links(
            "casework:calendar_team_feed", request.user.team_calendar_token
        )
        context |= {"team_feed_url": team_url, "team_webcal_url": team_webcal}
    return render(request, "casework/calendar_settings.html", context)


@require_POST
def calendar_sensitive(request: HttpRequest) -> HttpResponse:
    """Whether the user's own feed lists their sensitive cases too (off by default)."""
    request.user.calendar_shows_sensitive = request.POST.get("show") == "on"
    request.user.save(update_fields=["calendar_shows_sensitive"])
    if request.user.calendar_shows_sensitive:
        messages.warning(request, _("Your calendar link now lists your sensitive cases too."))
    else:
        messages.success(request, _("Your calendar link no longer lists sensitive cases."))
    return redirect("casework:calendar_settings")


@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    request.user.renew_calendar_token()
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return redirect("casework:calendar_settings")


@require_POST
def calendar_team_revoke(request: HttpRequest) -> HttpResponse:
    if not covers_offices(request.user):
        raise PermissionDenied
    request.user.renew_team_calendar_token()
    messages.success(request, _("A new team calendar link was made; the old one no longer works."))
    return redirect("casework:calendar_settings")


def _ics(text: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="casework.ics"'
    return response


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Calendar programs fetch this without a session: the secret token is the key."""
    return _ics(ical.user_feed(get_feed_owner(token)))


@login_not_required
@never_cache
@require_GET
def calendar_team_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The team feed, fetched the same way with its own secret token."""
    return _ics(ical.team_feed(get_team_feed_owner(token)))
