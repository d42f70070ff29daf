"""Who saw what: the access record, and who may read it (coordinators and administrators)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {
    "coordinator": [("casework", "view_accessrecord")],
    "administrator": [("casework", "view_accessrecord")],
}


def grant(apps, schema_editor):
    casework = apps.get_app_config("casework")
    casework.models_module = True
    create_permissions(casework, apps=apps, verbosity=0)
    casework.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="casework", codename="view_accessrecord"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0008_reminder_claimed_index"),
        ("clients", "0005_permitkind_reminder_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("client", "client's record"),
                            ("case", "case"),
                            ("letter", "letter PDF"),
                            ("letters", "merged letters PDF"),
                            ("attachment", "attachment"),
                            ("export", "export"),
                            ("search", "search"),
                        ],
                        max_length=20,
                        verbose_name="what",
                    ),
                ),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="record")),
                ("page", models.CharField(max_length=100, verbose_name="page")),
                ("path", models.CharField(max_length=300, verbose_name="address of the page")),
                (
                    "detail",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="search terms or table"
                    ),
                ),
                (
                    "address",
                    models.GenericIPAddressField(
                        blank=True, null=True, verbose_name="from address"
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.client",
                        verbose_name="client",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="who",
                    ),
                ),
            ],
            options={
                "verbose_name": "access record",
                "verbose_name_plural": "access records",
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["client", "-at"], name="accessrecord_client_at"),
                    models.Index(fields=["user", "-at"], name="accessrecord_user_at"),
                    models.Index(fields=["at"], name="accessrecord_at"),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
