"""Settings refuse a bad environment instead of guessing."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from reti.lib import env

# Every setting production refuses to start without, with a valid value.
PRODUCTION = {
    "SECRET_KEY": "x" * 40,
    "ALLOWED_HOSTS": "reti.example.org",
    "RETI_PSEUDONYM_KEY": "k" * 40,
    "DEFAULT_FROM_EMAIL": "Reti <noreply@reti.example.org>",
    "RETI_SITE_URL": "https://reti.example.org",
    "RETI_CACHE_URL": "redis://127.0.0.1:6379/0",
    "RETI_PUBLISHER_IPA": "r_toscan",
    "RETI_OPENDATA_EMAIL": "opendata@reti.example.org",
}


def _start(tmp_path, **environ):
    """Import the settings in a fresh interpreter with only `environ` set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "RETI_LOCAL", "DATABASE_URL", *PRODUCTION}
    }
    clean.update(environ, RETI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="reti.settings")
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ALLOWED_HOSTS)"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = _start(tmp_path, ALLOWED_HOSTS="reti.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = _start(tmp_path, SECRET_KEY="x" * 40)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_production_with_every_required_setting_starts(tmp_path):
    result = _start(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "DEFAULT_FROM_EMAIL",
        "RETI_SITE_URL",
        "RETI_CACHE_URL",
        "RETI_PUBLISHER_IPA",
        "RETI_OPENDATA_EMAIL",
    ],
)
def test_production_without_mail_sender_site_url_or_cache_refuses_to_start(tmp_path, name):
    # A localhost default would send reset and event links that nobody can open.
    environ = {k: v for k, v in PRODUCTION.items() if k != name}
    result = _start(tmp_path, **environ)
    assert result.returncode != 0
    assert f"{name} is required when DEBUG is off" in result.stderr
    assert "RETI_LOCAL=1" in result.stderr


def _section(text: str, heading: str) -> str:
    return re.split(r"\n#+ ", text.split(heading + "\n", 1)[1], maxsplit=1)[0]


def _table_names(section: str) -> set[str]:
    """The variables named in the first column of the section's table rows."""
    return {
        name
        for line in section.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z_]+)`", line.split("|")[1])
    }


def test_every_required_setting_is_in_the_configuration_doc_and_the_readme():
    # A production start that fails on a setting no doc names is an outage (issue 23, item 10).
    root = Path(__file__).resolve().parents[3]
    configuration = (root / "docs" / "configuration.md").read_text()
    readme = (root / "README.md").read_text()
    required = _section(configuration, "## Required in production")
    assert _table_names(required) == set(PRODUCTION)
    assert _table_names(_section(readme, "### Production")) == set(PRODUCTION)
    # SPID and CIE are off unless configured; once on, their settings are required too.
    assert "RETI_SAML_ENTITY_ID" in required


def test_site_url_without_scheme_is_refused(tmp_path):
    result = _start(tmp_path, **{**PRODUCTION, "RETI_SITE_URL": "reti.example.org"})
    assert result.returncode != 0
    assert "RETI_SITE_URL must start with http:// or https://" in result.stderr


def _cache_backend(tmp_path, **environ) -> subprocess.CompletedProcess:
    script = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", script],
        env={
            **{
                k: v for k, v in os.environ.items() if k not in {"DEBUG", "RETI_LOCAL", *PRODUCTION}
            },
            **environ,
            "RETI_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "reti.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_shares_its_cache_in_redis_and_a_local_run_keeps_its_own(tmp_path):
    production = _cache_backend(tmp_path, **PRODUCTION)
    assert production.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    local = _cache_backend(tmp_path, RETI_LOCAL="1")
    assert local.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_cache_url_that_is_not_redis_is_refused(tmp_path):
    result = _start(tmp_path, **{**PRODUCTION, "RETI_CACHE_URL": "127.0.0.1:6379"})
    assert result.returncode != 0
    assert "RETI_CACHE_URL must start with redis://" in result.stderr


def test_local_run_defaults_mail_sender_and_site_url(tmp_path):
    script = "from django.conf import settings as s; print(s.RETI_SITE_URL, s.DEFAULT_FROM_EMAIL)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **{k: v for k, v in os.environ.items() if k not in PRODUCTION},
            "RETI_LOCAL": "1",
            "RETI_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "reti.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["http://127.0.0.1:8000", "Reti", "<noreply@localhost>"]


def test_short_secret_key_is_refused(tmp_path):
    result = _start(tmp_path, SECRET_KEY="short", ALLOWED_HOSTS="reti.example.org")
    assert "at least 32 characters" in result.stderr


def test_local_run_generates_and_keeps_a_secret(tmp_path):
    assert _start(tmp_path, RETI_LOCAL="1").returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert _start(tmp_path, RETI_LOCAL="1").returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert len(key) >= 50


def test_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG")


def test_bad_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("DB_CONN_MAX_AGE", "sixty")
    with pytest.raises(ImproperlyConfigured, match="DB_CONN_MAX_AGE"):
        env.env_int("DB_CONN_MAX_AGE", 60)


def test_an_integer_below_its_minimum_names_the_variable(monkeypatch):
    monkeypatch.setenv("RETI_TRUSTED_PROXY_COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="RETI_TRUSTED_PROXY_COUNT"):
        env.env_int("RETI_TRUSTED_PROXY_COUNT", 0, minimum=0)


def _trusted_proxies(tmp_path, **environ):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BEHIND", "RETI_TRUSTED"))}
    clean.update(environ, RETI_LOCAL="1", RETI_VAR_DIR=str(tmp_path))
    clean["DJANGO_SETTINGS_MODULE"] = "reti.settings"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.RETI_TRUSTED_PROXY_COUNT)",
        ],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_one_trusted_proxy_behind_the_tls_proxy_none_otherwise(tmp_path):
    assert _trusted_proxies(tmp_path).stdout.strip() == "0"
    assert _trusted_proxies(tmp_path, BEHIND_TLS_PROXY="true").stdout.strip() == "1"
    two = _trusted_proxies(tmp_path, BEHIND_TLS_PROXY="true", RETI_TRUSTED_PROXY_COUNT="2")
    assert two.stdout.strip() == "2"
    bad = _trusted_proxies(tmp_path, RETI_TRUSTED_PROXY_COUNT="many")
    assert bad.returncode != 0 and "RETI_TRUSTED_PROXY_COUNT" in bad.stderr


def test_lists_drop_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example.org, ,b.example.org")
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.example.org", "b.example.org"]


def test_sqlite_connections_persist_in_wal_mode(tmp_path):
    """A request reuses the SQLite connection (and its warm page cache); the file stays WAL."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DB_CONN_MAX_AGE"}}
    clean.update(
        RETI_LOCAL="1",
        RETI_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'reti.sqlite3'}",
        DJANGO_SETTINGS_MODULE="reti.settings",
    )
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.db import connection\n"
        "print(settings.DATABASES['default']['CONN_MAX_AGE'])\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA foreign_keys'); print(c.fetchone()[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "wal", "1"]


# Set process-wide by the browser tests (reti/browser_testing.py): theirs, not production's.
BROWSER_ONLY = "DJANGO_ALLOW_ASYNC_UNSAFE"


def test_deploy_check_is_clean_in_the_documented_production_settings(tmp_path):
    # Django's own production checklist (`reti check --deploy`) over the settings
    # docs/configuration.md lists as required: no warning at all. The one silenced check
    # (HSTS preload, security.W021) is explained in docs/operations.md, "Deploy check".
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "RETI_LOCAL", "DATABASE_URL", BROWSER_ONLY, *PRODUCTION}
        and not k.startswith("SECURE_")
    }
    production = {**PRODUCTION, "SECRET_KEY": "r4Nd0m-" + "Qz8vXk2LpW7mYt3sBn9cFh5dJg" * 2}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reti.cli",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env={**clean, **production, "RETI_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_turning_the_https_redirect_off_brings_the_deploy_warning_back(tmp_path):
    left_out = {"DEBUG", "RETI_LOCAL", BROWSER_ONLY, *PRODUCTION}
    clean = {k: v for k, v in os.environ.items() if k not in left_out}
    production = {**PRODUCTION, "SECRET_KEY": "r4Nd0m-" + "Qz8vXk2LpW7mYt3sBn9cFh5dJg" * 2}
    result = subprocess.run(
        [sys.executable, "-m", "reti.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **production, "SECURE_SSL_REDIRECT": "false", "RETI_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
