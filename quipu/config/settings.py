"""Django settings. Everything a deployment changes comes from QUIPU_* environment variables."""

import os
from datetime import timedelta

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from quipu.config.database import database_from_url
from quipu.config.environment import (
    BASE_DIR,
    env_bool,
    env_int,
    env_list,
    secret_key,
    var_dir,
)

VAR_DIR = var_dir()
SECRET_KEY = secret_key()
DEBUG = env_bool("QUIPU_DEBUG", default=False)
ALLOWED_HOSTS = env_list("QUIPU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("QUIPU_CSRF_TRUSTED_ORIGINS", [])

# Served over HTTPS (behind a proxy) unless running the local debug demo.
HTTPS = env_bool("QUIPU_HTTPS", default=not DEBUG)
REQUIRE_2FA = env_bool("QUIPU_REQUIRE_2FA", default=False)

INSTALLED_APPS = [
    "quipu.web",
    "quipu.tenancy",
    "quipu.audit",
    "quipu.accounts",
    "quipu.cases",
    "quipu.intake",
    "quipu.linkage",
    "quipu.stats",
    "quipu.indicators",
    "quipu.progress",
    "quipu.notifications",
    "quipu.cooperation.receipts",
    "quipu.cooperation.requests",
    "quipu.cooperation.jits",
    "quipu.cooperation.referrals",
    "quipu.cooperation.helpline",
    "quipu.cooperation.dashboard",
    "quipu.api",
    "quipu.demo",
    "quipu.help",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "quipu.accounts.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "quipu.accounts.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "quipu.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "quipu.web.errors.DomainErrorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quipu.config.urls"
WSGI_APPLICATION = "quipu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "quipu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "quipu.web.context_processors.shell",
                "quipu.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("QUIPU_DATABASE_URL", f"sqlite:///{VAR_DIR / 'quipu.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tenancy.User"

# Passwords: argon2 first; the others only verify hashes made elsewhere.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Lets the login form tell a disabled account apart from a wrong password.
    "django.contrib.auth.backends.AllowAllUsersModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A password-reset link works once, for this long (quipu/accounts/reset.py).
PASSWORD_RESET_TIMEOUT = env_int("QUIPU_PASSWORD_RESET_MINUTES", 60) * 60

# Lockout after repeated failures of one username from one address, for a delay that doubles
# with each further round within a day (quipu/accounts/lockout.py, docs/decisions.md).
AXES_FAILURE_LIMIT = env_int("QUIPU_LOCKOUT_FAILURES", 5)
QUIPU_LOCKOUT_MINUTES = env_int("QUIPU_LOCKOUT_MINUTES", 15)
QUIPU_LOCKOUT_MAX_MINUTES = env_int("QUIPU_LOCKOUT_MAX_MINUTES", 24 * 60)
AXES_COOLOFF_TIME = "quipu.accounts.lockout.lockout_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind this many reverse proxies (X-Forwarded-For); 0: REMOTE_ADDR.
QUIPU_TRUSTED_PROXIES = env_int("QUIPU_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "quipu.accounts.lockout.client_address"
AXES_USE_ATTEMPT_EXPIRATION = True  # each pair's record lives as long as its own delay
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the rounds the delay grows with; pruned after 2 days
# A try during a lock is refused unchecked; it does not restart the delay of the owner.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Refused sign-ins (unknown usernames, tries during a lock) are counted per address in windows
# of this length and audited at the 1st, 2nd, 4th... of each window.
QUIPU_REFUSED_SIGNIN_WINDOW_MINUTES = env_int("QUIPU_REFUSED_SIGNIN_WINDOW_MINUTES", 60)
AXES_LOCKOUT_CALLABLE = "quipu.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after inactivity.
SESSION_COOKIE_AGE = env_int("QUIPU_SESSION_IDLE_MINUTES", 30) * 60
# The idle expiry moves with activity, once a minute: quipu.accounts.middleware.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "quipu.web.errors.csrf_failure"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = env_bool("QUIPU_SSL_REDIRECT", default=False)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Languages: Spanish by default; the URL never carries the language.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("pt-br", _("Portuguese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "quipu" / "locale"]
FORMAT_MODULE_PATH = ["quipu.formats"]  # English dates day-first (quipu/formats/en)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Files browsers ask for at the site's root (/favicon.ico), served as static files are.
WHITENOISE_ROOT = BASE_DIR / "quipu" / "web" / "root"
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "quipu.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "quipu.api.schema.QuipuAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "quipu.api.pagination.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": [
        "quipu.api.parsers.JSONParser",
        "quipu.api.parsers.FormParser",
        "quipu.api.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "quipu.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("QUIPU_API_ANON_RATE", "60/hour"),
        "user": os.environ.get("QUIPU_API_USER_RATE", "5000/hour"),
    },
}
# API tokens (django-rest-knox): stored as digests, expiring, several per user, made only on the
# account page after the second factor where it is required (docs/decisions.md).
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model label, not a secret)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("QUIPU_API_TOKEN_DAYS", 30)),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Quipu API",
    "DESCRIPTION": "Regional platform against trafficking in persons and smuggling of migrants.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get their own components, so that required text is documented as non-blank
    # and read-only fields are not offered as input (issue 13).
    "COMPONENT_SPLIT_REQUEST": True,
}

# Progress of background jobs is shared between the web and worker processes through the cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("QUIPU_CACHE_DIR", str(VAR_DIR / "cache")),
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Export files are deleted this long after they are written (`quipu daily`); until then a
# download is still re-checked against the requester's rights (docs/operators.md).
QUIPU_EXPORT_TTL = timedelta(hours=env_int("QUIPU_EXPORT_HOURS", 24))

EMAIL_BACKEND = os.environ.get(
    "QUIPU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("QUIPU_FROM_EMAIL", "quipu@localhost")
# With Django's file backend (what `make run` uses), one file per e-mail in this folder.
EMAIL_FILE_PATH = os.environ.get("QUIPU_MAIL_DIR", str(VAR_DIR / "mail"))
# Regional views suppress case-data cells under this count (CTDC's public file uses k = 10).
QUIPU_DISCLOSURE_THRESHOLD = int(os.environ.get("QUIPU_DISCLOSURE_THRESHOLD", "10"))
# Links in e-mails point here; by default where `make run` serves (QUIPU_PORT, else 8000).
QUIPU_BASE_URL = os.environ.get(
    "QUIPU_BASE_URL", f"http://127.0.0.1:{os.environ.get('QUIPU_PORT') or 8000}"
)
# Bounds on imported files (quipu/file_limits.py), checked before a file is parsed. The rows
# cover CTDC's file ten times over (970,000), as the import benchmark reads it; a cell, Excel's.
QUIPU_IMPORT_MAX_UNPACKED_MB = env_int("QUIPU_IMPORT_MAX_UNPACKED_MB", 512)
QUIPU_IMPORT_MAX_ROWS = env_int("QUIPU_IMPORT_MAX_ROWS", 1_000_000)
QUIPU_IMPORT_MAX_COLUMNS = env_int("QUIPU_IMPORT_MAX_COLUMNS", 1_000)
QUIPU_IMPORT_MAX_CELL_CHARS = env_int("QUIPU_IMPORT_MAX_CELL_CHARS", 32_767)

OTP_TOTP_ISSUER = "Quipu"

# Log codes and ids only; personal data never goes into a log line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QUIPU_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
