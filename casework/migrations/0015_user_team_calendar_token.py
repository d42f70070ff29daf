"""A second private calendar link per user, for the team feed. Existing accounts each get
their own random token before the column becomes unique."""

import secrets

from django.db import migrations, models

import casework.models.users


def fill(apps, schema_editor):
    User = apps.get_model("casework", "User")
    for user in User.objects.filter(team_calendar_token__isnull=True).only("pk"):
        user.team_calendar_token = secrets.token_urlsafe(32)
        user.save(update_fields=["team_calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("casework", "0014_transfer_case_permission")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="team_calendar_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="team_calendar_token",
            field=models.CharField(
                default=casework.models.users.new_calendar_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="team calendar feed token",
            ),
        ),
    ]
