"""Every list pages forward and back: the "Next" link opens the next page and keeps the
filters."""

import re

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


def _next_link(html: str) -> str:
    links = re.findall(r'class="page-link" href="([^"]+)"', html)
    assert links, "no page links"
    return links[-1].replace("&amp;", "&")


@pytest.mark.parametrize(
    ("url_name", "query"),
    [("clients:client_list", "?nationality="), ("casework:case_list", "?scope=all&status=open")],
)
def test_next_opens_the_second_page_and_keeps_the_filters(client, lawyer, office, url_name, query):
    for i in range(30):
        person = ClientFactory(office=office, last_name=f"Страницева{i:02d}")
        CaseFactory(client=person, responsible_lawyer=lawyer)
    client.force_login(lawyer)
    first = client.get(reverse(url_name) + query).content.decode()
    link = _next_link(first)
    assert link.startswith("?") and not link.startswith("??")
    assert "page=2" in link
    for key in query.lstrip("?").split("&"):
        assert key.split("=")[0] in link
    second = client.get(reverse(url_name) + link).content.decode()
    on_first = set(re.findall(r"Страницева\d\d", first))
    on_second = set(re.findall(r"Страницева\d\d", second))
    assert len(on_first) == 25 and len(on_second) == 5
    assert on_first.isdisjoint(on_second)
