"""Shipped letter templates nobody edited get the corrected texts as a new active version:
grammatical addressees, one applicant line, the prosecutor complaint's facts chosen by the
lawyer, formatted amounts. Edited templates and issued letters stay as they are. Reversing
leaves the new versions (an administrator can put an older one back in use)."""

from django.db import migrations


def upgrade(apps, schema_editor):
    from documents.defaults import SHIPPED_BEFORE, install_default_templates

    LetterTemplate = apps.get_model("documents", "LetterTemplate")
    # Only installations that already have templates: a fresh one gets them from seed_demo.
    if LetterTemplate.objects.exists() and SHIPPED_BEFORE:
        install_default_templates(model=LetterTemplate)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_batch_enqueued_at"),
        ("casework", "0011_court_grammatical_defaults"),
        ("clients", "0007_authority_grammatical_defaults"),
    ]

    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
