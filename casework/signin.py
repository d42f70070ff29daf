"""Signing in: how django-allauth and django-axes fit Casework (README, "Security")."""

from __future__ import annotations

import math
from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The first wait after AXES_FAILURE_LIMIT wrong passwords; each further round doubles it.
FIRST_COOL_OFF = timedelta(minutes=5)
LONGEST_COOL_OFF = timedelta(hours=24)
# Wrong passwords counted towards the growing wait: those of the last day.
COUNTED_PERIOD = timedelta(hours=24)


class AddPasskeyForm(AddWebAuthnForm):
    """allauth's form for adding a passkey, whose name field has no label of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")
        self.fields["name"].help_text = _("To tell your keys apart, e.g. “work laptop”.")


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by an administrator, never by signing up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Wrong passwords are django-axes' to count (per username and address). allauth's
        own count here is per username from anywhere, which would let a guesser lock the
        real user out; its limit stays on second-factor codes (ACCOUNT_RATE_LIMITS)."""

    def get_client_ip(self, request: HttpRequest) -> str:
        """The same address django-axes counts by (its rate limits: the password reset)."""
        return client_ip(request)


def username_of(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username a sign-in names, as django-axes counts it (case folded, so that
    "Lawyer" and "lawyer" are one count)."""
    credentials = credentials or {}
    username = credentials.get("username") or request.POST.get("login")
    return username.strip().casefold() if username else None


def client_ip(request: HttpRequest) -> str:
    """The address a request comes from. Behind a proxy trusted to set X-Forwarded-For, the
    last entry (the one the proxy itself added; earlier ones are whatever the client sent)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_X_FORWARDED_FOR and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What django-axes writes to the log about a sign-in: the page only. The username,
    address and password stay out of the log (they are in the attempts table)."""
    if isinstance(path_info, list | tuple):
        path_info = path_info[0] if path_info else ""
    return f"sign-in at {path_info}"


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long a username and address pair waits after its wrong passwords: 5 minutes after
    the first five of the day, then 10, 20, 40... up to a day. Until the limit is reached it
    is also how long the wrong passwords already typed are remembered."""
    if request is None or not getattr(request, "axes_ip_address", None):
        return FIRST_COOL_OFF
    username = username_of(request, getattr(request, "axes_credentials", None))
    recent = AccessFailureLog.objects.filter(
        username=username,
        ip_address=request.axes_ip_address,
        attempt_time__gte=timezone.now() - COUNTED_PERIOD,
    ).count()
    # This attempt is logged after the wait is set, so it counts as one more.
    rounds = recent // settings.AXES_FAILURE_LIMIT
    return min(FIRST_COOL_OFF * 2**rounds, LONGEST_COOL_OFF)


def has_second_factor(user) -> bool:
    return (
        Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


def throttled(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page a paused sign-in gets (429): how long to wait, and the way out (reset the
    password). It names neither the user nor whether the account exists."""
    username = username_of(request, credentials)
    until = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(until=Max("expiration__expires_at"))["until"]
    seconds = (until - timezone.now()).total_seconds() if until else 60
    minutes = max(1, math.ceil(seconds / 60))
    return render(request, "account/throttled.html", {"cooloff_minutes": minutes}, status=429)
