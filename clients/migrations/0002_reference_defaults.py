"""Shipped reference data for Kazakhstan. Defaults, to be confirmed by the NGO: every
permit kind is created unconfirmed, and the admin shows which are."""

from django.db import migrations

COUNTRIES = [
    # code, Russian, English, EAEU member
    ("KZ", "Казахстан", "Kazakhstan", True),
    ("KG", "Кыргызстан", "Kyrgyzstan", True),
    ("RU", "Россия", "Russia", True),
    ("BY", "Беларусь", "Belarus", True),
    ("AM", "Армения", "Armenia", True),
    ("UZ", "Узбекистан", "Uzbekistan", False),
    ("TJ", "Таджикистан", "Tajikistan", False),
    ("TM", "Туркменистан", "Turkmenistan", False),
    ("AZ", "Азербайджан", "Azerbaijan", False),
    ("AF", "Афганистан", "Afghanistan", False),
    ("CN", "Китай", "China", False),
    ("TR", "Турция", "Türkiye", False),
    ("SY", "Сирия", "Syria", False),
    ("ML", "Мали", "Mali", False),
    ("GN", "Гвинея", "Guinea", False),
    ("CI", "Кот-д’Ивуар", "Côte d’Ivoire", False),
    ("SN", "Сенегал", "Senegal", False),
    ("SL", "Сьерра-Леоне", "Sierra Leone", False),
    ("NG", "Нигерия", "Nigeria", False),
    ("GH", "Гана", "Ghana", False),
    ("CM", "Камерун", "Cameroon", False),
    ("CD", "ДР Конго", "DR Congo", False),
]

AUTHORITIES = [
    # kind, Russian, English, city, addressee
    (
        "migration_police",
        "Управление миграционной полиции ДП г. Алматы",
        "Migration police, Almaty police department",
        "Алматы",
        "Начальнику управления",
    ),
    (
        "migration_police",
        "Управление миграционной полиции ДП г. Астаны",
        "Migration police, Astana police department",
        "Астана",
        "Начальнику управления",
    ),
    (
        "migration_service",
        "Миграционная служба г. Алматы",
        "Migration service, Almaty",
        "Алматы",
        "Руководителю",
    ),
    (
        "migration_service",
        "Миграционная служба г. Астаны",
        "Migration service, Astana",
        "Астана",
        "Руководителю",
    ),
    (
        "prosecutor",
        "Прокуратура г. Алматы",
        "Almaty city prosecutor's office",
        "Алматы",
        "Прокурору города",
    ),
    (
        "prosecutor",
        "Прокуратура г. Астаны",
        "Astana city prosecutor's office",
        "Астана",
        "Прокурору города",
    ),
]

PERMIT_KINDS = [
    # code, Russian, English, months, allows work, notes
    (
        "visa-free",
        "Безвизовое пребывание",
        "Visa-free stay",
        3,
        False,
        "Без регистрации до 30 дней; не более 90 дней в течение 180 дней.",
    ),
    (
        "trp-work",
        "Разрешение на временное проживание (трудовая деятельность)",
        "Temporary residence permit (work)",
        12,
        True,
        "На один год, продлевается; не дольше срока трудового договора.",
    ),
    (
        "labour-immigrant",
        "Разрешение трудовому иммигранту",
        "Labour-immigrant permit",
        12,
        True,
        "Работа у физических лиц, до 12 месяцев; обычный путь для граждан Узбекистана и Таджикистана.",
    ),
    (
        "eaeu-worker",
        "Пребывание гражданина ЕАЭС по трудовому договору",
        "EAEU citizen working under a contract",
        None,
        True,
        "Разрешение на работу не требуется; срок пребывания равен сроку трудового договора.",
    ),
    (
        "trp-study",
        "Разрешение на временное проживание (обучение)",
        "Temporary residence permit (study)",
        12,
        False,
        "",
    ),
    (
        "permanent-residence",
        "Разрешение на постоянное проживание",
        "Permanent residence permit",
        None,
        True,
        "Затем выдаётся вид на жительство иностранца.",
    ),
    ("residence-card", "Вид на жительство иностранца", "Residence card", None, True, ""),
    ("refugee", "Статус беженца", "Refugee status", 12, True, ""),
    (
        "asylum-seeker",
        "Лицо, ищущее убежище",
        "Asylum seeker",
        None,
        False,
        "Свидетельство на время рассмотрения ходатайства.",
    ),
]


def load(apps, schema_editor):
    Country = apps.get_model("clients", "Country")
    Authority = apps.get_model("clients", "Authority")
    PermitKind = apps.get_model("clients", "PermitKind")
    for code, ru, en, eaeu in COUNTRIES:
        Country.objects.get_or_create(
            code=code, defaults={"name_ru": ru, "name_en": en, "eaeu_member": eaeu}
        )
    kz = Country.objects.get(code="KZ")
    for kind, ru, en, city, head in AUTHORITIES:
        Authority.objects.get_or_create(
            name_ru=ru,
            country=kz,
            defaults={"name_en": en, "kind": kind, "city": city, "head_title": head},
        )
    for code, ru, en, months, work, notes in PERMIT_KINDS:
        PermitKind.objects.get_or_create(
            country=kz,
            code=code,
            defaults={
                "name_ru": ru,
                "name_en": en,
                "max_months": months,
                "allows_work": work,
                "notes": notes,
                "confirmed": False,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
