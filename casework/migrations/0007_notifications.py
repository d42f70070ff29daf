"""Indexes for the notification list and the unread badge shown on every page."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0006_event_deadlines"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                condition=models.Q(("channel", "in_app"), ("delivered_at__isnull", False)),
                fields=["recipient", "-delivered_at"],
                name="reminder_inbox",
            ),
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                condition=models.Q(
                    ("channel", "in_app"),
                    ("delivered_at__isnull", False),
                    ("read_at__isnull", True),
                ),
                fields=["recipient"],
                name="reminder_unread",
            ),
        ),
    ]
