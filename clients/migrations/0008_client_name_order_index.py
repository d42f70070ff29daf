"""The client list's default order (by name) served from an index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clients", "0007_authority_grammatical_defaults")]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["last_name", "first_name", "id"], name="client_name_order"),
        ),
    ]
