"""The office's logo on the letterhead: uploaded once by an administrator, checked by its
content, printed on every letter, and the only file from outside static/ the renderer reads."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from documents.admin import LetterheadForm
from documents.defaults import install_default_templates
from documents.models import Letterhead, LetterTemplate
from documents.pdf import RefusedURL, SafeFetcher, image_url, pdf_text, render_pdf
from documents.services import issue_letter, read_pdf
from tests.factories import FineFactory, UserFactory

pytestmark = pytest.mark.django_db


def png(width: int = 120, height: int = 60, colour=(20, 60, 140)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def images_on(pdf: bytes) -> list[int]:
    """Images each page draws (`Do` in its content), not those its shared resources list."""
    return [
        page.get_contents().get_data().count(b" Do\n") for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def add_logo(office, data: bytes) -> Letterhead:
    letterhead = Letterhead(office=office, logo_sha256="x")
    letterhead.logo.save("logo.png", ContentFile(data), save=False)
    letterhead.save()
    return letterhead


@pytest.fixture
def fine_case(case):
    FineFactory(case=case, protocol_number="П-2026-12")
    install_default_templates()
    return case


def issue(case, lawyer):
    template = LetterTemplate.objects.get(kind="fine_complaint", language="ru")
    return issue_letter(case=case, template=template, issued_by=lawyer, paragraphs={})


def test_an_issued_letter_prints_the_office_logo_on_its_first_page(fine_case, lawyer):
    logo = png()
    add_logo(fine_case.office, logo)

    letter = issue(fine_case, lawyer)
    pdf = read_pdf(letter)

    assert images_on(pdf)[0] == 1
    assert sum(images_on(pdf)) == 1  # the letterhead is on the first page only
    assert image_url(logo) in letter.html  # the stored HTML names the exact logo printed
    assert fine_case.office.letterhead_name in pdf_text(pdf)


def test_without_a_logo_the_letter_has_no_image(fine_case, lawyer):
    pdf = read_pdf(issue(fine_case, lawyer))

    assert sum(images_on(pdf)) == 0


def test_an_office_sees_only_its_own_logo(fine_case, lawyer, other_office):
    add_logo(other_office, png(colour=(200, 0, 0)))

    pdf = read_pdf(issue(fine_case, lawyer))

    assert sum(images_on(pdf)) == 0


def test_the_fetcher_serves_only_the_images_it_was_handed():
    logo = png()
    fetcher = SafeFetcher(images={image_url(logo): logo})

    assert fetcher.fetch(image_url(logo)).read() == logo
    with pytest.raises(RefusedURL):
        fetcher.fetch(image_url(png(colour=(1, 2, 3))))
    with pytest.raises(RefusedURL):
        SafeFetcher().fetch(image_url(logo))


def test_a_body_cannot_load_an_image_by_a_name_it_was_not_handed():
    other = png(colour=(0, 200, 0))
    html = f'<html><body><img src="{image_url(other)}"><p>Текст</p></body></html>'

    pdf = render_pdf(html, images=[png()])

    assert sum(images_on(pdf)) == 0
    assert "Текст" in pdf_text(pdf)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def form(upload):
    return LetterheadForm(data={"office": upload[1].pk}, files={"logo": upload[0]})


def test_a_png_logo_is_accepted_and_stored_under_a_name_of_our_own(office):
    upload = SimpleUploadedFile("../../Логотип фонда.png", png(), content_type="image/png")
    letterhead_form = form((upload, office))

    assert letterhead_form.is_valid(), letterhead_form.errors
    letterhead = letterhead_form.save()
    assert letterhead.logo.name.startswith("letterheads/")
    assert "Логотип" not in letterhead.logo.name and ".." not in letterhead.logo.name
    assert len(letterhead.logo_sha256) == 64
    assert letterhead.logo_bytes() == png()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"%PDF-1.7 not an image", "PNG or JPEG"),
        ("logo.png", b"GIF89a" + b"\0" * 40, "PNG or JPEG"),
        ("logo.png", png()[:40], "cannot be read"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024), "limit is 0.5 MB"),
    ],
)
def test_a_bad_logo_is_refused_with_the_reason(office, name, content, message):
    letterhead_form = form((SimpleUploadedFile(name, content, content_type="image/png"), office))

    assert not letterhead_form.is_valid()
    assert message in " ".join(letterhead_form.errors["logo"])
    assert not Letterhead.objects.exists()


def test_an_enormous_image_is_refused(office):
    letterhead_form = form((SimpleUploadedFile("logo.png", png(5000, 10)), office))

    assert not letterhead_form.is_valid()
    assert "at most 4000" in " ".join(letterhead_form.errors["logo"])


def test_an_administrator_uploads_a_logo_in_the_admin(client, office):
    admin = UserFactory(username="t-admin", office=office, is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:documents_letterhead_add"),
        {"office": office.pk, "logo": SimpleUploadedFile("logo.png", png())},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Letterhead.objects.get(office=office).logo_bytes() == png()


def test_a_logo_whose_file_name_has_1000_characters_is_taken(client, office):
    """The logo is stored under a name of our own: the name on the administrator's disk,
    however long, is no reason to refuse it (it was, by the model field's 100 characters)."""
    admin = UserFactory(username="t-admin", office=office, is_staff=True, is_superuser=True)
    client.force_login(admin)
    logo = io.BytesIO(png())
    logo.name = "Логотип фонда " * 70 + ".png"

    response = client.post(
        reverse("admin:documents_letterhead_add"), {"office": office.pk, "logo": logo}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    letterhead = Letterhead.objects.get(office=office)
    assert letterhead.logo_bytes() == png()
    assert "Логотип" not in letterhead.logo.name


def test_a_lawyer_cannot_reach_the_letterhead_admin(client, lawyer):
    client.force_login(lawyer)

    response = client.get(reverse("admin:documents_letterhead_changelist"))

    assert response.status_code in (302, 403)
    assert not Letterhead.objects.exists()
