"""The periodic reconcile pass is gone: clients announce changed permits and documents, so
nothing needs to remember how far a pass got."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0017_calendar_sensitive_opt_in"),
    ]

    operations = [
        migrations.DeleteModel(name="ReconcileMark"),
    ]
