"""A user may ask for their sensitive cases in their own calendar feed; off by default."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0016_security_policy"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaluser",
            name="calendar_shows_sensitive",
            field=models.BooleanField(
                default=False,
                help_text="Off by default: the feed leaves Casework for Google, Outlook or a phone.",
                verbose_name="sensitive cases in my calendar feed",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="calendar_shows_sensitive",
            field=models.BooleanField(
                default=False,
                help_text="Off by default: the feed leaves Casework for Google, Outlook or a phone.",
                verbose_name="sensitive cases in my calendar feed",
            ),
        ),
    ]
