"""The PDF renderer: letters print every script we serve, and load nothing but our static files."""

import io
import logging
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from documents.pdf import RefusedURL, SafeFetcher, merge_pdfs, page_count, pdf_text, render_pdf

KAZAKH = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
OFFICE = {
    "name": "Алматы",
    "letterhead_name": "Фонд «Правовая помощь мигрантам»",
    "address": "ул. Абая, 52",
    "city": "Алматы",
    "phone": "+7 727 300 00 00",
    "email": "almaty@example.kz",
}
FILLER = (
    "<p>Заявитель просит рассмотреть жалобу с его участием и участием переводчика, "
    "известив о времени и месте рассмотрения по адресу представителя.</p>"
)


def render_letter(body: str, *, lang: str = "ru") -> bytes:
    html = render_to_string(
        "documents/letters/base.html",
        {
            "lang": lang,
            "office": OFFICE,
            "number": "ALA-L-2025-00127",
            "date": date(2025, 3, 1),
            "body": body,
            "title": "Жалоба",
        },
    )
    return render_pdf(html)


def two_page_body(first_paragraph: str) -> str:
    return f"<h1>Жалоба</h1><p>{first_paragraph}</p>" + FILLER * 30


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def embedded_files(pdf: bytes) -> dict[str, bytes]:
    """Files embedded in the PDF: document attachments and, where WeasyPrint puts
    <a rel="attachment"> targets, page annotations (pypdf's `attachments` misses those)."""
    reader = PdfReader(io.BytesIO(pdf))
    files = {name: b"".join(data) for name, data in reader.attachments.items()}
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/FileAttachment":
                spec = annotation["/FS"].get_object()
                files[str(spec["/F"])] = spec["/EF"]["/F"].get_object().get_data()
    return files


def assert_nothing_loaded(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert embedded_files(pdf) == {}
    assert sum(len(page.images) for page in reader.pages) == 0
    text = pdf_text(pdf)
    assert "root:" not in text and "/bin/" not in text
    assert b"root:x:0:0" not in pdf


def refusals(caplog) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "documents.pdf" and "refused" in record.getMessage()
    ]


def test_letter_text_keeps_cyrillic_kazakh_and_accented_latin_names():
    pdf = render_letter(f"<p>Рахимов Алишер Бахтиёрович, {KAZAKH}, Aminata Traoré</p>")

    text = pdf_text(pdf)
    assert "Рахимов Алишер Бахтиёрович" in text
    assert KAZAKH in text
    assert "Traoré" in text
    assert "Исх. № ALA-L-2025-00127 от 01.03.2025" in text


def test_letter_embeds_pt_serif_loaded_from_our_static_files():
    pdf = render_letter(f"<p>{KAZAKH} <strong>Traoré</strong></p>")

    names = font_names(pdf)
    assert any("PTSerif" in name or "PT-Serif" in name for name in names), names
    assert not any("DejaVu" in name for name in names), names


def test_two_page_russian_letter_numbers_its_pages_in_russian():
    pdf = render_letter(two_page_body("Рахимов Алишер"))

    assert page_count(pdf) == 2
    first, second = PdfReader(io.BytesIO(pdf)).pages
    assert "стр. 1 из 2" in first.extract_text()
    assert "стр. 2 из 2" in second.extract_text()


def test_english_letter_numbers_its_pages_in_english():
    pdf = render_letter(two_page_body("Aminata Traoré"), lang="en")

    text = pdf_text(pdf)
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    assert "стр." not in text


def test_merged_pdf_has_the_pages_of_both_letters():
    one_page = render_letter("<p>Короткое письмо</p>")
    two_pages = render_letter(two_page_body("Длинное письмо"))

    merged = merge_pdfs([one_page, two_pages])

    assert page_count(merged) == page_count(one_page) + page_count(two_pages) == 3
    assert "Короткое письмо" in pdf_text(merged) and "Длинное письмо" in pdf_text(merged)


def test_a_static_file_attached_on_purpose_is_embedded():
    """The control for the refusal tests: the attachment check does see what gets in."""
    pdf = render_letter('<a rel="attachment" href="fonts/pt-serif/OFL.txt">OFL</a>')

    files = embedded_files(pdf)
    assert list(files) == ["OFL.txt"]
    assert b"SIL OPEN FONT LICENSE" in files["OFL.txt"].upper()


@pytest.mark.parametrize(
    "body",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
        "<style>body { background: url(file:///etc/passwd) }</style><p>x</p>",
        "<style>@font-face { font-family: Leak; src: url(file:///etc/passwd) }"
        " p { font-family: Leak }</style><p>x</p>",
        '<a rel="attachment" href="../../../../../../etc/passwd">climb</a>',
        '<img src="../../../../../../etc/passwd">',
        '<a rel="attachment" href="css/../../pyproject.toml">sibling of static</a>',
        '<a rel="attachment" href="%2e%2e/pyproject.toml">encoded climb</a>',
        '<a rel="attachment" href="data:text/plain,root:x:0:0">inline</a>',
    ],
)
def test_local_files_outside_static_are_refused_and_nothing_lands_in_the_pdf(body, caplog):
    caplog.set_level(logging.WARNING, logger="documents.pdf")

    pdf = render_letter(body)

    assert_nothing_loaded(pdf)
    assert "[project]" not in pdf_text(pdf)
    records = refusals(caplog)
    assert records and all(record.levelno == logging.WARNING for record in records)
    assert not any("passwd" in r.getMessage() or "pyproject" in r.getMessage() for r in records)


@pytest.fixture
def recording_server():
    """A real HTTP server on 127.0.0.1 that remembers every request it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"leaked")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_network_urls_are_refused_without_a_single_request(recording_server, caplog):
    url, requests = recording_server
    caplog.set_level(logging.WARNING, logger="documents.pdf")
    body = (
        f'<img src="{url}/x.png">'
        f'<link rel="stylesheet" href="{url}/x.css">'
        f"<style>@import url({url}/import.css); p {{ background: url({url}/bg.png) }}</style>"
        f'<a rel="attachment" href="{url}/attachment.txt">a</a><p>Текст</p>'
    )

    pdf = render_letter(body)

    assert requests == []
    assert_nothing_loaded(pdf)
    assert "leaked" not in pdf_text(pdf)
    assert len(refusals(caplog)) >= 4
    # The recorder works: the same server does answer a request made on purpose.
    with urlopen(f"{url}/control") as response:
        assert response.read() == b"leaked"
    assert requests == ["/control"]


def test_a_base_element_cannot_point_relative_urls_at_the_network(recording_server):
    url, requests = recording_server

    pdf = render_letter(f'<base href="{url}/"><img src="x.png"><p>Текст</p>')

    assert requests == []
    assert_nothing_loaded(pdf)


def test_fetcher_serves_a_static_file():
    static = Path(settings.BASE_DIR) / "static"

    response = SafeFetcher().fetch((static / "fonts" / "fonts.css").as_uri())

    assert b"@font-face" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/logo.png",
        "ftp://example.org/logo.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file://evil.example/static/fonts/fonts.css",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(RefusedURL):
        SafeFetcher().fetch(url)


def test_fetcher_refuses_a_symlink_in_static_that_points_outside(tmp_path, settings):
    static = tmp_path / "static"
    static.mkdir()
    (static / "leak.txt").symlink_to("/etc/passwd")
    (static / "note.txt").write_text("served")
    settings.STATICFILES_DIRS = [static]

    assert SafeFetcher().fetch((static / "note.txt").as_uri()).read() == b"served"
    with pytest.raises(RefusedURL):
        SafeFetcher().fetch((static / "leak.txt").as_uri())
