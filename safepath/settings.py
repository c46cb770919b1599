"""Django settings for safepath, read from the environment (see README "Configuration").

SAFEPATH_ENV chooses the profile:
- ``production``: every secret and host must be given; HTTPS-only cookies, HSTS.
- ``demo``: the one-command demo on 127.0.0.1 (plain HTTP on loopback, demo banner).
- ``development`` (default) and ``test``: local work.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from safepath.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("SAFEPATH_VAR_DIR", str(BASE_DIR.parent / "var")))

SAFEPATH_ENV = env_choice("SAFEPATH_ENV", "development", ("production", "demo", "development", "test"))
PRODUCTION = SAFEPATH_ENV == "production"
DEMO_MODE = SAFEPATH_ENV == "demo"
# Demo accounts may sign in without MFA only when this is on; the banner says so.
DEMO_SKIP_MFA = env_bool("SAFEPATH_DEMO_SKIP_MFA", DEMO_MODE)
if PRODUCTION and DEMO_SKIP_MFA:
    raise ImproperlyConfigured("SAFEPATH_DEMO_SKIP_MFA cannot be on in production.")


def _secret_key() -> str:
    if PRODUCTION:
        return env_str("SAFEPATH_SECRET_KEY")
    explicit = env_str("SAFEPATH_SECRET_KEY", "")
    if explicit:
        return explicit
    # Local profiles keep a generated key under var/ so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("SAFEPATH_DEBUG", False)
ALLOWED_HOSTS = env_list("SAFEPATH_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SAFEPATH_ALLOWED_HOSTS must list the service's host names.")
CSRF_TRUSTED_ORIGINS = env_list("SAFEPATH_CSRF_TRUSTED_ORIGINS", [])
# The service's address as people reach it, for the links in notice emails (core/links.py). In
# production it defaults to https:// and the first host name allowed; elsewhere links are paths.
BASE_URL = env_str("SAFEPATH_BASE_URL", "").rstrip("/")
if BASE_URL and not BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "SAFEPATH_BASE_URL must start with https:// (for example https://safepath.council.gov.uk)."
    )
if not BASE_URL and PRODUCTION:
    BASE_URL = next((f"https://{host}" for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")), "")

INSTALLED_APPS = [
    "safepath.core",
    "safepath.accounts",
    "safepath.areas",
    "safepath.people",
    "safepath.risk",
    "safepath.referrals",
    "safepath.cases",
    "safepath.casework",
    "safepath.outcomes",
    "safepath.programmes",
    "safepath.marac",
    "safepath.accommodation",
    "safepath.dropins",
    "safepath.commissioning",
    "safepath.reporting",
    "safepath.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "safepath.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "safepath.accounts.middleware.CurrentMembershipMiddleware",
    "safepath.accounts.middleware.RequireMFAMiddleware",
    "safepath.core.middleware.NoStoreMiddleware",
    "safepath.core.middleware.AuditPermissionDeniedMiddleware",
]

ROOT_URLCONF = "safepath.urls"
WSGI_APPLICATION = "safepath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "safepath.jinja2.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'safepath.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # mmap_size: reads of a large file (a region's reports) go through a shared memory map
        # instead of a read() system call per page; the pages are the operating system's file
        # cache, shared by every worker, not memory held per connection.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            f"PRAGMA mmap_size={env_int('SAFEPATH_SQLITE_MMAP_MB', 1024, minimum=0) * 1024 * 1024};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "safepath_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("SAFEPATH_PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Sign-in (django-allauth). Accounts are created by administrators; nobody signs up.
ACCOUNT_ADAPTER = "safepath.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Never email an unknown address (a password reset for it would invite a sign-up we do not offer).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[safepath] "
ACCOUNT_LOGIN_FAILED_LIMIT = env_str("SAFEPATH_LOGIN_FAILED_LIMIT", "5/15m/key,30/15m/ip")
ACCOUNT_RATE_LIMITS = {
    # After five failures for one account (from any address) the account is locked for
    # 15 minutes, even with the right password; one address may fail 30 times in 15 minutes.
    "login_failed": ACCOUNT_LOGIN_FAILED_LIMIT,
    "login": "60/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("SAFEPATH_MFA_ISSUER", "safepath")
USERSESSIONS_TRACK_ACTIVITY = True

# Idle sessions end after SAFEPATH_IDLE_TIMEOUT_MINUTES without a request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SAFEPATH_IDLE_TIMEOUT_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "safepath_session"
CSRF_COOKIE_NAME = "safepath_csrf"

# Security headers and cookies.
_https = env_bool("SAFEPATH_HTTPS", PRODUCTION)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = _https and env_bool("SAFEPATH_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_HSTS_SECONDS = env_int("SAFEPATH_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = env_bool("SAFEPATH_HSTS_PRELOAD", _https)
# A council whose domain cannot join the preload list turns preload off knowingly.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD or not _https else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# Our own translations, inside the package so an installed copy has them (the compiled .mo
# files are committed: ADR 15).
LOCALE_PATHS = [BASE_DIR / "locale"]
# The chosen language lasts until the browser closes (no lasting trace on a shared device),
# is sent only over HTTPS where the service is, and is not readable by scripts.
LANGUAGE_COOKIE_AGE = None
LANGUAGE_COOKIE_SECURE = _https
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = env_str(
    "SAFEPATH_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("SAFEPATH_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SAFEPATH_EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("SAFEPATH_EMAIL_USE_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = env_str("SAFEPATH_FROM_EMAIL", "safepath <no-reply@localhost>")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Periodic jobs run by `safepath worker`: task path -> interval in seconds.
SAFEPATH_PERIODIC_JOBS = {
    "safepath.core.tasks.clear_expired_sessions": env_int("SAFEPATH_SESSION_CLEANUP_SECONDS", 3600, minimum=60),
    # Commissioning: alerts before contract extension decisions fall due (windows are data).
    "safepath.commissioning.tasks.send_deadline_alerts": env_int("SAFEPATH_DEADLINE_ALERT_SECONDS", 86400, minimum=600),
    # Reporting: the quarterly papers commissioners subscribe to, built once a quarter has closed.
    "safepath.reporting.tasks.build_quarterly_papers": env_int("SAFEPATH_QUARTERLY_PAPER_SECONDS", 86400, minimum=600),
}

# Self-referral abuse controls (per client address; see SAFEPATH_TRUSTED_PROXIES).
SAFEPATH_SELF_REFERRAL_LIMIT_PER_HOUR = env_int("SAFEPATH_SELF_REFERRAL_LIMIT_PER_HOUR", 5, minimum=1)
SAFEPATH_SELF_REFERRAL_MIN_SECONDS = env_int("SAFEPATH_SELF_REFERRAL_MIN_SECONDS", 10, minimum=0)
SAFEPATH_IMPORT_MAX_BYTES = env_int("SAFEPATH_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Match an import's rows against known people a chunk ahead, in a second process (importing/ahead.py).
IMPORT_MATCH_AHEAD = env_bool("SAFEPATH_IMPORT_MATCH_AHEAD", True)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use the socket address).
SAFEPATH_TRUSTED_PROXIES = env_int("SAFEPATH_TRUSTED_PROXIES", 0, minimum=0)

SAFEPATH_SERVICE_NAME = env_str("SAFEPATH_SERVICE_NAME", "safepath")
SAFEPATH_EXIT_PAGE_URL = env_str("SAFEPATH_EXIT_PAGE_URL", "https://www.bbc.co.uk/weather")
SAFEPATH_AUDIT_PAGE_SIZE = env_int("SAFEPATH_AUDIT_PAGE_SIZE", 50, minimum=10)
# Disclosure control (DOMAIN.md): counts under this are suppressed in anything a commissioner
# or the public sees, with secondary suppression so hidden cells cannot be recovered.
SAFEPATH_SUPPRESSION_THRESHOLD = env_int("SAFEPATH_SUPPRESSION_THRESHOLD", 10, minimum=2)
# The commissioner's dashboard keeps a closed period's figures this long (they no longer change).
SAFEPATH_REPORT_CACHE_SECONDS = env_int("SAFEPATH_REPORT_CACHE_SECONDS", 900, minimum=0)
# A quarter's subscribed papers are built this many days after it ends (late records get in).
SAFEPATH_QUARTERLY_PAPER_DELAY_DAYS = env_int("SAFEPATH_QUARTERLY_PAPER_DELAY_DAYS", 7, minimum=0)
# Performance against the contract: an actual short of its target by no more than this
# percentage of the target is amber (RAG), further short is red.
SAFEPATH_RAG_AMBER_TOLERANCE = env_int("SAFEPATH_RAG_AMBER_TOLERANCE", 10, minimum=0)
# The drop-in outcome (vocabulary `dropin_outcomes`) counted as "referral made to the hub".
SAFEPATH_DROPIN_REFERRAL_OUTCOME = env_str("SAFEPATH_DROPIN_REFERRAL_OUTCOME", "referral_to_hub")

# Logs carry ids only; personal data never reaches them (STYLE.md point 20).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SAFEPATH_LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "safepath.core.views.csrf_failure"

# --- Safe accommodation: secret addresses (safepath/accommodation/crypto.py, ADR 0011) ---------
# Fernet keys for refuge addresses, separated by commas (the first encrypts; all decrypt, for
# rotation). Required in production; elsewhere, when unset, a key is derived from SECRET_KEY.
SAFEPATH_ADDRESS_KEY = env_str("SAFEPATH_ADDRESS_KEY", "")
if PRODUCTION and not SAFEPATH_ADDRESS_KEY:
    raise ImproperlyConfigured("SAFEPATH_ADDRESS_KEY must be set in production (Fernet keys, comma-separated).")
