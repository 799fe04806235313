"""Reti's settings, read from the environment (see docs/configuration.md).

Defaults run everything on a laptop: SQLite in ./var, a secret generated once into ./var.
With DEBUG off (and RETI_LOCAL unset) Reti refuses to start without a real SECRET_KEY,
ALLOWED_HOSTS, RETI_PSEUDONYM_KEY, DEFAULT_FROM_EMAIL, RETI_SITE_URL, RETI_CACHE_URL,
RETI_PUBLISHER_IPA and RETI_OPENDATA_EMAIL (docs/configuration.md).
"""

import secrets
import shutil
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reti.lib.env import env_bool, env_int, env_list, env_path, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RETI_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if not DEBUG and len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters in production")
        return key
    if not DEBUG and not env_bool("RETI_LOCAL", default=False):
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (set RETI_LOCAL=1 for a local run)"
        )
    # Local runs keep one generated key so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
LOCAL = DEBUG or env_bool("RETI_LOCAL", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if LOCAL else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "reti.apps.RetiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Serves the API docs page (Swagger UI) from local static files instead of a CDN.
    "ninja",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "reti.accounts",
    "reti.registry",
    "reti.knowledge",
    "reti.events",
    "reti.communities",
    "reti.monitoring",
    "reti.grids",
    "reti.opendata",
    "reti.grants",
    "reti.identity",
    "reti.csr",
    "reti.opencoesione",
    "reti.portal",
    "axes",
]

MIDDLEWARE = [
    # First: a request that failed on a busy database (a lock held by an import) answers 503
    # with Retry-After, wherever it failed (reti/lib/busy.py).
    "reti.lib.busy.DatabaseBusyMiddleware",
    # Pages and API answers compressed (static files come precompressed from whitenoise);
    # Django pads compressed responses against BREACH and masks CSRF tokens per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, but `/` goes to Italian unless the visitor chose English (reti/lib/language.py).
    "reti.lib.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session passed a one-time password (django-otp), then Reti's rule: who must
    # have a second factor is sent to give it before anything else (reti/accounts/twofactor.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "reti.accounts.twofactor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reti.urls"
WSGI_APPLICATION = "reti.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "reti" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reti.portal.nav.portal_nav",
            ],
        },
    },
]

# SQLite in WAL mode by default; PostgreSQL through DATABASE_URL. Connections are kept
# DB_CONN_MAX_AGE seconds on both: a new SQLite connection per request starts with an empty
# page cache over a file of gigabytes (and re-runs the pragmas below).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'reti.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("RETI_TEST_SQLITE") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Italian first, English second.
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "reti" / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    # Uploads are written beside their place and renamed into it: no half file on a full disk.
    "default": {"BACKEND": "reti.lib.storage.WholeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The portal's sign-in for every account; the back office keeps its own (staff and editors).
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "portal:home"

# Brute-force protection of both sign-ins (django-axes, reti/accounts/lockout.py): a username is
# locked out from one client address after repeated failures, for a cool-off time.
AUTHENTICATION_BACKENDS = [
    "reti.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("RETI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RETI_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "reti.accounts.lockout.client_address"
AXES_HANDLER = "reti.accounts.lockout.LockoutHandler"
# Failures for one account from every address together that lock it (and notify its owner).
RETI_ACCOUNT_FAILURE_LIMIT = env_int("RETI_ACCOUNT_FAILURE_LIMIT", 20, minimum=1)
# How many proxies append to X-Forwarded-For in front of Reti: the client address is the hop the
# outermost of them added, never one the client wrote (reti.accounts.lockout.client_address).
RETI_TRUSTED_PROXY_COUNT = env_int(
    "RETI_TRUSTED_PROXY_COUNT",
    1 if env_bool("BEHIND_TLS_PROXY", default=False) else 0,
    minimum=0,
)
# Self-registration (reti/accounts/actions.py): how long the confirmation link mailed to a new
# account stays valid, and how many sign-ups or resends one client address may make per hour.
RETI_SIGNUP_LINK_HOURS = env_int("RETI_SIGNUP_LINK_HOURS", 48, minimum=1)
RETI_SIGNUP_LIMIT_PER_HOUR = env_int("RETI_SIGNUP_LIMIT_PER_HOUR", 10, minimum=1)
AXES_LOCKOUT_CALLABLE = "reti.accounts.lockout.locked_out"
# Two-factor authentication (reti/accounts/twofactor.py, docs/identity.md): whether
# those who handle participant data, payments or evaluations must give a second factor after
# a password sign-in, and how many wrong codes a user may type within the cool-off.
RETI_2FA_REQUIRED = env_bool("RETI_2FA_REQUIRED", default=True)
RETI_2FA_FAILURE_LIMIT = env_int("RETI_2FA_FAILURE_LIMIT", 5, minimum=1)
OTP_TOTP_ISSUER = env_str("RETI_2FA_ISSUER") or "Reti"
# Only failures are kept (to count them); successful sign-ins are not logged with their address.
AXES_DISABLE_ACCESS_LOG = True

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND") or "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Security headers; HSTS and secure cookies outside local runs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not LOCAL
CSRF_COOKIE_SECURE = not LOCAL
SECURE_HSTS_SECONDS = 0 if LOCAL else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not LOCAL
# Preloading is the registrable domain's owner's decision (it binds every subdomain, and leaving
# the browsers' list takes months), so it is off unless asked for, and Django's reminder about it
# (security.W021) is silenced: docs/operations.md, "Deploy check".
SECURE_HSTS_PRELOAD = False if LOCAL else env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Plain HTTP is redirected to HTTPS in production (behind a TLS proxy, X-Forwarded-Proto says
# which the client used); a local run serves plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not LOCAL)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", default=False) else None
)

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # No inline scripts and no inline styles anywhere: templates use classes from static CSS
        # (portal/css/reti.css); scripts set styles through the DOM (element.style), which the
        # policy allows.
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # Bootstrap Italia's CSS embeds one icon font (VideoJS) as a data: URI.
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Participant and personal data never leave through logs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "WARNING"},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The audit trail is read-only: no "revert" from the back office.
SIMPLE_HISTORY_REVERT_DISABLED = True

RETI_API_PAGE_SIZE = env_int("RETI_API_PAGE_SIZE", 50)


def _pseudonym_key() -> str:
    """The key of the participants' pseudonyms (HMAC of the codice fiscale): never change it."""
    key = env_str("RETI_PSEUDONYM_KEY")
    if key:
        if not LOCAL and len(key) < 32:
            raise ImproperlyConfigured("RETI_PSEUDONYM_KEY must be at least 32 characters")
        return key
    if not LOCAL:
        raise ImproperlyConfigured(
            "RETI_PSEUDONYM_KEY is required when DEBUG is off (set RETI_LOCAL=1 for a local run)"
        )
    key_file = VAR_DIR / "pseudonym_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# Monitoring (docs/monitoring.md): the pseudonym key and the analytics snapshot's directory.
MONITORING_PSEUDONYM_KEY = _pseudonym_key()
MONITORING_SNAPSHOT_DIR = Path(env_str("RETI_MONITORING_SNAPSHOT_DIR") or VAR_DIR / "monitoring")
# How often `reti worker` looks for imports whose process died (and leftover upload files).
MONITORING_REAP_SECONDS = env_int("RETI_MONITORING_REAP_SECONDS", 60)

RETI_API_MAX_PAGE_SIZE = 500

# E-mail: SMTP in production (EMAIL_HOST...), the console for local runs without a host.
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if LOCAL and not env_str("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
# Production must say who sends its e-mails and where its links lead: a localhost default
# would send password-reset and event links nobody can open.
DEFAULT_FROM_EMAIL = env_required(
    "DEFAULT_FROM_EMAIL",
    local=LOCAL,
    local_default="Reti <noreply@localhost>",
    meaning="the sender of Reti's e-mails, e.g. 'Reti <noreply@reti.example.org>'",
)
RETI_SITE_URL = env_required(
    "RETI_SITE_URL",
    local=LOCAL,
    local_default="http://127.0.0.1:8000",
    meaning="the site's public address for links in e-mails and feeds, e.g. https://reti.example.org",
)
if not RETI_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"RETI_SITE_URL must start with http:// or https://, not {RETI_SITE_URL!r}"
    )

# Who publishes the open-data catalogue (reti/opendata, docs/opendata.md): the network's
# secretariat, named by its code in the Indice delle Pubbliche Amministrazioni (IPA), which the
# national portal dati.gov.it uses to recognise a publisher. Production must name them: a
# placeholder code would be harvested as if it were an administration's.
RETI_PUBLISHER_NAME = env_str("RETI_PUBLISHER_NAME") or "Segreteria tecnica di Reti"
RETI_PUBLISHER_IPA = env_required(
    "RETI_PUBLISHER_IPA",
    local=LOCAL,
    local_default="reti_ipa_da_configurare",
    meaning="the publisher's code in the Indice delle Pubbliche Amministrazioni, e.g. r_toscan",
)
RETI_OPENDATA_EMAIL = env_required(
    "RETI_OPENDATA_EMAIL",
    local=LOCAL,
    local_default="opendata@reti.example.org",
    meaning="the open-data catalogue's contact e-mail, e.g. opendata@reti.example.org",
)
# The datasets' full dumps (reti/opendata/dumps.py): where they are published, and the hour
# (Europe/Rome) after which `reti worker` rebuilds them each night.
OPENDATA_DUMP_DIR = Path(env_str("RETI_OPENDATA_DUMP_DIR") or VAR_DIR / "opendata")
OPENDATA_DUMP_HOUR = env_int("RETI_OPENDATA_DUMP_HOUR", 3, minimum=0)
if OPENDATA_DUMP_HOUR > 23:
    raise ImproperlyConfigured(
        f"RETI_OPENDATA_DUMP_HOUR is an hour, 0-23, not {OPENDATA_DUMP_HOUR}"
    )

# One cache for every process (reti/lib/cache.py, docs/architecture.md "Caching"): Redis in
# production, so web workers share what one of them computed and a scope bumped by one is
# bumped for all; a local run keeps it in its own memory unless RETI_CACHE_URL is set.
RETI_CACHE_URL = env_required(
    "RETI_CACHE_URL",
    local=LOCAL,
    local_default="",
    meaning="the shared cache every web worker uses, e.g. redis://127.0.0.1:6379/0",
)
if RETI_CACHE_URL and not RETI_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"RETI_CACHE_URL must start with redis://, rediss:// or unix://, not {RETI_CACHE_URL!r}"
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": RETI_CACHE_URL,
            "KEY_PREFIX": env_str("RETI_CACHE_PREFIX") or "reti",
        }
        if RETI_CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    )
}


def _saml() -> dict | None:
    """SPID and CIE sign-in (reti/identity, docs/identity.md): off unless RETI_SAML_ENTITY_ID.

    Once the entity ID is set, the service provider's key and certificate, the identity
    providers' metadata registry and what AgID publishes about the administration are required,
    and a missing or unreadable one stops the start.
    """
    entity_id = (env_str("RETI_SAML_ENTITY_ID") or "").strip()
    if not entity_id:
        return None
    if not entity_id.startswith(("http://", "https://")) or "?" in entity_id:
        raise ImproperlyConfigured(
            f"RETI_SAML_ENTITY_ID must be an http(s) address without a query, not {entity_id!r}"
        )

    def required(name, value, meaning):
        if not value:
            raise ImproperlyConfigured(f"{name} is required with RETI_SAML_ENTITY_ID ({meaning})")
        return value

    metadata_dir = required(
        "RETI_SAML_IDP_METADATA_DIR",
        env_path("RETI_SAML_IDP_METADATA_DIR", kind="dir"),
        "the directory of the identity providers' metadata, with spid/ and optionally cie/",
    )
    if not any((metadata_dir / "spid").glob("*.xml")):
        raise ImproperlyConfigured(
            f"RETI_SAML_IDP_METADATA_DIR ({metadata_dir}) must hold spid/*.xml, the SPID "
            "identity providers' metadata (docs/identity.md)"
        )
    xmlsec = env_str("RETI_XMLSEC_BINARY") or shutil.which("xmlsec1") or ""
    if not xmlsec or not Path(xmlsec).is_file():
        raise ImproperlyConfigured(
            "SPID and CIE need xmlsec1 (Debian package xmlsec1), or RETI_XMLSEC_BINARY naming it"
        )
    municipality = (env_str("RETI_SAML_MUNICIPALITY") or "").strip()
    if any((metadata_dir / "cie").glob("*.xml")) and not municipality:
        raise ImproperlyConfigured(
            "RETI_SAML_MUNICIPALITY is required with CIE metadata in RETI_SAML_IDP_METADATA_DIR "
            "(the code of the administration's municipality the CIE federation asks, e.g. H501)"
        )
    level = (env_str("RETI_SPID_DEFAULT_LEVEL") or "2").strip()
    if level not in ("1", "2"):
        raise ImproperlyConfigured(f"RETI_SPID_DEFAULT_LEVEL must be 1 or 2, not {level!r}")
    return {
        "ENTITY_ID": entity_id,
        "KEY_FILE": required(
            "RETI_SAML_KEY_FILE",
            env_path("RETI_SAML_KEY_FILE", kind="file"),
            "the service provider's private key, PEM",
        ),
        "CERT_FILE": required(
            "RETI_SAML_CERT_FILE",
            env_path("RETI_SAML_CERT_FILE", kind="file"),
            "the service provider's certificate, PEM, as AgID asks",
        ),
        "IDP_METADATA_DIR": metadata_dir,
        "ORGANISATION_NAME": required(
            "RETI_SAML_ORGANISATION_NAME",
            (env_str("RETI_SAML_ORGANISATION_NAME") or "").strip(),
            "the administration's name as in the IPA index",
        ),
        "IPA_CODE": required(
            "RETI_SAML_IPA_CODE",
            (env_str("RETI_SAML_IPA_CODE") or "").strip(),
            "the administration's code in the IPA index",
        ),
        "CONTACT_EMAIL": required(
            "RETI_SAML_CONTACT_EMAIL",
            (env_str("RETI_SAML_CONTACT_EMAIL") or "").strip(),
            "the technical contact's address published in the metadata",
        ),
        "CONTACT_PHONE": (env_str("RETI_SAML_CONTACT_PHONE") or "").strip(),
        "MUNICIPALITY": municipality,
        "ORGANISATION_URL": (env_str("RETI_SAML_ORGANISATION_URL") or RETI_SITE_URL).strip(),
        "DEFAULT_LEVEL": int(level),
        "CLOCK_SKEW_SECONDS": env_int("RETI_SAML_CLOCK_SKEW_SECONDS", 60, minimum=0),
        "XMLSEC_BINARY": xmlsec,
    }


RETI_SAML = _saml()
