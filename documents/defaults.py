"""The letter templates Casework ships, loaded into LetterTemplate rows an administrator edits."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from documents.models import Letterhead, LetterTemplate
from documents.uploads import stored_name

DEFAULTS_DIR = Path(settings.BASE_DIR) / "templates" / "documents" / "letters" / "defaults"

# (kind, language, title, case kinds it is offered for first; empty: all)
SHIPPED = [
    (
        LetterTemplate.Kind.EXPULSION_APPEAL,
        "ru",
        "Апелляционная жалоба на постановление о выдворении",
        "expulsion,detention",
    ),
    (
        LetterTemplate.Kind.EXPULSION_APPEAL,
        "en",
        "Appeal against an expulsion ruling",
        "expulsion,detention",
    ),
    (LetterTemplate.Kind.FINE_COMPLAINT, "ru", "Жалоба на постановление о штрафе", ""),
    (LetterTemplate.Kind.FINE_COMPLAINT, "en", "Complaint against a fine decision", ""),
    (
        LetterTemplate.Kind.PROSECUTOR_COMPLAINT,
        "ru",
        "Жалоба прокурору",
        "complaint,detention,expulsion,documents",
    ),
    (
        LetterTemplate.Kind.PERMIT_EXTENSION,
        "ru",
        "Заявление о продлении разрешения на проживание",
        "permit,registration",
    ),
    (
        LetterTemplate.Kind.PASSPORT_RETURN,
        "ru",
        "Заявление о возврате паспорта",
        "documents,permit",
    ),
    (
        LetterTemplate.Kind.FINE_PAID_CONFIRMATION,
        "ru",
        "Заявление о подтверждении оплаты штрафа",
        "fine,permit",
    ),
    (LetterTemplate.Kind.INFORMATION_REQUEST, "ru", "Запрос информации", ""),
    (LetterTemplate.Kind.POWER_OF_ATTORNEY, "ru", "Доверенность", ""),
]


def template_file(kind: str, language: str) -> Path:
    return DEFAULTS_DIR / f"{kind}.{language}.html"


def install_default_templates() -> int:
    """Create the shipped templates that are missing; never overwrite an edited one."""
    installed = 0
    for kind, language, title, case_kinds in SHIPPED:
        if LetterTemplate.objects.filter(kind=kind, language=language).exists():
            continue
        LetterTemplate.objects.create(
            kind=kind,
            language=language,
            version=1,
            title=title,
            case_kinds=case_kinds,
            body=template_file(kind, language).read_text(encoding="utf-8"),
        )
        installed += 1
    return installed


def demo_logo() -> bytes:
    """A plain monogram for the demo offices, drawn with the shipped letter font."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = Path(settings.BASE_DIR) / "static" / "fonts" / "pt-serif" / "PTSerif_700Bold.ttf"
    image = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(24, 54, 110))
    draw.ellipse((22, 22, 218, 218), outline="white", width=4)
    draw.text((120, 124), "ПМ", fill="white", anchor="mm", font=ImageFont.truetype(font_file, 96))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def install_demo_letterhead(office) -> bool:
    """Give a demo office a logo unless it has one; True when one was added."""
    if Letterhead.objects.filter(office=office).exists():
        return False
    logo = demo_logo()
    letterhead = Letterhead(office=office, logo_sha256=hashlib.sha256(logo).hexdigest())
    letterhead.logo.save(stored_name("image/png"), ContentFile(logo), save=False)
    letterhead.save()
    return True
