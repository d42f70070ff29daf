"""Shipped courts, legal articles, monthly index values and deadline rules for Kazakhstan.
Defaults, to be confirmed by the NGO: all are created unconfirmed; uncertain periods are
flagged so the admin shows them."""

from decimal import Decimal

from django.db import migrations

COURTS = [
    (
        "administrative",
        "Специализированный межрайонный административный суд г. Алматы",
        "Specialised inter-district administrative court, Almaty",
        "Алматы",
    ),
    (
        "administrative",
        "Специализированный межрайонный административный суд г. Астаны",
        "Specialised inter-district administrative court, Astana",
        "Астана",
    ),
    ("appeal", "Алматинский городской суд", "Almaty city court", "Алматы"),
    ("appeal", "Астанинский городской суд", "Astana city court", "Астана"),
]

ARTICLES = [
    # code, article, part, Russian title, English title, may lead to expulsion
    (
        "КоАП",
        "517",
        "1",
        "Нарушение иностранцем или лицом без гражданства законодательства Республики Казахстан "
        "в области миграции населения",
        "Breach of migration law by a foreigner or stateless person",
        False,
    ),
    (
        "КоАП",
        "517",
        "2",
        "То же, повторно в течение года, либо с превышением срока пребывания",
        "The same, repeated within a year or with overstay",
        True,
    ),
    (
        "КоАП",
        "513",
        "2",
        "Нарушение режима в пунктах пропуска через государственную границу",
        "Breach of the regime at border crossing points",
        False,
    ),
    (
        "КоАП",
        "518",
        "",
        "Нарушение принимающими лицами законодательства в области миграции",
        "Breach of migration law by the host",
        False,
    ),
]

MCI = [(2025, Decimal("3932")), (2026, Decimal("4325"))]

RULES = [
    # code, Russian, English, trigger, days, months, day kind, remind, basis, uncertain, case kinds
    (
        "appeal-fine",
        "Жалоба на постановление о штрафе",
        "Appeal against a fine decision",
        "fine_decision_received",
        10,
        0,
        "calendar",
        "5,2,1,0",
        "КоАП РК ст. 829-4: 10 дней со дня получения копии постановления",
        False,
        "",
    ),
    (
        "appeal-expulsion",
        "Апелляция на постановление суда о выдворении",
        "Appeal against a court's expulsion ruling",
        "decision_received",
        10,
        0,
        "calendar",
        "5,2,1,0",
        "Обычно 10 суток со дня получения копии постановления",
        True,
        "expulsion,detention",
    ),
    (
        "state-body-answer",
        "Ответ государственного органа на обращение",
        "State body's answer to an application",
        "application_sent",
        15,
        0,
        "working",
        "2,0",
        "15 рабочих дней, может быть продлён до двух месяцев",
        False,
        "",
    ),
    (
        "claim-state-body",
        "Иск к государственному органу",
        "Claim against a state body",
        "state_body_action",
        0,
        1,
        "calendar",
        "10,5,2,1,0",
        "Один месяц со дня, когда стало известно о действии (решении)",
        False,
        "",
    ),
    (
        "prosecutor-answer",
        "Ответ прокуратуры на жалобу",
        "Prosecutor's answer to a complaint",
        "complaint_sent",
        15,
        0,
        "working",
        "2,0",
        "Срок не установлен точно",
        True,
        "complaint",
    ),
    (
        "permit-renewal",
        "Начать продление разрешения",
        "Start the permit renewal",
        "permit_expiry",
        -30,
        0,
        "calendar",
        "60,30,14,7,0",
        "",
        False,
        "",
    ),
    (
        "passport-held",
        "Паспорт удерживается: запросить возврат",
        "Passport held: ask for its return",
        "passport_held",
        30,
        0,
        "calendar",
        "0",
        "",
        False,
        "",
    ),
    (
        "hearing",
        "Заседание суда",
        "Court hearing",
        "hearing",
        0,
        0,
        "calendar",
        "1,0",
        "",
        False,
        "",
    ),
]


def load(apps, schema_editor):
    Country = apps.get_model("clients", "Country")
    Court = apps.get_model("casework", "Court")
    LegalArticle = apps.get_model("casework", "LegalArticle")
    MonthlyIndex = apps.get_model("casework", "MonthlyIndex")
    DeadlineRule = apps.get_model("casework", "DeadlineRule")
    kz = Country.objects.get(code="KZ")
    for kind, ru, en, city in COURTS:
        Court.objects.get_or_create(
            name_ru=ru, country=kz, defaults={"name_en": en, "kind": kind, "city": city}
        )
    for code, article, part, ru, en, expulsion in ARTICLES:
        LegalArticle.objects.get_or_create(
            country=kz,
            code=code,
            article=article,
            part=part,
            defaults={"title_ru": ru, "title_en": en, "may_lead_to_expulsion": expulsion},
        )
    for year, value in MCI:
        MonthlyIndex.objects.get_or_create(country=kz, year=year, defaults={"value": value})
    for code, ru, en, trigger, days, months, kind, remind, basis, uncertain, kinds in RULES:
        DeadlineRule.objects.get_or_create(
            code=code,
            defaults={
                "name_ru": ru,
                "name_en": en,
                "trigger": trigger,
                "period": days,
                "period_months": months,
                "day_kind": kind,
                "remind_days_before": remind,
                "legal_basis": basis,
                "uncertain": uncertain,
                "case_kinds": kinds,
                "country": kz,
                "confirmed": False,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_roles"), ("clients", "0002_reference_defaults")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
