"""Keikaku settings: one module, driven by environment variables (see .env.example)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = BASE_DIR / ".env"
if _env_file.exists():
    environ.Env.read_env(str(_env_file))

VAR_DIR = Path(env.str("KEIKAKU_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once into var/secret_key."""
    value = env.str("SECRET_KEY", default="")
    if value:
        return value
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return str(path.read_text(encoding="utf-8").strip())


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
PRODUCTION = env.bool("KEIKAKU_PRODUCTION", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "keikaku.core",
    "keikaku.accounts",
    "keikaku.plans",
    "keikaku.workflow",
    "keikaku.evaluation",
    "keikaku.participation",
    "keikaku.surveys",
    "keikaku.analysis",
    "keikaku.demography",
    "keikaku.resilience",
    "keikaku.council",
    "keikaku.publication",
    "keikaku.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "keikaku" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keikaku.plans.context_processors.site",
            ],
            "builtins": ["keikaku.core.templatetags.keikaku"],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'keikaku.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Tests use a file too (not shared-cache memory) so that locking behaves as in production.
    # One file per test process, so that several runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-keikaku-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# Citizen survey answering (benchmarks/bench_survey_web.py): keep SQLite connections open
# between requests too. Closing the last connection checkpoints the WAL, and the next commit
# then syncs a new WAL header: about 30 ms per request, 6x the rest of a page save.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://keikaku")}

TASKS = {
    "default": {
        "BACKEND": env.str("KEIKAKU_TASK_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "keikaku" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "keikaku" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Content Security Policy (Django's built-in middleware): scripts only from us, with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *env.list("KEIKAKU_CSP_IMG_EXTRA", default=[])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

MAILERS = {
    "default": {
        "BACKEND": env.str(
            "KEIKAKU_MAIL_BACKEND",
            default=(
                "django.core.mail.backends.smtp.EmailBackend"
                if PRODUCTION
                else "django.core.mail.backends.console.EmailBackend"
            ),
        ),
        "OPTIONS": env.json("KEIKAKU_MAIL_OPTIONS", default={}),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="keikaku@localhost")

# Keikaku's own settings.
KEIKAKU_SITE_NAME = env.str("KEIKAKU_SITE_NAME", default="")
KEIKAKU_PAGE_CACHE_SECONDS = env.int("KEIKAKU_PAGE_CACHE_SECONDS", default=300)
KEIKAKU_MAP_TILE_URL = env.str(
    "KEIKAKU_MAP_TILE_URL",
    default="https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
)
KEIKAKU_LOGIN_MAX_FAILURES = env.int("KEIKAKU_LOGIN_MAX_FAILURES", default=5)
KEIKAKU_LOGIN_LOCKOUT_SECONDS = env.int("KEIKAKU_LOGIN_LOCKOUT_SECONDS", default=900)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Staff security and the formulation workflow (keikaku.accounts, keikaku.workflow).
MIDDLEWARE += ["keikaku.accounts.middleware.StaffSessionMiddleware"]
AUTH_PASSWORD_VALIDATORS += [
    {
        "NAME": "keikaku.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": env.int("KEIKAKU_PASSWORD_MIN_CLASSES", default=2)},
    }
]
KEIKAKU_LOGIN_MAX_FAILURES_PER_IP = env.int("KEIKAKU_LOGIN_MAX_FAILURES_PER_IP", default=50)
KEIKAKU_SESSION_IDLE_SECONDS = env.int("KEIKAKU_SESSION_IDLE_SECONDS", default=3600)
KEIKAKU_TOTP_REQUIRED_ROLES = env.list("KEIKAKU_TOTP_REQUIRED_ROLES", default=[])
KEIKAKU_TOTP_ISSUER = env.str("KEIKAKU_TOTP_ISSUER", default="Keikaku")
KEIKAKU_NOTIFY_EMAIL = env.bool("KEIKAKU_NOTIFY_EMAIL", default=True)
KEIKAKU_SITE_URL = env.str("KEIKAKU_SITE_URL", default="http://127.0.0.1:8000")

# Citizens' voices and public comment (keikaku.participation).
# Public forms: at most N POSTs per client IP in a window of seconds (0 = off); the cache
# must be shared between processes (CACHE_URL) for the limit to be exact.
KEIKAKU_PUBLIC_FORM_RATE_LIMIT = env.int("KEIKAKU_PUBLIC_FORM_RATE_LIMIT", default=30)
KEIKAKU_PUBLIC_FORM_RATE_WINDOW = env.int("KEIKAKU_PUBLIC_FORM_RATE_WINDOW", default=600)
# The request header holding the client IP set by the reverse proxy (e.g. HTTP_X_REAL_IP);
# empty = REMOTE_ADDR.
KEIKAKU_CLIENT_IP_HEADER = env.str("KEIKAKU_CLIENT_IP_HEADER", default="")
KEIKAKU_OPINION_MAX_CHARS = env.int("KEIKAKU_OPINION_MAX_CHARS", default=4000)
KEIKAKU_PERSONAL_DATA_RETENTION_DAYS = env.int("KEIKAKU_PERSONAL_DATA_RETENTION_DAYS", default=1825)
# Reflection categories (反映区分) for new public comment rounds: [[code, label], ...].
KEIKAKU_REFLECTION_CATEGORIES = env.json(
    "KEIKAKU_REFLECTION_CATEGORIES",
    default=[
        ["A", "反映し修正"],
        ["B", "既に趣旨を含む"],
        ["C", "今後の検討課題"],
        ["D", "反映できない"],
        ["E", "その他"],
    ],
)
KEIKAKU_REFLECTED_CATEGORIES = env.list("KEIKAKU_REFLECTED_CATEGORIES", default=["A"])

# National resilience map (keikaku.resilience). The tile attribution is HTML shown on the map;
# the map centre (latitude, longitude) is used when there are no sites and no city bounds.
# The tile host is added to the CSP img-src so that tiles load (KEIKAKU_CSP_IMG_EXTRA adds more).
KEIKAKU_MAP_TILE_ATTRIBUTION = env.str(
    "KEIKAKU_MAP_TILE_ATTRIBUTION",
    default='<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)
KEIKAKU_MAP_CENTER = env.list("KEIKAKU_MAP_CENTER", cast=float, default=[35.934, 139.393])
if KEIKAKU_MAP_TILE_URL.startswith(("https://", "http://")):
    _tile_origin = "/".join(KEIKAKU_MAP_TILE_URL.split("/", 3)[:3])
    if _tile_origin not in SECURE_CSP["img-src"]:
        SECURE_CSP["img-src"].append(_tile_origin)

# The public site (keikaku.publication): the language (日本語 / English) and furigana switches,
# and the open-data API's CORS, ETag / Last-Modified and response cache (/api/v1/, CSV files).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "keikaku.publication.middleware.PublicSiteMiddleware",
)
# First of all, so that a cached API answer skips the rest of the stack.
MIDDLEWARE.insert(0, "keikaku.publication.middleware.OpenDataApiMiddleware")
# Then the public page cache: a cached page skips session, CSRF, auth, the view and templates.
MIDDLEWARE.insert(1, "keikaku.publication.middleware.PublicPageCacheMiddleware")
# Generated plan documents (PDF, Word, 概要版), cached by the fingerprint of their data.
KEIKAKU_DOCUMENTS_DIR = Path(env.str("KEIKAKU_DOCUMENTS_DIR", default=str(VAR_DIR / "documents")))
# Make them again in the background right after a publish (a task for `keikaku db_worker`).
KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD = env.bool("KEIKAKU_PLAN_DOCUMENTS_AUTO_BUILD", default=True)
