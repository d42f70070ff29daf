"""The letter templates Casework ships, loaded into LetterTemplate rows an administrator edits."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from documents.models import LetterTemplate

DEFAULTS_DIR = Path(settings.BASE_DIR) / "templates" / "documents" / "letters" / "defaults"

# (kind, language, title, case kinds, file)
SHIPPED = [
    (
        LetterTemplate.Kind.EXPULSION_APPEAL,
        "ru",
        "Апелляционная жалоба на постановление о выдворении",
        "expulsion,detention",
        "expulsion_appeal.ru.html",
    ),
    (
        LetterTemplate.Kind.FINE_COMPLAINT,
        "ru",
        "Жалоба на постановление о наложении штрафа",
        "fine",
        "fine_complaint.ru.html",
    ),
]


def install_default_templates() -> int:
    """Create the shipped templates that are missing; never overwrite an edited one."""
    installed = 0
    for kind, language, title, case_kinds, filename in SHIPPED:
        if LetterTemplate.objects.filter(kind=kind, language=language).exists():
            continue
        LetterTemplate.objects.create(
            kind=kind,
            language=language,
            version=1,
            title=title,
            case_kinds=case_kinds,
            body=(DEFAULTS_DIR / filename).read_text(encoding="utf-8"),
        )
        installed += 1
    return installed
