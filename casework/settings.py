"""Casework settings, read from the environment (see .env.example for every variable).

Defaults are the production-safe ones: DEBUG is off, cookies are secure, HTTPS is required.
`make run` turns DEBUG on for the embedded default (SQLite, no Redis).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    """An unset and an empty variable both mean "use the default", as in .env.example."""
    return os.environ.get(name) or default


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)

DEVELOPMENT_KEY = "development-only-key-not-for-production-use-0123456789abcdef"
# Keys that were ever written down somewhere (examples, builds, tutorials): never in use.
SAMPLE_KEYS = {DEVELOPMENT_KEY, "build-only", "compose-validation", "change-me", "changeme"}


def weak_key(key: str) -> str | None:
    """Why a secret key must not sign production sessions, or None: Django's own measure of
    a weak key, plus every key known from an example."""
    if key in SAMPLE_KEYS or key.lower().startswith(("django-insecure", "change", "your-")):
        return "it is a sample key"
    if len(key) < 50 or len(set(key)) < 5:
        return "it is shorter than 50 characters or has fewer than 5 different ones"
    return None


SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (see .env.example), "
            "or set DEBUG=true for local development only."
        )
    SECRET_KEY = DEVELOPMENT_KEY
elif not DEBUG and (reason := weak_key(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY is weak: {reason}. Generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Uploaded files and the embedded SQLite database live here, outside the static area.
DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / "var")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "casework.axes_config.SignInAttemptsConfig",  # django-axes
    "clients",
    "casework",
    "documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "casework.middleware.HtmxRedirectMiddleware",
    "casework.middleware.SecurityHeadersMiddleware",
    "casework.middleware.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "casework.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casework.middleware.NulQueryMiddleware",
    "casework.audit.AccessRecordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "casework.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the "wait" page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a sign-in while its username and address are cooling off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "casework.backends.UserWithOfficeBackend",
]

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.notifications",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "casework.sqlite3",
            # The embedded scheduler writes while the web serves: WAL and immediate
            # transactions keep them from failing with "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file as the served default does: an in-memory database shares one
            # cache between connections, where a batch thread writing while the page reads
            # fails with "table is locked" instead of waiting its turn.
            "TEST": {"NAME": DATA_DIR / "test-casework.sqlite3"},
        }
    }

AUTH_USER_MODEL = "casework.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats for Russian (casework/formats/ru/formats.py); English keeps Django's.
FORMAT_MODULE_PATH = ["casework.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {
        # Uploads are never served by URL: only an access-checked view streams them.
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "uploads", "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
MEDIA_ROOT = DATA_DIR / "uploads"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. Every default is the strict one; DEBUG relaxes only what needs HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by casework.middleware.SecurityHeadersMiddleware, and by WhiteNoise for static files.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"


def add_static_headers(headers, path: str, url: str) -> None:
    """The same policy headers on static files, which WhiteNoise serves before any view."""
    headers["Cross-Origin-Resource-Policy"] = CROSS_ORIGIN_RESOURCE_POLICY
    headers["Permissions-Policy"] = PERMISSIONS_POLICY


WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers

# An attachment may be this large; a request body larger than that plus the form around it
# is refused from its Content-Length, before any of it is read.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_REQUEST_MAX_BYTES = ATTACHMENT_MAX_BYTES + 256 * 1024
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# The quick intake takes up to 100 people at once, about 15 fields each; Django's default
# of 1000 fields refused a full raid with a bare "Bad Request (400)".
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2500
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Redis is optional: without REDIS_URL tasks run in-process (the embedded default).
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# max_retries 0: a publish from a web request fails at once when Redis is down (the caller
# keeps the work and hands it over later) instead of retrying for seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
}
CELERY_TIMEZONE = TIME_ZONE
# Without Redis a letter batch runs in a thread of the web process, so the page that starts
# it answers at once and its progress bar moves (tests set this False to run batches inline).
LETTER_BATCHES_IN_THREAD = not REDIS_URL

# Beat ticks the reminder pass; reminder timing itself is data in the Reminder table.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "casework.tasks.send_reminders", "schedule": 120.0},
    # Letter batches that could not be queued (Redis was down) or whose message was lost.
    "resume-letter-batches": {"task": "documents.tasks.resume_waiting_batches", "schedule": 60.0},
    "purge-access-records": {"task": "casework.tasks.purge_access_records", "schedule": 3600.0},
}
# Who saw what: access records are kept this many days, then purged by the same pass.
ACCESS_RECORD_RETENTION_DAYS = env_int("ACCESS_RECORD_RETENTION_DAYS", 730)
# Closed cases are listed for review (and their client for erasure) this many days after
# closing: three years, the general limitation period of Kazakhstan's Civil Code. Listed
# only; nothing is erased by itself.
CLOSED_CASE_RETENTION_DAYS = env_int("CLOSED_CASE_RETENTION_DAYS", 1095)
# Without Redis (make run) a thread in the web process runs the same pass.
EMBEDDED_SCHEDULER = env_bool("EMBEDDED_SCHEDULER", False)
EMBEDDED_SCHEDULER_INTERVAL = env_int("EMBEDDED_SCHEDULER_INTERVAL", 60)
# Seconds a claimed reminder belongs to its sender; after that a sender that died is presumed
# dead and a later pass sends the reminder. Longer than the slowest pass.
REMINDER_CLAIM_TIMEOUT = env_int("REMINDER_CLAIM_TIMEOUT", 900)
# Links in reminder emails point here.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django 6.1 configures mail through MAILERS. In development without EMAIL_HOST mail goes
# to the console; in production it always goes to SMTP (localhost by default), so a missing
# mail server makes reminders fail visibly instead of vanishing.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": env_int("EMAIL_PORT", 587 if EMAIL_HOST else 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST)),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
        }
    }
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "casework@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Signing in (README, "Security"). django-allauth serves sign-in, the second factor and the
# password reset; there is no sign-up: accounts are made in the administration.
ACCOUNT_ADAPTER = "casework.signin.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Casework: "
# Wrong passwords are django-axes' business (below; casework.signin.AccountAdapter skips
# allauth's count of them). "login_failed" here limits wrong second-factor codes: 5 per
# 5 minutes per user. The password reset is limited per address and per e-mail.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "10/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_FORMS = {"add_webauthn": "casework.signin.AddPasskeyForm"}
MFA_TOTP_ISSUER = "Casework"
# A code of the period before or after is accepted too: phones whose clocks drift a little.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
# A passkey needs HTTPS, except on localhost while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Second factors are required per role (Administration → Security policy) unless this is off;
# tests that are not about second factors turn it off.
SECOND_FACTOR_ENFORCED = env_bool("SECOND_FACTOR_ENFORCED", True)

# django-axes: five wrong passwords for one username from one address, then that pair waits,
# longer each time (casework.signin.cool_off); the same user from another address is not
# affected, so guessing cannot lock the real user out. Nothing is locked for good.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "casework.signin.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_RESET_ON_SUCCESS = True
# Tries during a pause are refused unchecked and do not lengthen it: the page's "try again
# in N minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 100
AXES_USERNAME_CALLABLE = "casework.signin.username_of"
AXES_CLIENT_IP_CALLABLE = "casework.signin.client_ip"
AXES_CLIENT_STR_CALLABLE = "casework.signin.client_str"
AXES_LOCKOUT_CALLABLE = "casework.signin.throttled"
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken", "login", "username"]
AXES_DISABLE_ACCESS_LOG = True
# The address a sign-in comes from: the proxy's X-Forwarded-For only when the proxy is
# trusted to set it (its last entry, the one the proxy added), else the connection's.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "casework-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Request bodies and SQL parameters can carry clients' names: keep those loggers quiet.
    "filters": {"redact": {"()": "casework.logs.RedactingFilter"}},
    "loggers": {
        "django.db.backends": {"level": "WARNING", "propagate": True},
        # Their lines name the request's path: no query string, no feed token.
        "django.server": {"filters": ["redact"], "propagate": True},
        "django.request": {"filters": ["redact"], "propagate": True},
        # WeasyPrint logs each layout step at INFO; refusals are logged by documents.pdf.
        "weasyprint": {"level": "ERROR", "propagate": True},
        "weasyprint.progress": {"level": "WARNING", "propagate": True},
    },
}
