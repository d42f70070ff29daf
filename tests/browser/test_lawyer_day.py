"""A lawyer's day on the demo data, in Russian, by what is on the screen: from the home page,
a client found under another spelling; a fine paid with no record at the authority, with
the receipt's scan; a hearing's decision and the appeal deadline it opens, explained; a
complaint to the prosecutor issued and downloaded; half an hour logged; another case closed.

Each step leaves a screenshot in /tmp/lawyer-day-*.png for a person to look at."""

import io
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from casework.models import Case, CaseNote

pytestmark = pytest.mark.django_db(transaction=True)
SHOT = "/tmp/lawyer-day-{}.png"
# The smallest PNG a scanner could send: one white pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4a70000000049454e44ae426082"
)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_a_lawyers_day(page, live_server, sign_in, demo):
    today = timezone.localdate()
    sign_in(page, "lawyer", settings.DEMO_PASSWORD)
    page.screenshot(path=SHOT.format("01-home"), full_page=True)

    # A client who calls: she spells her name differently from the intake.
    page.get_by_role("link", name="Найти клиента").click()
    page.get_by_label(re.compile("Имя в любом написании")).fill("Турсунова Дильноза")
    page.get_by_role("button", name="Найти").click()
    page.get_by_role("link", name=re.compile(r"^Турсунова Дилноза")).click()
    expect(page.get_by_role("heading", name=re.compile("Турсунова Дилноза"))).to_be_visible()
    page.screenshot(path=SHOT.format("02-client"), full_page=True)

    # Her fine: paid, but the authority has no record of it. The receipt's scan goes in.
    page.get_by_role("link", name=re.compile("Административный штраф")).first.click()
    fine_case = page.url
    fines = page.locator("#fines")
    fines.get_by_role("link", name="Изменить").click()
    fines.get_by_label("Статус").select_option(label="Оплачен, но в органе нет сведений об оплате")
    fines.get_by_label("Дата оплаты").fill(f"{today:%Y-%m-%d}")
    fines.get_by_label("Номер квитанции").fill("КВ-2026-7781")
    page.screenshot(path=SHOT.format("03-fine-form"), full_page=True)
    fines.get_by_role("button", name="Сохранить").click()
    expect(fines.get_by_text("Оплачен, но в органе нет сведений об оплате")).to_be_visible()
    scan = page.locator("form", has_text="Приложить скан")
    scan.get_by_label("Вид").select_option(label="Квитанция об оплате")
    scan.get_by_label("Название").fill("Квитанция об оплате штрафа")
    scan.get_by_label("Файл").set_input_files(
        {"name": "kvitanciya.png", "mimeType": "image/png", "buffer": PNG}
    )
    scan.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_text("Квитанция об оплате штрафа")).to_be_visible()
    page.screenshot(path=SHOT.format("04-fine-paid"), full_page=True)

    # A hearing held today: expulsion ordered, the decision handed over in court.
    page.get_by_role("link", name="Главная").click()
    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Дела", exact=True
    ).click()
    page.get_by_role("link", name=re.compile("-EXP$")).first.click()
    page.get_by_role("link", name="Добавить заседание").click()
    hearings = page.locator("#hearings")
    hearings.get_by_label("Дата и время").fill(f"{today:%Y-%m-%d}T10:00")
    hearings.get_by_role("combobox", name=re.compile(r"^\W*Вид\W*$")).select_option(
        label="Выдворение"
    )
    hearings.get_by_label("Суд", exact=True).select_option(label="Алматинский городской суд")
    hearings.get_by_label("Результат").select_option(label="Назначено выдворение")
    hearings.get_by_label("Дата получения решения").fill(f"{today:%Y-%m-%d}")
    hearings.get_by_role("button", name="Сохранить").click()
    appeal = page.locator("#deadlines li", has_text="Апелляционная жалоба на постановление суда")
    appeal = appeal.filter(has_text=f"со дня получения постановления суда ({today:%d.%m.%Y})")
    expect(appeal).to_have_count(1)
    expect(appeal).to_contain_text("10 календарных дней")
    page.screenshot(path=SHOT.format("05-decision-deadline"), full_page=True)

    # Back to the fine's client: a complaint to the prosecutor, issued and downloaded.
    page.goto(fine_case)
    page.get_by_role("link", name="Подготовить письмо").click()
    choice = page.get_by_label(re.compile("письмо", re.I))
    option = choice.locator("option", has_text=re.compile("^Жалоба прокурору"))
    choice.select_option(value=option.first.get_attribute("value"))
    # The letter's own questions come with its preview.
    page.get_by_role("button", name="Предпросмотр").click()
    page.get_by_label(re.compile("вымогательство")).check()
    page.get_by_role("button", name="Предпросмотр").click()
    page.screenshot(path=SHOT.format("06-letter-preview"), full_page=True)
    page.get_by_role("button", name=re.compile("^Выпустить")).first.click()
    letters = page.locator("#letters")
    expect(letters.get_by_text(re.compile("Жалоба прокурору"))).to_be_visible()
    with page.expect_download() as download:
        letters.locator("div", has_text="Жалоба прокурору").get_by_role(
            "link", name="Скачать"
        ).first.click()
    pdf = download.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Прокурору" in text and "Турсунова Дилноза" in text
    assert "требование денег" in text or "вымогател" in text
    page.screenshot(path=SHOT.format("07-letter-issued"), full_page=True)

    # Half an hour on the phone with her, logged.
    log = page.locator("#notes")
    log.get_by_role("link", name="Добавить запись").click()
    log.get_by_label("Вид").select_option(label="Телефонный звонок")
    log.get_by_label("Затраченное время").fill("30")
    log.get_by_label("Что произошло").fill("Объяснила порядок подачи жалобы, клиент согласна.")
    log.get_by_role("button", name="Сохранить").click()
    expect(log.get_by_text("30 минут")).to_be_visible()
    page.screenshot(path=SHOT.format("08-logged"), full_page=True)
    assert CaseNote.objects.filter(minutes_spent=30).count() == 1

    # Another client's complaint was settled without a court: that case is closed.
    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Дела", exact=True
    ).click()
    page.get_by_label("Вид").select_option(label="Жалоба на действия должностных лиц")
    page.get_by_role("button", name="Показать").click()
    page.locator("tbody tr").first.get_by_role("link").first.click()
    page.get_by_label(re.compile("результат", re.I)).select_option(label="Урегулировано без суда")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Закрыть дело с этим результатом").click()
    expect(page.get_by_text("Закрыто", exact=True)).to_be_visible()
    page.screenshot(path=SHOT.format("09-closed"), full_page=True)
    assert Case.objects.filter(status="closed", closed_on=today).count() == 1
