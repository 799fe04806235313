"""Security headers on the portal's responses; HSTS and secure cookies with production settings."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def portal_urls() -> list[str]:
    with translation.override("it"):
        return [
            reverse("portal:home"),
            reverse("portal:graph"),
            reverse("portal:graph_data"),
            "/it/non-esiste-questa-pagina/",
        ]


@pytest.mark.parametrize("path", portal_urls())
def test_responses_carry_the_security_headers(client, path):
    response = client.get(path)
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["default-src"]
    # No inline styles either: a style="…" attribute or a <style> element is refused.
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


# Runs with production settings in a fresh interpreter: settings.py reads the environment once.
PRODUCTION_PROBE = """
import json
import re
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# The hashed static files need collectstatic; the probe is about headers, not static files.
plain = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain):
    response = Client().get("/it/non-esiste-questa-pagina/", secure=True)
csrf = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "hsts": response.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(csrf["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_setting_secure": settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def test_production_settings_send_hsts_and_secure_cookies(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "RETI_LOCAL", "SECURE_HSTS_SECONDS", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="reti.settings",
        SECRET_KEY="a-production-secret-key-for-this-test-only-0123456789",
        RETI_PSEUDONYM_KEY="a-production-pseudonym-key-for-this-test-only-0123",
        ALLOWED_HOSTS="testserver",
        RETI_SITE_URL="https://reti.example.org",
        DEFAULT_FROM_EMAIL="Reti <noreply@reti.example.org>",
        RETI_CACHE_URL="redis://127.0.0.1:6379/0",
        RETI_PUBLISHER_IPA="r_toscan",
        RETI_OPENDATA_EMAIL="opendata@reti.example.org",
        RETI_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    assert probe["status"] == 404
    assert probe["hsts"] == "max-age=31536000; includeSubDomains"
    assert probe["csrf_cookie_secure"] is True
    assert probe["session_cookie_secure"] is True
    assert probe["csrf_setting_secure"] is True


# Documents Reti hands over as files (Content-Disposition: attachment), read from the
# recipient's disk where no page of the site and none of its CSP applies: they carry their
# own few rules so that they stay readable on their own.
STANDALONE_DOCUMENTS = {
    "grants/templates/grants/receipt_document.html",  # the applicant's submission receipt
}


def _standalone(relative: Path) -> bool:
    """Documents never served as a page: downloads, and PDF templates (any `pdf/` folder),
    which WeasyPrint renders on the server (reti/lib/pdf.py)."""
    return str(relative) in STANDALONE_DOCUMENTS or "pdf" in relative.parts[:-1]


def test_no_template_or_script_writes_an_inline_style():
    """The CSP refuses style="…" and <style>: templates and our scripts use classes instead."""
    root = Path(settings.BASE_DIR) / "reti"
    offenders = []
    for path in [*root.glob("*/templates/**/*.html"), *root.glob("templates/**/*.html")]:
        if _standalone(path.relative_to(root)):
            continue
        text = path.read_text()
        if re.search(r"\sstyle\s*=|<style[\s>]", text):
            offenders.append(str(path.relative_to(root)))
    for path in root.glob("*/static/**/*.js"):
        if "vendor" in path.parts:
            continue
        # Markup built as a string, or a style attribute set by name: both refused.
        if re.search(r"style\s*=\s*[\\\"']|setAttribute\(\s*[\"']style|<style", path.read_text()):
            offenders.append(str(path.relative_to(root)))
    assert not offenders


def test_no_template_carries_an_inline_event_handler():
    """The CSP's script-src 'self' refuses onclick="…" and its kind: a script file listens."""
    root = Path(settings.BASE_DIR) / "reti"
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    offenders = [
        str(path.relative_to(root))
        for path in [*root.glob("*/templates/**/*.html"), *root.glob("templates/**/*.html")]
        if handler.search(path.read_text())
    ]
    assert not offenders
