"""Tables become cards on a phone: {% stacked %} labels every body cell with its column's
header, so the stylesheet can show the name beside each value once the header is out of
sight."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from casework.templatetags.tables import label_cells
from tests.factories import CaseFactory, FineFactory, HearingFactory

TABLE = """<table class="table">
  <thead><tr>
    <th scope="col"><a href="?sort=name">Name</a><span aria-hidden="true"> ▲</span></th>
    <th scope="col">Court &amp; judge</th>
    <th><span class="visually-hidden">Actions</span></th>
  </tr></thead>
  <tbody>
    <tr><td><a href="/c/1/">Ivanov</a></td><td>City court</td><td><a href="/e/1/">Edit</a></td></tr>
    <tr><td colspan="3">Nothing found.</td></tr>
  </tbody>
</table>"""


def labels(html: str) -> list[str | None]:
    """The data-label of each body cell, None where there is none."""
    body = html[html.index("<tbody") :]
    return [m.group(1) for m in re.finditer(r'<td(?: data-label="([^"]*)")?', body)]


def test_each_cell_is_labelled_with_its_header_as_read_on_screen():
    html = label_cells(TABLE)
    # The sort arrow is hidden from readers; the action column's name is never on screen.
    assert labels(html) == ["Name", "Court &amp; judge", None, None]


def test_only_labels_are_added_the_rest_is_kept_byte_for_byte():
    html = label_cells(TABLE)
    assert re.sub(r' data-label="[^"]*"', "", html) == TABLE


def test_a_header_that_sorts_keeps_its_links_on_a_phone_under_a_caption():
    with translation.override("en"):
        assert '<tr data-label="Sort by:">' in label_cells(TABLE)
        plain = TABLE.replace('<a href="?sort=name">Name</a>', "Name")
        assert "Sort by:" not in label_cells(plain)


def test_two_header_rows_give_the_group_and_the_column():
    html = label_cells(
        """<table><thead>
        <tr><th rowspan="2">Citizenship</th>
          <th colspan="2">Reported</th><th colspan="2">Ours</th></tr>
        <tr><th>detained</th><th>expelled</th><th>linked</th><th>expelled</th></tr>
        </thead><tbody>
        <tr><th scope="row">Uzbekistan</th><td>130</td><td>18</td><td>16</td><td>4</td></tr>
        <tr><th scope="row">Mali</th><td>1</td><td>0</td><td colspan="2"></td></tr>
        </tbody></table>"""
    )
    assert labels(html) == [
        "Reported · detained",
        "Reported · expelled",
        "Ours · linked",
        "Ours · expelled",
        "Reported · detained",
        "Reported · expelled",
        "Ours · linked",
    ]


def test_a_label_given_by_the_template_is_left_alone():
    html = label_cells(TABLE.replace("<td>City court", '<td data-label="Court">City court'))
    assert labels(html)[1] == "Court"


def test_the_tag_wraps_the_table_for_the_stylesheet():
    rendered = Template("{% load tables %}{% stacked %}" + TABLE + "{% endstacked %}").render(
        Context()
    )
    assert rendered.startswith('<div class="table-cards"><table')
    assert 'data-label="Name"' in rendered


@pytest.mark.django_db
def test_case_page_tables_are_labelled_in_russian_and_name_their_action_column(
    client, case, lawyer
):
    HearingFactory(case=case)
    FineFactory(case=case)
    client.force_login(lawyer)
    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert page.count('<div class="table-cards">') == 2
    assert 'data-label="Дата и время"' in page
    assert 'data-label="Сумма"' in page
    assert page.count('<span class="visually-hidden">Действия</span>') == 2
    assert "<th></th>" not in page


@pytest.mark.django_db
def test_case_list_cells_carry_their_column_names(client, lawyer, office):
    CaseFactory(client__office=office, responsible_lawyer=lawyer)
    client.force_login(lawyer)
    page = client.get(reverse("casework:case_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for column in ("Номер дела", "Клиент", "Вид", "Открыто", "Статус", "Ответственный юрист"):
        assert f'<td data-label="{column}"' in page
    assert '<tr data-label="Сортировать по:">' in page
