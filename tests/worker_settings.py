"""Settings of a Celery worker process started by the queue tests: the test settings, but
tasks go through the broker and mail goes by SMTP to the sink the test runs."""

import os

from tests.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "use_tls": False,
            "timeout": 5,
        },
    }
}
