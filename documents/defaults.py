"""The letter templates Casework ships, loaded into LetterTemplate rows an administrator edits."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

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


# SHA-256 of every body Casework shipped before the current files. An active template whose
# body is one of these was never edited by the NGO, so the current text replaces it as a new
# version; an edited template is left alone. Add the old hash here when a file changes.
SHIPPED_BEFORE = frozenset(
    {
        "4e70eab07aa3bf1f2c947e982f323f747296b2a44c1eeeca96a2d547d533ef86",  # expulsion_appeal.en
        "ebd16a7ff57ccdce914d69a68b7e51e7a70d57efada7aa2db423257825e4fb02",  # expulsion_appeal.ru
        "12e0d195e6cb3e6175af959df65fddc2de0f61fd5783152ac518b4b9b7ef98f3",  # fine_complaint.en
        "30e47f12d7f3f25869cfdac22e15908c95b6dce311c953bba3730105eb3fcac0",  # fine_complaint.ru
        "d82f6aae71b4557151d6af3c34955b57c14ad74e7436733226a060c6515ff275",  # fine_paid.ru
        "e1d890a61e132f88fcfbd01afed05d51b5daa1da3de835955b45ef6ceb9526ad",  # information_request
        "84acbc23409d2cde25b942a5a8e8cdb447ff1a19f18dceddef2720764dc1ebee",  # passport_return.ru
        "29a3542fa922f0f5a3d053a95b8575083234cd1bd9ca794d1c695e2d3ec311b2",  # permit_extension.ru
        "a7d7fe23e252be491f90e7ac07cd86b64880fbe3f916030bbbb1ace06ce2761f",  # power_of_attorney
        "aa54715edb21ea4d1785ae565a9a6ee449ed5ce82e8282b0fdca5a3b603ebf4d",  # prosecutor_complaint
        # Before the lawyer chose the paragraphs that vary (documents.circumstances):
        "bd92bed428a14064ffd9efc52bcebfa0880fecfb61467df5ebaa452bbd1f5d1f",  # expulsion_appeal.en
        "0ee0552af58304976575a15bd9b3974b6161ee788a16f2106c3866c7fdd82a36",  # expulsion_appeal.ru
        "1eaa3644c695b121c951e8400a5465b9b25f6ff82c3e9a3b83194081d5c20bb0",  # fine_complaint.en
        "f6cc62a6ebf1ef813756216f54e68e32c3b8dd9919d2def3988ff5eda04e0e86",  # fine_complaint.ru
        "6676e1a932fab633f8f8208afbf96cbcd8c02c901d35398848ed25fa3de870c8",  # fine_paid.ru
        "8de35d3911dd160db9daac7f40b650de5bddc0e4aa0f65a40ba5f5633bd0e56d",  # passport_return.ru
        "25901fa71791f81cf4ee2085be8bd062ee2219dcae96f53ceba773d276711390",  # permit_extension.ru
    }
)


def template_file(kind: str, language: str) -> Path:
    return DEFAULTS_DIR / f"{kind}.{language}.html"


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def install_default_templates(model=LetterTemplate) -> int:
    """Create the shipped templates that are missing, and give each one still carrying an
    earlier shipped text the current text as a new active version (issued letters keep
    their own HTML and PDF); never touch one the NGO edited. `model` lets a data migration
    pass its historical model. Returns how many templates were created or upgraded."""
    changed = 0
    for kind, language, title, case_kinds in SHIPPED:
        body = template_file(kind, language).read_text(encoding="utf-8")
        versions = model.objects.filter(kind=kind, language=language)
        if not versions.exists():
            model.objects.create(
                kind=kind,
                language=language,
                version=1,
                title=title,
                case_kinds=case_kinds,
                body=body,
            )
            changed += 1
            continue
        active = versions.filter(is_active=True).first()
        if active is None or active.body == body or body_sha256(active.body) not in SHIPPED_BEFORE:
            continue
        with transaction.atomic():
            newest = versions.order_by("-version").values_list("version", flat=True).first()
            versions.filter(pk=active.pk).update(is_active=False)
            model.objects.create(
                kind=kind,
                language=language,
                version=newest + 1,
                title=active.title,
                case_kinds=active.case_kinds,
                body=body,
            )
        changed += 1
    return changed


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
