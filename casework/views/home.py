"""The home page and the health check."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casework.dashboard import Tile
from casework.models import Case, Deadline, Hearing
from casework.models.users import ROLE_LABELS

log = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own work: their open cases, and the hearings of the coming week
    and deadlines (overdue or due within 14 days) of cases they are assigned to."""
    user = request.user
    today = timezone.localdate()
    now = timezone.now()
    mine = (
        Case.objects.visible_to(user)
        .active()
        .filter(Q(responsible_lawyer=user) | Q(paralegal=user))
    )
    open_mine = mine.filter(status=Case.Status.OPEN)
    hearings = Hearing.objects.active().filter(
        case__in=mine, starts_at__gte=now, starts_at__lte=now + timedelta(days=7)
    )
    deadlines = Deadline.objects.open().filter(case__in=mine)
    my_case_count = open_mine.count()
    context = {
        "my_cases": open_mine.select_related("client").order_by("-opened_on")[:10],
        "my_case_count": my_case_count,
        "hearings": hearings.select_related("case__client", "court").order_by("starts_at")[:10],
        "deadlines": deadlines.filter(due_on__lte=today + timedelta(days=14))
        .select_related("case__client")
        .order_by("due_on")[:10],
        "summary": _summary(deadlines.urgency(today), hearings.count(), my_case_count),
        "today": today,
        "groups": [ROLE_LABELS.get(g.name, g.name) for g in user.groups.all()],
    }
    return render(request, "casework/home.html", context)


def _summary(deadlines: dict[str, int], hearings: int, cases: int) -> list[Tile]:
    """The counts a phone shows before the lists."""
    return [
        Tile("h-deadlines", _("Overdue deadlines"), deadlines["overdue"], alert=True),
        Tile("h-deadlines", _("Deadlines in the next 7 days"), deadlines["week"]),
        Tile("h-hearings", _("Hearings in the next 7 days"), hearings),
        Tile("h-cases", _("My open cases"), cases),
    ]


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        log.warning("health check: redis unreachable: %s", type(exc).__name__)
        return "unreachable"
    return "ok"


def _worker_state() -> str:
    if not settings.REDIS_URL:
        return "embedded"
    from casework.celery import app

    try:
        replies = app.control.inspect(timeout=0.5).ping() or {}
    except Exception as exc:  # noqa: BLE001 - any broker failure means "not known"
        log.warning("health check: worker ping failed: %s", type(exc).__name__)
        return "unknown"
    return "ok" if replies else "no worker"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and Redis, if configured) answer; the worker is reported."""
    state = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any database failure is "down"
        log.error("health check: database unreachable: %s", type(exc).__name__)
        state["database"] = "unreachable"
    state["redis"] = _redis_state()
    state["worker"] = _worker_state() if state["redis"] in ("ok", "not configured") else "unknown"
    healthy = state["database"] == "ok" and state["redis"] in ("ok", "not configured")
    state["status"] = "ok" if healthy else "error"
    return JsonResponse(state, status=200 if healthy else 503)
