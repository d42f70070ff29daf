"""Deadlines from every event that starts a clock: a source key for events of later apps, one
open deadline per rule and source, a mark for the periodic reconcile pass, and shipped rules
pointed at the case kinds they concern.

The rule update touches only rows still at their shipped values: a rule the NGO edited is
theirs, and the reverse step puts back only what this step changed."""

from django.db import migrations, models

# code: (shipped case kinds, new case kinds)
CASE_KINDS = {
    "permit-renewal": ("", "permit,registration"),
    "passport-held": ("", "documents,permit"),
    # A complaint to the prosecutor can come from any case (withheld passport, an expulsion):
    # the letter's kind says it is one, so the case's kind need not.
    "prosecutor-answer": ("complaint", ""),
}


def _move(apps, *, forward: bool) -> None:
    DeadlineRule = apps.get_model("casework", "DeadlineRule")
    for code, (shipped, new) in CASE_KINDS.items():
        old, wanted = (shipped, new) if forward else (new, shipped)
        DeadlineRule.objects.filter(code=code, case_kinds=old, confirmed=False).update(
            case_kinds=wanted
        )


def point_rules(apps, schema_editor):
    _move(apps, forward=True)


def unpoint_rules(apps, schema_editor):
    _move(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_dashboard_permission"),
        ("clients", "0004_updated_at_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReconcileMark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.SlugField(unique=True)),
                ("last_at", models.DateTimeField(blank=True, null=True)),
                ("fingerprint", models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="deadline",
            name="source_key",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="source"
            ),
        ),
        migrations.AddField(
            model_name="historicaldeadline",
            name="source_key",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="source"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["updated_at"], name="case_updated_at"),
        ),
        migrations.AddConstraint(
            model_name="deadline",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("archived_at__isnull", True),
                    ("cancelled_at__isnull", True),
                    ("done_at__isnull", True),
                    ("permit__isnull", False),
                ),
                fields=("case", "rule", "permit"),
                name="deadline_one_open_per_permit",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadline",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("archived_at__isnull", True),
                    ("cancelled_at__isnull", True),
                    ("done_at__isnull", True),
                    ("document__isnull", False),
                ),
                fields=("case", "rule", "document"),
                name="deadline_one_open_per_document",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadline",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("archived_at__isnull", True),
                    ("cancelled_at__isnull", True),
                    ("done_at__isnull", True),
                    models.Q(("source_key", ""), _negated=True),
                ),
                fields=("case", "rule", "source_key"),
                name="deadline_one_open_per_source_key",
            ),
        ),
        migrations.RunPython(point_rules, unpoint_rules),
    ]
