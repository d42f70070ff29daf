"""The shipped appeal rule covered expulsion and detention cases only, so a court decision
imposing a fine (or ordering expulsion) in a case of another kind opened no appeal
deadline. A court decision is appealable whatever the case's kind: the rule now applies to
every kind and is named for any court decision.

Only a rule still at its shipped values is changed (one the NGO edited or confirmed is
theirs), and the reverse step puts back only what this step changed."""

from django.db import migrations

CODE = "appeal-expulsion"
SHIPPED = {
    "case_kinds": "expulsion,detention",
    "name_ru": "Апелляция на постановление суда о выдворении",
    "name_en": "Appeal against a court's expulsion ruling",
}
WIDENED = {
    "case_kinds": "",
    "name_ru": "Апелляционная жалоба на постановление суда",
    "name_en": "Appeal against a court decision",
}


def _move(apps, old: dict, new: dict) -> None:
    DeadlineRule = apps.get_model("casework", "DeadlineRule")
    DeadlineRule.objects.filter(code=CODE, confirmed=False, **old).update(**new)


def load(apps, schema_editor):
    _move(apps, SHIPPED, WIDENED)


def unload(apps, schema_editor):
    _move(apps, WIDENED, SHIPPED)


class Migration(migrations.Migration):
    dependencies = [("casework", "0011_court_grammatical_defaults")]

    operations = [migrations.RunPython(load, unload)]
