"""After a raid: six people pasted from a spreadsheet into the incident's quick intake, two of
them already on record in the other script, in Russian and driven by what a person sees."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Incident
from clients.models import Client
from tests.factories import ClientFactory, DocumentFactory, OfficeFactory, UserFactory, country

pytestmark = pytest.mark.django_db(transaction=True)

COLUMNS = [
    "Фамилия (кириллицей)",
    "Имя (кириллицей)",
    "Фамилия (латиницей)",
    "Имя (латиницей)",
    "Гражданство",
    "Дата рождения",
    "Пол",
    "Телефон",
    "Номер паспорта",
    "Задержан",
    "Выдворен",
    "Языки",
]

# As a paralegal's spreadsheet has them: Russian dates, countries by name, "да" for yes.
SPREADSHEET = "\n".join(
    "\t".join(row)
    for row in [
        ["Турсунов", "Ботир", "Tursunov", "Botir", "Узбекистан", "12.03.1990", "м",
         "+7 701 111 22 33", "FA0000001", "да", "нет", "узбекский"],
        ["", "", "Rakhimov", "Alisher", "Узбекистан", "01.02.1988", "м",
         "", "FA0000002", "да", "да", "узбекский, русский"],
        ["Назарова", "Зарина", "", "", "Таджикистан", "08.03.1994", "ж",
         "+7 777 000 11 22", "", "да", "нет", "таджикский"],
        ["Жумабаев", "Нурлан", "", "", "Кыргызстан", "", "м",
         "", "", "да", "нет", "кыргызский"],
        ["Мамытов", "Бакыт", "Mamytov", "Bakyt", "Кыргызстан", "", "м",
         "", "ID4000001", "да", "нет", ""],
        ["Осмонова", "Айгуль", "", "", "Кыргызстан", "", "ж",
         "", "", "нет", "нет", "кыргызский"],
    ]
)  # fmt: skip


@pytest.fixture
def raid(db):
    office = OfficeFactory(name="Алматы (браузер)", registry_prefix="BQI")
    UserFactory(username="b-paralegal", office=office, groups=["paralegal"])
    rahimov = ClientFactory(
        office=office, last_name="Рахимов", first_name="Алишер", last_name_latin="",
        first_name_latin="",
    )  # fmt: skip
    DocumentFactory(client=rahimov, number="FA7777777")
    ClientFactory(
        office=office, last_name="", first_name="", last_name_latin="Jumabayev",
        first_name_latin="Nurlan", nationality=country("KG"),
    )  # fmt: skip
    return Incident.objects.create(
        title="Рейд на Барахолке",
        office=office,
        started_on=timezone.localdate(),
        place="Барахолка",
        city="Алматы",
        detained_count=60,
    )


def paste(page, locator, text: str) -> None:
    """Copies the text to the clipboard and pastes it into the cell with Ctrl+V."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    locator.focus()
    page.keyboard.press("Control+V")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_paralegal_pastes_six_people_and_recognises_two_on_record(page, live_server, sign_in, raid):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "b-paralegal")
    page.goto(f"{live_server.url}{raid.get_absolute_url()}")
    intake = page.locator("#quick-intake")
    expect(intake).to_contain_text("расположите столбцы в таком порядке")

    paste(page, page.get_by_label("Фамилия (кириллицей), строка 1", exact=True), SPREADSHEET)
    # A sixth row was added for the sixth line, every input labelled with its row.
    for column in COLUMNS:
        expect(page.get_by_label(f"{column}, строка 6", exact=True)).to_be_visible()
    expect(page.get_by_label("Фамилия (кириллицей), строка 6", exact=True)).to_have_value(
        "Осмонова"
    )
    expect(page.get_by_label("Дата рождения, строка 1", exact=True)).to_have_value("1990-03-12")
    expect(page.get_by_label("Гражданство, строка 3", exact=True)).to_have_text(
        re.compile("Таджикистан")
    )
    assert (
        page.get_by_label("Гражданство, строка 3", exact=True).evaluate(
            "s => s.options[s.selectedIndex].text"
        )
        == "Таджикистан"
    )
    expect(page.get_by_label("Пол, строка 3", exact=True)).to_have_value("f")
    expect(page.get_by_label("Выдворен, строка 2", exact=True)).to_be_checked()
    expect(page.get_by_label("Задержан, строка 6", exact=True)).not_to_be_checked()
    expect(intake.locator("[data-paste-report]")).to_have_text("")
    assert no_horizontal_scroll(page)
    intake.screenshot(path="/tmp/intake-1-pasted.png")

    page.get_by_role("button", name="Зарегистрировать и привязать").click()
    expect(page.locator(".alert-danger")).to_contain_text("возможно, уже есть в базе")
    expect(page.get_by_label("Фамилия (кириллицей), строка 6", exact=True)).to_have_value(
        "Осмонова"
    )
    assert Client.objects.count() == 2
    expect(intake).to_contain_text("Строка 2: возможно, этот человек уже есть в базе")
    expect(intake).to_contain_text("FA7777777")
    intake.screenshot(path="/tmp/intake-2-candidates.png")

    page.get_by_label("Это тот же человек, строка 2").check()
    page.get_by_label(
        "Добавить в карточку введённое написание имени и номер паспорта, строка 2", exact=True
    ).check()
    page.get_by_label("Это тот же человек, строка 4").check()
    intake.screenshot(path="/tmp/intake-3-chosen.png")
    page.get_by_role("button", name="Зарегистрировать и привязать").click()

    expect(page.locator(".alert-success")).to_have_text(
        re.compile("Зарегистрировано новых клиентов: 4. Привязано уже известных людей: 2.")
    )
    page.screenshot(path="/tmp/intake-4-saved.png", full_page=True)
    assert raid.links.count() == 6 and Client.objects.count() == 6
    rahimov = Client.objects.get(last_name="Рахимов")
    assert rahimov.other_spellings == "Rakhimov Alisher"
    assert set(rahimov.documents.values_list("number", flat=True)) == {"FA7777777", "FA0000002"}
    assert raid.links.get(client=rahimov).expelled is True
    assert not Client.objects.filter(last_name="Жумабаев").exists()


def test_on_a_phone_the_rows_are_cards(page, live_server, sign_in, raid):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "b-paralegal")
    page.goto(f"{live_server.url}{raid.get_absolute_url()}#quick-intake")
    row = page.get_by_role("group", name="Строка 1")
    expect(row.locator(".qi-label").first).to_be_visible()
    assert no_horizontal_scroll(page)
    row.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/intake-5-phone.png")


def test_a_pasted_value_that_cannot_be_read_is_named_not_dropped(page, live_server, sign_in, raid):
    sign_in(page, "b-paralegal")
    page.goto(f"{live_server.url}{raid.get_absolute_url()}")
    paste(
        page,
        page.get_by_label("Фамилия (кириллицей), строка 1", exact=True),
        "Иванов\tИван\t\t\tАтлантида\t31.02.1990\n",
    )
    expect(page.get_by_label("Имя (кириллицей), строка 1", exact=True)).to_have_value("Иван")
    report = page.get_by_role("status")
    expect(report).to_contain_text("строка 1, Гражданство: «Атлантида»")
    expect(report).to_contain_text("строка 1, Дата рождения: «31.02.1990»")
