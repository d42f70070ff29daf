"""Shipped letter templates nobody edited get the texts whose varying paragraphs the lawyer
chooses on the letter form (a missed time limit, an interpreter, a lawful stay, family,
health, a paid fine, a permit held up, a passport needed to leave) instead of fixed text that
fits only some cases. Edited templates and issued letters stay as they are. Reversing leaves
the new versions (an administrator can put an older one back in use)."""

from django.db import migrations


def upgrade(apps, schema_editor):
    from documents.defaults import install_default_templates

    LetterTemplate = apps.get_model("documents", "LetterTemplate")
    # Only installations that already have templates: a fresh one gets them from seed_demo.
    if LetterTemplate.objects.exists():
        install_default_templates(model=LetterTemplate)


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_upgrade_shipped_templates")]

    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
