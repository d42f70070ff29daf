"""Permit kinds say how many days before expiry to remind: short stays get close,
frequent reminders, permanent statuses early ones, because renewing them takes months.
Defaults, to be confirmed by the NGO like the rest of the shipped reference data."""

import django.core.validators
from django.db import migrations, models

REMIND_DAYS = {
    "visa-free": "14,7,3,1",
    "eaeu-worker": "30,14,7,3",
    "asylum-seeker": "30,14,7,3",
    "trp-work": "60,30,14,7",
    "labour-immigrant": "60,30,14,7",
    "trp-study": "60,30,14,7",
    "refugee": "60,30,14,7",
    "permanent-residence": "120,90,60,30",
    "residence-card": "120,90,60,30",
}


def load(apps, schema_editor):
    PermitKind = apps.get_model("clients", "PermitKind")
    for code, days in REMIND_DAYS.items():
        PermitKind.objects.filter(code=code).update(remind_days_before=days)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_updated_at_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpermitkind",
            name="remind_days_before",
            field=models.CharField(
                default="60,30,14,7",
                help_text="Whole numbers separated by commas, e.g. 60,30,14,7.",
                max_length=100,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d+(,\\d+)*$", "Whole numbers separated by commas."
                    )
                ],
                verbose_name="remind, days before expiry",
            ),
        ),
        migrations.AddField(
            model_name="permitkind",
            name="remind_days_before",
            field=models.CharField(
                default="60,30,14,7",
                help_text="Whole numbers separated by commas, e.g. 60,30,14,7.",
                max_length=100,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d+(,\\d+)*$", "Whole numbers separated by commas."
                    )
                ],
                verbose_name="remind, days before expiry",
            ),
        ),
        migrations.AddIndex(
            model_name="residencepermit",
            index=models.Index(
                condition=models.Q(
                    ("archived_at__isnull", True), ("status__in", ["valid", "renewal_pending"])
                ),
                fields=["valid_until", "id"],
                name="permit_active_valid_until",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
