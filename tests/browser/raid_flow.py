"""The raid morning as a paralegal plays it in the browser, shared by the browser test
(`test_raid_morning.py`, 20 detainees) and the benchmark (`tests/benchmarks/bench_raid.py`,
100 by default): record the incident, paste the detainees, say "the same person" for those
already on record, record one court sitting for all, print the appeal for everyone.

Driven only by what a person sees (roles, labels, texts) in the Russian interface, from the
home page on. Every click and every keystroke group (a filled field, a chosen option, a ticked
box, one paste) goes through `Actions`, which counts them per step."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urljoin

from playwright.sync_api import Locator, Page, expect

APPEAL = "Апелляционная жалоба на постановление о выдворении"

# People already on record, as recorded (Cyrillic, Latin) and as typed after the raid in the
# other script or another romanisation. Invented names.
KNOWN = [
    # (recorded last, first, Latin last, Latin first), (typed: the same four columns), country
    (("Рахимов", "Алишер", "", ""), ("", "", "Rakhimov", "Alisher"), "UZ"),
    (("", "", "Jumabayev", "Nurlan"), ("Жумабаев", "Нурлан", "", ""), "KG"),
    (("Юсупова", "Дилноза", "", ""), ("", "", "Iusupova", "Dilnoza"), "UZ"),
    (("Цой", "Виктор", "", ""), ("", "", "Tsoi", "Viktor"), "KZ"),
    (("", "", "Yuldashev", "Bakhodir"), ("Юлдашев", "Баходир", "", ""), "UZ"),
]

COUNTRY_NAMES = {"UZ": "Узбекистан", "KG": "Кыргызстан", "TJ": "Таджикистан", "KZ": "Казахстан"}

# New people: every surname with every first name gives more distinct people than a raid has.
SURNAMES = [
    ("Абдуллаев", "Abdullaev"), ("Бобоев", "Boboev"), ("Валиев", "Valiev"),
    ("Гафуров", "Gafurov"), ("Давлатов", "Davlatov"), ("Ергашев", "Ergashev"),
    ("Зиёев", "Ziyoev"), ("Исмоилов", "Ismoilov"), ("Камолов", "Kamolov"),
    ("Латипов", "Latipov"), ("Мирзоев", "Mirzoev"), ("Набиев", "Nabiev"),
    ("Одинаев", "Odinaev"), ("Пулатов", "Pulatov"), ("Раджабов", "Radzhabov"),
    ("Сафаров", "Safarov"), ("Турдиев", "Turdiev"), ("Умаров", "Umarov"),
    ("Файзиев", "Fayziev"), ("Хакимов", "Khakimov"),
]  # fmt: skip
FIRST_NAMES = [
    ("Азамат", "Azamat"), ("Бахтиёр", "Bakhtiyor"), ("Далер", "Daler"), ("Ильхом", "Ilkhom"),
    ("Комил", "Komil"), ("Мансур", "Mansur"), ("Нодир", "Nodir"), ("Рустам", "Rustam"),
    ("Санжар", "Sanzhar"), ("Фарход", "Farkhod"),
]  # fmt: skip
NEW_COUNTRIES = ["UZ", "TJ", "KG"]


@dataclass
class Detainee:
    typed: tuple[str, str, str, str]
    country: str
    passport: str
    known: bool  # already on record under another spelling

    def row(self) -> str:
        sex = "м" if not self.typed[0].endswith("а") and not self.typed[2].endswith("a") else "ж"
        return "\t".join(
            [*self.typed, COUNTRY_NAMES[self.country], "", sex, "", self.passport, "да", "да", ""]
        )


def detainees(count: int) -> list[Detainee]:
    """`count` detainees, five of them known; the known ones spread through the list."""
    new = [
        Detainee(
            typed=(last, first, last_latin, first_latin),
            country=NEW_COUNTRIES[i % len(NEW_COUNTRIES)],
            passport=f"FB{i:07d}",
            known=False,
        )
        for i, ((first, first_latin), (last, last_latin)) in enumerate(
            (f, s) for f in FIRST_NAMES for s in SURNAMES
        )
    ][: count - len(KNOWN)]
    people = list(new)
    step = max(1, len(people) // len(KNOWN))
    for k, (_recorded, typed, code) in enumerate(KNOWN):
        people.insert(min(k * step + 1 + k, len(people)), Detainee(typed, code, "", True))
    return people


def spreadsheet(people: list[Detainee]) -> str:
    return "\n".join(person.row() for person in people)


@dataclass
class Actions:
    """Clicks and keystroke groups, counted per step as a person makes them."""

    page: Page
    step: str = ""
    counts: Counter = field(default_factory=Counter)
    on_step: object = None  # called with the step's name when a step starts

    def begin(self, step: str) -> None:
        self.step = step
        if self.on_step:
            self.on_step(step)

    def _count(self) -> None:
        self.counts[self.step] += 1

    def click(self, locator: Locator) -> None:
        self._count()
        locator.click()

    def fill(self, locator: Locator, value: str) -> None:
        self._count()
        locator.fill(value)

    def choose(self, locator: Locator, label: str) -> None:
        self._count()
        locator.select_option(label=label)

    def tick(self, locator: Locator) -> None:
        self._count()
        locator.check()

    def paste(self, locator: Locator, text: str) -> None:
        """One Ctrl+V of what the spreadsheet copied (putting it on the clipboard is the
        spreadsheet's part, not counted)."""
        self._count()
        self.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.page.evaluate("text => navigator.clipboard.writeText(text)", text)
        locator.focus()
        self.page.keyboard.press("Control+V")

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def shot(page: Page, shots: str | None, name: str) -> None:
    if shots:
        page.screenshot(path=shots.format(name), full_page=True)


def record_incident(actions: Actions, *, title: str, shots: str | None = None) -> None:
    page = actions.page
    actions.begin("incident")
    shot(page, shots, "01-home")
    actions.click(page.get_by_role("link", name="Зарегистрировать инцидент").first)
    actions.fill(page.get_by_role("textbox", name="Название*", exact=True), title)
    actions.fill(
        page.get_by_role("textbox", name="Место*", exact=True), "Рынок «Барахолка», ряды 10–14"
    )
    actions.fill(page.get_by_role("textbox", name="Город*", exact=True), "Алматы")
    shot(page, shots, "02-incident-form")
    actions.click(page.get_by_role("button", name="Сохранить"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    shot(page, shots, "03-incident")


def take_in(actions: Actions, people: list[Detainee], *, shots: str | None = None) -> None:
    page = actions.page
    actions.begin("intake")
    first_cell = page.get_by_label("Фамилия (кириллицей), строка 1", exact=True)
    actions.paste(first_cell, spreadsheet(people))
    last = len(people)
    expect(page.get_by_label(f"Номер паспорта, строка {last}", exact=True)).to_have_value(
        people[-1].passport
    )
    expect(page.get_by_role("status").filter(has_text="Не распознано")).to_have_count(0)
    shot(page, shots, "04-pasted")
    actions.click(page.get_by_role("button", name="Зарегистрировать и привязать"))
    expect(page.get_by_text("возможно, уже есть в базе").first).to_be_visible()
    shot(page, shots, "05-candidates")
    for number, person in enumerate(people, start=1):
        if person.known:
            same = re.compile(rf"^Это тот же человек, строка {number}:")
            actions.tick(page.get_by_label(same))
    actions.click(page.get_by_role("button", name="Зарегистрировать и привязать"))
    known = sum(person.known for person in people)
    expect(
        page.get_by_text(re.compile(rf"Привязано уже известных людей: {known}\."))
    ).to_be_visible(timeout=60000)
    shot(page, shots, "06-saved")


def record_sitting(
    actions: Actions,
    *,
    court: str,
    sitting_on: date,
    late: str,
    lawyer: str,
    shots: str | None = None,
) -> None:
    """One sitting for all: what they had in common once, one person's copy a day later."""
    page = actions.page
    actions.begin("sitting")
    # The incident page's next steps, as a newcomer follows them.
    actions.click(page.get_by_role("link", name="Записать заседание суда по всем сразу"))
    expect(page.get_by_role("heading", name="Записать заседание суда")).to_be_visible()
    sitting = page.get_by_role("region", name="Заседание", exact=True)
    actions.choose(sitting.get_by_role("combobox", name="Суд*", exact=True), court)
    actions.fill(sitting.get_by_label("Дата и время"), f"{sitting_on.isoformat()}T10:00")
    actions.fill(sitting.get_by_label("Судья", exact=True), "Судья Тестова А. К.")
    actions.choose(
        sitting.get_by_role("combobox", name="Решение*", exact=True), "Назначено выдворение"
    )
    actions.fill(sitting.get_by_label("Дата получения копии решения"), sitting_on.isoformat())
    actions.choose(sitting.get_by_label("Ответственный юрист по новым делам"), lawyer)
    late_row = page.get_by_role("group", name=late)
    actions.fill(
        late_row.get_by_label("Копия получена"), (sitting_on + timedelta(days=1)).isoformat()
    )
    shot(page, shots, "07-sitting")
    actions.click(page.get_by_role("button", name="Записать заседание"))
    expect(page.get_by_text(re.compile(r"Записано заседаний: \d+"))).to_be_visible(timeout=60000)
    shot(page, shots, "08-sitting-saved")


def print_appeals(actions: Actions, total: int, *, shots: str | None = None, on_printing=None):
    """From the incident page to the merged PDF's link; returns the link's address and the
    names in the order the batch page lists them.
    `on_printing(page)` runs once the print button was clicked (to watch the progress)."""
    page = actions.page
    actions.begin("batch")
    actions.click(page.get_by_role("link", name="Напечатать жалобы для всех"))
    actions.choose(page.get_by_label("Письмо"), APPEAL)
    expect(page.get_by_text(f"Готовы {total} из {total}")).to_be_visible(timeout=60000)
    ready = page.get_by_role("listitem").filter(has=page.get_by_text("готово", exact=True))
    listed = [text.rsplit("готово", 1)[0].strip() for text in ready.all_inner_texts()]
    shot(page, shots, "09-batch-ready")
    actions.click(page.get_by_role("button", name=f"Напечатать для всех {total} клиентов"))
    if on_printing:
        on_printing(page)
    open_pdf = page.get_by_role("link", name="Открыть все письма для печати")
    expect(open_pdf).to_be_visible(timeout=600_000)
    shot(page, shots, "11-batch-done")
    return open_pdf.get_attribute("href"), listed


def open_merged_pdf(actions: Actions, href: str) -> bytes:
    """The click on "open all letters to print": counted, and the PDF fetched as the browser
    would (headless Chromium shows no PDF viewer to read back)."""
    page = actions.page
    actions.begin("open the PDF")
    actions._count()
    response = page.request.get(urljoin(page.url, href))
    assert response.headers["content-type"] == "application/pdf"
    return response.body()
