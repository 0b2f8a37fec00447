"""Xinghuo settings: one file, driven by the environment, failing loudly on bad values.

Variables (all optional in the embedded default):
    XINGHUO_ENV     development | demo | test | production   (default: development)
    DATABASE_URL    default: SQLite file var/xinghuo.sqlite3 in WAL mode
    REDIS_URL       cache and sessions in Redis when set, in-process otherwise
    SECRET_KEY      generated into var/secret_key on first run when unset (refused in production)
    XINGHUO_FIELD_KEY   the key of personal values encrypted at rest (ID numbers) and of their blind index;
                    at least 32 characters, e.g. `python -c "import secrets; print(secrets.token_urlsafe(48))"`.
                    Required in production; elsewhere a fixed development key (demo and test data only).
    DEBUG           off unless set to 1/true
    ALLOWED_HOSTS   comma separated (default: 127.0.0.1,localhost in non-production)
    XINGHUO_OTP_REQUIRED   1 (default) | 0 — the second factor for staff; 0 is refused in production
    TIANDITU_KEY    key for 天地图 map tiles
    XINGHUO_AUDIT_SEAL_IN_BACKGROUND   1 | 0 — chain audit records in a background thread (default: on PostgreSQL)
    XINGHUO_INDICATORS_REFRESH_IN_BACKGROUND  1 | 0 — recount the dashboard's figures behind the request (default: on)
    XINGHUO_STORAGE local (default: MEDIA_ROOT, PRIVATE_ROOT) | s3 (S3_BUCKET, S3_ENDPOINT_URL, …: see file_storages)
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("XINGHUO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_dates(name: str) -> frozenset[date]:
    values = env_list(name, [])
    try:
        return frozenset(date.fromisoformat(v) for v in values)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be ISO dates separated by commas (2027-01-01,2027-01-02), got {values!r}") from exc


XINGHUO_ENV = os.environ.get("XINGHUO_ENV", "development")
if XINGHUO_ENV not in {"development", "demo", "test", "production"}:
    raise ImproperlyConfigured(f"XINGHUO_ENV must be development, demo, test or production, got {XINGHUO_ENV!r}")
PRODUCTION = XINGHUO_ENV == "production"

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")


def _field_key() -> str:
    """The key of core.crypto: from the environment, never generated (a lost key loses every ID number it
    encrypted, so production must bring its own and keep it apart from the database's backups)."""
    key = os.environ.get("XINGHUO_FIELD_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("XINGHUO_FIELD_KEY must be at least 32 characters")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("XINGHUO_FIELD_KEY must be set in production (it encrypts ID numbers at rest)")
    return "xinghuo-development-field-key: demo and test data only, never real people"


FIELD_ENCRYPTION_KEY = _field_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "xinghuo.core",
    "xinghuo.search",
    "xinghuo.regions",
    "xinghuo.organisations",
    "xinghuo.accounts",
    "xinghuo.portal",
    "xinghuo.console",
    "xinghuo.venues",
    "xinghuo.certification",
    "xinghuo.tours",
    "xinghuo.activities",
    "xinghuo.resources",
    "xinghuo.talent",
    "xinghuo.promoters",
    "xinghuo.talks",
    "xinghuo.experts",
    "xinghuo.officers",
    "xinghuo.volunteers",
    "xinghuo.worklist",
    "xinghuo.indicators",
    "xinghuo.projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinghuo.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xinghuo.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "xinghuo.core.access.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xinghuo.config.urls"
WSGI_APPLICATION = "xinghuo.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinghuo.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'xinghuo.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_SQLITE)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DATABASE_URL.startswith("sqlite") else 60)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL for concurrent readers; IMMEDIATE transactions so that a writer takes the lock up front
    # instead of failing with "database is locked" when it upgrades a read lock.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "xinghuo",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xinghuo"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Authentication and the security policy (等保 2.0 三级, as it applies to an application) --------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xinghuo.accounts.backends.UsernameOrPhoneBackend",
]
PASSWORD_HASHERS = [
    # The test suite hashes with Argon2 too, only with a small memory cost (see accounts.hashers).
    "xinghuo.accounts.hashers.TestArgon2PasswordHasher" if XINGHUO_ENV == "test" else "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "xinghuo.accounts.validators.PolicyLengthValidator"},
    {"NAME": "xinghuo.accounts.validators.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "name", "phone")},  # a citizen's login name is the phone
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "console:home"

XINGHUO_PASSWORD_POLICY = {
    "staff_min_length": 12,
    "staff_min_classes": 3,
    "citizen_min_length": 8,
    "staff_max_age_days": 90,
}
XINGHUO_STAFF_IDLE_SECONDS = 30 * 60
XINGHUO_STAFF_ABSOLUTE_SECONDS = 12 * 3600
XINGHUO_CITIZEN_SESSION_SECONDS = 14 * 24 * 3600
XINGHUO_OTP_REQUIRED = env_bool("XINGHUO_OTP_REQUIRED", True)
if PRODUCTION and not XINGHUO_OTP_REQUIRED:
    raise ImproperlyConfigured("XINGHUO_OTP_REQUIRED=0 is for the embedded demo only, never in production")
OTP_TOTP_ISSUER = "星火科普"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "xinghuo.accounts.views.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "ip_address"]
AXES_USERNAME_CALLABLE = "xinghuo.accounts.lockout.username_key"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("XINGHUO_PROXY_COUNT", "0") or 0)

SESSION_COOKIE_AGE = XINGHUO_STAFF_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "xh_session"
CSRF_COOKIE_NAME = "xh_csrf"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "xinghuo.core.views.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

TIANDITU_KEY = os.environ.get("TIANDITU_KEY", "")
# Base map tiles: tianditu (CGCS2000 ≈ WGS-84, needs TIANDITU_KEY), amap (GCJ-02: markers are shifted for it),
# or none (markers and list only, e.g. on a network without internet access).
MAP_TILES = os.environ.get("MAP_TILES", "tianditu" if TIANDITU_KEY else "none")
if MAP_TILES not in {"tianditu", "amap", "none"}:
    raise ImproperlyConfigured(f"MAP_TILES must be tianditu, amap or none, got {MAP_TILES!r}")
MAP_CENTER = (36.20, 117.09)  # 泰安市 (lat, lon, WGS-84)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://*.tianditu.gov.cn", "https://*.is.autonavi.com"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "xinghuo" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/jsqr", NODE_MODULES / "jsqr" / "dist"),
    ("vendor/quill", NODE_MODULES / "quill" / "dist"),
]
# Packages of which a page loads one file: only that file is served (core.finders). ECharts' whole `dist` is 46 MB, and
# compressed twice (gzip and Brotli) it made collectstatic take 100 s; the dashboard loads echarts.min.js (1 MB).
STATICFILES_NODE_FILES = {
    "vendor/echarts/echarts.min.js": NODE_MODULES / "echarts" / "dist" / "echarts.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "xinghuo.core.finders.NodeFileFinder",
]
# The tests' uploads go to a throwaway folder, never into the demo's var/.
_UPLOADS = Path(tempfile.mkdtemp(prefix="xinghuo-test-uploads-")) if XINGHUO_ENV == "test" else VAR_DIR
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", _UPLOADS / "media"))
MEDIA_URL = "/media/"
# Files only signed-in users in scope may read (certification evidence, yearly-report photos): outside MEDIA_ROOT,
# never served by URL, only through views that check the actor's scope.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", _UPLOADS / "private"))


def file_storages(environ: Mapping[str, str], *, private_root: Path) -> dict[str, dict[str, Any]]:
    """Where uploads are kept: on local disk (the default), or with XINGHUO_STORAGE=s3 in S3-compatible object
    storage (MinIO, or a government cloud's OSS/COS/OBS at S3_ENDPOINT_URL). Either way the platform reads the files
    and answers them itself; no object gets a public ACL, and private files sit in their own bucket or key prefix.

    S3_BUCKET (required), S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (both, or neither for
    boto3's own credentials), S3_ADDRESSING_STYLE (path | virtual | auto), S3_PRIVATE_BUCKET (default: S3_BUCKET),
    S3_PRIVATE_LOCATION (the private files' key prefix, default: private)."""
    kind = environ.get("XINGHUO_STORAGE") or "local"
    if kind == "local":
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": private_root, "base_url": None}},
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"XINGHUO_STORAGE must be local or s3, got {kind!r}")
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("XINGHUO_STORAGE=s3 needs S3_BUCKET, the bucket that uploads are kept in")
    access_key, secret_key = environ.get("S3_ACCESS_KEY_ID", ""), environ.get("S3_SECRET_ACCESS_KEY", "")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together")
    addressing_style = environ.get("S3_ADDRESSING_STYLE", "")
    if addressing_style not in {"", "path", "virtual", "auto"}:
        raise ImproperlyConfigured(f"S3_ADDRESSING_STYLE must be path, virtual or auto, got {addressing_style!r}")
    private_bucket = environ.get("S3_PRIVATE_BUCKET") or bucket
    private_location = environ.get("S3_PRIVATE_LOCATION", "private").strip("/")
    if private_bucket == bucket and not private_location:
        raise ImproperlyConfigured("S3_PRIVATE_LOCATION must not be empty when private files share S3_BUCKET")
    common = {
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
        "region_name": environ.get("S3_REGION") or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "addressing_style": addressing_style or None,
        "default_acl": None,  # the bucket's own policy (private), never public-read
        "querystring_auth": True,  # a URL, if one is ever made, is signed and expires
        "file_overwrite": False,  # a name taken gets a suffix, as on disk
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**common, "bucket_name": bucket}},
        "private": {"BACKEND": backend, "OPTIONS": {**common, "bucket_name": private_bucket, "location": private_location}},
    }


STORAGES = {
    **file_storages(os.environ, private_root=PRIVATE_ROOT),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if XINGHUO_ENV == "test"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In tests, let WhiteNoise look files up on demand instead of scanning every static file per test client.
WHITENOISE_AUTOREFRESH = DEBUG or XINGHUO_ENV == "test"

# --- Background jobs ----------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE

# --- Audit --------------------------------------------------------------------------------
XINGHUO_AUDIT_RETENTION_DAYS = 184
# Who chains a record once its change commits (core.audit): a thread of the writing process, a moment later, for
# the records of every commit of that moment (PostgreSQL outside the tests: no request waits for the chain), or
# the writer itself right after its commit (SQLite serialises writers anyway; the tests check each seal at once).
XINGHUO_AUDIT_SEAL_IN_BACKGROUND = env_bool(
    "XINGHUO_AUDIT_SEAL_IN_BACKGROUND", _db["ENGINE"].endswith("postgresql") and XINGHUO_ENV != "test"
)

# --- The dashboard's figures older than five minutes are counted again in a thread behind the request that found
# them (indicators.selectors.board); off in the tests, which recount inline.
XINGHUO_INDICATORS_REFRESH_IN_BACKGROUND = env_bool("XINGHUO_INDICATORS_REFRESH_IN_BACKGROUND", XINGHUO_ENV != "test")

# --- The city this platform serves: its public pages (the experts' lists, the published indicators) show it -----
XINGHUO_HOME_CITY = os.environ.get("XINGHUO_HOME_CITY", "370900")
# --- Work list: how many days before a deadline (a progress report's, a supervision answer's, a filing's) the unit
# is reminded (worklist.reminders, run daily by `manage.py send_worklist_reminders`)
XINGHUO_REMIND_DAYS_BEFORE = int(os.environ.get("XINGHUO_REMIND_DAYS_BEFORE", "3") or 3)

# --- Working days (core.workdays): Monday to Friday, less the public holidays the State Council announces each year
# and plus the weekend days worked in their place (调休上班日), as ISO dates: XINGHUO_HOLIDAYS=2027-01-01,2027-02-05,…
XINGHUO_HOLIDAYS = env_dates("XINGHUO_HOLIDAYS")
XINGHUO_MAKEUP_WORKDAYS = env_dates("XINGHUO_MAKEUP_WORKDAYS")

# --- Logging: personal values never reach the logs in clear (see core.logging) -------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "xinghuo.core.logging.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_personal"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 20

SILENCED_SYSTEM_CHECKS = [
    # Lockout is per account (5 failures, 30 minutes) on purpose: an IP-based lockout would lock out every
    # user behind a government office's shared NAT address. Rate limiting by address belongs to the proxy.
    "axes.W006",
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
