"""Casework's reconcile pass asks which permits and documents changed since its last run."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0003_search_trigram"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="identitydocument",
            index=models.Index(fields=["updated_at"], name="identitydocument_updated_at"),
        ),
        migrations.AddIndex(
            model_name="residencepermit",
            index=models.Index(fields=["updated_at"], name="residencepermit_updated_at"),
        ),
    ]
