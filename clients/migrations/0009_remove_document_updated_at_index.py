"""Nothing asks any more which identity documents changed lately: the periodic reconcile
pass that did is gone (documents are announced when saved)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0008_client_name_order_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="identitydocument", name="identitydocument_updated_at"),
    ]
