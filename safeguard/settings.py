"""Django settings: one module, everything read from ``SAFEGUARD_*`` environment variables.

See ``docs/configuration.md`` for the full list. A missing or bad value raises
``safeguard.config.ConfigError`` and ``manage.py``/``wsgi.py`` stop with its one-line message.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from safeguard.config import ConfigError, Environment
from safeguard.core.clientaddress import parse_networks

env = Environment()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DEBUG", False)
# Demo conveniences (printing TOTP codes of fictional users); never set in production.
DEMO = env.boolean("DEMO", False)
SECRET_KEY = env.string("SECRET_KEY", secret=True)
if len(SECRET_KEY) < 32:
    raise ConfigError(
        "SAFEGUARD_SECRET_KEY must be at least 32 characters; generate one with: openssl rand -hex 32"
    )

ALLOWED_HOSTS = env.csv("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env.csv("CSRF_TRUSTED_ORIGINS", "")
# Reverse proxies whose X-Forwarded-For is believed (see safeguard/core/clientaddress.py).
try:
    TRUSTED_PROXIES = parse_networks(env.string("TRUSTED_PROXIES", ""))
except ValueError as error:
    raise ConfigError(f"SAFEGUARD_TRUSTED_PROXIES: {error}.") from None

_database_url = env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safeguard.sqlite3'}", secret=True)
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
except ValueError as error:
    raise ConfigError(
        f"SAFEGUARD_DATABASE_URL is not a database URL ({error}); e.g. postgres://user:pw@host/db"
    ) from None
# SQLite: write-ahead log (readers never wait for the writer) and a busy timeout of 20 s, both
# set on every new connection (checked by safeguard/core/tests/test_sqlite.py). 20 s rides out a
# long write (a batch rebuild) instead of failing after sqlite3's default 5 s; it stays under
# gunicorn's 30 s worker timeout. The worker survives longer locks (manage.py run_worker).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
_test_database_url = env.string("TEST_DATABASE_URL", "")
if _test_database_url:
    DATABASES["default"] = dj_database_url.parse(_test_database_url)
# PostgreSQL: no JIT compilation. Its cost model counts a correlated EXISTS (the hand-overs in
# every report list) as a huge query, so it spent 280 ms compiling a count that runs in 70 ms
# (docs/decisions/184-postgres-without-jit.md).
POSTGRES_OPTIONS = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)

# Field encryption: the first key encrypts, every key listed decrypts (rotation adds a new first key).
FIELD_ENCRYPTION_KEYS = env.field_keys()
BLIND_INDEX_KEY = env.key("BLIND_INDEX_KEY")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "safeguard.core",
    "safeguard.portal",
    "safeguard.accounts",
    "safeguard.api",
    "safeguard.directory",
    "safeguard.intake",
    "safeguard.cases",
    "safeguard.customfields",
    "safeguard.tracing",
    "safeguard.analytics",
    "safeguard.risk",
    "safeguard.collaboration",
    "safeguard.learning",
    "safeguard.legal",
    "safeguard.sharing",
    "safeguard.webhooks",
]

MIDDLEWARE = [
    "safeguard.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safeguard.accounts.middleware.MembershipMiddleware",
    "safeguard.accounts.middleware.RequireMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "safeguard" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "safeguard.portal.context_processors.navigation",
                "safeguard.intake.context_processors.public",
            ],
        },
    },
]

# Draws inputs and selects in Python, byte for byte as Django's templates do (decision 180).
FORM_RENDERER = "safeguard.core.renderers.FormRenderer"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Lock-out: a username is locked after repeated failures, whatever address the attempts come from.
AXES_FAILURE_LIMIT = env.integer("LOGIN_FAILURE_LIMIT", 5, minimum=1)
# Locked per (account, client address), so nobody elsewhere can lock a worker out of their
# account; each further lock of the same pair within a day doubles the wait (accounts/signin.py).
LOGIN_LOCKOUT_MINUTES = env.integer("LOGIN_LOCKOUT_MINUTES", 30, minimum=1)
AXES_COOLOFF_TIME = "safeguard.accounts.signin.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "safeguard.core.clientaddress.client_address"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Locking by address too would let five typos behind one office NAT lock out a whole hotline.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Idle timeout: every request renews the session; a session unused this long expires.
SESSION_COOKIE_AGE = env.integer("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env.boolean("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# The project's own translated page; the anonymous report forms are exempt (decision 090).
CSRF_FAILURE_VIEW = "safeguard.core.errors.csrf_failure"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.integer("HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = env.boolean("SSL_REDIRECT", False)
if env.boolean("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

OTP_TOTP_ISSUER = "Safeguard"
MFA_RECOVERY_CODE_COUNT = 10

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "en"
# English dates by British conventions (day first, 24-hour clock); see safeguard/formats/en.
FORMAT_MODULE_PATH = ["safeguard.formats"]
# A language is offered once every catalogue of it is complete (tests/test_translations.py checks).
# Arabic, Persian and Urdu are written right to left: Django's LANGUAGES_BIDI sets <html dir="rtl">.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("ur", _("Urdu")),
    ("pt", _("Portuguese")),
    ("hi", _("Hindi")),
    ("id", _("Indonesian")),
    ("ru", _("Russian")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
    ("zh-hans", _("Simplified Chinese")),
    ("bn", _("Bengali")),
    ("uk", _("Ukrainian")),
    ("ro", _("Romanian")),
    ("sw", _("Swahili")),
]
LOCALE_PATHS = [BASE_DIR / "safeguard" / "locale"]
TIME_ZONE = env.string("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "safeguard" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = env.integer("MAX_REQUEST_BYTES", 2_621_440, minimum=1024)

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "", secret=True)
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "safeguard@localhost")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "safeguard_cache",
    }
}

# Reporting (intake): retention of closed, non-actionable reports and public rate limits
# ("<count>/<s|m|h|d>", counted per hashed client address in the cache). See docs/reporting.md.
INTAKE_RETENTION_DAYS = env.integer("RETENTION_DAYS", 365, minimum=1)
INTAKE_PUBLIC_REPORT_RATE = env.string("PUBLIC_REPORT_RATE", "20/h")
INTAKE_PARTNER_REPORT_RATE = env.string("PARTNER_REPORT_RATE", "1200/m")
INTAKE_FOLLOW_UP_RATE = env.string("FOLLOW_UP_RATE", "30/h")
INTAKE_FOLLOW_UP_FAILURE_RATE = env.string("FOLLOW_UP_FAILURE_RATE", "10/h")
# Above the limit, a report of a child in danger asks for a proof of work instead of a refusal
# (intake/proofofwork.py): a hash with this many leading zero bits, or, without JavaScript, a wait.
INTAKE_PROOF_OF_WORK_BITS = env.integer("PROOF_OF_WORK_BITS", 16, minimum=1)
INTAKE_PROOF_OF_WORK_WAIT_SECONDS = env.integer("PROOF_OF_WORK_WAIT_SECONDS", 5, minimum=1)
INTAKE_PROOF_OF_WORK_MAX_AGE_SECONDS = env.integer("PROOF_OF_WORK_MAX_AGE_SECONDS", 3600, minimum=60)
# The public form's one-time submission token (decision 120): a replayed POST within this many
# hours goes to the first receipt page; a receipt never viewed is forgotten after RECEIPT_HOURS.
INTAKE_SUBMISSION_TOKEN_HOURS = env.integer("SUBMISSION_TOKEN_HOURS", 48, minimum=1)
INTAKE_SUBMISSION_RECEIPT_HOURS = env.integer("SUBMISSION_RECEIPT_HOURS", 1, minimum=1)
# "Leave this site" on every public page goes here (decision 122): a neutral site.
QUICK_EXIT_URL = env.string("QUICK_EXIT_URL", "https://www.google.com/")
if not QUICK_EXIT_URL.startswith(("https://", "http://")):
    raise ConfigError(f"SAFEGUARD_QUICK_EXIT_URL must be an http(s) address, not {QUICK_EXIT_URL!r}")

# Case documents (docs/case-management.md): the largest file accepted, and ClamAV's daemon socket
# to scan each one before it is stored (unset: documents are stored and marked "not scanned").
CASE_DOCUMENT_MAX_BYTES = env.integer("CASE_DOCUMENT_MAX_BYTES", 10_485_760, minimum=1024)
CLAMAV_SOCKET = env.string("CLAMAV_SOCKET", "")
CLAMAV_TIMEOUT_SECONDS = env.integer("CLAMAV_TIMEOUT_SECONDS", 30, minimum=1)

# Messaging channels (docs/channels.md): SMS, WhatsApp, Telegram, USSD and a generic webhook.
INTAKE_CHANNEL_SENDER_RATE = env.string("CHANNEL_SENDER_RATE", "60/h")
CHANNEL_SESSION_IDLE_MINUTES = env.integer("CHANNEL_SESSION_IDLE_MINUTES", 30, minimum=1)
# The public origin the providers call (Twilio signs the full URL); empty: the request's own.
CHANNEL_WEBHOOK_BASE_URL = env.string("CHANNEL_WEBHOOK_BASE_URL", "").rstrip("/")
# Named to reporters for full anonymity (the web form, also over Tor).
CHANNEL_PUBLIC_FORM_URL = env.string("CHANNEL_PUBLIC_FORM_URL", "/report/")
CHANNEL_PROVIDER_URLS = {
    "twilio": env.string("CHANNEL_TWILIO_API_URL", "https://api.twilio.com"),
    "telegram": env.string("CHANNEL_TELEGRAM_API_URL", "https://api.telegram.org"),
    "africastalking": env.string("CHANNEL_AFRICASTALKING_API_URL", "https://api.africastalking.com"),
    "vonage": env.string("CHANNEL_VONAGE_API_URL", "https://rest.nexmo.com"),
}

# Learning records (xAPI): an optional learning record store that receives every statement.
LRS_ENDPOINT = env.string("LRS_ENDPOINT", "").rstrip("/")
if LRS_ENDPOINT and not LRS_ENDPOINT.startswith(("https://", "http://")):
    raise ConfigError(
        f"SAFEGUARD_LRS_ENDPOINT must be the http(s) address of the LRS's xAPI root, not {LRS_ENDPOINT!r}"
    )
LRS_USERNAME = env.string("LRS_USERNAME", "")
LRS_PASSWORD = env.string("LRS_PASSWORD", "", secret=True)
LRS_ACTIVITY_BASE = env.string("LRS_ACTIVITY_BASE", "https://safeguard.invalid").rstrip("/")

TASKS = {"default": {"BACKEND": env.string("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Background work (docs/operations.md): /health/ answers 503 when tasks have waited this long and
# no worker has taken one for as long; manage.py run_worker puts a task left RUNNING longer than
# TASKS_RUNNING_TIMEOUT (its worker was killed) back in the queue.
TASKS_STALL_SECONDS = env.integer("TASKS_STALL_SECONDS", 300, minimum=1)
TASKS_RUNNING_TIMEOUT = env.integer("TASKS_RUNNING_TIMEOUT", 900, minimum=1)
# Webhooks go only to https:// public addresses; for tests and a local demo, loopback (and
# http:// to it) may be allowed (docs/api.md#webhooks).
WEBHOOKS_ALLOW_LOOPBACK = env.boolean("WEBHOOKS_ALLOW_LOOPBACK", False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safeguard.api.authentication.ApiTokenAuthentication",
        "safeguard.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "safeguard.api.permissions.HoldsARole",
        "safeguard.api.permissions.TokenScopes",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "safeguard.api.renderers.FormatNegotiation",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "safeguard.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["safeguard.api.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "safeguard.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "safeguard.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguard API",
    "DESCRIPTION": "Reporting, case management and analytics for child protection. "
    "Authenticate with `Authorization: Token <key>` (create a token under Account → API tokens).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safeguard.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    # Request logs carry client addresses; the public reporting pages must never log them.
    "loggers": {
        "django.server": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "py4j": {"level": "WARNING"},
        # WeasyPrint and fontTools tell every layout step and font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Legal registry (docs/legal.md): an entry not verified against its source for this many days
# is flagged as stale.
LEGAL_STALE_DAYS = env.integer("LEGAL_STALE_DAYS", 365, minimum=1)
# Legal-aid statistics withhold any count (and figures over a group) smaller than this.
LEGAL_STATISTICS_MIN_COUNT = env.integer("LEGAL_STATISTICS_MIN_COUNT", 3, minimum=1)
