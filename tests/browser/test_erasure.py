"""A coordinator finds a client who asked for their data, exports everything held about her,
then erases her, in a real browser."""

import json
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Case
from clients.models import Erasure
from documents.pdf import pdf_text
from tests.factories import CaseFactory, ClientFactory, DocumentFactory, OfficeFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("uploads_dir")]


def test_a_coordinator_exports_and_erases_a_client(page, live_server, sign_in):
    office = OfficeFactory(name="Алматы (удаление)", registry_prefix="ERS")
    UserFactory(username="c-erase", office=office, groups=["coordinator"])
    person = ClientFactory(
        office=office,
        last_name="Нурмагамбетова",
        first_name="Сауле",
        last_name_latin="Nurmagambetova",
        first_name_latin="Saule",
        phone="+7 777 123 45 67",
    )
    DocumentFactory(client=person, number="N55501234")
    case = CaseFactory(client=person, kind=Case.Kind.PERMIT)
    case.close(outcome="won", closed_on=timezone.localdate())

    sign_in(page, "c-erase")
    page.get_by_role("link", name="Клиенты").click()
    page.get_by_label("Имя в любом написании").fill("Nurmagambetova")
    page.get_by_label("Имя в любом написании").press("Enter")
    page.get_by_role("link", name="Нурмагамбетова Сауле (Nurmagambetova Saule)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Выгрузить все данные (PDF)").click()
    text = pdf_text(Path(pdf.value.path()).read_bytes())
    assert "N55501234" in text and case.reference in text
    with page.expect_download() as archive:
        page.get_by_role("link", name="ZIP: JSON и файлы").click()
    data = json.loads(zipfile.ZipFile(archive.value.path()).read("data.json"))
    assert data["client"]["phone"] == "+7 777 123 45 67"

    page.get_by_role("link", name="Удалить персональные данные").click()
    expect(page.get_by_text("Это нельзя отменить.")).to_be_visible()
    page.get_by_label("По заявлению клиента").check()
    page.get_by_label("Примечание к записи об удалении").fill("Заявление от 12.01.2026 № 3")
    page.get_by_label("Фамилия клиента — для подтверждения").fill("Нурмагамбетов")
    page.get_by_role("button", name="Удалить персональные данные").click()
    expect(page.get_by_text("Это не фамилия клиента")).to_be_visible()
    assert not Erasure.objects.exists()

    page.get_by_label("Фамилия клиента — для подтверждения").fill("нурмагамбетова")
    page.get_by_role("button", name="Удалить персональные данные").click()
    expect(page.get_by_text("Персональные данные клиента удалены.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Удалённый клиент #{person.pk}")
    expect(page.locator("#person").get_by_role("status")).to_contain_text(
        "Основание: По заявлению клиента."
    )
    expect(page.get_by_role("link", name="Удалить персональные данные")).to_have_count(0)
    expect(page.get_by_text("N55501234")).to_have_count(0)

    page.get_by_role("link", name="Клиенты").first.click()
    page.get_by_label("Имя в любом написании").fill("Nurmagambetova")
    page.get_by_label("Имя в любом написании").press("Enter")
    expect(page.get_by_role("link", name=f"Удалённый клиент #{person.pk}")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Нурмагамбетова")
