"""Test settings: the real settings, with the environment a test run needs set first."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-that-is-long-enough-for-django-checks")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("COOKIE_SECURE", "false")
os.environ.setdefault("PLAIN_STATIC", "true")
os.environ.setdefault("DEMO_PASSWORD", "demo-password-for-tests")

from casework.settings import *  # noqa: E402,F403

# Unit tests run tasks in-process; the queue tests start a real worker on real Redis.
CELERY_TASK_ALWAYS_EAGER = True
# Batches run inline too; the tests of the background runner switch this on.
LETTER_BATCHES_IN_THREAD = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BASE_DIR / "var" / "test-uploads", "base_url": None},  # noqa: F405
    },
}

# WhiteNoise serves from the finders in tests; an empty root keeps it from warning.
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
SECOND_FACTOR_ENFORCED = False
