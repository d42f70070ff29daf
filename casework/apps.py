from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Strings of Django itself that its Russian catalogue lacks: ours, which comes first in
# LOCALE_PATHS, translates them. Django 6.1 labels a select's empty choice with this one.
DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),  # the administration's date filter
]


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        import os

        from django.conf import settings

        from casework import receivers
        from clients import signals

        # The deadlines a client's permits and documents call for follow their changes.
        for signal in (signals.permit_changed, signals.document_changed):
            signal.connect(receivers.client_records_changed, dispatch_uid="casework-deadlines")

        # Under runserver's autoreloader only the serving child (RUN_MAIN) schedules.
        serving = os.environ.get("RUN_MAIN") == "true" or not settings.DEBUG
        if settings.EMBEDDED_SCHEDULER and serving:
            from casework import scheduler

            scheduler.start(settings.EMBEDDED_SCHEDULER_INTERVAL)
