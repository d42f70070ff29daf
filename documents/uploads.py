"""Checking an uploaded scan before it is stored: its type is read from its first bytes, never
from its name or the browser's word, and its size is bounded."""

from __future__ import annotations

import hashlib
import math
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024

# Leading bytes of each accepted type, and the extension a stored file of that type gets.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
EXTENSIONS = {
    "application/pdf": [".pdf"],
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
}
ACCEPT = ",".join(EXTENSIONS) + "," + ",".join(ext for exts in EXTENSIONS.values() for ext in exts)


# Django refuses a multipart part whose headers pass 1 KB, and a file's name travels in those
# headers: a name of 1,000 characters (up to 4,000 bytes in UTF-8) would lose the whole form
# to a "Bad Request". 8 KB keeps the parser bounded and lets the name through, to be
# shortened below like any long name.
MULTIPART_HEADER_MAX_BYTES = 8 * 1024


def receive_long_file_names() -> None:
    """Let the multipart parser read part headers up to MULTIPART_HEADER_MAX_BYTES."""
    from django.http import multipartparser

    multipartparser.MAX_TOTAL_HEADER_SIZE = max(
        multipartparser.MAX_TOTAL_HEADER_SIZE, MULTIPART_HEADER_MAX_BYTES
    )


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def sniff(head: bytes) -> str | None:
    """The content type the file's first bytes show, or None for anything not accepted."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def megabytes(size: int, *, round_up: bool = False) -> str:
    """A size in MB to one decimal, without a trailing ".0"; rounded up for a refused file,
    so a file just over the limit never reads as equal to it."""
    tenths = math.ceil(size * 10 / MEGABYTE) if round_up else round(size * 10 / MEGABYTE)
    return number_format(tenths / 10, decimal_pos=0 if tenths % 10 == 0 else 1)


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s MB; the limit is %(limit)s MB.")
        % {"size": megabytes(size, round_up=True), "limit": megabytes(limit)},
        code="too_big",
    )


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse a file over the limit or of a type not accepted; otherwise its sniffed type,
    size and SHA-256, computed in one pass over its chunks."""
    limit = max_bytes()
    # The size the upload handler counted while receiving, not a header the client sent.
    if upload.size > limit:
        raise _too_big(upload.size, limit)
    digest = hashlib.sha256()
    head = b""
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 8:
            head += chunk[: 8 - len(head)]
        size += len(chunk)
        if size > limit:
            raise _too_big(size, limit)
        digest.update(chunk)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(
            _(
                "This file is not a PDF, JPEG or PNG image "
                "(its content says otherwise, whatever its name)."
            ),
            code="wrong_type",
        )
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())


def stored_name(content_type: str) -> str:
    """A name of our own, with the extension of the sniffed type: nothing the uploader chose
    reaches the file system."""
    return f"{uuid.uuid4().hex}{EXTENSIONS[content_type][0]}"


# A name a person can read in a list of files. Longer ones are cut here, keeping their
# extension, rather than left to the database: SQLite would keep any length and PostgreSQL
# would refuse the row, and the uploader's scan must be taken either way.
NAME_MAX_LENGTH = 120


def _clean_name(name: str) -> str:
    """The name without any folder, control or format characters (NUL, escape sequences,
    right-to-left overrides that would disguise "fdp.exe" as "exe.pdf") or leading dots."""
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return " ".join(name.split()).lstrip(". ")


def display_name(name: str, *, max_length: int = NAME_MAX_LENGTH) -> str:
    """The uploader's file name, cleaned and at most `max_length` characters (an ellipsis
    marks the cut, the extension is kept); for display and the download name only."""
    name = _clean_name(name)
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: max_length - len(suffix) - 1].rstrip() + "…" + suffix
    return name or "file"


def name_was_shortened(name: str, *, max_length: int = NAME_MAX_LENGTH) -> bool:
    return len(_clean_name(name)) > max_length


def download_name(original_name: str, content_type: str) -> str:
    """The original name, ending in an extension of the type the file really is, so the
    browser and the desktop open it as what it is."""
    name = display_name(original_name)
    path = PurePosixPath(name)
    extensions = EXTENSIONS[content_type]
    if path.suffix.lower() in extensions:
        return name
    return f"{path.stem if path.suffix else name}{extensions[0]}"


LOGO_TYPES = ("image/png", "image/jpeg")
LOGO_MAX_PIXELS = 4000


def logo_max_bytes() -> int:
    return getattr(settings, "LOGO_MAX_BYTES", MEGABYTE // 2)


def check_logo(upload: UploadedFile) -> CheckedUpload:
    """A letterhead logo: a PNG or JPEG by its content, small, and an image Pillow can read
    whole; a broken or enormous image would otherwise fail every letter of the office."""
    from PIL import Image, UnidentifiedImageError

    limit = logo_max_bytes()
    if upload.size > limit:
        raise _too_big(upload.size, limit)
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        if exc.code != "wrong_type":
            raise
        checked = None
    if checked is None or checked.content_type not in LOGO_TYPES:
        raise ValidationError(
            _(
                "A logo must be a PNG or JPEG image "
                "(its content says otherwise, whatever its name)."
            ),
            code="wrong_type",
        )
    try:
        with Image.open(upload) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This image cannot be read: the file is damaged or incomplete."), code="broken"
        ) from exc
    finally:
        upload.seek(0)
    if max(width, height) > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s × %(height)s pixels; at most %(limit)s on a side.")
            % {"width": width, "height": height, "limit": LOGO_MAX_PIXELS},
            code="too_large",
        )
    return checked
