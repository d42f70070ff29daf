"""Roles are groups with model permissions. Later changes to a role come as new migrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW, ADD, CHANGE = "view", "add", "change"

CLIENT_RECORDS = ["client", "identitydocument", "residencepermit", "registration"]
CASE_RECORDS = [
    "case",
    "fine",
    "hearing",
    "deadline",
    "casenote",
    "incident",
    "incidentclient",
    "incidentfigure",
]
REFERENCE = {
    "clients": ["country", "authority", "permitkind"],
    "casework": [
        "court",
        "legalarticle",
        "monthlyindex",
        "workingdaycorrection",
        "deadlinerule",
        "office",
    ],
    "documents": ["lettertemplate"],
}


def model_perms(app, models, actions):
    return [(app, f"{action}_{model}") for model in models for action in actions]


def reference_view():
    return [p for app, models in REFERENCE.items() for p in model_perms(app, models, [VIEW])]


def roles():
    staff_work = (
        model_perms("clients", CLIENT_RECORDS, [VIEW, ADD, CHANGE])
        + model_perms("casework", CASE_RECORDS, [VIEW, ADD, CHANGE])
        + model_perms("documents", ["letter"], [VIEW, ADD])
        + model_perms("documents", ["attachment"], [VIEW, ADD, CHANGE])
        + model_perms("documents", ["lettertemplate"], [VIEW])
        + reference_view()
    )
    return {
        "paralegal": staff_work,
        "lawyer": staff_work + [("casework", "close_case"), ("casework", "assign_case")],
        "coordinator": staff_work
        + [
            ("casework", "close_case"),
            ("casework", "assign_case"),
            ("casework", "view_all_cases"),
            ("clients", "view_all_clients"),
            ("clients", "export_client"),
            ("casework", "view_reminder"),
            ("casework", "view_user"),
        ],
        "administrator": [
            p
            for app, models in REFERENCE.items()
            for p in model_perms(app, models, [VIEW, ADD, CHANGE])
        ]
        + model_perms("casework", ["user"], [VIEW, ADD, CHANGE])
        + [("auth", "view_group")],
        "observer": model_perms("clients", CLIENT_RECORDS, [VIEW])
        + model_perms("casework", CASE_RECORDS, [VIEW])
        + model_perms("documents", ["letter", "attachment"], [VIEW])
        + reference_view(),
    }


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in roles().items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=roles()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_initial"),
        ("clients", "0001_initial"),
        ("documents", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
