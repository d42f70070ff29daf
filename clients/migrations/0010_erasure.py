"""A person's data on request: the erasure of a client, recorded without what was erased, and
the permission to erase, held by coordinators (who see every office's clients)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Coordinators erase; they and administrators read the record of erasures, which holds no
# personal data.
GRANTS = {
    "coordinator": [("clients", "erase_client"), ("clients", "view_erasure")],
    "administrator": [("clients", "view_erasure")],
}


def grant(apps, schema_editor):
    clients = apps.get_app_config("clients")
    clients.models_module = True
    create_permissions(clients, apps=apps, verbosity=0)
    clients.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="clients", codename__in=["erase_client", "view_erasure"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0009_remove_document_updated_at_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="client",
            options={
                "ordering": ["last_name", "first_name", "pk"],
                "permissions": [
                    ("view_all_clients", "Can see clients of every office"),
                    ("export_client", "Can export client data"),
                    ("erase_client", "Can erase a client's personal data"),
                ],
                "verbose_name": "client",
                "verbose_name_plural": "clients",
            },
        ),
        migrations.CreateModel(
            name="Erasure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "erased_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="erased at"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("request", "The client asked for it"),
                            ("retention", "The retention period has passed"),
                            ("other", "Another ground (see the note)"),
                        ],
                        max_length=20,
                        verbose_name="ground",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                (
                    "summary",
                    models.JSONField(blank=True, default=dict, verbose_name="what was anonymised"),
                ),
                (
                    "client",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="erasure",
                        to="clients.client",
                        verbose_name="client",
                    ),
                ),
                (
                    "erased_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="erased by",
                    ),
                ),
            ],
            options={
                "verbose_name": "erasure",
                "verbose_name_plural": "erasures",
                "ordering": ["-erased_at", "-pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
