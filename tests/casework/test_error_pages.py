"""The pages Casework answers with when something is refused, missing or broken speak the
user's language and say what to do, instead of Django's bare English defaults."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_russian(client, lawyer):
    client.force_login(lawyer)
    response = client.get("/clients/999999/", HTTP_ACCEPT_LANGUAGE="ru")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in page and "Not Found" not in page
    assert reverse("home") in page


def test_a_refused_page_names_the_role_in_russian(client, reader):
    client.force_login(reader)
    response = client.get(reverse("clients:client_create"), HTTP_ACCEPT_LANGUAGE="ru")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Недоступно для вашей роли" in page and "Forbidden" not in page


def test_an_expired_form_says_nothing_was_saved(lawyer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lawyer)
    response = browser.post(
        reverse("clients:client_create"), {"last_name": "Тест"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "Форма устарела" in page and "Ничего не сохранено" in page


def test_a_server_error_page_speaks_russian():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ru"):
        page = render_to_string("500.html")
    assert "Что-то пошло не так" in page and "Всё, что вы уже сохранили, на месте" in page
