"""Scans uploaded to a client or a case: type read from content, size bounded, stored outside
anything served, downloaded only through an access check."""

import hashlib
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Attachment
from documents.uploads import NAME_MAX_LENGTH, display_name, download_name
from tests.factories import CaseFactory

# Each test stores its files in its own folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_dir")]

HTMX = {"HTTP_HX_REQUEST": "true"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def png_bytes() -> bytes:
    """A valid 1×1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(location: Path) -> list[Path]:
    return [p for p in location.rglob("*") if p.is_file()] if location.exists() else []


@pytest.fixture
def client_file(client_record, paralegal):
    return Attachment.objects.create(
        client=client_record,
        kind=Attachment.Kind.PASSPORT,
        file=ContentFile(pdf_bytes(), name="stored.pdf"),
        original_name="паспорт.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        sha256=hashlib.sha256(pdf_bytes()).hexdigest(),
        uploaded_by=paralegal,
    )


@pytest.fixture
def urls(client_record, case, client_file):
    return {
        "client_attachments": reverse("documents:client_attachments", args=[client_record.pk]),
        "case_attachments": reverse("documents:case_attachments", args=[case.pk]),
        "attachment_download": reverse("documents:attachment_download", args=[client_file.pk]),
    }


LISTS = ["client_attachments", "case_attachments"]
ALL = [(name, "get") for name in LISTS + ["attachment_download"]] + [
    (name, "post") for name in LISTS
]


@pytest.mark.parametrize(("name", "method"), ALL)
def test_anonymous_is_sent_to_login(client, urls, name, method):
    response = getattr(client, method)(urls[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "method"), ALL)
def test_outsider_from_another_office_gets_404(client, urls, outsider, name, method):
    client.force_login(outsider)
    data = {"kind": "passport", "file": upload("scan.pdf", pdf_bytes())}
    response = getattr(client, method)(urls[name], data if method == "post" else None)
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("name", LISTS)
def test_read_only_colleague_sees_the_list_without_an_upload_form(client, urls, reader, name):
    client.force_login(reader)
    response = client.get(urls[name])
    assert response.status_code == 200
    assert 'id="attachments"' in response.content.decode()
    assert 'enctype="multipart/form-data"' not in response.content.decode()


def test_read_only_colleague_can_download(client, urls, reader):
    client.force_login(reader)
    response = client.get(urls["attachment_download"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


@pytest.mark.parametrize("name", LISTS)
def test_read_only_colleague_cannot_upload(client, urls, reader, uploads_dir, name):
    client.force_login(reader)
    before = stored_files(uploads_dir)
    response = client.post(urls[name], {"kind": "other", "file": upload("scan.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert Attachment.objects.count() == 1
    assert stored_files(uploads_dir) == before


def test_client_page_lists_the_clients_files(client, urls, lawyer, client_file):
    client.force_login(lawyer)
    page = client.get(urls["client_attachments"]).content.decode()
    assert "паспорт.pdf" in page
    assert urls["attachment_download"] in page
    assert 'hx-encoding="multipart/form-data"' in page


def test_archived_files_are_not_listed(client, urls, lawyer, client_file):
    client_file.archive()
    client.force_login(lawyer)
    page = client.get(urls["client_attachments"]).content.decode()
    assert urls["attachment_download"] not in page


def test_a_real_png_is_accepted_with_its_checksum_and_type(client, lawyer, client_record):
    client.force_login(lawyer)
    url = reverse("documents:client_attachments", args=[client_record.pk])
    data = {"kind": "passport", "title": "Паспорт", "file": upload("scan.png", png_bytes())}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    attachment = Attachment.objects.get(title="Паспорт")
    assert attachment.client == client_record
    assert attachment.uploaded_by == lawyer
    assert attachment.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    assert attachment.size == len(png_bytes())
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "scan.png"
    assert attachment.file.name.endswith(".png")
    assert "scan" not in attachment.file.name


def test_htmx_upload_to_a_case_answers_with_the_refreshed_section(client, lawyer, case):
    client.force_login(lawyer)
    url = reverse("documents:case_attachments", args=[case.pk])
    data = {"kind": "decision", "title": "Решение суда", "file": upload("r.pdf", pdf_bytes())}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="attachments"')
    assert "<html" not in page
    assert "Решение суда" in page
    assert Attachment.objects.get(case=case).content_type == "application/pdf"


def test_the_type_comes_from_the_content_not_the_name(client, lawyer, client_record):
    """A PNG called scan.pdf, announced by the browser as a PDF, is stored and sent as a PNG."""
    client.force_login(lawyer)
    url = reverse("documents:client_attachments", args=[client_record.pk])
    client.post(url, {"kind": "permit", "file": upload("scan.pdf", png_bytes(), "application/pdf")})
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")
    response = client.get(reverse("documents:attachment_download", args=[attachment.pk]))
    assert response["Content-Type"] == "image/png"
    assert 'filename="scan.png"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", b"<?php system($_GET['c']); ?>"],
    ids=["html", "php"],
)
def test_a_file_named_pdf_whose_content_is_not_a_pdf_is_refused(
    client, lawyer, client_record, uploads_dir, content
):
    client.force_login(lawyer)
    url = reverse("documents:client_attachments", args=[client_record.pk])
    data = {"kind": "passport", "title": "Паспорт Ботира", "file": upload("passport.pdf", content)}
    response = client.post(url, data, **ENGLISH)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This file is not a PDF, JPEG or PNG image" in page
    assert 'value="Паспорт Ботира"' in page  # what was typed is kept
    assert '<option value="passport" selected>' in page
    assert not Attachment.objects.exists()
    assert stored_files(uploads_dir) == []


def test_an_oversized_upload_is_refused_naming_the_limit_and_nothing_is_stored(
    client, lawyer, client_record, uploads_dir, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(lawyer)
    url = reverse("documents:client_attachments", args=[client_record.pk])
    big = b"%PDF-1.4\n".ljust(3 * 1024 * 1024 // 2, b"0")  # 1.5 MB exactly
    response = client.post(
        url, {"kind": "decision", "file": upload("big.pdf", big)}, **HTMX, **ENGLISH
    )
    assert response.status_code == 400
    assert "The file is 1.5 MB; the limit is 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(uploads_dir) == []


def test_downloaded_bytes_equal_the_uploaded_bytes(client, lawyer, case):
    client.force_login(lawyer)
    url = reverse("documents:case_attachments", args=[case.pk])
    client.post(url, {"kind": "receipt", "file": upload("Квитанция №5.pdf", pdf_bytes())})
    attachment = Attachment.objects.get()
    response = client.get(reverse("documents:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%D0%9A%D0%B2%D0%B8" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_files_land_under_the_storage_location_not_under_static(
    client, lawyer, client_record, uploads_dir
):
    client.force_login(lawyer)
    url = reverse("documents:client_attachments", args=[client_record.pk])
    client.post(url, {"kind": "other", "file": upload("scan.png", png_bytes())})
    path = Path(Attachment.objects.get().file.path).resolve()
    assert path.is_relative_to(uploads_dir.resolve())
    assert path.read_bytes() == png_bytes()
    for static in [django_settings.STATIC_ROOT, django_settings.BASE_DIR / "static"]:
        assert not path.is_relative_to(Path(static).resolve())


def test_a_file_of_a_sensitive_case_is_404_for_an_unassigned_colleague(client, reader, case):
    case.sensitivity = "sensitive"
    case.save()
    attachment = Attachment.objects.create(
        case=case,
        file=ContentFile(pdf_bytes(), name="s.pdf"),
        original_name="s.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        sha256=hashlib.sha256(pdf_bytes()).hexdigest(),
        uploaded_by=case.responsible_lawyer,
    )
    client.force_login(reader)
    response = client.get(reverse("documents:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404


def test_the_download_name_keeps_no_folders_or_control_characters():
    assert display_name("..\\..\\windows\\evil\r\nname.pdf") == "evilname.pdf"
    assert display_name("../../.htaccess") == "htaccess"
    assert download_name("отказ.php", "application/pdf") == "отказ.pdf"
    assert download_name("photo.JPEG", "image/jpeg") == "photo.JPEG"
    assert download_name("x" * 300 + ".exe", "application/pdf") == "x" * 115 + "….pdf"


def named_file(name: str, content: bytes) -> io.BytesIO:
    """A file the test client sends under exactly `name`: SimpleUploadedFile would cut it to
    255 characters before it is sent, as Django does on the receiving side."""
    file = io.BytesIO(content)
    file.name = name
    return file


LONG_NAME = "Постановление о наложении штрафа " * 30 + ".pdf"  # 994 characters


def test_a_file_with_a_1000_character_name_is_taken_and_the_page_says_the_name_was_shortened(
    client, lawyer, client_record, uploads_dir
):
    """The scan is what matters: it is stored, and the name it is listed under is cut to a
    length a list can show, here and on PostgreSQL alike, with a word about it."""
    client.force_login(lawyer)
    client.cookies["django_language"] = "ru"
    url = reverse("documents:client_attachments", args=[client_record.pk])
    data = {"kind": "decision", "title": "", "file": named_file(LONG_NAME, pdf_bytes())}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert len(attachment.original_name) <= NAME_MAX_LENGTH
    assert attachment.original_name.startswith("Постановление о наложении штрафа")
    assert attachment.original_name.endswith("….pdf")
    assert len(stored_files(uploads_dir)) == 1
    page = response.content.decode()
    assert "Файл загружен." in page
    assert f"Имя файла длиннее {NAME_MAX_LENGTH} символов, поэтому оно сокращено" in page
    assert attachment.original_name in page
    download = client.get(reverse("documents:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_over_htmx_the_refreshed_section_says_the_name_was_shortened(client, lawyer, case):
    client.force_login(lawyer)
    client.cookies["django_language"] = "ru"
    url = reverse("documents:case_attachments", args=[case.pk])
    data = {"kind": "decision", "title": "Решение", "file": named_file(LONG_NAME, pdf_bytes())}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "поэтому оно сокращено" in page
    assert Attachment.objects.get(case=case).title == "Решение"


def test_a_name_too_long_even_to_be_received_is_explained_in_the_forms_message_place(
    client, lawyer, case
):
    """Past 8 KB of part headers the request cannot be read at all: nothing is saved, and
    over htmx the answer goes to the form's message place, the form staying as typed."""
    client.force_login(lawyer)
    client.cookies["django_language"] = "ru"
    url = reverse("documents:case_attachments", args=[case.pk])
    data = {"kind": "decision", "file": named_file("ж" * 5000 + ".pdf", pdf_bytes())}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == ".upload-message"
    assert "Переименуйте файл" in response.content.decode()
    page = client.post(url, data).content.decode()
    assert "Файл не удалось принять" in page and f'href="{url}"' in page
    assert not Attachment.objects.exists()


def test_a_short_name_brings_no_word_about_shortening(client, lawyer, case):
    client.force_login(lawyer)
    client.cookies["django_language"] = "ru"
    url = reverse("documents:case_attachments", args=[case.pk])
    data = {"kind": "decision", "file": named_file("решение.pdf", pdf_bytes())}
    page = client.post(url, data, **HTMX).content.decode()
    assert "сокращено" not in page
    assert Attachment.objects.get(case=case).original_name == "решение.pdf"


def test_a_refused_file_with_a_long_name_keeps_what_was_typed(client, lawyer, client_record):
    client.force_login(lawyer)
    client.cookies["django_language"] = "ru"
    url = reverse("documents:client_attachments", args=[client_record.pk])
    data = {"kind": "receipt", "title": "Квитанция", "file": named_file(LONG_NAME, b"not a pdf")}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Это не PDF и не изображение JPEG или PNG" in page
    assert 'value="Квитанция"' in page
    assert '<option value="receipt" selected>' in page
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("sent", "listed"),
    [
        ("C:\\Users\\aziz\\Desktop\\паспорт.pdf", "паспорт.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("ev\x00il.pdf", "evil.pdf"),
        ("a\x01\x1b[31mb\x7f.pdf", "a[31mb.pdf"),
        # A right-to-left override would show "отказ\u202efdp.exe" as "отказexe.pdf".
        ("отказ\u202efdp.exe", "отказfdp.exe"),
        ("\u2067скан\u2069 .pdf", "скан .pdf"),
    ],
    ids=["windows-path", "traversal", "nul", "control", "rtl-override", "isolates"],
)
def test_a_name_with_folders_or_hidden_characters_is_listed_clean(
    client, lawyer, case, sent, listed
):
    client.force_login(lawyer)
    url = reverse("documents:case_attachments", args=[case.pk])
    response = client.post(url, {"kind": "other", "file": named_file(sent, pdf_bytes())})
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert attachment.original_name == listed
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)


def add_files(n: int, *, uploaded_by, **owner) -> None:
    for i in range(n):
        Attachment.objects.create(
            **owner,
            file=f"attachments/x{i}.pdf",
            original_name=f"scan-{i}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
            uploaded_by=uploaded_by,
        )


# With the access record of the read.
@pytest.mark.parametrize(("name", "queries"), [("client_attachments", 8), ("case_attachments", 8)])
def test_the_list_runs_a_fixed_number_of_queries(
    client, lawyer, paralegal, client_record, name, queries, django_assert_num_queries
):
    case = CaseFactory(client=client_record, responsible_lawyer=lawyer)
    owner = {"client": client_record} if name == "client_attachments" else {"case": case}
    url = reverse(f"documents:{name}", args=[next(iter(owner.values())).pk])
    client.force_login(lawyer)
    add_files(1, uploaded_by=paralegal, **owner)
    with django_assert_num_queries(queries) as one:
        client.get(url, **HTMX)
    add_files(19, uploaded_by=lawyer, **owner)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url, **HTMX)
    assert response.content.decode().count('id="attachment-') == 20
