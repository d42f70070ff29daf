"""A court decision opens its appeal deadline whatever the case's kind, and every deadline on
the case page says how it was counted, in Russian, from the counting that dated it."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import Case, Deadline, DeadlineRule, WorkingDayCorrection
from casework.services import start_deadlines, sync_hearing_deadlines
from casework.workdays import Calendar
from tests.factories import CaseFactory, HearingFactory, country

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def hearing_data(outcome: str, received_on: date) -> dict:
    return {
        "starts_at": f"{received_on.isoformat()}T10:00",
        "kind": "administrative",
        "outcome": outcome,
        "decision_received_on": received_on.isoformat(),
    }


def appeal_due(received_on: date) -> date:
    return Calendar("KZ").due_date(received_on, days=10)


@pytest.mark.parametrize("kind", [kind for kind, _label in Case.Kind.choices])
def test_the_appeal_rule_covers_a_court_decision_in_a_case_of_any_kind(kind, client_record):
    case = CaseFactory(client=client_record, kind=kind)
    hearing = HearingFactory(
        case=case,
        outcome="fine_imposed",
        decision_received_on=date(2026, 12, 2),
        starts_at=timezone.make_aware(datetime(2026, 12, 1, 10)),
    )
    [deadline] = sync_hearing_deadlines(hearing)
    assert deadline.due_on == date(2026, 12, 14)


@pytest.mark.parametrize("outcome", ["fine_imposed", "expulsion_ordered"])
@pytest.mark.parametrize("kind", ["fine", "expulsion", "other"])
def test_a_decision_received_today_shows_its_appeal_deadline_in_place(
    client, lawyer, client_record, kind, outcome
):
    case = CaseFactory(client=client_record, kind=kind, responsible_lawyer=lawyer)
    client.force_login(lawyer)
    today = timezone.localdate()
    response = client.post(
        reverse("casework:hearing_create", args=[case.pk]),
        hearing_data(outcome, today),
        **HTMX,
        **RU,
    )
    page = response.content.decode()
    deadline = Deadline.objects.get(case=case)
    assert deadline.event_on == today
    assert deadline.due_on == appeal_due(today)
    # The deadlines section comes along out of band, with the date and how it was counted.
    assert 'id="deadlines" class="mb-4" aria-labelledby="h-deadlines" hx-swap-oob="true"' in page
    assert deadline.due_on.strftime("%d.%m.%Y") in page
    assert f"10 календарных дней со дня получения постановления суда ({today:%d.%m.%Y})" in page


def test_a_decision_recorded_without_javascript_shows_its_deadline_on_the_case_page(
    client, lawyer, client_record
):
    case = CaseFactory(client=client_record, kind="fine", responsible_lawyer=lawyer)
    client.force_login(lawyer)
    today = timezone.localdate()
    response = client.post(
        reverse("casework:hearing_create", args=[case.pk]), hearing_data("fine_imposed", today)
    )
    assert response.status_code == 302
    page = client.get(response["Location"], **RU).content.decode()
    assert appeal_due(today).strftime("%d.%m.%Y") in page
    assert "Апелляционная жалоба на постановление суда" in page


def deadlines_section(page: str) -> str:
    start = page.index('id="deadlines"')
    return page[start : page.index("</section>", start)]


def test_a_new_deadline_prints_its_title_once(client, lawyer, case):
    hearing = HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        decision_received_on=date(2026, 12, 2),
        starts_at=timezone.make_aware(datetime(2026, 12, 1, 10)),
    )
    sync_hearing_deadlines(hearing)
    client.force_login(lawyer)
    section = deadlines_section(client.get(case.get_absolute_url(), **RU).content.decode())
    assert section.count("Апелляционная жалоба на постановление суда") == 1
    # 2 December + 10 days is Saturday 12 December: the next working day is Monday the 14th.
    assert "14.12.2026" in section
    assert (
        "10 календарных дней со дня получения постановления суда (02.12.2026); "
        "последний день срока 12.12.2026 пришёлся на нерабочий день (выходной) и переносится "
        "на следующий рабочий день."
    ) in section


def explain(deadline: Deadline) -> str:
    with translation.override("ru"):
        return deadline.explain(calendar=Calendar("KZ"))


def test_a_working_day_period_names_the_holiday_it_skipped(case):
    [deadline] = start_deadlines(
        case=case,
        trigger=DeadlineRule.Trigger.APPLICATION_SENT,
        event_on=date(2026, 12, 8),
        source_key="letter:1",
    )
    assert deadline.due_on == date(2026, 12, 30)
    assert explain(deadline) == (
        "15 рабочих дней со дня отправки заявления (08.12.2026); "
        "пропущен 16 декабря — День независимости."
    )


def test_several_skipped_days_and_a_move_off_a_holiday_are_named(case):
    hearing = HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        decision_received_on=date(2026, 2, 26),
        starts_at=timezone.make_aware(datetime(2026, 2, 25, 10)),
    )
    [deadline] = sync_hearing_deadlines(hearing)
    assert deadline.due_on == date(2026, 3, 10)
    assert explain(deadline) == (
        "10 календарных дней со дня получения постановления суда (26.02.2026); "
        "последний день срока 08.03.2026 пришёлся на нерабочий день (Международный женский "
        "день) и переносится на следующий рабочий день; пропущен 9 марта — Международный "
        "женский день (перенесённый выходной)."
    )
    [nauryz] = start_deadlines(
        case=case,
        trigger=DeadlineRule.Trigger.APPLICATION_SENT,
        event_on=date(2026, 3, 18),
        source_key="letter:2",
    )
    assert "пропущены 23 марта — Наурыз мейрамы; 24 марта — Наурыз мейрамы" in explain(nauryz)


def test_the_ngos_corrections_are_named_by_their_reason(case):
    kz = country("KZ")
    WorkingDayCorrection.objects.create(
        country=kz, date=date(2026, 12, 18), is_working_day=False, note="перенос по постановлению"
    )
    WorkingDayCorrection.objects.create(country=kz, date=date(2026, 12, 12), is_working_day=True)
    [deadline] = start_deadlines(
        case=case,
        trigger=DeadlineRule.Trigger.APPLICATION_SENT,
        event_on=date(2026, 12, 8),
        source_key="letter:1",
    )
    text = explain(deadline)
    assert "учтён как рабочий: 12 декабря — рабочий день по решению" in text
    assert (
        "пропущены 16 декабря — День независимости; 18 декабря — перенос по постановлению"
    ) in text


def test_a_deadline_set_by_hand_says_so(case):
    by_hand = Deadline.objects.create(case=case, title="Позвонить", due_on=date(2026, 12, 20))
    assert explain(by_hand) == "Срок установлен вручную."
    hearing = HearingFactory(
        case=case,
        outcome="expulsion_ordered",
        decision_received_on=date(2026, 12, 2),
        starts_at=timezone.make_aware(datetime(2026, 12, 1, 10)),
    )
    [deadline] = sync_hearing_deadlines(hearing)
    deadline.move(due_on=date(2026, 12, 11), event_on=deadline.event_on)
    assert explain(deadline).endswith("дата изменена вручную: по правилу — 14.12.2026.")


@pytest.mark.parametrize(
    ("days", "kind", "text"),
    [
        (1, "working", "1 рабочий день"),
        (2, "working", "2 рабочих дня"),
        (5, "working", "5 рабочих дней"),
        (11, "working", "11 рабочих дней"),
        (21, "calendar", "21 календарный день"),
        (3, "calendar", "3 календарных дня"),
        (15, "calendar", "15 календарных дней"),
    ],
)
def test_periods_read_in_correct_russian_plurals(days, kind, text):
    rule = DeadlineRule(period=days, day_kind=kind)
    with translation.override("ru"):
        assert rule.describe_period() == text


def test_months_and_days_together():
    with translation.override("ru"):
        assert DeadlineRule(period=0, period_months=1).describe_period() == "1 месяц"
        assert (
            DeadlineRule(period=5, period_months=2).describe_period()
            == "2 месяца и 5 календарных дней"
        )


@pytest.mark.parametrize("rows", [1, 20])
def test_explained_deadlines_cost_the_same_queries_however_many(
    client, lawyer, case, rows, django_assert_num_queries
):
    for n in range(rows):
        day = date(2026, 12, 1) + timedelta(days=n % 20)
        sync_hearing_deadlines(
            HearingFactory(
                case=case,
                outcome="expulsion_ordered",
                decision_received_on=day,
                starts_at=timezone.make_aware(datetime.combine(day, time(10))),
            )
        )
    client.force_login(lawyer)
    with django_assert_num_queries(14):  # with the access record
        response = client.get(case.get_absolute_url())
    assert response.content.decode().count("deadline-explanation") == rows
