"""Transferring a case to another office, and the role that may: coordinators, who cover
every office."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"coordinator": [("casework", "transfer_case")]}


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
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="casework", codename="transfer_case").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0013_reminder_kind_missed"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="case",
            options={
                "ordering": ["-opened_on", "-pk"],
                "permissions": [
                    ("view_all_cases", "Can see cases of every office"),
                    ("close_case", "Can close and reopen cases and set outcomes"),
                    ("assign_case", "Can assign cases to staff"),
                    ("view_dashboard", "Can see the team dashboard"),
                    ("transfer_case", "Can transfer cases to another office"),
                ],
                "verbose_name": "case",
                "verbose_name_plural": "cases",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
