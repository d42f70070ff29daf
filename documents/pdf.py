"""The one PDF renderer: HTML to PDF with WeasyPrint, and the small PDF helpers around it.

Nothing else in Casework imports WeasyPrint. A letter is rendered with ``base_url`` set to
the ``file://`` URL of the project's ``static/`` directory, so templates reach our static
files by *relative* URLs only (``<img src="img/seal.png">``); the letter stylesheet
``static/css/letter.css`` (which ``@import``s ``../fonts/fonts.css``) is parsed once per
process and applied to every render.

WeasyPrint's default fetcher reads any local file and the network (``<a rel="attachment"
href="file:///etc/passwd">`` embeds that file in the PDF). ``SafeFetcher`` serves only
regular files whose resolved path lies under a static root, plus the few images the caller
hands to ``render_pdf`` by name (an office's logo, which is an upload and so lives outside
static), and refuses everything else.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mimetypes
import re
import ssl
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

log = logging.getLogger(__name__)

# Loading the @font-face files into fontconfig is the slow part of a render; one
# configuration per process keeps them loaded (it caches each face by its descriptors).
FONT_CONFIG = FontConfiguration()
# No shared `cache=` for images: letters have none today (measured: no difference), and a
# process-wide one would also remember refused URLs and stale files for the worker's life.
# Pango and fontconfig objects shared through FONT_CONFIG are not thread-safe.
RENDER_LOCK = threading.Lock()
# The fetcher never opens https (it refuses every scheme but file), yet URLFetcher builds an
# HTTPS handler: handing it a context that trusts nothing skips loading the system's
# certificate store, which took about a quarter of a warm render.
NO_TRUST = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
# Images handed to render_pdf are named `casework-image:<sha256>` in the HTML.
IMAGE_SCHEME = "casework-image"
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class RefusedURL(ValueError):
    """A resource a letter may not load. WeasyPrint logs it and skips the resource."""


def static_base_dir() -> Path:
    """The directory letter templates resolve relative URLs against."""
    return Path(settings.BASE_DIR) / "static"


def static_roots() -> list[Path]:
    """Every directory Casework's static files come from, symlinks resolved."""
    roots = [static_base_dir()]
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, list | tuple) else entry))
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            if location := getattr(storage, "location", None):
                roots.append(Path(location))
    return [root.resolve() for root in roots]


class SafeFetcher(URLFetcher):
    """Serves regular files under the static roots; refuses every other URL.

    Refused: http, https, ftp, any other scheme, ``file:`` paths that resolve (after
    ``..`` and symlinks) outside the static roots, and ``data:`` URIs. ``data:`` is
    refused too although it reads nothing from disk or network: every image or font a
    letter needs ships in ``static/``, and an inline URI in an administrator-edited body
    could otherwise smuggle an arbitrary file (``<a rel="attachment">``) or a huge image
    into an issued, immutable letter.
    """

    def __init__(self, images: Mapping[str, bytes] | None = None, **kwargs) -> None:
        super().__init__(allowed_protocols=("file",), ssl_context=NO_TRUST, **kwargs)
        self._roots = static_roots()
        self._images = dict(images or {})

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url in self._images:
            data = self._images[url]
            content_type = next(
                (kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None
            )
            if content_type is None:
                self.refuse(IMAGE_SCHEME)
            return URLFetcherResponse(url, data, headers={"Content-Type": content_type})
        parts = urlsplit(url)
        scheme = parts.scheme  # lower case, and only [a-z0-9+.-]: safe to log
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            self.refuse(scheme)
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            self.refuse(scheme)
        if not path.is_file() or not any(path.is_relative_to(root) for root in self._roots):
            self.refuse(scheme)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # Read the resolved path, not the URL, so a symlink swapped in now changes nothing.
        return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})

    @staticmethod
    def refuse(scheme: str) -> None:
        # The URL itself may carry names or case numbers: log only the scheme.
        log.warning("PDF resource with scheme %r refused", scheme or "(none)")
        raise RefusedURL(f"{scheme or '(none)'} URL refused")


def image_url(data: bytes) -> str:
    """The name under which an image handed to render_pdf is reachable from the HTML: its
    checksum, so the stored HTML of a letter says exactly which image it printed."""
    return f"{IMAGE_SCHEME}:{hashlib.sha256(data).hexdigest()}"


@cache
def letter_stylesheet() -> CSS:
    """static/css/letter.css with its fonts, parsed once per process (about 10 ms a render)."""
    url = path2url(static_base_dir() / "css" / "letter.css")
    return CSS(url=url, url_fetcher=SafeFetcher(), font_config=FONT_CONFIG)


def render_pdf(html: str, *, images: list[bytes] = ()) -> bytes:
    """A full HTML document, rendered to PDF with the letter stylesheet; only our static
    files and the given images (named by `image_url`) are reachable."""
    fetcher = SafeFetcher(images={image_url(data): data for data in images})
    document = HTML(string=html, base_url=path2url(static_base_dir()), url_fetcher=fetcher)
    with RENDER_LOCK:
        return document.write_pdf(font_config=FONT_CONFIG, stylesheets=[letter_stylesheet()])


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF with the pages of each given PDF, in order (batch printing)."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The text of every page, joined by newlines. Runs of spaces become one: pypdf turns
    the wider gaps of justified lines into extra spaces."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(re.sub(r"[ \t]+", " ", page.extract_text()) for page in pages)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
