"""The periodic reconcile pass is gone: clients announce changed permits and documents, so
nothing needs to remember how far a pass got."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0017_calendar_sensitive_opt_in"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.DeleteModel(name="ReconcileMark"),
        # Its permissions would stay in every role's list under their English names.
        migrations.RunPython(
            lambda apps, schema_editor: (
                apps.get_model("contenttypes", "ContentType")
                .objects.filter(app_label="casework", model="reconcilemark")
                .delete()
            ),
            migrations.RunPython.noop,
        ),
    ]
