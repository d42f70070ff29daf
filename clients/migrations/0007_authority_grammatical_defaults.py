"""The grammatical forms of the shipped authorities, so letters address them correctly.

Only rows that still carry the shipped addressee (or none) are filled; an administrator's
own wording stays. Reversing restores the shipped addressee titles and clears the forms."""

from django.db import migrations

# Russian name: (old shipped addressee, addressee line in the dative, genitive, dative)
FORMS = {
    "Управление миграционной полиции ДП г. Алматы": (
        "Начальнику управления",
        "Начальнику Управления миграционной полиции ДП г. Алматы",
        "Управления миграционной полиции ДП г. Алматы",
        "Управлению миграционной полиции ДП г. Алматы",
    ),
    "Управление миграционной полиции ДП г. Астаны": (
        "Начальнику управления",
        "Начальнику Управления миграционной полиции ДП г. Астаны",
        "Управления миграционной полиции ДП г. Астаны",
        "Управлению миграционной полиции ДП г. Астаны",
    ),
    "Миграционная служба г. Алматы": (
        "Руководителю",
        "Руководителю Миграционной службы г. Алматы",
        "Миграционной службы г. Алматы",
        "Миграционной службе г. Алматы",
    ),
    "Миграционная служба г. Астаны": (
        "Руководителю",
        "Руководителю Миграционной службы г. Астаны",
        "Миграционной службы г. Астаны",
        "Миграционной службе г. Астаны",
    ),
    "Прокуратура г. Алматы": (
        "Прокурору города",
        "Прокурору г. Алматы",
        "Прокуратуры г. Алматы",
        "Прокуратуре г. Алматы",
    ),
    "Прокуратура г. Астаны": (
        "Прокурору города",
        "Прокурору г. Астаны",
        "Прокуратуры г. Астаны",
        "Прокуратуре г. Астаны",
    ),
}


def fill(apps, schema_editor):
    Authority = apps.get_model("clients", "Authority")
    for name, (old, line, genitive, dative) in FORMS.items():
        for authority in Authority.objects.filter(name_ru=name):
            if authority.head_title in ("", old):
                authority.head_title = line
            authority.name_genitive = authority.name_genitive or genitive
            authority.name_dative = authority.name_dative or dative
            authority.save(update_fields=["head_title", "name_genitive", "name_dative"])


def unfill(apps, schema_editor):
    Authority = apps.get_model("clients", "Authority")
    for name, (old, line, genitive, dative) in FORMS.items():
        Authority.objects.filter(name_ru=name, head_title=line).update(head_title=old)
        Authority.objects.filter(name_ru=name, name_genitive=genitive).update(name_genitive="")
        Authority.objects.filter(name_ru=name, name_dative=dative).update(name_dative="")


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_authority_grammatical_forms")]

    operations = [migrations.RunPython(fill, unfill)]
