"""Django settings built from BANZU_* settings: the store's database, keys kept under BANZU_HOME.

Secure defaults: Argon2 passwords, HttpOnly SameSite cookies (made Secure on HTTPS requests by
web.middleware), CSRF on every form, no DEBUG, a strict Content-Security-Policy.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from core.settings import get_settings

BASE_DIR = Path(__file__).resolve().parent
_banzu = get_settings()
_banzu.home_dir.mkdir(parents=True, exist_ok=True)


def _secret_key(home: Path) -> str:
    """One random key per installation, kept in BANZU_HOME (mode 0600), unless BANZU_WEB_SECRET_KEY is set."""
    if key := os.environ.get("BANZU_WEB_SECRET_KEY"):
        return key
    path = home / "web-secret-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def database(url: str) -> dict:
    """The store's SQLAlchemy URL as a Django DATABASES entry (SQLite or PostgreSQL)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": u.database, "OPTIONS": {"timeout": 60}}
    if u.get_backend_name() == "postgresql":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": u.database,
            "USER": u.username or "",
            "PASSWORD": u.password or "",
            "HOST": u.query.get("host") or u.host or "",
            "PORT": str(u.query.get("port") or u.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"审核工作台不支持此数据库：{u.get_backend_name()}")


SECRET_KEY = _secret_key(_banzu.home_dir)
DEBUG = False
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("BANZU_WEB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "web.accounts",
    "web.review",
    "web.grading",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "web.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.accounts.middleware.login_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.accounts.roles.context",
            ]
        },
    }
]
WSGI_APPLICATION = "web.wsgi.application"
DATABASES = {"default": database(_banzu.db_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "banzu-web"}}
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_NAME = "banzu_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "banzu_csrf"
CSRF_FAILURE_VIEW = "web.accounts.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("BANZU_WEB_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
