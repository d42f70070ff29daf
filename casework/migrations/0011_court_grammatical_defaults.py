"""The grammatical forms of the shipped courts and which higher court hears their appeals.

Only empty fields are filled, so an administrator's corrections stay; reversing clears
what this filled."""

from django.db import migrations

# Russian name: (addressee line, genitive, the court that hears its appeals)
FORMS = {
    "Специализированный межрайонный административный суд г. Алматы": (
        "В Специализированный межрайонный административный суд г. Алматы",
        "Специализированного межрайонного административного суда г. Алматы",
        "Алматинский городской суд",
    ),
    "Специализированный межрайонный административный суд г. Астаны": (
        "В Специализированный межрайонный административный суд г. Астаны",
        "Специализированного межрайонного административного суда г. Астаны",
        "Астанинский городской суд",
    ),
    "Алматинский городской суд": (
        "В Алматинский городской суд",
        "Алматинского городского суда",
        None,
    ),
    "Астанинский городской суд": (
        "В Астанинский городской суд",
        "Астанинского городского суда",
        None,
    ),
}


def fill(apps, schema_editor):
    Court = apps.get_model("casework", "Court")
    for name, (addressee, genitive, appeal_name) in FORMS.items():
        appeal = Court.objects.filter(name_ru=appeal_name).first() if appeal_name else None
        for court in Court.objects.filter(name_ru=name):
            court.addressee = court.addressee or addressee
            court.name_genitive = court.name_genitive or genitive
            if court.appeal_court_id is None and appeal is not None:
                court.appeal_court = appeal
            court.save(update_fields=["addressee", "name_genitive", "appeal_court"])


def unfill(apps, schema_editor):
    Court = apps.get_model("casework", "Court")
    for name, (addressee, genitive, appeal_name) in FORMS.items():
        Court.objects.filter(name_ru=name, addressee=addressee).update(addressee="")
        Court.objects.filter(name_ru=name, name_genitive=genitive).update(name_genitive="")
        if appeal_name:
            Court.objects.filter(name_ru=name, appeal_court__name_ru=appeal_name).update(
                appeal_court=None
            )


class Migration(migrations.Migration):
    dependencies = [("casework", "0010_court_grammatical_forms")]

    operations = [migrations.RunPython(fill, unfill)]
