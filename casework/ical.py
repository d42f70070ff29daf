"""Private iCalendar feeds (RFC 5545) of hearings and open deadlines: a user's own, and
for coordinators the team's.

The feed ends up in Google Calendar, Outlook or a phone, outside Casework: it carries case
references, kinds and courts, never a client's name, a document number or the free text of
a deadline, which may hold either."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.dashboard.scope import offices_for
from casework.models import Case, Deadline, Hearing

HEARING_LENGTH = timedelta(hours=1)
PAST = timedelta(days=30)
AHEAD = timedelta(days=365)
# A year of one person's hearings and deadlines stays far below this; it bounds the reply.
MAX_EVENTS = 2000
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    """One VEVENT: a timed one (datetimes) or an all-day one (dates)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    stamp: datetime
    url: str = ""
    location: str = ""
    sequence: int = 0


def escape_text(value: str) -> str:
    """TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with
    a space, never inside a UTF-8 character (RFC 5545 3.1)."""
    parts: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{_utc(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(event.stamp)}",
        _when("DTSTART", event.start),
        _when("DTEND", event.end),
        f"SUMMARY:{escape_text(event.summary)}",
        f"SEQUENCE:{event.sequence}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines += [f"URL:{event.url}", f"DESCRIPTION:{escape_text(event.url)}"]
    return [*lines, "END:VEVENT"]


def calendar(*, name: str, events: Iterable[Event]) -> str:
    """The whole VCALENDAR text, CRLF line endings, folded."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Casework//Hearings and deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += _event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "casework"


def _hearing_event(hearing: Hearing, stamp: datetime) -> Event:
    case = hearing.case
    return Event(
        uid=f"hearing-{hearing.pk}@{_host()}",
        summary=_("Hearing: %(kind)s · %(reference)s")
        % {"kind": hearing.get_kind_display(), "reference": case.reference},
        start=hearing.starts_at,
        end=hearing.starts_at + HEARING_LENGTH,
        stamp=stamp,
        url=f"{settings.SITE_URL}{case.get_absolute_url()}",
        location=f"{hearing.court.name}, {hearing.court.city}" if hearing.court else "",
        sequence=hearing.version,
    )


def _deadline_event(deadline: Deadline, stamp: datetime) -> Event:
    case = deadline.case
    # The rule's name is reference data; the deadline's own title is free text.
    what = str(deadline.rule) if deadline.rule else _("deadline")
    return Event(
        uid=f"deadline-{deadline.pk}@{_host()}",
        summary=_("Due: %(what)s · %(reference)s") % {"what": what, "reference": case.reference},
        start=deadline.due_on,
        end=deadline.due_on + timedelta(days=1),
        stamp=stamp,
        url=f"{settings.SITE_URL}{case.get_absolute_url()}",
        sequence=deadline.version,
    )


def _feed(cases, *, name: str, now: datetime | None) -> str:
    """Pending hearings and open deadlines of these cases, from a month ago to a year
    ahead."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    hearings = (
        Hearing.objects.active()
        .filter(
            case__in=cases,
            outcome=Hearing.Outcome.PENDING,
            starts_at__gte=now - PAST,
            starts_at__lte=now + AHEAD,
        )
        .select_related("case", "court")
        .order_by("starts_at", "pk")[:MAX_EVENTS]
    )
    deadlines = (
        Deadline.objects.open()
        .filter(case__in=cases, due_on__gte=today - PAST, due_on__lte=today + AHEAD)
        .select_related("case", "rule")
        .order_by("due_on", "pk")[:MAX_EVENTS]
    )
    events = [_hearing_event(h, now) for h in hearings]
    events += [_deadline_event(d, now) for d in deadlines]
    return calendar(name=name, events=events)


def user_feed(user, *, now: datetime | None = None) -> str:
    """The cases the user is assigned to; sensitive ones only if they asked for them, since
    the feed leaves Casework."""
    cases = (
        Case.objects.visible_to(user)
        .active()
        .filter(Q(responsible_lawyer=user) | Q(paralegal=user))
    )
    if not user.calendar_shows_sensitive:
        cases = cases.filter(sensitivity=Case.Sensitivity.NORMAL)
    return _feed(cases, name=_("Casework: my hearings and deadlines"), now=now)


def team_feed(user, *, now: datetime | None = None) -> str:
    """The open cases of the offices the user covers, sensitive ones left out: this feed
    is shared more widely than one person's, and leaves Casework all the same."""
    cases = (
        Case.objects.visible_to(user)
        .active()
        .filter(
            office__in=offices_for(user),
            status=Case.Status.OPEN,
            sensitivity=Case.Sensitivity.NORMAL,
        )
    )
    return _feed(cases, name=_("Casework: the team's hearings and deadlines"), now=now)
