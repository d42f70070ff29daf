"""Template context every page gets."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from casework.models import Reminder

# The badge says "99+" past this: counting further would cost time and tell no more.
BADGE_LIMIT = 100


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    unread = Reminder.objects.notifications_for(user).unread()
    return unread.values("pk")[:BADGE_LIMIT].count()


def notifications(request: HttpRequest) -> dict:
    """The unread badge: one query, and only on pages that show it (exports pay nothing)."""
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request.user))}
