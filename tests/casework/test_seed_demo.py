from io import StringIO

import pytest
from django.core.management import call_command

from casework.models import Case, Fine, Hearing, Incident, User
from clients.models import Client, IdentityDocument, ResidencePermit
from documents.models import Letterhead, LetterTemplate

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        User,
        Client,
        Case,
        Fine,
        Hearing,
        Incident,
        ResidencePermit,
        LetterTemplate,
        Letterhead,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_seed_builds_a_believable_office_and_prints_the_logins(settings):
    output = seed()
    assert Client.objects.count() >= 60
    assert Client.objects.values("nationality").distinct().count() >= 4
    assert not Client.objects.filter(last_name="").exists()
    assert not Client.objects.filter(last_name_latin="").exists()
    for username in ("lawyer", "lawyer2", "paralegal", "coordinator", "admin"):
        assert username in output
        assert User.objects.get(username=username).check_password(settings.DEMO_PASSWORD)
    assert settings.DEMO_PASSWORD in output
    assert User.objects.get(username="lawyer").groups.filter(name="lawyer").exists()


def test_seed_covers_the_situations_staff_meet():
    seed()
    assert ResidencePermit.objects.filter(status="expired").exists()
    assert ResidencePermit.objects.filter(
        status="renewal_pending", renewal_applied_on__isnull=False
    ).exists()
    assert IdentityDocument.objects.filter(held_by__isnull=False).exists()
    assert Fine.objects.filter(status="paid_disputed", receipt_number__gt="").exists()
    assert Fine.objects.filter(status="contested").exists()
    assert Hearing.objects.filter(decision_received_on__isnull=False).exists()
    raid = Incident.objects.get()
    assert raid.links.count() == 20
    assert raid.cases.count() == 20
    assert LetterTemplate.objects.filter(language="ru").count() >= 2


def test_seed_is_idempotent():
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "0 new clients" in output


def test_every_demo_office_gets_a_letterhead_logo_once():
    seed()
    logos = {head.office_id: head.logo_bytes() for head in Letterhead.objects.all()}

    assert len(logos) == 2
    assert all(logo.startswith(b"\x89PNG") for logo in logos.values())


def test_demo_deadlines_and_hearings_have_their_reminders_planned_once():
    from casework.models import Deadline, Reminder

    seed()
    open_deadlines = Deadline.objects.open()
    reminded = set(
        Reminder.objects.filter(deadline__isnull=False, cancelled_at__isnull=True).values_list(
            "deadline_id", flat=True
        )
    )
    planned = Reminder.objects.count()

    assert open_deadlines.exists()
    assert reminded == set(open_deadlines.values_list("pk", flat=True))
    assert Reminder.objects.filter(hearing__isnull=False).exists()
    seed()
    assert Reminder.objects.count() == planned


def test_the_raid_was_decided_in_one_recorded_sitting():
    from casework.models import Deadline

    seed()
    raid = Incident.objects.get()
    hearings = Hearing.objects.filter(case__incident=raid)
    assert hearings.count() == 20
    assert hearings.values("court", "starts_at__date").distinct().count() == 1
    assert set(hearings.values_list("outcome", flat=True)) == {"expulsion_ordered"}
    deadlines = Deadline.objects.filter(hearing__in=hearings, cancelled_at__isnull=True)
    assert deadlines.count() == 20
    assert deadlines.values("event_on").distinct().count() == 2  # three got the copy later
    assert deadlines.filter(done_at__isnull=False).count() == 3  # appeals already filed
    figures = raid.links.figures_by_nationality(Case.objects.all())
    assert sum(row["appealed"] for row in figures) == 3
    assert sum(row["represented"] for row in figures) == 20


def test_the_expulsion_appeal_batch_skips_no_client_of_the_demo_raid():
    from documents.models import LetterBatch
    from documents.services import run_batch

    seed()
    raid = Incident.objects.get()
    template = LetterTemplate.objects.get(kind="expulsion_appeal", language="ru")
    for username in ("lawyer", "paralegal", "coordinator"):
        batch = LetterBatch.objects.create(
            incident=raid, template=template, created_by=User.objects.get(username=username)
        )
        batch = run_batch(batch.pk)
        assert batch.status == LetterBatch.Status.DONE
        assert batch.skipped == []
        assert batch.issued.count() == 20


def test_the_demo_has_letters_sent_waiting_and_corrected():
    from documents.models import Letter, LetterDispatch
    from documents.services import read_pdf

    seed()
    letters = Letter.objects.all()
    assert letters.count() == 5
    assert LetterDispatch.objects.values("letter").distinct().count() == 2
    correction = letters.get(supersedes__isnull=False)
    assert correction.case_id == correction.supersedes.case_id
    # A sent complaint starts the wait for the authority's answer.
    assert Case.objects.filter(deadlines__source_key__startswith="letter:").exists()
    assert b"%PDF" in read_pdf(correction)[:8]
    seed()
    assert Letter.objects.count() == 5  # a second run issues none


def test_each_demo_office_has_two_lawyers_with_open_cases():
    seed()
    for prefix in ("ALA", "AST"):
        lawyers = (
            Case.objects.filter(office__registry_prefix=prefix, status="open")
            .values("responsible_lawyer")
            .distinct()
        )
        assert lawyers.count() >= 2


def test_the_coordinators_team_feed_holds_the_teams_deadlines(client):
    from django.urls import reverse

    seed()
    coordinator = User.objects.get(username="coordinator")
    feed = client.get(
        reverse("casework:calendar_team_feed", args=[coordinator.team_calendar_token])
    )
    body = b"".join(feed.streaming_content) if feed.streaming else feed.content
    assert feed.status_code == 200
    assert body.count(b"BEGIN:VEVENT") >= 10
    assert b"AST-DEMO" in body and b"ALA-DEMO" in body
