"""Sending a letter is recorded (and starts the wait for an answer); staff may record it,
observers see it."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

STAFF = [("documents", "view_letterdispatch"), ("documents", "add_letterdispatch")]
# (app label, codename) per role, as in casework's 0005: tests/conftest.py reapplies them.
GRANTS = {
    "paralegal": STAFF,
    "lawyer": STAFF,
    "coordinator": STAFF,
    "observer": [("documents", "view_letterdispatch")],
}


def grant(apps, schema_editor):
    config = apps.get_app_config("documents")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="documents",
                    codename__in=[codename for _app, codename in perms],
                )
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="documents", codename__endswith="_letterdispatch"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_roles"),
        ("documents", "0003_letterhead"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalLetterDispatch",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("sent_on", models.DateField(verbose_name="sent on")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("hand", "Handed in"),
                            ("post", "By post"),
                            ("electronic", "Electronically"),
                        ],
                        max_length=20,
                        verbose_name="how",
                    ),
                ),
                (
                    "incoming_number",
                    models.CharField(
                        blank=True,
                        help_text="The number the authority registered the letter under, if given.",
                        max_length=60,
                        verbose_name="incoming number",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="recorded at"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="documents.letter",
                        verbose_name="letter",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical letter dispatch",
                "verbose_name_plural": "historical letter dispatches",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LetterDispatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_on", models.DateField(verbose_name="sent on")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("hand", "Handed in"),
                            ("post", "By post"),
                            ("electronic", "Electronically"),
                        ],
                        max_length=20,
                        verbose_name="how",
                    ),
                ),
                (
                    "incoming_number",
                    models.CharField(
                        blank=True,
                        help_text="The number the authority registered the letter under, if given.",
                        max_length=60,
                        verbose_name="incoming number",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dispatches",
                        to="documents.letter",
                        verbose_name="letter",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "letter dispatch",
                "verbose_name_plural": "letter dispatches",
                "ordering": ["letter", "-recorded_at", "-pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
