"""Administrator-edited letter templates render in a sandbox: merge fields only, nothing
that reads settings, and within bounds of loops, size and time."""

import threading
from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import override

from casework.models import Incident, IncidentClient
from casework.services import open_cases_for_incident
from documents import letter_tags
from documents.defaults import SHIPPED, template_file
from documents.letters import merge_context, missing_fields
from documents.models import LetterBatch, LetterTemplate
from documents.sandbox import LetterTemplateError, render_body
from documents.template_check import check_template, sample_contexts
from tests.factories import CaseFactory, ClientFactory, FineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(case):
    FineFactory(case=case, amount=43250, protocol_number="П-77")
    return merge_context(case, kind="fine_complaint", paragraphs={"grounds": "Основания"})


def test_merge_fields_are_filled_and_escaped(case, merged):
    case.client.last_name = "<script>Рахимов</script>"
    case.client.save()
    fresh = merge_context(case, kind="fine_complaint", paragraphs={})
    html = render_body("{{ client.last_name }} {{ fine.amount }} {{ case.reference }}", fresh)
    assert "&lt;script&gt;Рахимов&lt;/script&gt;" in html
    assert "43250" in html
    assert case.reference in html


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}{% static 'x' %}",
        "{% include '/etc/passwd' %}",
        "{% url 'admin:index' %}",
        "{% debug %}",
        "{% ssi '/etc/passwd' %}",
        "{{ client.full_name.__class__ }}",
        "{% extends 'base.html' %}",
        "{% now 'Y' %}",
    ],
)
def test_tags_that_reach_outside_the_letter_are_refused(merged, body):
    with pytest.raises(LetterTemplateError):
        render_body(body, merged)


def test_settings_secrets_and_other_records_are_not_reachable(settings, case, merged, office):
    other = CaseFactory(client=ClientFactory(office=office, last_name="Чужойклиент"))
    body = (
        "[{{ settings.SECRET_KEY }}][{{ SECRET_KEY }}][{{ request.user }}][{{ case.client }}]"
        "[{{ office.staff }}][{{ client.cases }}][{{ client.pk }}][{{ lawyer.password }}]"
        "[{{ case.objects }}]"
    )
    html = render_body(body, merged)
    assert html == "[][][][][][][][][]"
    assert settings.SECRET_KEY not in html
    assert other.client.last_name not in html


def test_missing_fields_are_listed_unless_the_template_gives_a_default(case):
    merged = merge_context(case, kind="expulsion_appeal", paragraphs={})
    body = (
        "{{ client.full_name }} {{ hearing.court }} {{ hearing.judge|default:'судья' }}"
        "{% if hearing.decision_received_on %}{{ hearing.decision_received_on }}{% endif %}"
    )
    assert missing_fields(body, merged) == ["hearing.court"]


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root-admin", "a@example.org", "pw")
    client.force_login(admin)
    client.cookies["django_language"] = "ru"
    return client


def save_in_admin(admin_client, body: str, kind: str = "fine_complaint"):
    """Post a new template in the admin as an administrator would; the response and the
    error shown on the body, if any."""
    response = admin_client.post(
        reverse("admin:documents_lettertemplate_add"),
        {
            "kind": kind,
            "language": "kk",
            "version": 1,
            "title": "t",
            "body": body,
            "is_active": "on",
        },
    )
    form = response.context["adminform"].form if response.status_code == 200 else None
    return response, " ".join(form.errors.get("body", [])) if form else ""


def test_admin_refuses_a_template_that_cannot_render_with_the_reason(admin_client):
    response, error = save_in_admin(admin_client, "{% load static %}{% static 'secret' %}")
    assert response.status_code == 200
    assert "Шаблон нельзя использовать" in error
    assert not LetterTemplate.objects.filter(language="kk").exists()


@pytest.mark.parametrize(
    "body",
    [
        '{{ today|date:"SECRET_KEY" }}',
        '{{ hearing.starts_at|date:"SECRET_KEY" }}',
        # A format name Django looks up in its locale modules: prints the server's path.
        '{{ hearing.starts_at|date:"__file__" }}',
        '{{ today|date:"DATE_INPUT_FORMATS" }}',
        # In a branch no letter reaches, and in a condition that prints nothing.
        '{% if not today %}{{ today|date:"SECRET_KEY" }}{% endif %}',
        '{% if today|date:"SECRET_KEY" == "x" %}да{% endif %}',
        '{% with k=today|date:"SECRET_KEY" %}{% endwith %}',
    ],
)
def test_a_date_format_that_names_a_setting_is_refused_at_save_and_never_rendered(
    admin_client, settings, body
):
    response, error = save_in_admin(admin_client, body)
    assert response.status_code == 200
    assert "называет настройку" in error
    assert not LetterTemplate.objects.filter(language="kk").exists()
    context = sample_contexts("fine_complaint")[0]
    with pytest.raises(LetterTemplateError) as refused:
        render_body(body, context)
    assert settings.SECRET_KEY not in str(refused.value)


def test_a_date_format_taken_from_a_field_is_refused(admin_client):
    _response, error = save_in_admin(admin_client, "{{ today|date:client.name }}")
    assert "в кавычках" in error and "client.name" in error


def test_date_formats_that_are_formats_still_work(case):
    context = merge_context(case, kind="fine_complaint", paragraphs={}, today=date(2026, 3, 8))
    body = '{{ today|date:"d.m.Y" }} {{ today|date:"j E Y" }} {{ today|date:"SHORT_DATE_FORMAT" }}'
    with override("ru"):
        assert render_body(body, context) == "08.03.2026 8 марта 2026 08.03.2026"


def test_a_letter_that_would_print_the_secret_key_is_refused(settings, case):
    settings.SECRET_KEY = "a-key-nobody-may-read-0123456789"
    context = merge_context(
        case, kind="fine_complaint", paragraphs={"facts": "a-key-nobody-may-read-0123456789"}
    )
    with pytest.raises(LetterTemplateError, match="секретный ключ"):
        render_body("{{ paragraphs.facts }}", context)


LOOP = '{% for a in "' + "x" * 40 + '" %}'
BOMBS = {
    "nested loops": LOOP * 3 + "." + "{% endfor %}" * 3,
    "a loop over the joined name": (
        "{% with s=client.full_name|join:client.full_name %}"
        "{% for a in s %}{% for b in s %}.{% endfor %}{% endfor %}{% endwith %}"
    ),
    "a value joined with itself": (
        "{% with a=client.full_name|join:client.full_name %}{% with b=a|join:a %}"
        "{% with c=b|join:b %}{{ c|length }}{% endwith %}{% endwith %}{% endwith %}"
    ),
    "a long repeated paragraph": LOOP * 2 + "{{ paragraphs.facts }}" + "{% endfor %}" * 2,
    "a huge number of decimal places": '{{ fine.amount|floatformat:"9999999" }}',
}


@pytest.mark.parametrize("name", [name for name in BOMBS if name != "a long repeated paragraph"])
def test_a_template_that_would_occupy_a_worker_is_refused_at_save(admin_client, name):
    response, error = save_in_admin(admin_client, BOMBS[name])
    assert response.status_code == 200
    assert any(
        words in error
        for words in ("повторяются в одном письме больше 5 000 раз", "длиннее 1 000 000 знаков")
    ) or ("после запятой" in error), error
    assert not LetterTemplate.objects.filter(language="kk").exists()


@pytest.mark.parametrize("name", BOMBS)
def test_rendering_is_bounded_whatever_the_template_says(case, name):
    context = merge_context(case, kind="fine_complaint", paragraphs={"facts": "ф" * 2000})
    with pytest.raises(LetterTemplateError):
        render_body(BOMBS[name], context)


@pytest.mark.parametrize(
    "body", ['{{ client.name|ljust:"99999999" }}', '{{ client.name|center:"99999999" }}']
)
def test_padding_filters_are_not_available(admin_client, body):
    _response, error = save_in_admin(admin_client, body)
    assert "Шаблон нельзя использовать" in error


def test_rendering_stops_at_the_time_limit(monkeypatch, case):
    monkeypatch.setattr(letter_tags, "MAX_RENDER_SECONDS", -1)
    context = merge_context(case, kind="fine_complaint", paragraphs={})
    with override("ru"), pytest.raises(LetterTemplateError, match="формировалось дольше"):
        render_body('{% for a in "ab" %}{{ a }}{% endfor %}', context)


def test_the_bounds_hold_in_a_worker_thread(case):
    context = merge_context(case, kind="fine_complaint", paragraphs={})
    errors = []

    def render() -> None:
        try:
            render_body(BOMBS["nested loops"], context)
        except LetterTemplateError as exc:
            errors.append(str(exc))

    thread = threading.Thread(target=render)
    thread.start()
    thread.join()
    assert errors and "5 000" in errors[0]


def test_tags_nested_too_deeply_are_refused(admin_client):
    _response, error = save_in_admin(admin_client, "{% if a %}" * 3000 + "{% endif %}" * 3000)
    assert "вложены друг в друга слишком глубоко" in error


def test_the_check_at_save_builds_its_case_without_the_database(django_assert_num_queries):
    body = template_file("expulsion_appeal", "ru").read_text(encoding="utf-8")
    with django_assert_num_queries(0):
        check_template(body, kind="expulsion_appeal")


def test_the_sample_case_fills_every_merge_field_of_the_shipped_templates():
    for kind, language, *_ in SHIPPED:
        body = template_file(kind, language).read_text(encoding="utf-8")
        for context in sample_contexts(kind)[:2]:
            assert missing_fields(body, context) == [], (kind, language)


def test_a_shipped_template_still_saves_and_renders(admin_client, case):
    body = template_file("expulsion_appeal", "ru").read_text(encoding="utf-8")
    response, error = save_in_admin(admin_client, body, kind="expulsion_appeal")
    assert response.status_code == 302, error
    template = LetterTemplate.objects.get(language="kk")
    html = render_body(template.body, merge_context(case, kind="expulsion_appeal", paragraphs={}))
    assert "Апелляционная жалоба" in html


def test_a_template_that_fails_for_one_case_is_refused_on_the_letter_page(client, lawyer, case):
    case.client.address = "г. Алматы, мкр. Айнабулак-3, дом 12, квартира 4, вход со двора" * 2
    case.client.save()
    template = LetterTemplate.objects.create(
        kind="information_request", language="kk", title="Сұрау", body=ADDRESS_LOOP
    )
    client.cookies["django_language"] = "ru"
    client.force_login(lawyer)
    url = reverse("documents:letter_create", args=[case.pk])
    response = client.get(url, {"template": template.pk})
    assert response.status_code == 400
    assert "повторяются в одном письме больше 5 000 раз" in response.content.decode()


# Fine for a short address, past the bounds for a long one.
ADDRESS_LOOP = (
    "<p>{{ client.name }}</p>{% for a in client.address %}{% for b in client.address %}"
    "{% endfor %}{% endfor %}"
)


def test_a_batch_goes_on_past_a_letter_that_exceeds_the_bounds_and_says_why(
    client, lawyer, office, django_capture_on_commit_callbacks
):
    raid = Incident.objects.create(
        title="Рейд", office=office, started_on=date(2026, 3, 2), place="Рынок", city="Алматы"
    )
    for surname, address in (("Алиев", "ул. Абая, 1"), ("Бобоев", "мкр. Айнабулак-3, " * 8)):
        person = ClientFactory(office=office, last_name=surname, address=address)
        IncidentClient.objects.create(incident=raid, client=person)
    open_cases_for_incident(incident=raid, kind="expulsion", opened_by=lawyer, lawyer=lawyer)
    template = LetterTemplate.objects.create(
        kind="information_request", language="kk", title="Сұрау", body=ADDRESS_LOOP
    )
    client.cookies["django_language"] = "ru"
    client.force_login(lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:batch_create", args=[raid.pk]), {"template": template.pk})
    batch = LetterBatch.objects.get()
    assert batch.status == "done"
    assert [letter.case.client.last_name for letter in batch.issued.all()] == ["Алиев"]
    page = client.get(reverse("documents:batch_detail", args=[batch.pk])).content.decode()
    assert "Бобоев" in page and "5 000" in page


def test_a_template_saved_before_the_checks_is_listed_as_unusable_on_the_batch_page(
    client, lawyer, office
):
    raid = Incident.objects.create(
        title="Рейд", office=office, started_on=date(2026, 3, 2), place="Рынок", city="Алматы"
    )
    IncidentClient.objects.create(incident=raid, client=ClientFactory(office=office))
    open_cases_for_incident(incident=raid, kind="expulsion", opened_by=lawyer, lawyer=lawyer)
    template = LetterTemplate.objects.create(
        kind="information_request", language="kk", title="t", body='{{ today|date:"SECRET_KEY" }}'
    )
    client.cookies["django_language"] = "ru"
    client.force_login(lawyer)
    url = reverse("documents:batch_create", args=[raid.pk])
    page = client.get(url, {"template": template.pk}).content.decode()
    assert "шаблон письма нельзя использовать" in page.lower()
